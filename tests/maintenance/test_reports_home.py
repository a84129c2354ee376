"""The repairs panel on the landing dashboard: what waits now and how this month goes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.maintenance.choices import OrderStatus, RequestStatus
from houqin.maintenance.dashboard import maintenance_figures
from houqin.maintenance.models import RepairCategory, RepairRequest
from tests import factories as f
from tests.conftest import login
from tests.maintenance.objects_reports import stats_order

pytestmark = pytest.mark.django_db
S = OrderStatus


def _triage_request(school: Any, room: Any) -> RepairRequest:
    return RepairRequest.objects.create(
        school=school,
        number=f"BX-T-{RepairRequest.objects.count() + 1}",
        channel="portal",
        status=RequestStatus.TRIAGE,
        reporter_name="初二(3)班 张同学",
        room=room,
        category=RepairCategory.objects.get(code="electric"),
        description="电扇不转",
    )


def _orders(school: Any) -> Any:
    room = f.RoomFactory(building__campus__school=school)
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    # Open: one new and overdue, one dispatched and on time.
    stats_order(school, reported=now - 60 * hour, status=S.NEW, room=room)
    stats_order(school, reported=now - hour, status=S.ASSIGNED, room=room)
    # Done this month (reported now, so this month whatever the date).
    stats_order(
        school, reported=now, room=room, resolution_minutes=20,
        resolved_on_time=True, rating=5,
    )  # fmt: skip
    stats_order(
        school, reported=now, status=S.COMPLETED, room=room,
        resolution_minutes=10, resolved_on_time=False, rating=3,
    )  # fmt: skip
    stats_order(school, reported=now - 0.1 * hour, status=S.CANCELLED, room=room)
    _triage_request(school, room)
    return room


def test_the_figures_count_what_waits_and_this_month(school: Any, other_school: Any) -> None:
    _orders(school)
    _orders(other_school)
    figures = maintenance_figures([school.pk])
    assert figures["open"] == 2
    assert figures["overdue"] == 1
    assert figures["to_dispatch"] == 1
    assert figures["to_triage"] == 1
    assert figures["month_on_time_rate"] == 50.0
    assert figures["month_satisfaction_rate"] == 50.0
    assert figures["month_rating_mean"] == 4.0
    assert maintenance_figures([school.pk, other_school.pk])["open"] == 4


def test_the_figures_take_a_constant_number_of_queries(school: Any) -> None:
    with CaptureQueriesContext(connection) as empty:
        maintenance_figures([school.pk])
    for _ in range(5):
        _orders(school)
    with CaptureQueriesContext(connection) as full:
        maintenance_figures([school.pk])
    assert len(full) == len(empty) == 4


def test_the_director_sees_the_panel_with_a_link(director: Any, school: Any) -> None:
    _orders(school)
    response = login(director).get("/")
    assert response.context["maintenance_figures"]["open"] == 2
    html = response.content.decode()
    assert 'data-testid="maintenance-figures"' in html
    assert 'href="/maintenance/"' in html


def test_the_principal_reads_it_but_a_teacher_and_a_worker_do_not(school: Any) -> None:
    principal = login(f.member(school, "principal")).get("/")
    assert "maintenance_figures" in principal.context
    for role in ("teacher", "worker"):
        response = login(f.member(school, role)).get("/")
        assert "maintenance_figures" not in response.context, role
