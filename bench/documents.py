"""Document rendering benchmark (not part of the test run): ``python -m bench.documents``.

1. Per agreement kind, render the shipped template with every table at 200 rows, through our
   sandboxed ``render_docx`` and through bare docxtpl (a plain Jinja environment with the same
   filters), in the same run; print the medians and the ratio (goal: at most 1.3x).
2. Documents per second from 2 worker processes rendering in parallel (.docx, and .docx + PDF
   when LibreOffice is installed).
"""

from __future__ import annotations

import io
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

# The kinds registry reads the agreement models, so Django is set up before it is imported.
django.setup()

from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment  # noqa: E402

from agreements.models import Agreement  # noqa: E402
from docs_templates import rendering  # noqa: E402
from docs_templates.kinds import document_kind, example_context  # noqa: E402
from docs_templates.pdf import docx_to_pdf, soffice_path  # noqa: E402

ROWS = 200
REPEAT = 7
TEMPLATES = os.path.join(os.path.dirname(rendering.__file__), "templates")


def big_context(kind: str) -> dict:
    """The example context with every list that fills a table grown to ``ROWS`` items."""
    context = example_context(kind)

    def grow(items):
        return (
            [
                dict(items[i % len(items)]) if isinstance(items[0], dict) else items[i % len(items)]
                for i in range(ROWS)
            ]
            if items
            else items
        )

    for key in (
        "applications",
        "sub_processors",
        "service_levels",
        "appendices",
        "child_agreements",
    ):
        if key in context:
            context[key] = grow(context[key])
    for nested in ("dpa", "service", "other"):
        for key, value in context.get(nested, {}).items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                context[nested][key] = grow(value)
    return context


def bare_docxtpl(template: bytes, context: dict) -> bytes:
    env = Environment(autoescape=True, finalize=rendering._finalize)  # noqa: S701 - baseline
    env.filters.update(
        dato=rendering.format_date,
        prosent=rendering.format_percent,
        tall=rendering.format_number,
        ja_nei=rendering.format_yes_no,
    )
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, jinja_env=env, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def median_seconds(func, *args) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _one(kind_and_pdf):
    kind, pdf = kind_and_pdf
    template = open(os.path.join(TEMPLATES, document_kind(kind).template_file), "rb").read()  # noqa: SIM115
    docx = rendering.render_docx(template, big_context(kind))
    if pdf:
        docx_to_pdf(docx)
    return kind


def throughput(pdf: bool, per_worker: int) -> float:
    jobs = [
        (Agreement.Kind.values[i % len(Agreement.Kind.values)], pdf) for i in range(2 * per_worker)
    ]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_one, jobs[:2]))  # warm up both processes
        start = time.perf_counter()
        list(pool.map(_one, jobs))
        return len(jobs) / (time.perf_counter() - start)


def main() -> int:
    print(
        f"# {platform.node()} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
    )
    print(f"{'kind':16} {'ours ms':>9} {'docxtpl ms':>11} {'ratio':>6}")
    ratios = []
    for kind in Agreement.Kind.values:
        template = open(os.path.join(TEMPLATES, document_kind(kind).template_file), "rb").read()  # noqa: SIM115
        context = big_context(kind)
        ours = median_seconds(rendering.render_docx, template, context)
        bare = median_seconds(bare_docxtpl, template, context)
        ratios.append(ours / bare)
        print(f"{kind:16} {ours * 1000:9.1f} {bare * 1000:11.1f} {ours / bare:6.2f}")
    print(f"worst ratio {max(ratios):.2f} (goal <= 1.30)")
    print(f"2 workers, .docx only: {throughput(False, 10):.1f} documents/s")
    if soffice_path():
        print(f"2 workers, .docx + PDF: {throughput(True, 3):.2f} documents/s")
    else:
        print("LibreOffice not installed: no PDF figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
