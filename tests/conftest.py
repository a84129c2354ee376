from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories as f


def ensure_roles() -> None:
    """Transactional tests start from flushed tables: put back the roles migrations create."""
    from django.apps import apps as django_apps

    from houqin.accounts.models import Role
    from houqin.accounts.roles import create_default_roles

    if not Role.objects.filter(code="director").exists():
        create_default_roles(django_apps)
        rerun_data_migrations()


def rerun_data_migrations() -> None:
    """Run again the (idempotent) data migrations of Houqin's apps: role permissions."""
    from django.apps import apps as django_apps
    from django.db import migrations
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app_label, _name), migration in sorted(loader.disk_migrations.items()):
        if not django_apps.get_app_config(app_label).name.startswith("houqin."):
            continue
        if migration.name.endswith("_triggers"):
            continue  # schema objects (triggers) survive a flush; only data is put back
        for operation in migration.operations:
            if isinstance(operation, migrations.RunPython):
                operation.code(django_apps, None)


@pytest.fixture
def school(db: Any) -> Any:
    ensure_roles()
    return f.SchoolFactory(name="示范中学")


@pytest.fixture
def demo_data(db: Any) -> dict[str, int]:
    """The demo school and kindergarten in this test's transaction, as the loader makes them
    (loaded once per test process, then copied back: tests/demo_snapshot.py); returns the
    loader's counts."""
    from tests.demo_snapshot import demo_in_test

    return demo_in_test()


@pytest.fixture
def other_school(db: Any) -> Any:
    return f.SchoolFactory(name="阳光幼儿园", kind="kindergarten")


@pytest.fixture
def director(school: Any) -> Any:
    return f.member(school, "director", username="director")


@pytest.fixture
def teacher(school: Any) -> Any:
    return f.member(school, "teacher", username="teacher")


@pytest.fixture
def admin_user(school: Any) -> Any:
    return f.member(school, "admin", username="admin")


@pytest.fixture
def nobody(school: Any) -> Any:
    """A member of the school whose role grants nothing."""
    return f.member_without_permissions(school, username="nobody")


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="houqin.accounts.backends.HouqinBackend")
    return client


@pytest.fixture
def as_director(director: Any) -> Client:
    return login(director)


@pytest.fixture
def as_teacher(teacher: Any) -> Client:
    return login(teacher)


@pytest.fixture(autouse=True)
def _language_per_test() -> Any:
    """Every test starts in English for messages made outside a request (a request follows
    its Accept-Language, Chinese by default), and leaves no language active behind it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
