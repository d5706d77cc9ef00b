"""A database of its own for the benchmarks: ``<DATABASE_URL's name>_bench``, migrated afresh."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench: set DATABASE_URL=postgres://... (the benchmarks need PostgreSQL)")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


def copy_of_bench_database(suffix: str) -> str:
    """A copy of the bench database named ``<its name>_<suffix>`` (made afresh), for a second
    Django connection; returns the copy's name. Django's connections must be closed (a database
    is copied only while nobody is connected to it)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    source = parts.path.lstrip("/")
    name = f"{source}_{suffix}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    return name


_ready = False

# ``BENCH_SMOKE=1``: every benchmark at a toy size, seconds long, its goals not judged. The test
# suite runs them so (tests/test_bench_smoke.py) to keep them working; figures need full size.
SMOKE = os.environ.get("BENCH_SMOKE") == "1"


def sized(full, smoke):
    """``full``, or ``smoke`` in a smoke run."""
    return smoke if SMOKE else full


def django_on_bench_database() -> str:
    """Point Django at a fresh bench database, migrate it; returns its URL."""
    global _ready
    if _ready:
        return os.environ["DATABASE_URL"]
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _ready = True
    return os.environ["DATABASE_URL"]


def machine() -> str:
    cpus = os.cpu_count()
    with open("/proc/meminfo") as f:
        kib = int(next(line for line in f if line.startswith("MemTotal")).split()[1])
    return f"{cpus} CPUs, {kib / 1024 / 1024:.1f} GiB RAM"


def owner_and_agreement():
    """One contract owner at UNN and one draft agreement to hang deadlines on."""
    from django.contrib.auth.models import Group

    from agreements.models import Agreement, Organisation, User

    unn, hnikt = Organisation.objects.get(code="UNN"), Organisation.objects.get(code="HNIKT")
    owner = User.objects.create_user("bench-owner", email="owner@bench.example", organisation=unn)
    owner.groups.set(Group.objects.filter(name="contract_owner"))
    agreement = Agreement.objects.create(
        reference="BENCH-0001",
        title="Bench",
        kind="service",
        customer=unn,
        provider=hnikt,
        owner=owner,
    )
    return owner, agreement
