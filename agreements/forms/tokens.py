"""The forms of the API-token page: make a token, revoke one."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..api.tokens import LIFETIMES_DAYS


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=100,
        help_text=_("Hva nøkkelen brukes til, f.eks. «Rapportskript». Står i revisjonssporet."),
    )
    days = forms.TypedChoiceField(
        label=_("Gyldig i"),
        coerce=int,
        choices=[
            (days, ngettext_lazy("%(days)d dag", "%(days)d dager", days) % {"days": days})
            for days in LIFETIMES_DAYS
        ],
        initial=90,
    )


class RevokeTokenForm(forms.Form):
    revoke = forms.IntegerField(widget=forms.HiddenInput)
