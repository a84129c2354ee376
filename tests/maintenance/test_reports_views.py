"""The maintenance dashboard and its exports: access, scoping, query count, workbooks."""

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
from houqin.maintenance.reports import BLOCKS
from tests import factories as f
from tests.conftest import login
from tests.maintenance.objects_reports import stats_order

pytestmark = pytest.mark.django_db
URL = "/maintenance/"
EXPORT = "/maintenance/reports/export/"
CATEGORIES = ("water", "electric", "doors", "aircon", "network")
STATUSES = (OrderStatus.RATED, OrderStatus.COMPLETED, OrderStatus.NEW, OrderStatus.IN_PROGRESS)


def many_orders(school: Any, count: int, *, prefix: str = "x") -> None:
    """``count`` orders of the last weeks over several buildings, categories and workers."""
    rooms = [f.RoomFactory(building__campus__school=school) for _ in range(3)]
    workers = [f.member(school, "worker") for _ in range(3)]
    now = timezone.now()
    rows = []
    for i in range(count):
        status = STATUSES[i % len(STATUSES)]
        done = status in (OrderStatus.RATED, OrderStatus.COMPLETED)
        order = stats_order(
            school,
            reported=now - datetime.timedelta(days=i % 40, hours=i % 7),
            code=CATEGORIES[i % len(CATEGORIES)],
            status=status,
            room=rooms[i % 3],
            assignee=workers[i % 3] if status != OrderStatus.NEW else None,
            response_minutes=None if status == OrderStatus.NEW else 5 + i % 90,
            responded_on_time=None if status == OrderStatus.NEW else i % 5 != 0,
            resolution_minutes=60 + i * 7 if done else None,
            resolved_on_time=(i % 3 != 0) if done else None,
            rating=1 + i % 5 if status == OrderStatus.RATED else None,
            cost=str(i % 50),
            save=False,
        )
        order.number = f"{prefix}-{i}"
        rows.append(order)
    WorkOrder.objects.bulk_create(rows)


def test_the_director_sees_the_dashboard(director: Any, school: Any) -> None:
    many_orders(school, 12)
    response = login(director).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="maintenance-charts-data"' in html
    assert 'data-chart="months"' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "<script>" not in html  # the charts' code is in a file (CSP)
    assert response.context["figures"]["totals"]["requests"] == 12
    codes = [card["code"] for card in response.context["cards"]]
    assert codes == [
        "requests",
        "done",
        "on-time",
        "response",
        "repair",
        "satisfaction",
        "open",
        "overdue",
    ]


def test_a_worker_is_sent_to_their_orders_and_a_teacher_to_their_requests(
    school: Any, teacher: Any
) -> None:
    worker = f.member(school, "worker")
    response = login(worker).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("maintenance:my_orders")
    response = login(teacher).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("maintenance:request_mine")


def test_someone_without_any_maintenance_permission_gets_403(nobody: Any) -> None:
    assert login(nobody).get(URL).status_code == 403
    assert login(nobody).get(EXPORT).status_code == 403


def test_exports_need_the_reports_permission(school: Any) -> None:
    worker = f.member(school, "worker")
    assert login(worker).get(EXPORT + "?kind=months").status_code == 403


def test_another_schools_orders_never_show(director: Any, school: Any, other_school: Any):
    many_orders(school, 5)
    many_orders(other_school, 7, prefix="o")
    response = login(director).get(URL)
    assert response.context["figures"]["totals"]["requests"] == 5
    assert "schools" not in response.context["figures"]
    assert "阳光幼儿园" not in response.content.decode()


def test_a_district_compares_its_schools(school: Any) -> None:
    sister = f.SchoolFactory(district=school.district, name="育才小学")
    elsewhere = f.SchoolFactory(name="别区中学")
    many_orders(school, 5)
    many_orders(sister, 3, prefix="s")
    many_orders(elsewhere, 4, prefix="e")
    officer = f.district_member(school.district)
    response = login(officer).get(URL)
    assert response.status_code == 200
    rows = {row["label"]: row["requests"] for row in response.context["figures"]["schools"]}
    assert rows == {"示范中学": 5, "育才小学": 3}
    html = response.content.decode()
    assert 'data-testid="table-schools"' in html
    assert "别区中学" not in html
    # Several schools are compared by school; buildings and workers wait for a school.
    assert 'data-chart="schools"' in html and 'data-chart="buildings"' not in html
    assert 'data-testid="table-workers"' not in html
    assert response.context["figures"]["workers"] == []
    charts = response.context["charts"]["schools"]
    assert dict(zip(charts["x"], charts["requests"], strict=True)) == {"示范中学": 5, "育才小学": 3}
    # Narrowed to one of its schools with the filter.
    one = login(officer).get(URL, {"school": sister.pk, "period": "recent"})
    assert one.context["figures"]["totals"]["requests"] == 3
    assert 'data-chart="buildings"' in one.content.decode()
    assert one.context["figures"]["workers"]
    # A school outside the district is not a valid choice: the filter is ignored.
    other = login(officer).get(URL, {"school": elsewhere.pk, "period": "recent"})
    assert other.context["figures"]["totals"]["requests"] == 8


def test_the_filters_narrow_the_figures(director: Any, school: Any) -> None:
    many_orders(school, 20)
    order = WorkOrder.objects.filter(school=school).first()
    assert order is not None
    client = login(director)
    by_building = client.get(URL, {"period": "recent", "building": order.building_id})
    expected = WorkOrder.objects.filter(building_id=order.building_id).count()
    assert by_building.context["figures"]["totals"]["requests"] == expected
    today = timezone.localdate()
    dated = client.get(URL, {"start": today.isoformat(), "end": today.isoformat()})
    expected = sum(1 for o in WorkOrder.objects.all() if timezone.localdate(o.reported_at) == today)
    assert dated.context["figures"]["totals"]["requests"] == expected
    wrong = client.get(URL, {"start": "2026-05-01", "end": "2026-04-01"})
    assert wrong.status_code == 200
    assert "结束日期早于开始日期。" in wrong.content.decode()


def test_a_school_year_sets_the_period(director: Any, school: Any) -> None:
    today = timezone.localdate()
    year = f.SchoolYearFactory(
        school=school,
        name="本学年",
        start=today - datetime.timedelta(days=10),
        end=today + datetime.timedelta(days=300),
    )
    many_orders(school, 40)  # reported over the last 40 days
    response = login(director).get(URL)
    assert response.context["form"]["period"].value() == f"y{year.pk}"
    expected = WorkOrder.objects.filter(
        reported_at__date__gte=year.start - datetime.timedelta(days=1)
    ).count()
    requests = response.context["figures"]["totals"]["requests"]
    assert 0 < requests <= expected < 40


def test_the_dashboard_runs_a_constant_number_of_queries(director: Any, school: Any) -> None:
    client = login(director)
    many_orders(school, 5)
    client.get(URL)  # warm the session and the permission map
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    many_orders(school, 195, prefix="y")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # The page's own figures plus the frame (session, permissions, one count per menu badge):
    # the repeat tables name their top rooms and assets apart, and the time histograms are
    # summed apart from the other pre-aggregated counters (their volume only).
    assert len(few) <= 37


@pytest.mark.parametrize("kind", list(BLOCKS))
def test_every_block_exports_to_excel(director: Any, school: Any, kind: str) -> None:
    many_orders(school, 15)
    response = login(director).get(EXPORT, {"kind": kind, "period": "recent"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    from django.utils import translation

    with translation.override("zh-hans"):
        expected = BLOCKS[kind].headers()
    assert headers == expected
    if kind not in ("schools", "repeat_rooms", "repeat_assets"):
        assert sheet.max_row > 1


def test_the_whole_dashboard_exports_to_one_workbook(director: Any, school: Any) -> None:
    many_orders(school, 15)
    response = login(director).get(EXPORT, {"kind": "all", "period": "recent"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(book.worksheets) == len(BLOCKS) - 1  # no comparison for one school
    months = book["按月"] if "按月" in book.sheetnames else book.worksheets[0]
    total = sum(row[1] for row in months.iter_rows(min_row=2, values_only=True))
    assert total == 15


def test_the_export_follows_the_filters(director: Any, school: Any) -> None:
    many_orders(school, 10)
    order = WorkOrder.objects.filter(school=school).first()
    assert order is not None
    response = login(director).get(
        EXPORT, {"kind": "buildings", "period": "recent", "building": order.building_id}
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][0] == order.building.name
