"""Preventive plan pages: list with compliance in constant queries, form validation,
detail, the POST actions and scoping."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.maintenance.models import MaintenancePlan, WorkOrder
from houqin.maintenance.services import plans as services
from tests import factories as f
from tests.conftest import login

from .factories import category
from .test_plans_generate import make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def form_data(school: Any, **kw: Any) -> dict[str, Any]:
    return {
        "school": school.pk,
        "name": "灭火器月检",
        "category": category("other").pk,
        "description": "检查压力表、铅封、喷管",
        "recurrence": "monthly",
        "interval": "1",
        "dates": "",
        "start_date": "2026-01-31",
        "end_date": "",
        "lead_days": "3",
        "checklist": "压力表指针在绿区\n\n铅封完好\n",
        "urgency": "planned",
        **kw,
    }


def test_the_list_shows_next_due_and_compliance_in_constant_queries(
    school: Any, director: Any
) -> None:
    client = login(director)
    url = reverse("maintenance:plan_list")
    make_plan(school, name="计划0")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        room = f.RoomFactory(building__campus__school=school)
        plan = make_plan(school, name=f"计划{n}", rooms=[room], assignee=f.member(school, "worker"))
        services.plan_generate(plan=plan, until=D(2026, 3, 31), since=D(2026, 1, 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(one)
    assert "计划7" in response.content.decode()


def test_it_adds_a_plan_with_a_checklist(school: Any, director: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    worker = f.member(school, "worker")
    client = login(director)
    response = client.post(
        reverse("maintenance:plan_add"),
        form_data(school, rooms=[room.pk], assignee=worker.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = MaintenancePlan.objects.get(name="灭火器月检")
    assert plan.checklist == ["压力表指针在绿区", "铅封完好"]
    assert list(plan.rooms.all()) == [room] and plan.assignee == worker
    assert plan.next_due is not None
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "压力表指针在绿区" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recurrence": "dates", "dates": ""}, "dates"),
        ({"recurrence": "monthly", "dates": "2026-07-10"}, "dates"),
        ({"recurrence": "dates", "dates": "2026-13-40"}, "dates"),
        ({"end_date": "2025-01-01"}, "end_date"),
        ({"checklist": "x" * 201}, "checklist"),
    ],
)
def test_it_refuses_bad_plans(
    school: Any, director: Any, changes: dict[str, Any], field: str
) -> None:
    response = login(director).post(reverse("maintenance:plan_add"), form_data(school, **changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not MaintenancePlan.objects.exists()


def test_it_takes_a_date_list(school: Any, director: Any) -> None:
    data = form_data(school, recurrence="dates", dates="2026-07-10\n2026-01-20, 2026-07-10")
    assert login(director).post(reverse("maintenance:plan_add"), data).status_code == 302
    assert MaintenancePlan.objects.get().dates == ["2026-01-20", "2026-07-10"]


def test_it_refuses_rooms_teams_and_workers_of_another_school(
    school: Any, other_school: Any
) -> None:
    stranger_room = f.RoomFactory(building__campus__school=other_school)
    teacher = f.member(school, "teacher")
    client = login(f.member(school, "director"))
    response = client.post(
        reverse("maintenance:plan_add"),
        form_data(school, rooms=[stranger_room.pk], assignee=teacher.pk),
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "rooms" in errors and "assignee" in errors


def test_generate_pause_and_resume_buttons(school: Any, director: Any) -> None:
    plan = make_plan(school, recurrence="daily", start_date=D(2020, 1, 1), lead_days=2)
    client = login(director)
    action = "maintenance:plan_action"
    assert client.get(reverse(action, args=[plan.pk, "generate"])).status_code == 405
    response = client.post(reverse(action, args=[plan.pk, "generate"]), follow=True)
    assert WorkOrder.objects.filter(plan=plan).count() == 3  # today and 2 days ahead
    assert "3" in response.content.decode()
    client.post(reverse(action, args=[plan.pk, "pause"]))
    plan.refresh_from_db()
    assert not plan.is_active
    response = client.post(reverse(action, args=[plan.pk, "generate"]), follow=True)
    assert WorkOrder.objects.filter(plan=plan).count() == 3
    client.post(reverse(action, args=[plan.pk, "resume"]))
    plan.refresh_from_db()
    assert plan.is_active
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="occurrences"') == 1


def test_readers_see_but_do_not_change(school: Any) -> None:
    plan = make_plan(school)
    principal = login(f.member(school, "principal"))
    page = principal.get(plan.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="generate"' not in page.content.decode()
    action = reverse("maintenance:plan_action", args=[plan.pk, "generate"])
    assert principal.post(action).status_code == 403
    assert principal.get(reverse("maintenance:plan_edit", args=[plan.pk])).status_code == 403


def test_other_schools_plans_are_404(school: Any, other_school: Any) -> None:
    plan = make_plan(other_school)
    client = login(f.member(school, "director"))
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("maintenance:plan_edit", args=[plan.pk])).status_code == 404
    action = reverse("maintenance:plan_action", args=[plan.pk, "generate"])
    assert client.post(action).status_code == 404
    assert "灭火器月检" not in client.get(reverse("maintenance:plan_list")).content.decode()
