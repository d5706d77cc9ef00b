"""Forms of the application register: the list filter, the application form and its per-trust
uses, and the import upload. They parse and validate; ``agreements.register`` writes."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from ..models import Application, ApplicationUse, Organisation, User
from ..register.applications import APPLICATION_FIELDS, Use
from ..register.coverage import COVERED, ENDING, UNCOVERED, coverage_q
from ..register.importing import MAX_UPLOAD_BYTES
from .widgets import DateInput, PlainSelect

Kind = Organisation.Kind


def trusts():
    """The organisations that use applications: the trusts and the regional authority."""
    return Organisation.objects.filter(kind__in=[Kind.TRUST, Kind.REGIONAL_AUTHORITY])


class _NameChoices(ModelChoiceIterator):
    """The choices as (pk, name) pairs from one plain query: no model instance per option."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class _NameChoiceField(forms.ModelChoiceField):
    iterator = _NameChoices


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice filter whose options are listed by name, cheaply (200 suppliers)."""

    field_class = _NameChoiceField


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Søk"))
    trust = NameChoiceFilter(
        queryset=trusts(), method="used_by_trust", label=_("Brukes av"), widget=PlainSelect
    )
    supplier = NameChoiceFilter(
        queryset=Organisation.objects.filter(kind=Kind.SUPPLIER),
        label=_("Leverandør"),
        widget=PlainSelect,
    )
    category = django_filters.ChoiceFilter(
        choices=Application.Category.choices, label=_("NSM-kategori"), widget=PlainSelect
    )
    regional = django_filters.ChoiceFilter(
        choices=Application.Regional.choices, label=_("Regionalt system"), widget=PlainSelect
    )
    coverage = django_filters.ChoiceFilter(
        choices=[
            (COVERED, _("Har gjeldende leverandøravtale")),
            (UNCOVERED, _("Mangler gjeldende leverandøravtale")),
            (ENDING, _("Avtalen utløper innen seks måneder")),
        ],
        method="by_coverage",
        label=_("Leverandøravtale"),
        widget=PlainSelect,
    )
    management = django_filters.ChoiceFilter(
        choices=[
            ("transferred", _("Teknisk og merkantil overført til Helse Nord IKT")),
            ("partly", _("Delvis overført")),
            ("not", _("Ikke overført")),
        ],
        method="by_management",
        label=_("Forvaltning"),
        widget=PlainSelect,
    )

    class Meta:
        model = Application
        fields = ["q", "trust", "supplier", "category", "regional", "coverage", "management"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(asset_id__icontains=value)
            | Q(supplier__name__icontains=value)
        )

    def used_by_trust(self, queryset, name, value):
        uses = ApplicationUse.objects.filter(application=OuterRef("pk"), organisation=value)
        return queryset.filter(Exists(uses))

    def by_coverage(self, queryset, name, value):
        # The queryset is annotated by ``coverage.with_coverage`` before filtering.
        return queryset.filter(coverage_q(value))

    def by_management(self, queryset, name, value):
        provider = Application.Management.IT_PROVIDER
        both = Q(technical_management=provider, mercantile_management=provider)
        either = Q(technical_management=provider) | Q(mercantile_management=provider)
        if value == "transferred":
            return queryset.filter(both)
        if value == "partly":
            return queryset.filter(either).exclude(both)
        return queryset.exclude(either)


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = list(APPLICATION_FIELDS)
        widgets = {
            "technical_transferred_on": DateInput(),
            "mercantile_transferred_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Organisation.objects.filter(kind=Kind.SUPPLIER)


class UseForm(forms.Form):
    """One using trust and its system owner."""

    organisation = forms.ModelChoiceField(label=_("Helseforetak"), queryset=trusts())
    system_owner = forms.ModelChoiceField(
        label=_("Systemeier (bruker)"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
    )
    system_owner_name = forms.CharField(label=_("Systemeier (navn)"), required=False)
    system_owner_email = forms.EmailField(label=_("Systemeier (e-post)"), required=False)

    def clean(self):
        data = super().clean()
        owner, organisation = data.get("system_owner"), data.get("organisation")
        if owner and organisation and owner.organisation_id != organisation.pk:
            self.add_error("system_owner", _("Systemeieren må høre til helseforetaket."))
        return data


class BaseUseFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            organisation = getattr(form, "cleaned_data", {}).get("organisation")
            if organisation is None or form.cleaned_data.get("DELETE"):
                continue
            if organisation.pk in seen:
                raise forms.ValidationError(_("Hvert helseforetak kan stå bare én gang."))
            seen.add(organisation.pk)

    def uses(self) -> list[Use]:
        return [
            Use(**{k: v for k, v in form.cleaned_data.items() if k != "DELETE"})
            for form in self.forms
            if form.cleaned_data.get("organisation") and not form.cleaned_data.get("DELETE")
        ]


UseFormSet = forms.formset_factory(UseForm, formset=BaseUseFormSet, extra=2, can_delete=True)


def use_initial(application: Application) -> list[dict]:
    return [
        {
            "organisation": use.organisation,
            "system_owner": use.system_owner,
            "system_owner_name": use.system_owner_name,
            "system_owner_email": use.system_owner_email,
        }
        for use in application.uses.select_related("organisation", "system_owner")
    ]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Eksport fra tjenestestyringsverktøyet (.xlsx eller .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (høyst %(mb)s MB)."), params={"mb": MAX_UPLOAD_BYTES >> 20}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Last opp en .xlsx- eller .csv-fil."))
        return upload
