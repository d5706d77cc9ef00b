"""A PostgreSQL cluster of the test's own, in a temporary folder on a free port.

A test may stop and restart it without disturbing the machine's shared cluster. The server
binaries refuse to run as root, so as root they run as the ``postgres`` system user, in a folder
that user owns.
"""

import glob
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.db import connection
from psycopg import sql

from tests.live import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


def server_bindir() -> Path:
    """Where initdb and pg_ctl are; AssertionError with one line if they are nowhere."""
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise AssertionError(
        "initdb and pg_ctl not found (pg_config --bindir, /usr/lib/postgresql/*/bin): "
        "install the PostgreSQL server package"
    )


class PrivatePostgres:
    def __init__(self, superuser: str):
        self.bindir = server_bindir()
        self.superuser = superuser
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="private-postgres-"))
        self.data = self.folder / "data"
        if self.as_root:
            shutil.chown(self.folder, user="postgres", group="postgres")

    def url(self, user: str, database: str) -> str:
        return f"postgres://{user}@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args):
        command = [str(self.bindir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{tool} failed: {result.stderr.strip()[-500:]}"

    def _pg_ctl(self, action: str):
        arguments = [action, "-D", str(self.data), "-w"]
        if action != "start":
            arguments += ["-m", "fast"]
        if action != "stop":
            options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
            arguments += ["-l", str(self.folder / "log"), "-o", options]
        self._run("pg_ctl", *arguments)

    def start(self):
        self._run(
            "initdb", "-D", str(self.data), "-U", self.superuser, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self._pg_ctl("start")

    def create_database(self, name: str, owner: str, app: str):
        """A database ``owner`` owns; the two roles are made as ``make test`` makes them."""
        if owner != self.superuser:
            script = ROOT / "scripts" / "ensure-db-roles.sh"
            result = subprocess.run(
                ["bash", str(script), self.url(self.superuser, name), owner, app],
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, f"ensure-db-roles.sh failed: {result.stderr.strip()}"
        with psycopg.connect(self.url(self.superuser, "postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(name), sql.Identifier(owner)
                )
            )

    def restart(self):
        self._pg_ctl("restart")

    def stop(self):
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def connected_to(private: PrivatePostgres, user: str, database: str):
    """Django's connection (and so every live process started meanwhile) uses ``database``."""
    settings = connection.settings_dict
    saved = {key: settings[key] for key in ("HOST", "PORT", "NAME", "USER", "PASSWORD")}
    connection.close()
    settings.update(HOST="127.0.0.1", PORT=private.port, NAME=database, USER=user, PASSWORD="")
    try:
        yield
    finally:
        connection.close()
        settings.update(saved)
