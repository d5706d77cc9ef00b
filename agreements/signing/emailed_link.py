"""The built-in provider: a simple electronic signature through an emailed, single-use link.

The link carries a random token (``secrets.token_urlsafe(32)``); only its SHA-256 is stored. The
signatory opens it without logging in, reads the agreement and the exact version with its hash,
types their full name and confirms. What is recorded: the typed name, the address the link was sent
to, the time, the IP address, the browser's user agent and the version's SHA-256.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import AuditEvent, Signature, SigningRequest
from ..routing import signatories
from ..secret_tokens import new_secret_token, token_digest
from .base import SigningProvider


def link_for(token: str) -> str:
    return settings.SITE_URL + reverse("workflows:external_sign", args=[token])


class EmailedLinkProvider(SigningProvider):
    name = "emailed_link"

    def send_request(self, agreement, party, document):
        expires_at = timezone.now() + timedelta(days=settings.EXTERNAL_SIGNING_DAYS)
        requests = []
        for contact in signatories(party):
            token = new_secret_token()
            request = SigningRequest.objects.create(
                agreement=agreement,
                party=party,
                document_version=document,
                name=contact.name,
                email=contact.email,
                provider=self.name,
                token_hash=token_digest(token),
                expires_at=expires_at,
            )
            AuditEvent.objects.create(
                agreement=agreement,
                action=AuditEvent.Action.SIGNING_REQUESTED,
                message=_("Til %(name)s <%(email)s> for %(party)s, dokumentversjon %(number)s")
                % {
                    "name": contact.name,
                    "email": contact.email,
                    "party": party.name,
                    "number": document.number,
                },
            )
            _email_after_commit(request, token)
            requests.append(request)
        return requests

    def receive_result(self, request, *, signer_name, ip_address, user_agent):
        document = request.document_version
        signature = Signature.objects.create(
            agreement=request.agreement,
            party=request.party,
            method=Signature.Method.EMAILED_LINK,
            signer_name=signer_name,
            signer_email=request.email,
            ip_address=ip_address,
            user_agent=user_agent[:500],
            document_version=document,
            document_sha256=document.sha256,
            signing_request=request,
        )
        now = timezone.now()
        SigningRequest.objects.filter(pk=request.pk).update(used_at=now)
        # The party has signed: the links its other signatories got are of no further use.
        request.agreement.signing_requests.filter(
            party=request.party, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        AuditEvent.objects.create(
            agreement=request.agreement,
            action=AuditEvent.Action.SIGNED,
            message=_(
                "Signert for %(party)s av %(name)s <%(email)s> via e-postlenke, "
                "dokumentversjon %(number)s (SHA-256 %(sha)s)"
            )
            % {
                "party": request.party.name,
                "name": signer_name,
                "email": request.email,
                "number": document.number,
                "sha": document.sha256,
            },
        )
        return signature


def _email_after_commit(request: SigningRequest, token: str) -> None:
    context = {"request": request, "agreement": request.agreement, "link": link_for(token)}

    # Built now, sent after commit: a rolled-back request never mails a link that cannot work.
    message = EmailMessage(
        subject=_("Signering av avtale %(reference)s: %(title)s")
        % {"reference": request.agreement.reference, "title": request.agreement.title},
        body=render_to_string("agreements/email/signing_request.txt", context),
        to=[request.email],
    )

    def send():
        message.send()

    transaction.on_commit(send, robust=True)
