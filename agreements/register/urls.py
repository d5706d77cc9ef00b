from django.urls import path

from ..views import application_import, applications, uncovered

app_name = "register"

urlpatterns = [
    path("applications/", applications.application_list, name="list"),
    path("applications/new/", applications.application_new, name="new"),
    path("applications/import/", application_import.application_import, name="import"),
    path(
        "applications/import/confirm/",
        application_import.application_import_confirm,
        name="import_confirm",
    ),
    path("applications/export.csv", applications.application_export_csv, name="export_csv"),
    path("applications/export.xlsx", applications.application_export_xlsx, name="export_xlsx"),
    path("applications/<int:pk>/", applications.application_detail, name="detail"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="edit"),
    path("reports/uncovered/", uncovered.uncovered_report, name="uncovered"),
    path("reports/uncovered.xlsx", uncovered.uncovered_xlsx, name="uncovered_xlsx"),
]
