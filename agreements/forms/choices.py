"""Choice fields people can find their way in: organisations grouped by kind with their
organisation numbers, and applications as a filterable list of checkboxes."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from ..models import Organisation

TRUSTS, IT_PROVIDER, SUPPLIERS = "trusts", "it_provider", "suppliers"
# The groups of a party list, in the order they are shown.
GROUPS = (
    (TRUSTS, _("Helseforetak")),
    (IT_PROVIDER, _("Helse Nord IKT")),
    (SUPPLIERS, _("Leverandører")),
)


def organisation_group(organisation: Organisation) -> str:
    """The group an organisation is listed under: Helse Nord IKT, a supplier, or a trust (the
    regional authority counts with the trusts)."""
    if organisation.is_it_provider:
        return IT_PROVIDER
    if organisation.kind == Organisation.Kind.SUPPLIER:
        return SUPPLIERS
    return TRUSTS


def format_org_number(number: str) -> str:
    """ "983974899" as the Brønnøysund register prints it: "983 974 899"."""
    if len(number) != 9:
        return number
    return f"{number[:3]} {number[3:6]} {number[6:]}"


class _GroupedIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        grouped = {key: [] for key, _label in GROUPS}
        for organisation in self.queryset:
            grouped[organisation_group(organisation)].append(self.choice(organisation))
        for key, label in GROUPS:
            if grouped[key]:
                yield (label, grouped[key])

    def __len__(self):
        return len(GROUPS) + (self.field.empty_label is not None)


class OrganisationChoiceField(forms.ModelChoiceField):
    """A party choice in ``<optgroup>``s (Helseforetak, Helse Nord IKT, Leverandører), each
    organisation shown with its organisation number."""

    iterator = _GroupedIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Velg organisasjon"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        if not obj.org_number:
            return obj.name
        return _("%(name)s (org.nr. %(number)s)") % {
            "name": obj.name,
            "number": format_org_number(obj.org_number),
        }


class FilteredCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes under a search box (``project/static/js/app.js`` filters them; without
    JavaScript all are shown). Each box carries the ids of the organisations that use the
    application, so the list can also follow the chosen customer."""

    template_name = "agreements/widgets/filtered_checkboxes.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            users = " ".join(str(org.pk) for org in instance.used_by.all())
            option["attrs"]["data-used-by"] = users
        return option
