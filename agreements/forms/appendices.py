"""The upload of a file to one appendix (bilag) of an operating agreement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..documents import MAX_SCAN_BYTES
from ..models import OperatingAppendix


class AppendixFileForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Bilag"), choices=OperatingAppendix.Number.choices, coerce=int
    )
    file = forms.FileField(
        label=_("Fil (PDF, høyst 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCAN_BYTES:
            raise forms.ValidationError(_("Filen er for stor. Grensen er 10 MB."))
        return upload
