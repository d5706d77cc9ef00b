"""What the POST fuzzing sends and how it judges the answer.

Values: text with control characters, huge strings, dates over the whole range Python can hold
(year 1 to 9999) and impossible ones, numbers of every size, lists where one value is expected,
files where text is expected, and the ids of other organisations' objects. A form is sent as
valid data with some fields replaced by such values and some left out.

Judging: a snapshot of every table of the product before and after, and what the page says
afterwards (its error list and its messages).
"""

import hashlib
import os
import re
from datetime import date
from html.parser import HTMLParser

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.one_of(
    st.text(max_size=120),
    # Control characters, NUL, right-to-left marks and lone combining marks.
    st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Mn"]), max_size=40),
    st.integers(min_value=1, max_value=5).map(lambda n: "å" * 10**n),
    st.sampled_from(["", " ", "\x00", "null", "None", "[]", "{}", "<script>", "' OR 1=1 --"]),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "-1", "1e309", "9" * 400, "0x10", "١٢", "3,5"]),
)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.strftime("%d.%m.%Y"), f"{d:%d.%m.%y}"])
    ),
    st.sampled_from(
        [
            "0000-01-01",
            "10000-01-01",
            "2026-02-30",
            "2026-13-01",
            "31.12.9999",
            "01.01.0001",
            "1900-12-31",
            "2100-01-01",
            "2101-01-01",
            "-2026-01-01",
        ]
    ),
)


def scalars(ids=()):
    """One form value of any kind; ``ids``: pks worth trying (other organisations' objects)."""
    options = [texts, numbers, dates]
    if ids:
        options.append(st.sampled_from(sorted(ids)).map(str))
    return st.one_of(*options)


def values(ids=()):
    """A form value, a list of them (a field sent several times), or a file."""
    one = scalars(ids)
    return st.one_of(
        one,
        one,
        st.lists(one, min_size=2, max_size=3),
        st.binary(max_size=300).map(lambda b: SimpleUploadedFile("x.bin", b)),
    )


def fresh(value):
    if isinstance(value, SimpleUploadedFile):
        return SimpleUploadedFile(value.name, value.file.getvalue(), value.content_type)
    return value


def form_data(base: dict, fields, ids=()):
    """``base`` (valid data) with some of ``fields`` replaced or added and some left out."""
    names = sorted(set(fields) | set(base))
    replaced = st.fixed_dictionaries({}, optional={name: values(ids) for name in names})
    dropped = st.sets(st.sampled_from(names)) if names else st.just(set())

    def combine(pair):
        changes, gone = pair
        # A file is read when posted: each example sends a fresh copy of the base's.
        data = {k: fresh(v) for k, v in base.items() if k not in gone}
        data.update(changes)
        return data

    return st.tuples(replaced, dropped).map(combine)


# Tables that change on any request (sessions, login throttling) or hold nothing of the product.
UNWATCHED_APPS = {"sessions", "axes", "admin", "contenttypes"}
# Derived rows a read may bring up to date: the stored coverage states are recomputed by the
# page that reads them (``register.stored_coverage``), not changed by what was posted.
UNWATCHED_TABLES = {"agreements_applicationcoverage"}


def snapshot() -> str:
    """A digest of every row of every table of the product."""
    digest = hashlib.sha256()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.app_label in UNWATCHED_APPS or meta.db_table in UNWATCHED_TABLES:
            continue
        if not meta.managed:
            continue
        rows = model._base_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.db_table}:{list(rows)!r}".encode())
    return digest.hexdigest()


class _Feedback(HTMLParser):
    """Text inside elements whose class is ``errorlist`` or a message's ``error``/``success``."""

    WATCHED = {"errorlist": "errors", "error": "errors", "success": "successes"}

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.found = {"errors": [], "successes": []}

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        kind = next((self.WATCHED[c] for c in classes if c in self.WATCHED), None)
        if tag in ("br", "img", "input", "meta", "link", "hr"):
            return
        self.stack.append(kind or (self.stack[-1] if self.stack else None))
        if kind:
            self.found[kind].append("")

    def handle_endtag(self, tag):
        if self.stack and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.pop()

    def handle_data(self, data):
        kind = self.stack[-1] if self.stack else None
        if kind and self.found[kind]:
            self.found[kind][-1] += data


def feedback(response) -> dict[str, list[str]]:
    """The error and success texts a page shows (empty for anything but HTML)."""
    if "text/html" not in response.get("Content-Type", ""):
        return {"errors": [], "successes": []}
    parser = _Feedback()
    parser.feed(response.content.decode(errors="replace"))
    return {k: [" ".join(t.split()) for t in v if t.strip()] for k, v in parser.found.items()}


def heading(response) -> str:
    """The first ``<h1>`` of an HTML answer, as text ("" for anything else)."""
    if "text/html" not in response.get("Content-Type", ""):
        return ""
    found = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(errors="replace"), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


# Words of Django's and the project's English messages that bokmål never uses.
ENGLISH = re.compile(
    r"\b(this field|enter a|select a|ensure this|must|please|invalid|required|is not|are not|"
    r"the|value|characters|submitted|file)\b",
    re.IGNORECASE,
)


def assert_norwegian(message: str, sent: dict):
    """``message`` reads as bokmål once the values that were sent (which it may quote) are
    taken out."""
    text = message
    for value in sent.values():
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, str) and one.strip():
                text = text.replace(" ".join(one.split()), "")
    assert not ENGLISH.search(text), f"English error message: {message!r}"
    assert re.search(r"[A-Za-zæøåÆØÅ]{3}", text), f"no words in the error message {message!r}"
