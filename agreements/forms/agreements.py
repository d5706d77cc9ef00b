"""Forms for agreement data. They parse and validate input; lifecycle services write."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..lifecycle import EDITABLE_FIELDS
from ..models import Agreement, Application, Deadline, Organisation, Requirement
from ..register.applications import visible_applications
from .choices import FilteredCheckboxes, OrganisationChoiceField
from .widgets import DateInput, PlainSelect


class AgreementDraftFields(forms.Form):
    """The fields an owner edits while drafting (``lifecycle.EDITABLE_FIELDS`` + applications).

    Rules that involve several fields (dates in order, two different parties, the user's own
    organisation a party) are the use case's: the view shows its ``ValidationError`` on the form.
    """

    title = forms.CharField(label=_("Tittel"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = forms.ModelChoiceField(
        label=_("Overordnet avtale"), queryset=Agreement.objects.none(), required=False
    )
    requirement = forms.ModelChoiceField(
        label=_("OD-krav"), queryset=Requirement.objects.all(), required=False
    )
    applications = forms.ModelMultipleChoiceField(
        label=_("Applikasjoner"),
        queryset=Application.objects.none(),
        required=False,
        widget=FilteredCheckboxes,
        help_text=_("Bare applikasjoner som kunden bruker, kan velges."),
        error_messages={
            "invalid_choice": _("Velg bare blant applikasjonene kunden bruker."),
            "invalid_pk_value": _("Velg bare blant applikasjonene kunden bruker."),
        },
    )
    target_date = forms.DateField(label=_("Måldato"), required=False, widget=DateInput())
    start_date = forms.DateField(label=_("Startdato"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("Sluttdato"), required=False, widget=DateInput())
    notice_months = forms.IntegerField(
        label=_("Oppsigelsestid (måneder)"), min_value=0, max_value=60, initial=3
    )
    renewal_months = forms.IntegerField(
        label=_("Fornyelsesperiode (måneder)"),
        min_value=1,
        max_value=120,
        initial=12,
        required=False,
        help_text=_("Hvor mye sluttdatoen flyttes når avtalen fornyes."),
    )

    def __init__(self, *args, agreement: Agreement | None = None, parent_choices=None, **kwargs):
        self.agreement = agreement
        if agreement is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(agreement, name) for name in self.draft_field_names()},
                "applications": list(agreement.applications.all()),
            }
        super().__init__(*args, **kwargs)
        if parent_choices is None and agreement is not None:
            # The drafter works in the owner's organisation: offer what the owner may choose.
            parent_choices = permissions.parent_choices(agreement.owner, agreement.customer_id)
            parent_choices = parent_choices.exclude(pk=agreement.pk)
        if parent_choices is not None:
            self.fields["parent"].queryset = parent_choices
        if agreement is not None:
            self.set_application_choices(Application.objects.filter(used_by=agreement.customer))

    def set_application_choices(self, queryset) -> None:
        self.fields["applications"].queryset = queryset.prefetch_related("used_by").order_by(
            "name", "pk"
        )

    def chosen_customer(self) -> Organisation | None:
        return self.agreement.customer if self.agreement is not None else None

    def clean(self):
        data = super().clean()
        customer = self.chosen_customer()
        chosen = data.get("applications")
        if customer is not None and chosen:
            foreign = [app.name for app in chosen if customer not in app.used_by.all()]
            if foreign:
                self.add_error(
                    "applications",
                    _("%(customer)s bruker ikke: %(apps)s. Velg bare kundens applikasjoner.")
                    % {"customer": customer.name, "apps": ", ".join(foreign)},
                )
        return data

    def clean_renewal_months(self):
        # Left empty: keep what the agreement has (12 months for a new one).
        value = self.cleaned_data.get("renewal_months")
        if value is None:
            value = self.agreement.renewal_months if self.agreement else 12
        return value

    @staticmethod
    def draft_field_names():
        return EDITABLE_FIELDS

    def agreement_changes(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.draft_field_names()},
            "applications": list(data["applications"]),
        }


class AgreementCreateForm(AgreementDraftFields):
    """A new agreement. The kind has no default: the owner chooses it. ``user`` (the one
    creating it) limits the applications offered to those they can see in the register; the
    ones chosen must be the chosen customer's."""

    kind = forms.ChoiceField(
        label=_("Avtaletype"),
        choices=[("", _("Velg type"))] + Agreement.Kind.choices,
        error_messages={"required": _("Velg hvilken type avtale dette er.")},
    )
    customer = OrganisationChoiceField(
        label=_("Kunde"),
        queryset=Organisation.objects.all(),
        help_text=_("I en databehandleravtale: behandlingsansvarlig."),
    )
    provider = OrganisationChoiceField(
        label=_("Leverandør"),
        queryset=Organisation.objects.all(),
        help_text=_("I en databehandleravtale: databehandler."),
    )
    manager = OrganisationChoiceField(
        label=_("Forvalter"),
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.SUPPLIER),
        required=False,
        empty_label=_("Velg ut fra applikasjonene"),
        help_text=_(
            "Organisasjonen som har den merkantile forvaltningen. Tomt: Helse Nord IKT når den "
            "forvalter en av applikasjonene avtalen dekker, ellers kunden."
        ),
    )

    field_order = ["kind", "title", "customer", "provider", "manager"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.set_application_choices(visible_applications(user))

    def chosen_customer(self) -> Organisation | None:
        return self.cleaned_data.get("customer")


class AgreementFilter(django_filters.FilterSet):
    # PlainSelect: the list page renders these five on every request (see its docstring).
    q = django_filters.CharFilter(method="search", label=_("Søk"))
    kind = django_filters.ChoiceFilter(
        choices=Agreement.Kind.choices, label=_("Type"), widget=PlainSelect
    )
    status = django_filters.ChoiceFilter(
        choices=Agreement.Status.choices, label=_("Status"), widget=PlainSelect
    )
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(),
        method="party",
        label=_("Organisasjon"),
        widget=PlainSelect,
    )
    requirement = django_filters.ModelChoiceFilter(
        queryset=Requirement.objects.all(), label=_("OD-krav"), widget=PlainSelect
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("1", _("Bare avtaler med frister på overtid"))],
        method="only_overdue",
        label=_("Frister"),
        empty_label=_("Alle"),
        widget=PlainSelect,
    )

    class Meta:
        model = Agreement
        fields = ["q", "kind", "status", "organisation", "requirement", "overdue"]

    def only_overdue(self, queryset, name, value):
        return queryset.filter(Exists(overdue_deadlines()))

    def search(self, queryset, name, value):
        return queryset.filter(Q(reference__icontains=value) | Q(title__icontains=value))

    def party(self, queryset, name, value):
        return queryset.filter(Q(customer=value) | Q(provider=value))


def overdue_deadlines():
    """Open deadlines of the outer agreement that have passed (for ``Exists``)."""
    return Deadline.objects.filter(
        agreement=OuterRef("pk"), closed_at__isnull=True, due_at__lte=timezone.now()
    )
