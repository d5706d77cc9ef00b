"""One email over SMTP in phases, so a failure says whether the server can have the message.

Django's ``send_messages`` hides where an error happened; here every step is its own call:

- connect, EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, the DATA command: an error here means the
  server does not have the message (``REFUSED``: 4xx or no connection, try later; ``BOUNCED``:
  5xx, it never will);
- the body and its final dot: a 250 is ``ACCEPTED``; a 4xx/5xx reply is a refusal as above; a
  timeout or a broken connection after the final dot is ``UNKNOWN``: the server may have queued
  the message, so the caller must not resend it at once.

``on_accepted()`` runs right after the 250, before QUIT or the next message, so the gap between
the server taking the message and the ledger saying so is the caller's one UPDATE.
"""

import enum
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection

from .mime import DigestEmail


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    BOUNCED = "bounced"
    UNKNOWN = "unknown"


@dataclass
class SendResult:
    outcome: Outcome
    error: str = ""
    # The connection itself failed (none, or lost): the next message would fare no better.
    broken: bool = False


_LINE_END = re.compile(rb"\r\n|\n|\r(?!\n)")


def _wire_body(message: DigestEmail) -> bytes:
    """The message as SMTP DATA: CRLF line ends, leading dots doubled, the final dot line."""
    raw = _LINE_END.sub(b"\r\n", message.as_bytes())
    raw = re.sub(rb"(?m)^\.", b"..", raw)
    if not raw.endswith(b"\r\n"):
        raw += b"\r\n"
    return raw + b".\r\n"


def _refusal(code: int, text) -> SendResult:
    outcome = Outcome.BOUNCED if 500 <= code < 600 else Outcome.REFUSED
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return SendResult(outcome, f"{code} {text}"[:2000])


def _open() -> smtplib.SMTP:
    cls = smtplib.SMTP_SSL if getattr(settings, "EMAIL_USE_SSL", False) else smtplib.SMTP
    conn = cls(settings.EMAIL_HOST, settings.EMAIL_PORT, timeout=settings.EMAIL_TIMEOUT)
    conn.ehlo()
    if getattr(settings, "EMAIL_USE_TLS", False):
        conn.starttls(context=ssl.create_default_context())
        conn.ehlo()
    if settings.EMAIL_HOST_USER:
        conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    return conn


def _envelope(conn: smtplib.SMTP, message: DigestEmail) -> SendResult | None:
    """MAIL FROM, RCPT TO and the DATA command; a refusal, or ``None`` when ready for the body."""
    code, text = conn.mail(message.from_email)
    if code != 250:
        return _refusal(code, text)
    for address in message.recipients():
        code, text = conn.rcpt(address)
        if code not in (250, 251):
            return _refusal(code, text)
    code, text = conn.docmd("DATA")
    if code != 354:
        return _refusal(code, text)
    return None


class SmtpSession:
    """One SMTP connection for a run of messages: opened on first use, kept after a 250 (a batch
    of digests pays for one connection, not one each), dropped after anything else.

    A kept connection the server has since closed fails at MAIL FROM, before the server can have
    the message, so that message is tried once on a fresh connection.
    """

    def __init__(self):
        self.conn: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        _close(self.conn)
        self.conn = None

    def _ready(self, message: DigestEmail) -> SendResult | None:
        """Connect if needed and send the envelope; a refusal, or ``None`` when ready for DATA."""
        if self.conn is not None:
            try:
                return _envelope(self.conn, message)
            except (smtplib.SMTPServerDisconnected, OSError):
                self.conn = None
        self.conn = _open()
        return _envelope(self.conn, message)

    def send(self, message: DigestEmail, on_accepted: Callable[[], None]) -> SendResult:
        refused = None
        try:
            refused = self._ready(message)
            if refused is None:
                # A body cut off before its final dot is never accepted: still a plain refusal.
                self.conn.send(_wire_body(message))
        except smtplib.SMTPResponseException as exc:
            refused = _refusal(exc.smtp_code, exc.smtp_error)
        except (smtplib.SMTPException, OSError) as exc:
            refused = SendResult(Outcome.REFUSED, f"{type(exc).__name__}: {exc}"[:2000], True)
        if refused is not None:
            self.close()
            return refused
        try:
            code, text = self.conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            # The whole message is on the wire; only the answer is missing.
            self.close()
            return SendResult(Outcome.UNKNOWN, f"{type(exc).__name__}: {exc}"[:2000], True)
        if code != 250:
            self.close()
            return _refusal(code, text)
        on_accepted()
        return SendResult(Outcome.ACCEPTED)

    def deliver(self, message: DigestEmail, on_accepted: Callable[[], None]) -> SendResult:
        """Over SMTP in phases; any other backend (the embedded default writes files) is one
        step, so its only outcomes are accepted and refused."""
        if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
            return self.send(message, on_accepted)
        try:
            sent = get_connection(fail_silently=False).send_messages([message.as_django()])
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult(Outcome.REFUSED, f"{type(exc).__name__}: {exc}"[:2000], True)
        if not sent:
            return SendResult(Outcome.REFUSED, "the email backend sent nothing")
        on_accepted()
        return SendResult(Outcome.ACCEPTED)


def deliver(message: DigestEmail, on_accepted: Callable[[], None]) -> SendResult:
    """One message on a connection of its own, by whatever backend is configured."""
    with SmtpSession() as session:
        return session.deliver(message, on_accepted)


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()
