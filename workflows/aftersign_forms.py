"""Forms of the follow-up pages after signing. They only parse input; the use cases decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms.widgets import DateInput
from agreements.models import FollowUpDecision

Outcome = FollowUpDecision.Outcome


class NoticeDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Beslutning"),
        choices=[
            (Outcome.RENEW, _("Forny avtalen (sluttdatoen flyttes med fornyelsesperioden)")),
            (Outcome.RENEGOTIATE, _("Reforhandle (starter en endring av avtalen)")),
            (Outcome.TERMINATE, _("Si opp avtalen")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ved oppsigelse: begrunnelsen, som blir stående i hendelsesloggen."),
    )
    end_date = forms.DateField(
        label=_("Opphører"),
        required=False,
        widget=DateInput(),
        help_text=_("Ved oppsigelse: datoen avtalen opphører (siste dag den gjelder)."),
    )
    # The end date the page was shown for: a stale or repeated post is refused.
    concerns_date = forms.DateField(required=False, widget=forms.HiddenInput())


class RevisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Hva revisjonen kom fram til"),
        required=False,  # the use case asks for it, in its own words
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    concerns_date = forms.DateField(widget=forms.HiddenInput())


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor trekkes avtalen?"),
        required=False,  # the use case asks for it, in its own words
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AmendForm(forms.Form):
    reason = forms.CharField(
        label=_("Hva skal endres?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
