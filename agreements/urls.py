from django.urls import path

from . import document_views, terms_views, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("documents/<int:document_pk>/file/", document_views.document_file, name="document_file"),
    path("documents/<int:document_pk>/pdf/", document_views.document_pdf, name="document_pdf"),
    path("<str:reference>/", views.agreement_detail, name="detail"),
    path("<str:reference>/audit.csv", views.agreement_audit_csv, name="audit_csv"),
    path("<str:reference>/terms/", terms_views.terms_edit, name="terms"),
    path(
        "<str:reference>/documents/generate/",
        document_views.generate_document,
        name="generate_document",
    ),
]
