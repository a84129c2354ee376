"""The work order list: filters, search, sort, the clock column, constant queries, export."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import WorkOrder
from houqin.maintenance.selectors import clock
from houqin.maintenance.services.orders import work_order_accept
from tests import factories as f
from tests.conftest import login as login_as

from .factories import category, order, rule

pytestmark = pytest.mark.django_db


def login(user: Any) -> Any:
    """A signed-in client reading the pages in English."""
    client = login_as(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


S = OrderStatus
LIST = "maintenance:workorder_list"


@pytest.fixture
def director(school: Any) -> Any:
    return f.member(school, "director")


def numbers(response: Any) -> set[str]:
    return {row.order.number for row in response.context["rows"]}


def test_it_filters_searches_and_sorts(school: Any, director: Any) -> None:
    worker = f.member(school, "worker")
    rule(school, worker)
    room = f.RoomFactory(building__campus__school=school, number="305")
    urgent = order(school, room=room, urgency="urgent", title="电扇冒烟")
    water = order(school, code="water", title="水龙头漏水")
    late = order(school, title="灯不亮", reported_at=timezone.now() - datetime.timedelta(days=5))
    late.escalation_level = 2
    late.save()
    client = login(director)
    get = lambda **q: numbers(client.get(reverse(LIST), q))  # noqa: E731
    assert get() == {urgent.number, water.number, late.number}
    assert get(status="open") == {urgent.number, water.number, late.number}
    assert get(status="done") == set()
    assert get(urgency="urgent") == {urgent.number}
    assert get(category=category("water").pk) == {water.number}
    assert get(building=room.building_id) == {urgent.number}
    assert get(room=room.pk) == {urgent.number}
    assert get(assignee=worker.pk) == {urgent.number, late.number}
    assert get(overdue="1") == {late.number}
    assert get(overdue="0") == {urgent.number, water.number}
    assert get(escalated="1") == {late.number}
    assert get(repeat="1") == set()
    assert get(source="request") == {urgent.number, water.number, late.number}
    today = timezone.localdate()
    assert get(reported_from=today.isoformat()) == {urgent.number, water.number}
    assert get(reported_to=(today - datetime.timedelta(days=1)).isoformat()) == {late.number}
    assert get(q="305") == {urgent.number}
    assert get(q="漏水") == {water.number}
    assert get(q=urgent.number) == {urgent.number}
    rows = client.get(reverse(LIST), {"sort": "urgency"}).context["rows"]
    assert rows[0].order == urgent
    rows = client.get(reverse(LIST), {"sort": "due"}).context["rows"]
    assert rows[0].order == late
    rows = client.get(reverse(LIST)).context["rows"]
    assert [r.order for r in rows][-1] == late  # default: newest reported first


def test_it_shows_the_clock_state(school: Any, director: Any) -> None:
    worker = f.member(school, "worker")
    rule(school, worker)
    fresh = order(school)
    late = order(school, reported_at=timezone.now() - datetime.timedelta(days=3))
    work_order_accept(actor=worker, order=late)
    text = login(director).get(reverse(LIST)).content.decode()
    assert "Due in 1d 23h" in text or "Due in 2d 0h" in text
    late.refresh_from_db()
    assert clock(late).state == "overdue" and "Overdue by 1d" in clock(late).text
    assert clock(fresh).state == "ok"


def test_it_keeps_a_constant_number_of_queries(school: Any, director: Any) -> None:
    worker = f.member(school, "worker")
    rule(school, worker)
    order(school)
    client = login(director)
    client.get(reverse(LIST))  # warm caches (permissions, settings)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(LIST)).status_code == 200
    team_room = f.RoomFactory(building__campus__school=school)
    for n in range(29):
        order(school, room=team_room if n % 2 else None, code="water" if n % 3 else "electric")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(LIST))
    assert len(response.context["rows"]) == 30
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_export_has_every_filtered_row(school: Any, director: Any) -> None:
    rule(school, f.member(school, "worker"))
    first = order(school, title="电扇不转")
    order(school, code="water", title="水龙头漏水")
    client = login(director)
    response = client.get(reverse("maintenance:workorder_export"), {"category": first.category_id})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert values[1][0] == first.number and values[1][1] == "电扇不转"
    assert "Due in" in values[1][4]


def test_other_schools_orders_are_not_listed(school: Any, other_school: Any, director: Any) -> None:
    mine = order(school, title="本校")
    order(other_school, title="他校")
    rows = login(director).get(reverse(LIST)).context["rows"]
    assert [row.order for row in rows] == [mine]


def test_the_list_needs_the_permission(school: Any) -> None:
    client = login(f.member(school, "teacher"))
    assert client.get(reverse(LIST)).status_code == 403
    assert client.get(reverse("maintenance:workorder_export")).status_code == 403


def test_empty_list_says_so(school: Any, director: Any) -> None:
    text = login(director).get(reverse(LIST)).content.decode()
    assert 'data-testid="empty"' in text
    assert WorkOrder.objects.count() == 0
