"""A digest email (plain text with an HTML alternative) written straight to bytes.

Django's ``EmailMultiAlternatives`` builds a tree of ``email`` package objects and serialises it
through the generator, which folds and encodes every header and compiles a regular expression
per message to check its boundary: in the batch sender that was about a quarter of a digest's
CPU (docs/performance.md, "Emails per second"). A digest always has the same shape, so it is written
here directly; ``as_django()`` gives the same email for the other backends (the embedded
default writes files), and tests/reminders/test_mime.py reads both back and compares them.

Headers are ASCII on the wire: a non-ASCII subject becomes RFC 2047 encoded words, a non-ASCII
address is encoded as Django encodes it, long values are folded, and a value with a line break
is refused (no header injection). A body line over SMTP's 998 octets makes that part
quoted-printable, as Django does; otherwise the parts are 8bit.
"""

import quopri
import re
import uuid
from base64 import b64encode
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

_LINE_LIMIT = 998
# A header line is folded before this length (RFC 5322 says SHOULD stay within 78).
_FOLD_AT = 78
# Bytes of UTF-8 per encoded word: base64 of 39 bytes is 52 characters; with "=?utf-8?b?" and
# "?=" a word is 64, so even the first line ("Subject: " and a word) stays within 78.
_WORD_BYTES = 39
# Where a header may be folded: before a run of spaces, or after a comma.
_FOLD_POINT = re.compile(r"( *)([^ ,]+,?|,)")


def _check(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"Header values cannot contain newlines ({name!r})")
    return value


def _fold(name: str, value: str) -> str:
    """``Name: value`` folded at a space or after a comma before 78 characters where it can be
    (unfolding gives back the value, with a space after a comma where it was folded)."""
    line = f"{name}: {value}"
    if len(line) <= _FOLD_AT:
        return line
    lines, current, fresh = [], f"{name}:", True
    for match in _FOLD_POINT.finditer(value):
        separator, token = (" " if match[1] or fresh else ""), match[2]
        if not fresh and len(current) + len(separator) + len(token) > _FOLD_AT:
            lines.append(current)
            current, separator = "", " "
        current += separator + token
        fresh = False
    lines.append(current)
    if any(len(part) > _LINE_LIMIT for part in lines):
        raise ValueError(f"Header {name!r} cannot be folded within {_LINE_LIMIT} characters")
    return "\r\n".join(lines)


def _encoded_words(text: str) -> str:
    """``text`` as base64 encoded words (RFC 2047), one per folded line."""
    words, chunk = [], b""
    for char in text:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{b64encode(w).decode('ascii')}?=" for w in words)


def _header(name: str, value: str) -> str:
    value = _check(name, value)
    if value.isascii():
        return _fold(name, value)
    return f"{name}: {_encoded_words(value)}"


def _address(address: str) -> str:
    """The address as an ASCII header value (IDNA domain, encoded local part)."""
    _check("address", address)
    return address if address.isascii() else sanitize_address(address, "utf-8")


def _part(content_type: str, body: str) -> bytes:
    """One text part: its headers, a blank line and the body with CRLF line ends."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if any(len(line.encode("utf-8")) > _LINE_LIMIT for line in lines):
        encoding = "quoted-printable"
        payload = quopri.encodestring("\n".join(lines).encode("utf-8")).replace(b"\n", b"\r\n")
    else:
        encoding = "7bit" if body.isascii() else "8bit"
        payload = "\r\n".join(lines).encode("utf-8")
    head = (
        f'Content-Type: {content_type}; charset="utf-8"\r\n'
        "MIME-Version: 1.0\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + payload


@dataclass
class DigestEmail:
    """What ``build_digest`` returns: the parts of one digest, as bytes by ``as_bytes()``."""

    subject: str
    text: str
    html: str
    to: str
    # Written in this order after Subject, From and To (Message-ID, Date, ...).
    headers: dict[str, str]
    from_email: str = field(default_factory=lambda: settings.DEFAULT_FROM_EMAIL)

    def recipients(self) -> list[str]:
        """The envelope's RCPT TO addresses (ASCII, as Django's SMTP backend sends them)."""
        return [_address(self.to)]

    def as_bytes(self) -> bytes:
        """The whole message (RFC 5322, CRLF line ends), as it goes into SMTP DATA."""
        text, html = _part("text/plain", self.text), _part("text/html", self.html)
        boundary = f"==avtaleflyt-{uuid.uuid4().hex}=="
        while boundary.encode("ascii") in text or boundary.encode("ascii") in html:
            boundary = f"==avtaleflyt-{uuid.uuid4().hex}=="
        head = [
            f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
            "MIME-Version: 1.0",
            _header("Subject", self.subject),
            f"From: {_address(self.from_email)}",
            f"To: {_address(self.to)}",
            *(_header(name, value) for name, value in self.headers.items()),
        ]
        delimiter = f"\r\n--{boundary}\r\n".encode("ascii")
        return b"".join(
            [
                "\r\n".join(head).encode("ascii"),
                b"\r\n",
                delimiter,
                text,
                delimiter,
                html,
                f"\r\n--{boundary}--\r\n".encode("ascii"),
            ]
        )

    def as_django(self) -> EmailMultiAlternatives:
        """The same email as Django builds it, for backends other than SMTP."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.text,
            from_email=self.from_email,
            to=[self.to],
            headers=dict(self.headers),
        )
        message.attach_alternative(self.html, "text/html")
        return message
