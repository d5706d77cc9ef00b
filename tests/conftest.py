"""Test set-up: a real PostgreSQL (DATABASE_URL, default the local `test` database), personas.

Personas follow the demo: alice drafts at UNN, bob drafts at Nordlandssykehuset, and Helse Nord
IKT's legal, privacy and security reviewers; approvers with signing authority per organisation.
"""

import importlib
import uuid

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group

from agreements.models import Organisation, User
from agreements.roles import Role

from . import database_roles
from .factories import make_user
from .smtp_sink import SmtpSink

# The OpenID Connect provider that the single sign-on browser test signs in through.
pytest_plugins = ["tests.sso.fixtures"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # The owner creates and migrates the test database, as in production (see database_roles).
    database_roles.act_as_owner()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The tests run as the app role; the owner empties tables between tests and drops them."""
    from django.db import connection

    # On the class: code under greenlets or threads (Playwright) gets connection objects of its own.
    patch = pytest.MonkeyPatch()
    patch.setattr(type(connection.ops), "execute_sql_flush", database_roles.flush_as_owner)
    database_roles.act_as_app()
    yield
    database_roles.act_as_owner()
    patch.undo()


@pytest.fixture(autouse=True)
def own_cache(settings):
    """A cache of the test's own: request budgets and attempt counters start empty. A prefix, not
    ``cache.clear()``: that would empty the whole Redis database, Celery's queues included. A
    child process that must share the cache gets ``CACHE_KEY_PREFIX`` from this fixture."""
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        for name, config in settings.CACHES.items()
    }
    return settings.CACHES["default"]["KEY_PREFIX"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow by design; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def orgs(db):
    # Transactional tests flush the tables after each test, migrations' seed rows included.
    importlib.import_module("agreements.migrations.0002_seed_reference_data").seed(
        django_apps, None
    )
    rules = importlib.import_module("agreements.migrations.0004_default_reminder_rules")
    rules.add_rules(django_apps, None)
    deliveries = importlib.import_module("agreements.migrations.0016_requirement_deadlines")
    deliveries.add_rules_and_flag(django_apps, None)
    importlib.import_module("agreements.migrations.0020_after_signing").add_rules(django_apps, None)
    return {o.code: o for o in Organisation.objects.all()}


@pytest.fixture
def personas(orgs):
    """One user per role and organisation the workflow tests need."""
    return {
        "alice": make_user("alice", orgs["UNN"], Role.CONTRACT_OWNER),
        "bob": make_user("bob", orgs["NLSH"], Role.CONTRACT_OWNER),
        "iris": make_user("iris", orgs["HNIKT"], Role.CONTRACT_OWNER, Role.SERVICE_MANAGER),
        "lars": make_user("lars", orgs["HNIKT"], Role.LEGAL),
        "lene": make_user("lene", orgs["HNIKT"], Role.LEGAL),
        "pia": make_user("pia", orgs["HNIKT"], Role.PRIVACY),
        "sam": make_user("sam", orgs["HNIKT"], Role.SECURITY),
        "ulla": make_user("ulla", orgs["UNN"], Role.APPROVER),
        "nils": make_user("nils", orgs["NLSH"], Role.APPROVER),
        "ivar": make_user("ivar", orgs["HNIKT"], Role.APPROVER),
        "ada": make_user("ada", orgs["HNIKT"], Role.ADMINISTRATOR, superuser=True),
    }


@pytest.fixture
def role_groups(db):
    return {g.name: g for g in Group.objects.all()}


__all__ = ["User"]


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, media_dir):
    """Stored files go to a temporary directory, shared with a live worker if one runs."""
    settings.MEDIA_ROOT = str(media_dir)
    return media_dir


@pytest.fixture(scope="session")
def smtp_sink():
    """A real SMTP server on a free port for the whole session; tests clear it as they need."""
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()
