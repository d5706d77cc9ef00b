from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("<str:reference>/", views.agreement_detail, name="detail"),
    path("<str:reference>/audit.csv", views.agreement_audit_csv, name="audit_csv"),
]
