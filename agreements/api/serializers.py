"""What the API shows of agreements and what hangs on them. Read-only: every change goes through
a use case (``workflows.api`` opens drafts)."""

from functools import cached_property

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import terms
from ..links import url_for
from ..models import (
    Agreement,
    AuditEvent,
    Deadline,
    DocumentVersion,
    Organisation,
    Signature,
    User,
)


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "code", "name"]


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")

    class Meta:
        model = User
        fields = ["id", "username", "name"]


class AgreementSummarySerializer(serializers.ModelSerializer):
    customer = OrganisationSerializer()
    provider = OrganisationSerializer()
    owner = PersonSerializer()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "kind",
            "status",
            "customer",
            "provider",
            "owner",
            "target_date",
            "start_date",
            "end_date",
            "created_at",
            "url",
        ]

    @cached_property
    def _agreement_url(self):
        # Once per response: a list serializer reuses this one instance for every row.
        return url_for("api:agreement")

    def get_url(self, agreement) -> str:
        return self._agreement_url(agreement.reference)


class DocumentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "number",
            "kind",
            "status",
            "for_signing",
            "sha256",
            "pdf_sha256",
            "created_at",
            "finished_at",
            "file_url",
            "pdf_url",
        ]

    def get_file_url(self, version) -> str | None:
        return reverse("api:document_file", args=[version.pk]) if version.sha256 else None

    def get_pdf_url(self, version) -> str | None:
        return reverse("api:document_pdf", args=[version.pk]) if version.pdf_sha256 else None


class SignatureSerializer(serializers.ModelSerializer):
    party = OrganisationSerializer()
    signed_by = PersonSerializer()
    document_version = serializers.IntegerField(source="document_version_id", allow_null=True)

    class Meta:
        model = Signature
        fields = [
            "party",
            "signed_by",
            "signed_at",
            "method",
            "document_version",
            "document_sha256",
        ]


class DeadlineSerializer(serializers.ModelSerializer):
    assignee = PersonSerializer(allow_null=True)

    class Meta:
        model = Deadline
        fields = ["kind", "title", "task_id", "assignee", "due_date", "due_at", "closed_at"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = PersonSerializer(allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "action", "actor", "from_status", "to_status", "message"]


class ApplicationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, application) -> str:
        return reverse("api:application", args=[application.pk])


class AgreementDetailSerializer(AgreementSummarySerializer):
    parent = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    replaces = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    amendments = serializers.SlugRelatedField(slug_field="reference", read_only=True, many=True)
    requirement = serializers.PrimaryKeyRelatedField(read_only=True)
    terms = serializers.SerializerMethodField()
    applications = ApplicationRefSerializer(many=True)
    documents = DocumentSerializer(many=True)
    signatures = SignatureSerializer(many=True)
    deadlines = DeadlineSerializer(many=True)
    audit_trail = AuditEventSerializer(many=True, source="audit_events")

    class Meta(AgreementSummarySerializer.Meta):
        fields = [
            *AgreementSummarySerializer.Meta.fields,
            "description",
            "parent",
            "requirement",
            "notice_months",
            "renewal_months",
            "replaces",
            "amendments",
            "review_round",
            "updated_at",
            "terms",
            "applications",
            "documents",
            "signatures",
            "deadlines",
            "audit_trail",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_terms(self, agreement) -> dict:
        """The kind's terms: its fields, and each list of rows under its name."""
        data = _term_values(terms.terms_of(agreement))
        for name, rows in terms.rows_of(agreement).items():
            data[name] = [_term_values(item) for item in rows]
        return data


def _term_values(row) -> dict:
    """A terms or row model's columns as JSON values (a foreign key as its id)."""
    return {
        name: serializers.ModelField(row._meta.get_field(name)).to_representation(row)
        for name in terms.term_field_names(type(row))
    }
