"""The digest written straight to bytes reads back as the email Django would have built."""

import email
import email.policy

import pytest

from agreements.reminders.mime import DigestEmail

HEADERS = {
    "Message-ID": "<reminder-1@helsenord-ikt.example>",
    "Date": "Tue, 08 Sep 2022 08:00:00 +0200",
    "Auto-Submitted": "auto-generated",
    "List-Unsubscribe": "<https://avtaler.example/accounts/reminders/>",
    "X-Avtaleflyt-Reminders": "11,12",
}


def _digest(**changes) -> DigestEmail:
    fields = {
        "subject": "Påminnelse: 2 frister – 1 på overtid",
        "text": "Hei Alice,\n\n* Utkast – UNN-2022-001\n.en linje med punktum først\n",
        "html": '<html lang="nb"><body><p>Hei Alice,</p>\n<p>Frist: 15.09.2022</p></body></html>\n',
        "to": "alice@example.org",
        "headers": dict(HEADERS),
        "from_email": "avtaler@helsenord-ikt.example",
    }
    return DigestEmail(**(fields | changes))


def _read(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def _as_read(digest: DigestEmail):
    """(headers, plain text, HTML) as a mail client reads them."""
    message = _read(digest.as_bytes())
    names = ["Subject", "From", "To", *HEADERS]
    return (
        {name: str(message[name]) for name in names},
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def _as_read_from_django(digest: DigestEmail):
    message = _read(digest.as_django().message().as_bytes(linesep="\r\n"))
    names = ["Subject", "From", "To", *HEADERS]
    return (
        {name: str(message[name]) for name in names},
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {},
        # English, ASCII only: 7bit parts, a plain subject.
        {"subject": "Reminder: 1 deadline", "text": "Hello,\n", "html": "<p>Hello</p>\n"},
        # A long subject is folded into several encoded words.
        {"subject": "Påminnelse: " + " ".join(["æøå"] * 40)},
        # A line over SMTP's 998 octets: that part goes quoted-printable.
        {"html": "<p>" + "lang tittel å " * 120 + "</p>\n"},
        # A digest of very many rows: the trace header is folded after its commas.
        {"headers": HEADERS | {"X-Avtaleflyt-Reminders": ",".join(map(str, range(1, 400)))}},
        # An internationalised domain.
        {"to": "ålice@sykehus.nø"},
    ],
    ids=["norwegian", "english", "long-subject", "long-line", "many-rows", "idn"],
)
def test_the_message_reads_back_as_djangos_does(changes):
    digest = _digest(**changes)
    ours, django = _as_read(digest), _as_read_from_django(digest)
    # Folding may leave a space after a comma; the trace header is read by splitting on commas.
    trace = "X-Avtaleflyt-Reminders"
    assert ours[0][trace].replace(" ", "") == django[0][trace].replace(" ", "")
    ours[0].pop(trace), django[0].pop(trace)
    # Django folds a long subject before its first word, which leaves a leading space.
    django[0]["Subject"] = django[0]["Subject"].lstrip()
    assert ours == django


def test_every_line_on_the_wire_is_ascii_headers_and_short_lines():
    raw = _digest(subject="Påminnelse: " + " ".join(["æøå"] * 40), to="ålice@sykehus.nø").as_bytes()
    head, _, body = raw.partition(b"\r\n\r\n")
    head.decode("ascii")
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_the_body_keeps_every_character_and_the_trace_header_every_row():
    digest = _digest(headers=HEADERS | {"X-Avtaleflyt-Reminders": ",".join(map(str, range(500)))})
    message = _read(digest.as_bytes())
    for kind, sent in (("plain", digest.text), ("html", digest.html)):
        assert message.get_body((kind,)).get_content().replace("\r\n", "\n") == sent
    rows = [int(part) for part in message["X-Avtaleflyt-Reminders"].split(",")]
    assert rows == list(range(500))


def test_a_header_with_a_line_break_is_refused():
    with pytest.raises(ValueError):
        _digest(
            headers=HEADERS | {"List-Unsubscribe": "<x>\r\nBcc: someone@example.org"}
        ).as_bytes()
    with pytest.raises(ValueError):
        _digest(to="alice@example.org\r\nBcc: someone@example.org").as_bytes()
