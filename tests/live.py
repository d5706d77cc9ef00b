"""Real background processes for tests: a Celery worker (and beat) on the test database and Redis."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def process_env(**extra) -> dict:
    """The environment for a child process: the same settings, pointed at the test database."""
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    if not env.get("CELERY_BROKER_URL", "").startswith("redis://"):
        raise RuntimeError("CELERY_BROKER_URL must point at Redis for live worker tests")
    # Files the child stores must land where this process (and its live server) reads them.
    env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def embedded_env(var_dir: Path, **extra) -> dict:
    """The environment of the embedded default: a SQLite file and the filesystem broker, both
    under ``var_dir`` (``process_env`` is for the PostgreSQL and Redis test set-up)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CELERY_", "EMAIL_", "REDIS_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        CELERY_BROKER_URL="filesystem://localhost/",
        VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (a prefork worker's pool), read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The name in parentheses may hold spaces; the parent pid is the 2nd field after it.
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            children.append(int(entry.name))
    return children


def pid_with_local_port(pids, port: int) -> int | None:
    """Which of ``pids`` holds the TCP socket bound locally to ``port`` (the client end of a
    connection the test's server sees coming from that port)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rpartition(":")[2], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        try:
            links = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue
        if links & inodes:
            return pid
    return None


def wait_for(predicate, timeout=60.0, what="condition", interval=0.2):
    """Poll until ``predicate()`` is truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def celery_process(kind: str, log_path: Path, *args, env: dict | None = None, **env_extra):
    """Run ``celery -A project <kind>`` until the block ends; its log goes to ``log_path``.
    ``env``: the whole environment (e.g. ``embedded_env``) instead of ``process_env``'s."""
    command = [sys.executable, "-m", "celery", "-A", "project", kind, "--loglevel=INFO", *args]
    env = {**env, **{k: str(v) for k, v in env_extra.items()}} if env else process_env(**env_extra)
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A Redis server of the test's own, on a free port, that the test may stop and start."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        import shutil

        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed; fault tests need it")
        self.proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.is_up, timeout=20, what=f"redis on port {self.port}")

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None

    def is_up(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def web_process(log_path: Path, port: int, **env_extra):
    """The web app under gunicorn (as in production) on ``port``, against the test database."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "project.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "60",
    ]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=process_env(**env_extra), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def answers(base: str) -> bool:
    """True once the web process at ``base`` serves its login page."""
    import requests

    try:
        return requests.get(f"{base}/accounts/login/", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def http_login(base: str, username: str, password: str):
    """A ``requests`` session signed in through the login form of the web process at ``base``."""
    import requests

    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"login as {username} failed: {response.status_code}"
    return session


def csrf_post(session, url: str, data=None, **kwargs):
    """POST like a browser form: with the CSRF token and a same-origin Referer."""
    return session.post(
        url,
        data={**(data or {}), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": url},
        timeout=30,
        allow_redirects=False,
        **kwargs,
    )
