from django.urls import path

from .views import agreements, appendices, documents, terms

app_name = "agreements"

urlpatterns = [
    path("", agreements.agreement_list, name="list"),
    path("documents/<int:document_pk>/file/", documents.document_file, name="document_file"),
    path("documents/<int:document_pk>/pdf/", documents.document_pdf, name="document_pdf"),
    path("appendix-files/<int:file_pk>/", appendices.appendix_file, name="appendix_file"),
    path("<str:reference>/", agreements.agreement_detail, name="detail"),
    path("<str:reference>/audit.csv", agreements.agreement_audit_csv, name="audit_csv"),
    path("<str:reference>/terms/", terms.terms_edit, name="terms"),
    path("<str:reference>/appendices/", appendices.appendices, name="appendices"),
    path(
        "<str:reference>/documents/generate/",
        documents.generate_document,
        name="generate_document",
    ),
]
