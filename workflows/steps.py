"""What each human task shows and does. A step turns a valid form into one lifecycle call."""

from django.utils.translation import gettext_lazy as _

from agreements import checklist, documents, lifecycle
from agreements.models import Agreement, Decision, DocumentVersion, Signature

from .forms import ApprovalForm, DraftForm, ReviewForm, SignForm


class Step:
    form_class = None
    instructions = ""
    submit_label = _("Fullfør oppgaven")

    def make_form(self, agreement: Agreement, data=None, files=None):
        return self.form_class(data=data)

    def context(self, agreement: Agreement) -> dict:
        """What the task page shows beside the form."""
        return {}

    def perform(self, user, agreement: Agreement, data: dict, task_id: int) -> None:
        """Carry out the step with ``data`` (a valid form's ``cleaned_data``)."""
        raise NotImplementedError


class DraftStep(Step):
    form_class = DraftForm
    instructions = _(
        "Fyll ut avtalen og send den til gjennomgang. Jurist – og for databehandleravtaler også "
        "personvernombud og informasjonssikkerhet – vurderer den parallelt."
    )
    submit_label = _("Send til gjennomgang")

    def make_form(self, agreement, data=None, files=None):
        return self.form_class(data=data, agreement=agreement)

    def context(self, agreement):
        # A data processor agreement cannot go to review with items of its checklist missing.
        return {"terms_missing": checklist.missing_items(agreement), "edit_terms": True}

    def perform(self, user, agreement, data, task_id):
        changes = {name: data[name] for name in lifecycle.EDITABLE_FIELDS if name in data}
        if "applications" in data:
            changes["applications"] = list(data["applications"])
        lifecycle.do_update_agreement(user, agreement, **changes)
        lifecycle.do_submit_for_review(user, agreement)


class ReviewStep(Step):
    form_class = ReviewForm
    instructions = _("Les gjennom avtalen og godkjenn den, eller be om endringer med en kommentar.")
    submit_label = _("Registrer vurdering")

    def __init__(self, area: Decision.Area):
        self.area = area

    def perform(self, user, agreement, data, task_id):
        lifecycle.do_record_review(
            user,
            agreement,
            self.area,
            data["outcome"],
            data.get("comment", ""),
            task_id=task_id,
        )


class ApprovalStep(Step):
    form_class = ApprovalForm
    instructions = _(
        "Godkjenn avtalen på vegne av kunden, eller send den tilbake med en kommentar."
    )
    submit_label = _("Registrer beslutning")

    def perform(self, user, agreement, data, task_id):
        lifecycle.do_decide_approval(
            user, agreement, data["outcome"], data.get("comment", ""), task_id
        )


class SignStep(Step):
    form_class = SignForm
    submit_label = _("Signer avtalen")

    def __init__(self, party_field: str):
        # "customer" or "provider": which party of the agreement this task signs for
        self.party_field = party_field

    @property
    def instructions(self):
        return _(
            "Les dokumentversjonen nedenfor og signer den på vegne av parten. Signaturen "
            "registrerer hvem, for hvilken part, når og SHA-256 av nøyaktig denne filen."
        )

    def party(self, agreement):
        return getattr(agreement, self.party_field)

    def make_form(self, agreement, data=None, files=None):
        document = DocumentVersion.objects.signable_for(agreement)
        return self.form_class(
            data=data,
            files=files,
            initial={"document_version": document.pk if document else None},
        )

    def context(self, agreement):
        return {"document": DocumentVersion.objects.signable_for(agreement)}

    def perform(self, user, agreement, data, task_id):
        party = self.party(agreement)
        scan = data.get("scan")
        if scan:
            scanned = documents.do_upload_signed_scan(
                user, agreement, party, scan.read(), scan.content_type or "", scan.name
            )
            lifecycle.do_sign_agreement(
                user, agreement, party, method=Signature.Method.UPLOADED_SCAN, document=scanned
            )
            return
        document = agreement.documents.filter(pk=data["document_version"]).first()
        lifecycle.do_sign_agreement(user, agreement, party, document=document)
