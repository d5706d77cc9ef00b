"""Run untrusted work (filling in a template) in a forked child under CPU, wall-clock and memory
limits, so a hostile template cannot hang a web thread or a worker, or exhaust the machine.

The sandbox caps what single operations may build (``docs_templates.sandbox``), but loops
(nested loops over a long text) and chains of small steps can only be bounded by time and
memory. A child process is the one place those limits are hard: ``RLIMIT_CPU`` stops it after
its CPU seconds, ``RLIMIT_AS`` makes allocations beyond its budget fail with ``MemoryError``,
and the parent kills it if it is still running well after the CPU limit (a loaded machine).

The child shares the parent's memory copy-on-write, so arguments need no pickling; it never
touches the database (the work is bytes in, bytes out) and leaves with ``os._exit`` so no
inherited cleanup (atexit handlers, open connections, test runners) runs twice.
"""

from __future__ import annotations

import json
import math
import os
import resource
import select
import signal
import time
from collections.abc import Callable

_OK, _REFUSED, _OUT_OF_MEMORY = b"\x00", b"\x01", b"\x02"


class LimitExceeded(Exception):  # noqa: N818 - reads as the situation it reports
    """The child ran out of time (``reason == "time"``) or memory (``"memory"``)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class ChildRefused(Exception):  # noqa: N818
    """The work raised an exception in the child; ``errors`` holds its messages."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def run_confined(work: Callable[..., bytes], *args, seconds: float, memory_mb: int) -> bytes:
    """Return ``work(*args)`` computed in a child process limited to ``seconds`` of CPU time and
    ``memory_mb`` MB more memory than this process uses now.

    Raises ``LimitExceeded`` when a limit is hit, and ``ChildRefused`` with the exception's
    ``errors`` (or its text) when ``work`` raises.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read_fd)
        _run_child(write_fd, work, args, seconds, memory_mb)
    os.close(write_fd)
    finished = False
    try:
        payload, finished = _read_until(read_fd, time.monotonic() + 2 * seconds + 2)
    finally:
        # Also when this process is interrupted (a Celery soft time limit): leave no child behind.
        os.close(read_fd)
        if not finished:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if not finished or os.WIFSIGNALED(status) or not payload:
        raise LimitExceeded("time")
    kind, body = payload[:1], payload[1:]
    if kind == _OK:
        return body
    if kind == _OUT_OF_MEMORY:
        raise LimitExceeded("memory")
    raise ChildRefused(json.loads(body))


def _run_child(fd: int, work, args, seconds: float, memory_mb: int):  # pragma: no cover
    try:
        try:
            _limit_resources(seconds, memory_mb)
            message = _OK + work(*args)
        except MemoryError:
            message = _OUT_OF_MEMORY
        except Exception as exc:
            errors = getattr(exc, "errors", None) or [f"{type(exc).__name__}: {exc}"]
            message = _REFUSED + json.dumps([str(e) for e in errors]).encode()
        view = memoryview(message)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os._exit(0)


def _limit_resources(seconds: float, memory_mb: int) -> None:
    cpu = max(1, math.ceil(seconds))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    in_use = _address_space_bytes()
    if in_use is not None:
        limit = in_use + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space_bytes() -> int | None:
    """The process's current virtual size (Linux), which ``RLIMIT_AS`` is measured against."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Everything written to ``fd`` until the writer closes it; ``False`` if ``deadline`` came
    first."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
