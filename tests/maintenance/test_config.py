"""Configuration pages: targets and hours, categories, teams, dispatch rules, the calendar."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.maintenance.models import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    WorkCalendarDay,
)
from houqin.maintenance.services.config import calendar_days_mark
from houqin.maintenance.services.sla import settings_for
from tests import factories as f
from tests.conftest import login

from .factories import category

pytestmark = pytest.mark.django_db


def settings_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "urgent_respond_minutes_0": "0",
        "urgent_respond_minutes_1": "20",
        "urgent_resolve_minutes_0": "3",
        "urgent_resolve_minutes_1": "30",
        "normal_respond_minutes_0": "4",
        "normal_respond_minutes_1": "",
        "normal_resolve_minutes_0": "48",
        "normal_resolve_minutes_1": "0",
        "planned_respond_minutes_0": "24",
        "planned_respond_minutes_1": "0",
        "planned_resolve_minutes_0": "168",
        "planned_resolve_minutes_1": "0",
        "use_working_hours": "on",
        "work_start": "07:30",
        "work_end": "17:00",
        "work_weekdays": ["1", "2", "3", "4", "5", "6"],
        "portal_enabled": "on",
        "portal_limit_per_address": "5",
        "portal_limit_per_room": "10",
        "repeat_window_days": "30",
        "auto_verify_days": "3",
        "labour_rate": "50.00",
    }
    data.update(changes)
    return data


def test_the_director_sets_targets_in_hours_and_minutes(school: Any, director: Any) -> None:
    client = login(director)
    page = client.get(reverse("maintenance:settings"))
    assert page.status_code == 200 and 'data-testid="targets"' in page.content.decode()
    response = client.post(reverse("maintenance:settings"), settings_post())
    assert response.status_code == 302
    config = MaintenanceSettings.objects.get(school=school)
    assert config.targets("urgent") == (20, 210)
    assert config.targets("normal") == (240, 2880)
    assert config.work_weekdays == "123456" and config.work_start == datetime.time(7, 30)
    assert config.use_working_hours and not config.portal_needs_triage


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"work_start": "18:00"}, "work_end"),
        ({"work_weekdays": []}, "work_weekdays"),
        (
            {"urgent_respond_minutes_0": "", "urgent_respond_minutes_1": ""},
            "urgent_respond_minutes",
        ),
        (
            {"urgent_respond_minutes_0": "0", "urgent_respond_minutes_1": "0"},
            "urgent_respond_minutes",
        ),
        ({"urgent_respond_minutes_1": "75"}, "urgent_respond_minutes"),
        ({"labour_rate": "-1"}, "labour_rate"),
    ],
)
def test_wrong_settings_are_refused_clearly(
    school: Any, director: Any, changes: dict[str, Any], field: str
) -> None:
    response = login(director).post(reverse("maintenance:settings"), settings_post(**changes))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert settings_for(school.pk).targets("urgent") == (30, 240)


def test_the_principal_reads_the_settings_only(school: Any) -> None:
    principal = f.member(school, "principal")
    client = login(principal)
    page = client.get(reverse("maintenance:settings"))
    assert page.status_code == 200 and 'data-testid="settings-fields"' in page.content.decode()
    assert "0 小时 30 分钟" in page.content.decode()
    assert client.post(reverse("maintenance:settings"), settings_post()).status_code == 403


def test_categories_are_listed_with_icons_and_edited_by_the_admin(
    school: Any, director: Any, admin_user: Any
) -> None:
    page = login(director).get(reverse("maintenance:category_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="bi bi-' in html and 'data-testid="add"' not in html
    assert login(director).get(reverse("maintenance:category_add")).status_code == 403
    client = login(admin_user)
    data = {"code": "lift", "name": "电梯", "name_en": "Lift", "icon": "bi-arrow-up-square"}
    response = client.post(reverse("maintenance:category_add"), {**data, "sort_order": 95})
    assert response.status_code == 302
    lift = RepairCategory.objects.get(code="lift")
    assert lift.icon == "arrow-up-square"
    response = client.post(
        reverse("maintenance:category_edit", args=[lift.pk]),
        {**data, "icon": "<script>", "sort_order": 95},
    )
    assert response.status_code == 422 and "icon" in response.context["form"].errors


def test_a_team_takes_only_the_schools_workers(
    school: Any, other_school: Any, director: Any
) -> None:
    leader, member = f.member(school, "worker"), f.member(school, "worker")
    teacher, outsider = f.member(school, "teacher"), f.member(other_school, "worker")
    client = login(director)
    form = client.get(reverse("maintenance:team_add")).context["form"]
    offered = set(form.fields["members"].queryset)
    assert {leader, member} <= offered and not {teacher, outsider} & offered
    data = {"name": "水电组", "leader": leader.pk, "members": [member.pk], "is_active": "on"}
    assert client.post(reverse("maintenance:team_add"), data).status_code == 302
    team = MaintenanceTeam.objects.get(name="水电组")
    assert team.school == school and list(team.members.all()) == [member]
    for bad in ({"members": [teacher.pk]}, {"leader": outsider.pk}, {}):
        response = client.post(reverse("maintenance:team_add"), {**data, **bad})
        assert response.status_code == 422  # a teacher, another school's worker, a twin name
    detail = client.get(reverse("maintenance:team_detail", args=[team.pk]))
    assert detail.status_code == 200 and str(member) in detail.content.decode()
    response = client.post(reverse("maintenance:team_delete", args=[team.pk]))
    assert response["Location"] == reverse("maintenance:team_list")
    assert not MaintenanceTeam.objects.filter(pk=team.pk).exists()


def test_rules_show_which_wins_and_the_test_says_who_gets_it(
    school: Any, other_school: Any, director: Any
) -> None:
    electrician, plumber = f.member(school, "worker"), f.member(school, "worker")
    room = f.RoomFactory(building__campus__school=school, building__name="宿舍楼")
    foreign = f.BuildingFactory(campus__school=other_school)
    client = login(director)
    data = {"category": category("electric").pk, "assignee": electrician.pk, "is_active": "on"}
    assert client.post(reverse("maintenance:rule_add"), data).status_code == 302
    assert (
        client.post(reverse("maintenance:rule_add"), {**data, "assignee": plumber.pk}).status_code
        == 302
    )
    response = client.post(reverse("maintenance:rule_add"), {**data, "building": foreign.pk})
    assert response.status_code == 422 and "building" in response.context["form"].errors
    first, second = DispatchRule.objects.order_by("pk")
    page = client.get(reverse("maintenance:rule_list"))
    rows = {row.pk: row for row in page.context["table"].object_list}
    assert rows[first.pk].shadowed_by is None and rows[second.pk].shadowed_by == first.pk
    assert f"#{first.pk}" in page.content.decode()
    test = client.get(
        reverse("maintenance:rule_list"),
        {"test": "1", "category": category("electric").pk, "building": room.building_id},
    )
    assert test.context["test_result"]["worker"] == electrician
    nobody = client.get(
        reverse("maintenance:rule_list"), {"test": "1", "category": category("water").pk}
    )
    assert nobody.context["test_result"]["worker"] is None
    assert 'data-testid="test-result"' in nobody.content.decode()
    assert client.post(reverse("maintenance:rule_delete", args=[second.pk])).status_code == 302


def test_calendar_days_and_ranges(school: Any, director: Any) -> None:
    client = login(director)
    day = {"date": "2026-10-01", "name": "国庆节"}
    assert client.post(reverse("maintenance:calendar_add"), day).status_code == 302
    twice = client.post(reverse("maintenance:calendar_add"), day)
    assert twice.status_code == 422 and "date" in twice.context["form"].errors
    # The National Day week: Oct 1 (Thu) to Oct 7 (Wed); the weekend is off anyway.
    response = client.post(
        reverse("maintenance:calendar_range"),
        {"start": "2026-10-01", "end": "2026-10-07", "name": "国庆节", "skip_weekends": "on"},
    )
    assert response.status_code == 302
    days = set(WorkCalendarDay.objects.filter(school=school).values_list("date", flat=True))
    assert days == {datetime.date(2026, 10, d) for d in (1, 2, 5, 6, 7)}
    assert not WorkCalendarDay.objects.filter(is_working=True).exists()
    wrong = client.post(
        reverse("maintenance:calendar_range"), {"start": "2026-10-07", "end": "2026-10-01"}
    )
    assert wrong.status_code == 422
    page = client.get(reverse("maintenance:calendar_list"))
    assert page.status_code == 200 and "国庆节" in page.content.decode()
    first = WorkCalendarDay.objects.get(date="2026-10-01")
    assert client.post(reverse("maintenance:calendar_delete", args=[first.pk])).status_code == 302


def test_a_working_weekend_range_writes_only_weekend_days(school: Any, director: Any) -> None:
    written = calendar_days_mark(
        actor=director,
        school_id=school.pk,
        start=datetime.date(2026, 9, 26),
        end=datetime.date(2026, 10, 11),
        is_working=True,
        name="调休",
    )
    found = WorkCalendarDay.objects.filter(school=school, is_working=True)
    assert written == found.count() == 6  # three weekends
    assert all(d.date.isoweekday() in (6, 7) for d in found)


@pytest.mark.parametrize("name", ["team_list", "rule_list", "calendar_list"])
def test_lists_keep_a_constant_number_of_queries(school: Any, director: Any, name: str) -> None:
    client = login(director)
    url = reverse(f"maintenance:{name}")

    def add(i: int) -> None:
        worker = f.member(school, "worker")
        team = MaintenanceTeam.objects.create(school=school, name=f"组{i}", leader=worker)
        team.members.add(worker, f.member(school, "worker"))
        building = f.BuildingFactory(campus__school=school)
        DispatchRule.objects.create(school=school, building=building, team=team)
        WorkCalendarDay.objects.create(school=school, date=datetime.date(2026, 1, 1 + i))

    add(0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 6):
        add(i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.context["page"].paginator.count == 6
    assert len(many) == len(one)


def test_the_menu_offers_the_configuration(school: Any, director: Any) -> None:
    html = login(director).get(reverse("maintenance:settings")).content.decode()
    for name in ("category_list", "team_list", "rule_list", "calendar_list"):
        assert f'href="{reverse(f"maintenance:{name}")}"' in html
