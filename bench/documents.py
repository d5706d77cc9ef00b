"""Document rendering benchmark (not part of the test run): ``python -m bench.documents``.

1. Per agreement kind, render the shipped template with every table at 200 rows, through our
   sandboxed ``render_docx`` and through bare docxtpl (a plain Jinja environment with the same
   filters), in the same run; print the medians and the ratio (goal: at most 1.3x).
2. Documents per second from 2 worker processes rendering in parallel: .docx only, and, when
   LibreOffice is installed, .docx + PDF/A through the one-shot path (LibreOffice started per
   document) and through 2 warm servers (``docs_templates.pdf_server``, as ``make run`` starts
   them), each the median of 3 runs, for a typical agreement (the example context) and for one
   with every table at 200 rows; and the warm/one-shot ratio.
"""

from __future__ import annotations

import io
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

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
from docs_templates.pdf import docx_to_pdf, server_answers, soffice_path  # noqa: E402

from .setup import sized  # noqa: E402

ROWS = sized(200, 5)
KINDS = Agreement.Kind.values
REPEAT = sized(7, 1)
RUNS = sized(3, 1)
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


def _one(job):
    kind, pdf, big = job
    template = open(os.path.join(TEMPLATES, document_kind(kind).template_file), "rb").read()  # noqa: SIM115
    docx = rendering.render_docx(template, big_context(kind) if big else example_context(kind))
    if pdf:
        docx_to_pdf(docx)
    return kind


def throughput(pdf: bool, per_worker: int, big: bool = True) -> float:
    """Median documents/s of ``RUNS`` runs; workers read UNOSERVER_URL when they convert."""
    jobs = [(KINDS[i % len(KINDS)], pdf, big) for i in range(2 * per_worker)]
    rates = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_one, jobs[:2]))  # warm up both processes
        for _ in range(RUNS):
            start = time.perf_counter()
            list(pool.map(_one, jobs))
            rates.append(len(jobs) / (time.perf_counter() - start))
    return statistics.median(rates)


def free_port_pair() -> int:
    """A free port whose successor is free too (a warm server's XML-RPC and UNO ports)."""
    while True:
        with socket.socket() as first, socket.socket() as second:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            try:
                second.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port


@contextmanager
def warm_servers(count: int):
    """Run ``docs_templates.pdf_server`` with ``count`` servers; yield their UNOSERVER_URL."""
    addresses = []
    while len(addresses) < count:
        address = f"http://127.0.0.1:{free_port_pair()}"
        if address not in addresses:
            addresses.append(address)
    url = ",".join(addresses)
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "docs_templates.pdf_server"],
        env={**os.environ, "UNOSERVER_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while not all(server_answers(a, timeout=2) for a in addresses):
            if time.monotonic() > deadline:
                raise RuntimeError("the warm PDF servers did not start")
            time.sleep(0.5)
        yield url
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(60)


def pdf_figures() -> None:
    sizes = sized({"typical": False, "200 rows": True}, {"typical": False})
    os.environ["UNOSERVER_URL"] = ""  # one-shot: LibreOffice started for each document
    cold = {size: throughput(True, sized(3, 1), big) for size, big in sizes.items()}
    with warm_servers(2) as url:
        os.environ["UNOSERVER_URL"] = url
        warm = {size: throughput(True, sized(6, 1), big) for size, big in sizes.items()}
    print(f"2 workers, .docx + PDF/A (median of {RUNS} runs), documents/s:")
    print(f"{'document':10} {'one-shot':>9} {'warm':>6} {'ratio':>6}")
    for size in sizes:
        ratio = warm[size] / cold[size]
        print(f"{size:10} {cold[size]:9.2f} {warm[size]:6.2f} {ratio:6.2f}")
    print("goal: warm >= 5 documents/s")


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
    print(f"2 workers, .docx only: {throughput(False, sized(10, 1)):.1f} documents/s")
    if soffice_path():
        pdf_figures()
    else:
        print("LibreOffice not installed: no PDF figure")
    return 0


if __name__ == "__main__":
    sys.exit(main())
