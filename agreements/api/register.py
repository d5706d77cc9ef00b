"""The application register and the OD requirements with their computed progress."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers

from ..followup import requirements as followup
from ..followup.progress import figures_for
from ..forms.applications import ApplicationFilter
from ..forms.followup import AsOfForm
from ..models import Application, ApplicationUse, Requirement
from ..permissions import visible_agreements
from ..register.applications import (
    APPLICATION_FIELDS,
    access_application,
    visible_applications,
)
from ..register.coverage import with_coverage
from .base import Pages
from .problems import InvalidInput
from .serializers import AgreementSummarySerializer, OrganisationSerializer, PersonSerializer

# The register page's filter, reused as it is; the schema only learns that a trust is an id.
extend_schema_field(OpenApiTypes.INT)(ApplicationFilter.base_filters["trust"])


class UseSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer()

    class Meta:
        model = ApplicationUse
        fields = ["organisation", "system_owner_name", "system_owner_email"]


class ApplicationSerializer(serializers.ModelSerializer):
    supplier = OrganisationSerializer(allow_null=True)
    covered = serializers.BooleanField(help_text="Has a supplier agreement in force today.")
    ending_soon = serializers.BooleanField()
    coverage_gap = serializers.CharField()

    class Meta:
        model = Application
        fields = [
            "id",
            *APPLICATION_FIELDS,
            "covered",
            "ending_soon",
            "coverage_gap",
            "updated_at",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    uses = UseSerializer(many=True)
    agreements = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "uses", "agreements"]

    @extend_schema_field(AgreementSummarySerializer(many=True))
    def get_agreements(self, application):
        """The agreements covering it that the user may see."""
        agreements = (
            visible_agreements(self.context["request"].user)
            .filter(applications=application)
            .select_related("customer", "provider", "owner")
        )
        return AgreementSummarySerializer(agreements, many=True).data


class ApplicationList(generics.ListAPIView):
    """The register as the user may see it, with the register page's filters."""

    serializer_class = ApplicationSerializer
    pagination_class = Pages
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema needs the model, not rows
            return Application.objects.none()
        applications = visible_applications(self.request.user).select_related("supplier")
        return with_coverage(applications, timezone.localdate()).order_by("name", "pk")


class ApplicationDetail(generics.RetrieveAPIView):
    serializer_class = ApplicationDetailSerializer

    def get_object(self):
        application = access_application(self.request.user, self.kwargs["pk"])
        return (
            with_coverage(visible_applications(self.request.user), timezone.localdate())
            .select_related("supplier")
            .prefetch_related("uses__organisation")
            .get(pk=application.pk)
        )


class RowSerializer(serializers.Serializer):
    label = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="Per cent, one decimal.")


class FiguresSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    heading = serializers.CharField()
    rows = RowSerializer(many=True)
    total = RowSerializer()
    notes = serializers.ListField(child=serializers.CharField())


class RequirementSerializer(serializers.ModelSerializer):
    responsible = PersonSerializer(allow_null=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "year",
            "number",
            "title",
            "text",
            "deadline",
            "cadence",
            "responsible",
            "status",
            "measure",
        ]


class RequirementDetailSerializer(RequirementSerializer):
    progress = serializers.SerializerMethodField()

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "progress"]

    @extend_schema_field(FiguresSerializer(allow_null=True))
    def get_progress(self, requirement):
        """Computed as of the day asked for (today by default); null when not computed."""
        figures = figures_for(requirement, self.context["as_of"])
        return FiguresSerializer(figures).data if figures is not None else None


class RequirementList(generics.ListAPIView):
    """One year's requirements (this year by default), for those who follow them up."""

    serializer_class = RequirementSerializer
    pagination_class = Pages

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        if not year:
            return followup.requirements_for(self.request.user, timezone.localdate().year)
        if not year.isdigit() or not 2000 <= int(year) <= 2100:
            raise InvalidInput({"year": [_("Oppgi et år mellom 2000 og 2100.")]})
        return followup.requirements_for(self.request.user, int(year))


class RequirementDetail(generics.RetrieveAPIView):
    """One requirement and its progress as of a day (``as_of``, today by default)."""

    serializer_class = RequirementDetailSerializer

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return followup.access_requirement(self.request.user, self.kwargs["requirement_pk"])

    def get_serializer_context(self):
        day = timezone.localdate()
        if "as_of" in self.request.query_params:
            form = AsOfForm({"as_of": self.request.query_params["as_of"]})
            if not form.is_valid():
                raise InvalidInput({f: [str(m) for m in e] for f, e in form.errors.items()})
            day = form.cleaned_data["as_of"]
        return {**super().get_serializer_context(), "as_of": day}
