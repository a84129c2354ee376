"""After migrations, SQLite statistics are refreshed when the database was analysed before."""

from __future__ import annotations

import pytest
from django.db import connection

from houqin.core.sqlite_stats import refresh_after_migrate

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite planner statistics only")
def test_it_analyses_again_only_a_database_analysed_before() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    refresh_after_migrate(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 0
        cursor.execute("ANALYZE org_room")
        cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'org_room'")
    refresh_after_migrate(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'auth_permission'")
        assert cursor.fetchone()[0] > 0
