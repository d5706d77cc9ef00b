"""What each human task shows and does. A step turns a valid form into one lifecycle call."""

from django.utils.translation import gettext_lazy as _

from agreements import approval_binding, checklist, documents, lifecycle, review_rounds
from agreements.models import Agreement, Decision, DocumentVersion, Signature
from agreements.snapshots import readable, take_snapshot

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


def reading_context(agreement: Agreement) -> dict:
    """What a reviewer or approver reads: the terms read-only, what changed since the previous
    round, the approvals that stand from earlier rounds and the current draft document."""
    return {
        "read_terms": readable(agreement, take_snapshot(agreement)),
        "round_changes": review_rounds.changes_since_last_round(agreement),
        "standing_approvals": review_rounds.standing_approvals(agreement),
        "draft_document": approval_binding.current_draft(agreement),
        "offers_draft": True,
    }


class DraftStep(Step):
    form_class = DraftForm
    instructions = _(
        "Fyll ut avtalen og send den til gjennomgang. Jurist – og for databehandleravtaler også "
        "personvernombud og informasjonssikkerhet – vurderer den parallelt."
    )
    submit_label = _("Send til gjennomgang")

    def __init__(self, revise: bool = False):
        # The owner's task after a change request ("Revider utkast").
        if revise:
            self.instructions = _(
                "Rett utkastet etter merknadene og send det til ny gjennomgang. Bare de som ba om "
                "endringer, og de som har ansvar for vilkår du endrer, gjennomgår det på nytt; "
                "de andre godkjenningene står."
            )
            self.submit_label = _("Send til ny gjennomgang")

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

    def context(self, agreement):
        return reading_context(agreement)

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

    def make_form(self, agreement, data=None, files=None):
        if data is not None:
            return self.form_class(data=data)
        draft = approval_binding.current_draft(agreement)
        shown = draft.pk if draft is not None and draft.is_ready else None
        return self.form_class(initial={"document_version": shown})

    def context(self, agreement):
        return reading_context(agreement)

    def perform(self, user, agreement, data, task_id):
        lifecycle.do_decide_approval(
            user,
            agreement,
            data["outcome"],
            data.get("comment", ""),
            task_id,
            document=data.get("document_version"),
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
        document = approval_binding.signable_version(agreement)
        if document is None or document.pk != data["document_version"]:
            # Not the version to sign (any more): the signature refuses it with the reason.
            document = agreement.documents.filter(pk=data["document_version"]).first()
        lifecycle.do_sign_agreement(user, agreement, party, document=document)
