"""Every benchmark still runs: ``python -m bench`` at toy sizes (``BENCH_SMOKE=1``).

The figures are not judged here (speed belongs in bench/ and docs/performance.md); what is
checked is that each benchmark seeds its database through today's use cases, measures, and
prints its summary, so ``make bench`` does not rot between the times someone runs it.
The benchmarks make their own databases (``<name>_bench``), so they run as the database owner.
"""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

from bench.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[1]
# What each benchmark prints last, when it got to the end.
SUMMARIES = {
    "sweep": r"ratio large/small: [\d.]+",
    "emails": r"emails: [\d,]+ digests by 2 workers",
    "delivery_window": r"median [\d.]+ ms",
    "documents": r"goal: warm >= 5 documents/s",
    "transitions": r"2 processes: median",
    "pages": r"worst ratio [\d.]+ \(goal <= 1.5\)",
    "register": r"export.xlsx .* ratio",
    "followup": r"tertial report figures: median",
    "load": r"failures 0 \(goal 0\)",
}


def _owner_database_url() -> str:
    env = environ.Env()
    url = env.str("DATABASE_OWNER_URL", default="") or env.str("DATABASE_URL")
    return urlunsplit(urlsplit(url)._replace(path="/test_bench_smoke"))


def test_every_benchmark_runs_at_toy_size():
    assert set(SUMMARIES) == set(BENCHMARKS)
    run = subprocess.run(
        [sys.executable, "-m", "bench"],
        cwd=ROOT,
        env={**os.environ, "BENCH_SMOKE": "1", "DATABASE_URL": _owner_database_url()},
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = run.stdout + run.stderr
    for name, summary in SUMMARIES.items():
        assert f"== bench.{name}: exit 0" in output, f"bench.{name} failed:\n{output[-4000:]}"
        assert re.search(summary, output), f"bench.{name} printed no summary"
    assert run.returncode == 0
    assert "benchmarks that failed or missed their goal: none" in output
