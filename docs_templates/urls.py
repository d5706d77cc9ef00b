from django.urls import path

from . import views

app_name = "docs_templates"

urlpatterns = [
    path("", views.template_list, name="list"),
]
