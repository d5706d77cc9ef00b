"""Agreement and document endpoints. Views look up through ``permissions.access_*`` (404 for what
the user may not see) and serialize; nothing here decides who sees what."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from .. import documents
from ..forms.agreements import AgreementFilter, overdue_deadlines
from ..models import AuditEvent, Deadline
from ..permissions import access_agreement, access_document, visible_agreements
from ..views.documents import CONTENT_TYPES
from .base import NewestFirst
from .problems import Gone, ProblemSerializer
from .serializers import (
    AgreementDetailSerializer,
    AgreementSummarySerializer,
    DocumentSerializer,
)

PROBLEM = OpenApiResponse(ProblemSerializer, description="Problem details (RFC 9457)")

# The list page's filter, reused as it is; the schema only learns that a party is an id.
extend_schema_field(OpenApiTypes.INT)(AgreementFilter.base_filters["organisation"])


class AgreementList(generics.ListAPIView):
    """Agreements the user may see, newest first, with the list page's filters."""

    serializer_class = AgreementSummarySerializer
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_class = AgreementFilter

    def get_queryset(self):
        return (
            visible_agreements(self.request.user)
            .select_related("customer", "provider", "owner")
            .annotate(has_overdue=Exists(overdue_deadlines()))
        )


class AgreementDetail(generics.RetrieveAPIView):
    """One agreement with its parties, terms, applications, documents, signatures, deadlines and
    audit trail."""

    serializer_class = AgreementDetailSerializer
    lookup_field = "reference"

    def get_object(self):
        agreement = access_agreement(self.request.user, self.kwargs["reference"])
        return (
            type(agreement)
            .objects.select_related("replaces")
            .prefetch_related(
                "amendments",
                "applications",
                "documents",
                "signatures__party",
                "signatures__signed_by",
                Prefetch("deadlines", Deadline.objects.select_related("assignee")),
                Prefetch("audit_events", AuditEvent.objects.select_related("actor")),
            )
            .get(pk=agreement.pk)
        )


class DocumentDetail(generics.RetrieveAPIView):
    """One document version of a visible agreement, with its SHA-256."""

    serializer_class = DocumentSerializer

    def get_object(self):
        return access_document(self.request.user, self.kwargs["document_pk"])


class DocumentFile(APIView):
    """The version's file, re-checked against its SHA-256 first; a mismatch is never sent."""

    pdf = False

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: PROBLEM,
            409: PROBLEM,
        }
    )
    def get(self, request, document_pk):
        version = access_document(request.user, document_pk)
        try:
            data = documents.verified_bytes(version, pdf=self.pdf)
        except documents.TamperedDocument:
            raise Gone() from None
        except ValidationError:
            raise NotFound(_("Dokumentversjonen har ingen slik fil.")) from None
        field = version.pdf_file if self.pdf else version.file
        extension = field.name.rsplit(".", 1)[-1].lower()
        response = HttpResponse(
            data, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
        )
        filename = f"{version.agreement.reference}-v{version.number}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-SHA256"] = version.pdf_sha256 if self.pdf else version.sha256
        return response


class DocumentPdf(DocumentFile):
    pdf = True
