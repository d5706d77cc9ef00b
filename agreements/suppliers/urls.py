from django.urls import path

from ..views import suppliers

app_name = "suppliers"

urlpatterns = [
    path("", suppliers.supplier_list, name="list"),
    path("new/", suppliers.supplier_new, name="new"),
    path("<int:pk>/", suppliers.supplier_edit, name="edit"),
]
