"""The form where a user says they are away and who stands in for them."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import User
from .widgets import DateInput


class AbsenceForm(forms.Form):
    substitute = forms.ModelChoiceField(
        label=gettext_lazy("Stedfortreder"), queryset=User.objects.none(), required=False
    )
    away_until = forms.DateField(
        label=gettext_lazy("Borte til og med"), required=False, widget=DateInput()
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = User.objects.filter(
            organisation_id=user.organisation_id, is_active=True
        ).exclude(pk=user.pk)
