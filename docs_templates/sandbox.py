"""The Jinja sandbox templates run in, and the allow-list of what a template may use.

A template is an untrusted program: besides reaching private attributes (which Jinja's immutable
sandbox already refuses) it could build huge strings to exhaust memory. ``AgreementSandbox``
refuses every operator and method call that would make a string or list longer than
``MAX_TEXT_LENGTH``: ``*`` and ``+`` on strings and lists, ``%`` formatting with a big width or
precision, ``center``/``ljust``/``rjust``/``zfill``/``expandtabs`` with big widths, ``replace``
and ``join`` that would grow past the limit; ``str.format`` is refused outright, and ``**``
when the template is parsed.
Loops cannot be bounded here without rewriting Jinja's compiler, so ``rendering.render_docx``
also runs every rendering under a time and memory limit (``docs_templates.confinement``).

``ALLOWED_TAGS``, ``ALLOWED_FILTERS`` and ``ALLOWED_TESTS`` are what ``validation`` accepts at
upload; the environment built by ``rendering.make_environment`` knows no other filters or tests.
"""

from __future__ import annotations

import re
from types import CodeType
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.filters import sync_do_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import pass_eval_context

# Longest string or list an expression in a template may produce (about 40 pages of text). A rule
# line of 80 dashes or a joined list of applications is far below it.
MAX_TEXT_LENGTH = 100_000
# Widest field a "%" conversion may ask for ("%5d" is fine, "%050000000d" is not).
MAX_FORMAT_WIDTH = 100

# Statements and expressions a template may contain: output, if, for and set, with ordinary
# expressions. Everything else (autoescape and other eval-context modifiers, macro, call, filter
# blocks, with, block) is refused when the template is parsed, at upload and at every rendering.
# include/import/extends parse, find nothing to load, and get their own message at upload.
ALLOWED_TAGS = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.For,
    nodes.Assign,
    nodes.AssignBlock,
    nodes.Scope,  # only a container: what it holds is checked node by node
    nodes.Name,
    nodes.NSRef,
    nodes.Const,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Slice,
    nodes.Filter,
    nodes.Test,
    nodes.Call,
    nodes.Keyword,
    nodes.Compare,
    nodes.Operand,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Concat,
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
    nodes.List,
    nodes.Tuple,
    nodes.Dict,
    nodes.Pair,
)

# The Norwegian formatting filters plus the few standard ones the shipped templates use.
ALLOWED_FILTERS = frozenset(
    {"dato", "prosent", "tall", "ja_nei", "upper", "lower", "join", "default", "length"}
)
ALLOWED_TESTS = frozenset({"defined", "undefined", "none", "number", "string", "in"})

# Names Jinja gives the tags behind refused nodes, for messages the template author recognises.
TAG_NAMES = {
    "ScopedEvalContextModifier": "autoescape",
    "EvalContextModifier": "autoescape",
    "Macro": "macro",
    "CallBlock": "call",
    "FilterBlock": "filter",
    "With": "with",
    "Block": "block",
}
_IMPORTS = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)

AUTOESCAPE_MESSAGE = (
    "Malen prøver å slå av eller endre escaping av verdier («{% autoescape %}»). Det er ikke "
    "tillatt: da kan en verdi, for eksempel en avtaletittel, legge inn Word-kode i dokumentet."
)

_WIDTH_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")

TOO_LONG = "malen prøver å lage en for lang tekst eller liste"


def allowed_filters_text() -> str:
    return "filtre som kan brukes i maler: " + ", ".join(sorted(ALLOWED_FILTERS))


class TagNotAllowed(TemplateSyntaxError):  # noqa: N818 - a syntax error to Jinja's callers
    """The template uses a tag or expression outside ``ALLOWED_TAGS``; ``message`` is Norwegian."""


def disallowed_reason(node: nodes.Node) -> str | None:
    """A Norwegian sentence saying why ``node`` may not be used in a template, or ``None``."""
    if isinstance(node, nodes.For) and node.recursive:
        return "Rekursive løkker («for … recursive») er ikke tillatt i maler."
    # Jinja looks up filters and tests inside {% if %} only when they run; refuse them here.
    if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
        return f"ukjent filter «{node.name}» ({allowed_filters_text()})."
    if isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
        allowed = ", ".join(sorted(ALLOWED_TESTS))
        return f"ukjent test «{node.name}» (tester som kan brukes i maler: {allowed})."
    if isinstance(node, ALLOWED_TAGS + _IMPORTS):
        return None
    kind = type(node).__name__
    if isinstance(node, nodes.Pow):
        return "Malen bruker potensregning («**»), som ikke er tillatt i maler."
    if isinstance(node, nodes.EvalContextModifier):
        return AUTOESCAPE_MESSAGE
    if kind in TAG_NAMES:
        return f"«{TAG_NAMES[kind]}» er ikke tillatt i maler; bare if, for og set kan brukes."
    return f"Malen bruker et uttrykk som ikke er tillatt i maler ({kind})."


class AgreementSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with caps on everything that can make output grow, which parses
    only templates made of ``ALLOWED_TAGS``."""

    intercepted_binops = frozenset({"*", "+", "%"})

    def __init__(self, *args, precompiled: dict[str, CodeType] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Code this environment's settings compiled from exactly these sources, made before
        # the rendering child was forked (``rendering.compiled_parts``).
        self.precompiled = precompiled or {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's
        code = self.precompiled.get(source) if isinstance(source, str) else None
        if code is None:
            return super().from_string(source, globals, template_class)
        cls = template_class or self.template_class
        return cls.from_code(self, code, self.make_globals(globals), None)

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(nodes.Node):
            reason = disallowed_reason(node)
            if reason:
                raise TagNotAllowed(reason, node.lineno or 1, name, filename)
        return tree

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "+":
            _check_concat(left, right)
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            name = getattr(__obj, "__name__", "")
            if name == "join" and args:
                args = (list(args[0]), *args[1:])  # measured below, then consumed by join
            _check_string_method(owner, name, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        # str.format can pad to any width ("{:>50000000}"); the filters dato/tall/prosent
        # cover what a template needs, so format is refused wherever it is reached from.
        if super().wrap_str_format(value) is None:
            return None

        def refused(*args, **kwargs):
            raise SecurityError(
                "«format» er ikke tillatt i maler; bruk filtrene dato, tall og prosent"
            )

        return refused


def _sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        if _sized(sequence) and isinstance(count, int) and len(sequence) * count > MAX_TEXT_LENGTH:
            raise SecurityError(TOO_LONG)


def _check_concat(left: Any, right: Any) -> None:
    if _sized(left) and _sized(right) and len(left) + len(right) > MAX_TEXT_LENGTH:
        raise SecurityError(TOO_LONG)


def _check_percent_format(text: str) -> None:
    for match in _PERCENT_SPEC.finditer(text):
        for number in match.groups():
            if number == "*" or (number and int(number) > MAX_FORMAT_WIDTH):
                raise SecurityError(
                    f"«%»-formatering med bredde eller presisjon over {MAX_FORMAT_WIDTH} "
                    "er ikke tillatt i maler"
                )


def _check_string_method(text: str, name: str, args: tuple, kwargs: dict) -> None:
    if name in _WIDTH_METHODS:
        widths = [v for v in (*args, *kwargs.values()) if isinstance(v, int)]
        if any(width > MAX_TEXT_LENGTH for width in widths):
            raise SecurityError(TOO_LONG)
        if name == "expandtabs" and text.count("\t") * max(widths, default=8) > MAX_TEXT_LENGTH:
            raise SecurityError(TOO_LONG)
    elif name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        hits = text.count(old) if old else len(text) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            hits = min(hits, args[2])
        if len(text) + hits * max(len(new) - len(old), 0) > MAX_TEXT_LENGTH:
            raise SecurityError(TOO_LONG)
    elif name == "join" and args:
        _check_join(text, args[0])


def _check_join(separator: str, items: list) -> None:
    size = len(separator) * max(len(items) - 1, 0)
    size += sum(len(item) for item in items if isinstance(item, str))
    if size > MAX_TEXT_LENGTH:
        raise SecurityError(TOO_LONG)


@pass_eval_context
def capped_join(eval_ctx, value, d="", attribute=None):
    """Jinja's ``join`` filter, refusing a result longer than ``MAX_TEXT_LENGTH``."""
    items = list(value)
    if len(str(d)) * max(len(items) - 1, 0) > MAX_TEXT_LENGTH:
        raise SecurityError(TOO_LONG)
    joined = sync_do_join(eval_ctx, items, d, attribute)
    if len(joined) > MAX_TEXT_LENGTH:
        raise SecurityError(TOO_LONG)
    return joined
