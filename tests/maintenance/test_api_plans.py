"""``/api/v1/pm-plans/``: create, change, scope, validation and generating orders."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from houqin.maintenance.choices import OrderSource
from houqin.maintenance.models import MaintenancePlan, MaintenanceTeam, WorkOrder
from tests import factories as f
from tests.api.conftest import token_client

from .factories import category

pytestmark = pytest.mark.django_db
BASE = "/api/v1/pm-plans/"


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    director = f.member(school, "director")
    worker = f.member(school, "worker")
    rooms = [f.RoomFactory(building__campus__school=school) for _ in range(2)]
    return SimpleNamespace(
        school=school,
        director=director,
        worker=worker,
        rooms=rooms,
        as_director=token_client(director),
        as_worker=token_client(worker),
    )


def plan_data(w: SimpleNamespace, **extra: Any) -> dict[str, Any]:
    return {
        "name": "灭火器月检",
        "category": category("other").pk,
        "recurrence": "monthly",
        "start_date": timezone.localdate().isoformat(),
        "rooms": [room.pk for room in w.rooms],
        "checklist": ["压力表", "有效期"],
        "assignee": w.worker.pk,
        **extra,
    }


def test_the_director_creates_changes_and_generates_a_plan(w: SimpleNamespace) -> None:
    created = w.as_director.post(BASE, plan_data(w))
    body = created.json()
    assert created.status_code == 201, body
    assert body["school"] == w.school.pk and body["next_due"] == timezone.localdate().isoformat()
    assert sorted(body["rooms"]) == sorted(room.pk for room in w.rooms)
    pk = body["id"]
    changed = w.as_director.patch(f"{BASE}{pk}/", {"name": "灭火器检查", "lead_days": 5})
    assert changed.status_code == 200 and changed.json()["name"] == "灭火器检查"

    generated = w.as_director.post(f"{BASE}{pk}/generate/", {})
    assert generated.status_code == 200, generated.json()
    assert generated.json()["created"] == 2
    orders = WorkOrder.objects.filter(plan_id=pk)
    assert orders.count() == 2 and {o.source for o in orders} == {OrderSource.PLAN}
    assert {o.assignee_id for o in orders} == {w.worker.pk}
    again = w.as_director.post(f"{BASE}{pk}/generate/", {})
    assert again.json()["created"] == 0
    assert generated.json()["plan"]["last_generated"]


def test_a_paused_plan_does_not_generate(w: SimpleNamespace) -> None:
    pk = w.as_director.post(BASE, plan_data(w, is_active=False)).json()["id"]
    refused = w.as_director.post(f"{BASE}{pk}/generate/", {})
    assert refused.status_code == 400 and "Resume" in refused.json()["error"]["message"]
    far = (timezone.localdate() + datetime.timedelta(days=900)).isoformat()
    w.as_director.patch(f"{BASE}{pk}/", {"is_active": True})
    assert w.as_director.post(f"{BASE}{pk}/generate/", {"until": far}).status_code == 400
    assert not WorkOrder.objects.exists()


def test_it_validates_the_scope_and_the_dates(w: SimpleNamespace) -> None:
    other_room = f.RoomFactory()
    cases = [
        ({"rooms": [other_room.pk]}, "rooms"),
        ({"recurrence": "dates"}, "dates"),
        ({"dates": ["2026-07-10"]}, "dates"),
        ({"end_date": "2000-01-01"}, "end_date"),
        ({"start_date": "1900-01-01"}, "start_date"),
        ({"assignee": f.member(w.school, "teacher").pk}, "assignee"),
        ({"asset_category": 999999}, "asset_category"),
        ({"interval": 0}, "interval"),
    ]
    other_team = MaintenanceTeam.objects.create(school=other_room.school, name="外校组")
    cases.append(({"team": other_team.pk}, "team"))
    for extra, field in cases:
        response = w.as_director.post(BASE, plan_data(w, **extra))
        assert response.status_code == 400, (extra, response.json())
        assert field in response.json()["error"]["fields"], (extra, response.json())
    listed = w.as_director.post(
        BASE, plan_data(w, recurrence="dates", dates=["2026-07-10", "2026-01-05"])
    )
    assert listed.status_code == 201, listed.json()
    assert listed.json()["dates"] == ["2026-01-05", "2026-07-10"]
    assert MaintenancePlan.objects.count() == 1


def test_workers_read_plans_but_do_not_write_them(w: SimpleNamespace) -> None:
    pk = w.as_director.post(BASE, plan_data(w)).json()["id"]
    assert w.as_worker.get(f"{BASE}{pk}/").status_code == 200
    assert w.as_worker.post(BASE, plan_data(w)).status_code == 403
    assert w.as_worker.patch(f"{BASE}{pk}/", {"name": "x"}).status_code == 403
    assert w.as_worker.post(f"{BASE}{pk}/generate/", {}).status_code == 403
    teacher = token_client(f.member(w.school, "teacher"))
    assert teacher.get(BASE).status_code == 403


def test_another_schools_plan_is_not_found(w: SimpleNamespace, other_school: Any) -> None:
    theirs = MaintenancePlan.objects.create(
        school=other_school,
        name="防雷检测",
        category=category("electric"),
        recurrence="yearly",
        start_date=timezone.localdate(),
    )
    assert w.as_director.get(f"{BASE}{theirs.pk}/").status_code == 404
    assert w.as_director.patch(f"{BASE}{theirs.pk}/", {"name": "x"}).status_code == 404
    assert w.as_director.post(f"{BASE}{theirs.pk}/generate/", {}).status_code == 404
    assert w.as_director.get(BASE).json()["count"] == 0
    # The school of a plan does not change.
    pk = w.as_director.post(BASE, plan_data(w)).json()["id"]
    w.as_director.patch(f"{BASE}{pk}/", {"school": other_school.pk})
    assert MaintenancePlan.objects.get(pk=pk).school_id == w.school.pk
