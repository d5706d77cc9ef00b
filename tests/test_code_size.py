"""The house rules on size, kept by the suite so they cannot creep back (issue 8).

A production module stays under 400 lines, a function under 60, a view under 25: past those a
reader no longer sees one idea at a time. Migrations and the build script of the Word templates
(a generator of test fixtures, not runtime code) are exempt.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agreements", "workflows", "docs_templates", "worker", "project")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_VIEW_LINES = 25


def production_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def is_view(path: Path, node) -> bool:
    """A function in a views module whose first parameter is the request."""
    in_views = path.parent.name == "views" or path.stem.startswith("views")
    args = node.args.args
    return in_views and bool(args) and args[0].arg == "request"


def length(node) -> int:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return node.end_lineno - first + 1


@pytest.mark.parametrize("path", list(production_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_it_keeps_modules_functions_and_views_small(path):
    source = path.read_text()
    lines = source.count("\n")
    assert lines <= MAX_MODULE_LINES, f"{lines} lines"
    too_long = []
    for node in functions(ast.parse(source)):
        limit = MAX_VIEW_LINES if is_view(path, node) else MAX_FUNCTION_LINES
        if length(node) > limit:
            too_long.append(f"{node.name} ({length(node)} lines, limit {limit})")
    assert not too_long, ", ".join(too_long)


def test_it_finds_the_modules_it_checks():
    # An empty parameter list would pass vacuously.
    assert len(list(production_modules())) > 50
