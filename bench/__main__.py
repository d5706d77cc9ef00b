"""``python -m bench`` (``make bench``): every benchmark, one after the other.

Each runs in a process of its own, on a database of its own made afresh (``<db>_bench``), so no
benchmark measures what another left behind. Exits non-zero if any of them failed or missed a
goal it judges itself (bench.pages, bench.load). ``BENCH_SMOKE=1`` runs them all at toy sizes.
"""

import subprocess
import sys
import time

BENCHMARKS = [
    "sweep",
    "emails",
    "delivery_window",
    "documents",
    "transitions",
    "pages",
    "register",
    "followup",
    "load",
]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n== bench.{name}", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"])  # noqa: S603
        print(
            f"== bench.{name}: exit {code} after {time.perf_counter() - started:.0f} s", flush=True
        )
        if code:
            failed.append(name)
    print(f"\nbenchmarks that failed or missed their goal: {', '.join(failed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
