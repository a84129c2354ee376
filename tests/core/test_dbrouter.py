"""Report reads go to the replica only when one is configured and only where a view says so."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import router
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.views import View

from houqin.core import dbrouter
from houqin.org.models import School


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dbrouter, "replica_configured", lambda: True)


class ReportView(dbrouter.ReportReadsMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(School.objects.all().db)


def test_it_changes_nothing_without_a_replica() -> None:
    assert dbrouter.reports_alias() == "default"
    with dbrouter.report_reads():
        assert School.objects.all().db == "default"
    assert router.db_for_read(School) == "default"


def test_it_reads_reports_from_the_replica(replica: None) -> None:
    assert dbrouter.reports_alias() == "reports"
    assert School.objects.all().db == "default"
    with dbrouter.report_reads():
        assert School.objects.all().db == "reports"
        assert router.db_for_write(School) == "default"
    assert School.objects.all().db == "default"


def test_a_report_view_reads_from_the_replica(replica: None) -> None:
    response = ReportView.as_view()(RequestFactory().get("/"))
    assert response.content == b"reports"
    assert School.objects.all().db == "default"


def test_rows_read_from_the_replica_are_written_to_the_primary(replica: None) -> None:
    school: Any = School(name="x")
    school._state.db = "reports"
    assert router.db_for_write(School, instance=school) == "default"
    other: Any = School(name="y")
    assert router.allow_relation(school, other) is True


def test_it_never_migrates_the_replica() -> None:
    assert router.allow_migrate("reports", "org") is False
    assert router.allow_migrate("default", "org") is True


def test_the_settings_add_the_replica_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from houqin.settings import base

    monkeypatch.setenv("HOUQIN_REPLICA_DATABASE_URL", "postgres://u@replica.example:5432/houqin")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.DATABASES["reports"]["HOST"] == "replica.example"
        assert reloaded.DATABASES["reports"]["TEST"] == {"MIRROR": "default"}
        assert "houqin.core.dbrouter.ReportsRouter" in reloaded.DATABASE_ROUTERS
    finally:
        monkeypatch.delenv("HOUQIN_REPLICA_DATABASE_URL")
        importlib.reload(base)
