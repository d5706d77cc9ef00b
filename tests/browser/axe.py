"""WCAG 2.1 AA checks with axe-core, run inside the page a browser test has open.

`make test` installs axe-core from the npm registry into var/node (see the Makefile's
install-test); the engine is injected with a script tag, so the page's own Content Security
Policy must be bypassed for it (``pages(bypass_csp=True)``).
"""

from pathlib import Path

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "var/node/node_modules/axe-core/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What a test fails on; "minor" and "moderate" findings are printed but not fatal.
BLOCKING = {"serious", "critical"}


def violations(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: `make install-test` installs axe-core with npm")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_21_AA,
    )
    return result["violations"]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[1].strip()}"
            )
    return "\n".join(lines)


def assert_accessible(page, what: str = ""):
    """Fail with the list of serious and critical WCAG 2.1 AA violations on the open page."""
    found = [v for v in violations(page) if v["impact"] in BLOCKING]
    assert not found, f"{what or page.url}: WCAG 2.1 AA violations\n{describe(found)}"
