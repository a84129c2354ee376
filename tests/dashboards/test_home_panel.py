"""The home page's 开源节流 panel: the right figures for the right roles, constant queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.dashboards.supplies import supplies_figures
from houqin.inventory.models import Requisition
from tests import factories as f
from tests.conftest import login
from tests.supplies import budget_line, receive, school_year, stock_item

from .builders import order, print_job, request_lines

pytestmark = pytest.mark.django_db


def fill(school: Any, n: int) -> None:
    """``n`` of everything the panel counts."""
    dept = f.DepartmentFactory(school=school)
    buyer = f.member(school, "purchaser")
    school_year(school)
    line = budget_line(school, dept, "office", "1000")
    type(line).objects.filter(pk=line.pk).update(committed=Decimal("100"), spent=Decimal("150"))
    for _k in range(n):
        placed = order(school, buyer, placed=datetime.date.today(), lines=[("1", "1", "1")])
        lines = request_lines(school, dept, buyer, placed.lines.get(), 1)
        type(lines[0]).objects.filter(pk=lines[0].pk).update(status="open")
        type(lines[0].request).objects.filter(pk=lines[0].request_id).update(status="approved")
        stock_item(school, min_stock=Decimal("5"))
        full = stock_item(school, min_stock=Decimal("1"))
        receive(full, "10")
        Requisition.objects.create(
            school=school,
            number=f"LY-{placed.pk}",
            department=dept,
            requester=buyer,
            purpose="办公",
            status="approved",
        )
        print_job(school, dept, buyer, done=datetime.date.today(), sheets=1, status="queued")


def values(user: Any, school: Any) -> dict[str, Any]:
    return {row["code"]: row["value"] for row in supplies_figures(user, [school.pk])}


def test_the_director_sees_every_figure(school: Any) -> None:
    fill(school, 2)
    director = f.member(school, "director")
    assert values(director, school) == {
        "budget_used": 25,
        "lines_to_order": 2,
        "orders_awaiting": 2,
        "requisitions_to_issue": 2,
        "low_stock": 2,
        "print_queue": 2,
    }


def test_each_role_sees_its_own_figures(school: Any) -> None:
    fill(school, 1)
    assert set(values(f.member(school, "storekeeper"), school)) == {
        "orders_awaiting",
        "requisitions_to_issue",
        "low_stock",
        "print_queue",
    }
    assert "lines_to_order" in values(f.member(school, "purchaser"), school)
    assert values(f.member(school, "teacher"), school) == {}


def test_the_panel_is_on_the_home_page_for_the_office_only(school: Any) -> None:
    fill(school, 1)
    body = login(f.member(school, "director")).get("/").content.decode()
    assert 'data-testid="supplies-panel"' in body
    assert 'data-testid="savings-link"' in body
    teacher = login(f.member(school, "teacher")).get("/").content.decode()
    assert 'data-testid="supplies-panel"' not in teacher


def test_the_panel_keeps_a_constant_number_of_queries(school: Any, other_school: Any) -> None:
    director = f.member(school, "director")
    fill(other_school, 1)
    supplies_figures(director, [school.pk])  # the permission map is built once per user
    with CaptureQueriesContext(connection) as few:
        supplies_figures(director, [school.pk])
    fill(school, 8)
    with CaptureQueriesContext(connection) as many:
        found = supplies_figures(director, [school.pk])
    assert len(many) == len(few) <= 6
    assert {row["code"]: row["value"] for row in found}["print_queue"] == 8
