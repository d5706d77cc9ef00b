"""Signatures of external parties (suppliers without logins), behind ``base.SigningProvider``.

The workflow asks ``do_request_signature`` when signing starts for an external party, and
``do_renew_signing_requests`` when a newer document version replaces the one links were sent for.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import Agreement, DocumentVersion, Organisation, SigningRequest
from .base import SigningProvider


def signing_provider() -> SigningProvider:
    """The provider named by the ``SIGNING_PROVIDER`` setting (the emailed link by default)."""
    return import_string(settings.SIGNING_PROVIDER)()


@transaction.atomic
def do_request_signature(agreement: Agreement, party: Organisation) -> list[SigningRequest]:
    """Send ``party``'s signatories a request to sign the current version to sign.

    Returns the requests made: none when the party has signed already or no version is ready.
    """
    agreement = Agreement.objects.locked(agreement.pk)
    document = DocumentVersion.objects.signable_for(agreement)
    if document is None or agreement.signatures.filter(party=party).exists():
        return []
    return signing_provider().send_request(agreement, party, document)


@transaction.atomic
def do_renew_signing_requests(agreement_id: int) -> list[SigningRequest]:
    """Revoke open requests sent for an older version and send new ones for the current one.

    Called after a document version becomes ready; does nothing when no request is outdated.
    """
    agreement = Agreement.objects.locked(agreement_id)
    document = DocumentVersion.objects.signable_for(agreement)
    if document is None or agreement.status != Agreement.Status.AWAITING_SIGNATURE:
        return []
    outdated = agreement.signing_requests.filter(used_at__isnull=True, revoked_at__isnull=True)
    outdated = outdated.exclude(document_version=document)
    parties = {request.party for request in outdated.select_related("party")}
    outdated.update(revoked_at=timezone.now())
    renewed = []
    for party in sorted(parties, key=lambda p: p.pk):
        renewed += do_request_signature(agreement, party)
    return renewed


def do_revoke_signing_requests(agreement: Agreement) -> int:
    """Revoke every open request of ``agreement``: its approval no longer covers the version
    they were sent for (``approval_binding``); the flow sends new ones once it is approved again.
    Returns how many were revoked."""
    return agreement.signing_requests.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
