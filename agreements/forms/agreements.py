"""Forms for agreement data. They parse and validate input; lifecycle services write."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import permissions
from ..lifecycle import EDITABLE_FIELDS
from ..models import Agreement, Application, Deadline, Organisation, Requirement
from .widgets import DateInput


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
        queryset=Application.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
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
    kind = forms.ChoiceField(label=_("Avtaletype"), choices=Agreement.Kind.choices)
    customer = forms.ModelChoiceField(label=_("Kunde"), queryset=Organisation.objects.all())
    provider = forms.ModelChoiceField(label=_("Leverandør"), queryset=Organisation.objects.all())
    manager = forms.ModelChoiceField(
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


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Søk"))
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices, label=_("Type"))
    status = django_filters.ChoiceFilter(choices=Agreement.Status.choices, label=_("Status"))
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.all(), method="party", label=_("Organisasjon")
    )
    requirement = django_filters.ModelChoiceFilter(
        queryset=Requirement.objects.all(), label=_("OD-krav")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("1", _("Bare avtaler med frister på overtid"))],
        method="only_overdue",
        label=_("Frister"),
        empty_label=_("Alle"),
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
