"""The form on the reminder preferences page."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import User


class ReminderPreferencesForm(forms.Form):
    reminder_frequency = forms.ChoiceField(
        label=gettext_lazy("Påminnelser på e-post"),
        choices=User.ReminderFrequency.choices,
        widget=forms.RadioSelect,
    )
