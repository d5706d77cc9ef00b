"""Forms of the requirement follow-up. They parse and validate; ``agreements.followup`` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..followup.requirements import responsible_candidates
from ..models import Period, Requirement, RiskAssessment, RiskMeasure
from .widgets import DateInput


class PeriodForm(forms.Form):
    """Which year and tertial a page shows (GET)."""

    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    period = forms.TypedChoiceField(label=_("Periode"), choices=Period.choices, coerce=int)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Tall per dato"), widget=DateInput())


class ReportingTextForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Periode"), choices=Period.choices, coerce=int)
    text = forms.CharField(
        label=_("Rapporteringstekst"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )


class RequirementStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Requirement.Status.choices)
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig"),
        queryset=responsible_candidates(),
        required=False,
        help_text=_("En person i Helse Nord IKT, som oppdraget er gitt til."),
    )


class DeliveryForm(forms.Form):
    sent_on = forms.DateField(label=_("Sendt dato"), widget=DateInput())
    note = forms.CharField(label=_("Merknad"), max_length=300, required=False)


class RiskAssessmentForm(forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = [
            "requirement",
            "organisation",
            "title",
            "assessed_on",
            "description",
            "probability",
            "consequence",
            "board_date",
            "board_case_number",
        ]
        widgets = {
            "assessed_on": DateInput(),
            "board_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "probability": forms.Select(choices=[(n, n) for n in range(1, 6)]),
            "consequence": forms.Select(choices=[(n, n) for n in range(1, 6)]),
        }

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations


MeasureFormSet = forms.inlineformset_factory(
    RiskAssessment,
    RiskMeasure,
    fields=["description", "owner", "due_date", "status"],
    widgets={"due_date": DateInput()},
    extra=2,
    can_delete=True,
)


def measure_rows(formset) -> list[dict]:
    """The measures a valid formset keeps, as dicts for ``do_save_risk_assessment``."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        instance = data.get("id")
        rows.append(
            {
                "id": instance.pk if instance else None,
                **{k: data[k] for k in ("description", "owner", "due_date", "status")},
            }
        )
    return rows
