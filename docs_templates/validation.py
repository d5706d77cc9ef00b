"""Validate an uploaded Word template before it may be used to generate agreements.

``validate_template`` runs, in order, and stops after the first stage that finds problems:

1. the package: a real .docx within the size and zip-bomb limits, without macros
   (``docs_templates.package``);
2. the Jinja syntax of every part (body, headers, footers, footnotes, properties), with only
   the tags, expressions and filters the sandbox allows (``docs_templates.sandbox``: no
   ``autoescape`` or other eval-context modifier, no macros or call blocks, no recursive loops);
3. static checks: no ``include``/``import``/``extends``, no private attributes (``_x``,
   ``__class__``) or ``self``, every top-level variable in the kind's context schema, and
   every attribute reached from a schema variable (``customer.name``, ``sp.country`` inside a
   loop over ``sub_processors``) known to the schema;
4. a trial rendering with ``example_context(kind)`` in the sandbox, in a child process under
   time and memory limits (``rendering.render_docx``).
"""

from __future__ import annotations

from typing import Any

from jinja2 import meta, nodes
from jinja2.exceptions import TemplateSyntaxError

from docs_templates.kinds import CONTEXT_NAMES, FIELDS, example_context
from docs_templates.package import package_errors
from docs_templates.rendering import (
    INCLUDE_MESSAGE,
    TemplateRejected,
    describe_template_error,
    make_environment,
    render_docx,
    template_sources,
)
from docs_templates.schema import Maybe

__all__ = ["TemplateRejected", "check_template", "validate_template"]


def validate_template(
    template_bytes: bytes, kind: str, *, filename: str | None = None
) -> list[str]:
    """Return Norwegian messages for everything wrong with a template (empty list: usable).

    ``kind`` is an ``Agreement.Kind`` value (``docs_templates.kinds``); ``filename``,
    when given, must end in .docx (a .docm is refused by name too).
    """
    if kind not in CONTEXT_NAMES:
        return [f"Ukjent avtaletype «{kind}»."]
    errors = package_errors(template_bytes, filename)
    if errors:
        return errors
    try:
        sources = template_sources(template_bytes)
    except Exception as exc:
        # python-docx raises KeyError, ValueError, lxml errors... for a broken package.
        return [f"Filen kunne ikke åpnes som Word-dokument ({type(exc).__name__}: {exc})."]

    env = make_environment()
    errors = []
    parsed: list[nodes.Template] = []
    for source in sources:
        try:
            parsed.append(env.parse(source.text))
            env.compile(source.text)  # also catches unknown filters and tests
        except TemplateSyntaxError as exc:
            errors.append(describe_template_error(exc, source))
    if errors:
        return _unique(errors)

    for tree in parsed:
        errors.extend(_static_errors(tree, kind))
    if errors:
        return _unique(errors)

    try:
        render_docx(template_bytes, example_context(kind))
    except TemplateRejected as exc:
        return _unique(exc.errors)
    return []


def check_template(template_bytes: bytes, kind: str, *, filename: str | None = None) -> None:
    """Raise ``TemplateRejected`` with the messages of ``validate_template``, if any."""
    errors = validate_template(template_bytes, kind, filename=filename)
    if errors:
        raise TemplateRejected(errors)


def _unique(messages: list[str]) -> list[str]:
    return list(dict.fromkeys(messages))


_IMPORT_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


def _static_errors(tree: nodes.Template, kind: str) -> list[str]:
    errors: list[str] = []
    if any(True for _ in tree.find_all(_IMPORT_NODES)):
        errors.append(INCLUDE_MESSAGE)
    for name in sorted(_private_names(tree)):
        errors.append(f"Malen prøver å bruke en intern egenskap («{name}») og er avvist.")
    for name in sorted(meta.find_undeclared_variables(tree) - CONTEXT_NAMES[kind]):
        errors.append(f"Ukjent variabel «{name}» i malen.")
    unknown: set[str] = set()
    _walk_fields(tree, _root_scope(kind), unknown)
    for path in sorted(unknown):
        errors.append(f"Ukjent felt «{path}» i malen.")
    return errors


def _private_names(tree: nodes.Template) -> set[str]:
    found = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            found.add(node.attr)
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
                found.add(node.arg.value)
        elif isinstance(node, nodes.Name) and node.name == "self":
            found.add("self")
    return found


# A scope maps a template name to (its schema spec, its dotted path for messages).
Scope = dict[str, tuple[Any, str]]


def _root_scope(kind: str) -> Scope:
    return {name: (spec, name) for name, spec in FIELDS[kind].items()}


def _resolve(expr: nodes.Node, scope: Scope) -> tuple[Any, str] | None:
    """Return the schema spec and path of ``expr`` when it is a known field, else ``None``."""
    if isinstance(expr, nodes.Name):
        return scope.get(expr.name)
    if isinstance(expr, nodes.Getattr):
        key = expr.attr
    elif isinstance(expr, nodes.Getitem) and isinstance(expr.arg, nodes.Const):
        key = expr.arg.value
    else:
        return None
    base = _resolve(expr.node, scope)
    if base is None:
        return None
    spec, path = base
    while isinstance(spec, Maybe):
        spec = spec.spec
    if isinstance(spec, dict) and isinstance(key, str) and key in spec:
        return spec[key], f"{path}.{key}"
    if isinstance(spec, list) and isinstance(key, int):
        return spec[0], f"{path}[{key}]"
    return None


# Read-only dict methods a template may call on a schema object (private names are reported
# by _private_names already).
_DICT_METHODS = frozenset({"items", "keys", "values", "get"})


def _walk_fields(node: nodes.Node, scope: Scope, unknown: set[str]) -> None:
    """Record in ``unknown`` every ``x.attr`` where ``x`` is a schema dict without ``attr``."""
    if isinstance(node, nodes.For):
        _walk_fields(node.iter, scope, unknown)
        inner = {k: v for k, v in scope.items() if not _binds(node.target, k)}
        item = _resolve(node.iter, scope)
        if item is not None and isinstance(node.target, nodes.Name):
            spec, path = item
            while isinstance(spec, Maybe):
                spec = spec.spec
            if isinstance(spec, list):
                inner[node.target.name] = (spec[0], node.target.name)
        for child in [*node.body, *([node.test] if node.test else [])]:
            _walk_fields(child, inner, unknown)
        for child in node.else_:
            _walk_fields(child, scope, unknown)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        # A {% set %} shadows a schema name for the rest of the template; stop checking it.
        for name in node.target.find_all(nodes.Name) if hasattr(node, "target") else []:
            scope.pop(name.name, None)
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        base = _resolve(node.node, scope)
        key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
        if base is not None and isinstance(key, str):
            spec, path = base
            while isinstance(spec, Maybe):
                spec = spec.spec
            if isinstance(spec, dict) and not (
                key in spec or key in _DICT_METHODS or key.startswith("_")
            ):
                unknown.add(f"{path}.{key}")
    for child in node.iter_child_nodes():
        _walk_fields(child, scope, unknown)


def _binds(target: nodes.Node, name: str) -> bool:
    return any(n.name == name for n in target.find_all(nodes.Name)) or (
        isinstance(target, nodes.Name) and target.name == name
    )
