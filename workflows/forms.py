"""Forms of the human tasks. They only parse input; the lifecycle services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.documents import MAX_SCAN_BYTES
from agreements.forms.agreements import AgreementDraftFields
from agreements.models import Decision


class DraftForm(AgreementDraftFields):
    """The owner's draft: the agreement's fields, saved and sent to review in one step."""


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Vurdering"),
        choices=[
            (Decision.Outcome.APPROVED, _("Ingen merknader")),
            (Decision.Outcome.CHANGES_REQUESTED, _("Endringer må gjøres")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Påkrevd når du ber om endringer. Avtaleeieren ser kommentaren."),
    )


class ApprovalForm(ReviewForm):
    # The draft the approver was shown; the approval records it (and is refused if a newer one
    # has been made since). Empty when no draft had been made.
    document_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label=_("Beslutning"),
        choices=[
            (Decision.Outcome.APPROVED, _("Godkjenn avtalen og send den til signering")),
            (Decision.Outcome.CHANGES_REQUESTED, _("Send tilbake til avtaleeieren")),
        ],
        widget=forms.RadioSelect,
    )


class SignForm(forms.Form):
    # The version the signatory was shown; signing fails if a newer one has appeared since.
    document_version = forms.IntegerField(widget=forms.HiddenInput)
    scan = forms.FileField(
        label=_("Eller last opp avtalen signert på papir (PDF, høyst 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    confirm = forms.BooleanField(
        label=_("Jeg bekrefter at jeg har fullmakt til å signere avtalen for parten."),
        required=True,
        error_messages={"required": _("Du må bekrefte at du har signaturfullmakt.")},
    )

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and scan.size > MAX_SCAN_BYTES:
            raise forms.ValidationError(_("Filen er for stor. Grensen er 10 MB."))
        return scan


class ExternalSignForm(forms.Form):
    """An external signatory's signature through an emailed link: the typed name and consent."""

    signer_name = forms.CharField(label=_("Fullt navn"), max_length=200)
    confirm = forms.BooleanField(
        label=_(
            "Jeg har lest dokumentet og signerer avtalen elektronisk på vegne av parten, med "
            "fullmakt til det."
        ),
        error_messages={"required": _("Du må bekrefte for å signere.")},
    )
