"""Routes of ``agreements.api``, mounted under /api/v1/ by the project together with
``workflows.api.urls`` (which routes the agreement collection itself: creating a draft starts its
workflow)."""

from django.urls import path

from . import register, views

urlpatterns = [
    path("agreements/<str:reference>/", views.AgreementDetail.as_view(), name="agreement"),
    path("documents/<int:document_pk>/", views.DocumentDetail.as_view(), name="document"),
    path("documents/<int:document_pk>/file/", views.DocumentFile.as_view(), name="document_file"),
    path("documents/<int:document_pk>/pdf/", views.DocumentPdf.as_view(), name="document_pdf"),
    path("applications/", register.ApplicationList.as_view(), name="applications"),
    path("applications/<int:pk>/", register.ApplicationDetail.as_view(), name="application"),
    path("requirements/", register.RequirementList.as_view(), name="requirements"),
    path(
        "requirements/<int:requirement_pk>/",
        register.RequirementDetail.as_view(),
        name="requirement",
    ),
]
