"""Opening and using an emailed signing link: the one lookup of a request by its token, the
signature it allows, and the limit on attempts from one address.

A link that never existed is ``LinkUnusable`` with status 404; one that did but no longer works
(used, expired, replaced by a newer version, the agreement no longer waiting) has status 410.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Agreement, DocumentVersion, Signature, SigningRequest
from ..secret_tokens import token_digest
from . import signing_provider

# Real tokens are 43 characters; anything far off is refused before it reaches the database.
_MAX_TOKEN_LENGTH = 100


class LinkUnusable(Exception):  # noqa: N818 - the name says what the visitor meets
    """The link cannot be used; ``str(exc)`` tells the visitor why, ``status`` is 404 or 410."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _gone(message) -> LinkUnusable:
    return LinkUnusable(message, 410)


def open_signing_request(token: str, *, for_update: bool = False) -> SigningRequest:
    """The open request whose link carries ``token``; otherwise ``LinkUnusable``."""
    requests = SigningRequest.objects.select_related(
        "agreement", "agreement__customer", "agreement__provider", "party", "document_version"
    )
    if for_update:
        requests = requests.select_for_update(of=("self",))
    request = None
    if 0 < len(token) <= _MAX_TOKEN_LENGTH and token.isascii():
        request = requests.filter(token_hash=token_digest(token)).first()
    if request is None:
        raise LinkUnusable(_("Lenken er ukjent. Sjekk at du har kopiert hele lenken."), 404)
    if request.used_at is not None:
        raise _gone(_("Lenken er allerede brukt. Avtalen er signert med den."))
    if timezone.now() >= request.expires_at:
        raise _gone(_("Lenken er utløpt. Ta kontakt med avtaleeieren for å få en ny."))
    agreement = request.agreement
    if agreement.status != Agreement.Status.AWAITING_SIGNATURE:
        raise _gone(_("Avtalen venter ikke lenger på signering."))
    if request.document_version != DocumentVersion.objects.signable_for(agreement):
        raise _gone(
            _("Dokumentet er erstattet av en nyere versjon. Du får en ny lenke til den på e-post.")
        )
    if request.revoked_at is not None:
        raise _gone(_("Lenken gjelder ikke lenger. Hvis det trengs, har du fått en ny lenke."))
    return request


@transaction.atomic
def do_sign_with_link(
    token: str, *, signer_name: str, confirmed: bool, ip_address: str | None, user_agent: str
) -> Signature:
    """Record the signature the link at ``token`` allows, once.

    Raises ``LinkUnusable`` for a link that does not work (nothing is written) and
    ``ValidationError`` when the name is missing or the confirmation not given.
    """
    request = open_signing_request(token, for_update=True)
    Agreement.objects.locked(request.agreement_id)
    signer_name = " ".join(signer_name.split())
    if len(signer_name) < 3 or " " not in signer_name:
        raise ValidationError({"signer_name": _("Skriv fullt navn, fornavn og etternavn.")})
    if not confirmed:
        raise ValidationError({"confirm": _("Bekreft at du signerer på vegne av parten.")})
    if request.agreement.signatures.filter(party=request.party).exists():
        raise _gone(_("%(party)s har allerede signert avtalen.") % {"party": request.party})
    return signing_provider().receive_result(
        request, signer_name=signer_name, ip_address=ip_address, user_agent=user_agent
    )


def _attempts_key(ip_address: str | None) -> str:
    return f"signing-link-failures:{ip_address or 'unknown'}"


def attempts_exhausted(ip_address: str | None) -> bool:
    """Too many unusable links were tried from this address within the last hour."""
    return cache.get(_attempts_key(ip_address), 0) >= settings.EXTERNAL_SIGNING_MAX_FAILURES


def note_failed_attempt(ip_address: str | None) -> None:
    key = _attempts_key(ip_address)
    cache.add(key, 0, timeout=3600)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
