"""Dependencies point one way (DESIGN.md): ``workflows -> agreements``, ``docs_templates ->
agreements``, ``worker -> (workflows, agreements, docs_templates)``, and no app imports
``project`` (the composition root). Every module of every app is read with ``ast``, imports
inside functions and relative imports included.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# For each app, the first-party packages it must not import.
FORBIDDEN = {
    "agreements": {"project", "workflows", "worker", "docs_templates"},
    "docs_templates": {"project", "workflows", "worker"},
    "workflows": {"project", "worker", "docs_templates"},
    "worker": {"project"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every module ``source`` (the text of ``module``) imports, as absolute names with lines."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.append((node.lineno, target))
            # ``from . import workflows`` names a module in ``names``, not in ``module``.
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def violations(app: str) -> list[str]:
    problems = []
    for path in sorted((ROOT / app).rglob("*.py")):
        module = module_name(path)
        for line, target in imported_modules(path.read_text(), module, path.name == "__init__.py"):
            top = target.split(".")[0]
            if top in FORBIDDEN[app]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return problems


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_it_keeps_the_dependencies_pointing_one_way(app):
    assert list((ROOT / app).rglob("*.py")), f"no modules found under {app}/"
    assert violations(app) == []


def test_it_sees_imports_inside_functions_and_relative_ones():
    source = (
        "import project.celery\n"
        "from .. import views\n"
        "def later():\n"
        "    from ..models import Agreement\n"
        "    from project import settings\n"
    )
    found = {target for _, target in imported_modules(source, "agreements.views.pages", False)}
    assert {"project.celery", "agreements.views", "agreements.models", "project"} <= found
