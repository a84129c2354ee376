"""Stocktake pages: figures, the room task list in constant queries, counting by tick and
scan, surplus, finish and apply, the reports."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.assets.choices import AssetStatus, CountResult
from houqin.assets.models import Asset, Stocktake, StocktakeLine
from houqin.assets.reports_stocktakes import figures, room_tasks
from houqin.assets.services import stocktakes as st
from tests import factories as f
from tests.conftest import login

from .objects_stocktakes import category, make_asset

pytestmark = pytest.mark.django_db
R = CountResult


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    keeper = f.member(school, "assetkeeper")
    room_a = f.RoomFactory(building__campus__school=school, number="101")
    room_b = f.RoomFactory(building=room_a.building, number="102")
    assets = [make_asset(school, room_a, keeper, name=f"电脑{i}") for i in range(3)]
    assets.append(make_asset(school, room_b, keeper, name="投影仪", unit_price=Decimal("3000")))
    stocktake = st.stocktake_start(
        actor=keeper, name="期末盘点", scope="building", building=room_a.building
    )
    return SimpleNamespace(
        school=school,
        keeper=keeper,
        room_a=room_a,
        room_b=room_b,
        assets=assets,
        stocktake=stocktake,
        client=login(keeper),
    )


def line_of(w: SimpleNamespace, asset: Any) -> StocktakeLine:
    return StocktakeLine.objects.get(stocktake=w.stocktake, asset=asset)


def test_the_figures(w: SimpleNamespace) -> None:
    a0, a1, _a2, b = w.assets
    st.stocktake_count(actor=w.keeper, line=line_of(w, a0), result=R.FOUND)
    st.stocktake_count(actor=w.keeper, line=line_of(w, a1), result=R.FOUND, found_room=w.room_b)
    st.stocktake_count(actor=w.keeper, line=line_of(w, b), result=R.MISSING)
    st.stocktake_add_surplus(
        actor=w.keeper,
        stocktake=w.stocktake,
        room=w.room_b,
        name="椅子",
        category=category(),
        unit_price=Decimal("1500"),
    )
    numbers = figures(w.stocktake)
    assert {k: numbers[k] for k in ("expected", "counted", "found", "wrong_room", "missing")} == {
        "expected": 4,
        "counted": 3,
        "found": 1,
        "wrong_room": 1,
        "missing": 1,
    }
    assert (numbers["surplus"], numbers["pending"], numbers["damaged"]) == (1, 1, 0)
    assert numbers["match_rate"] == Decimal("25.0")
    assert numbers["shortage_value"] == Decimal("3000.00")
    assert numbers["surplus_value"] == Decimal("1500.00")
    tasks = {row["room_id"]: (row["expected"], row["counted"]) for row in room_tasks(w.stocktake)}
    assert tasks == {w.room_a.pk: (3, 2), w.room_b.pk: (1, 1)}


def test_the_detail_page_lists_rooms_in_constant_queries(w: SimpleNamespace) -> None:
    url = reverse("assets:stocktake_detail", args=[w.stocktake.pk])
    w.client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert w.client.get(url).status_code == 200
    for i in range(6):
        room = f.RoomFactory(building=w.room_a.building, number=f"3{i:02d}")
        make_asset(w.school, room, w.keeper)
    w2 = st.stocktake_start(
        actor=w.keeper, name="再盘", scope="building", building=w.room_a.building
    )
    url = reverse("assets:stocktake_detail", args=[w2.pk])
    with CaptureQueriesContext(connection) as many:
        response = w.client.get(url)
    assert response.status_code == 200
    assert len(response.context["rooms"]) == 8
    assert len(many) == len(few)


def test_the_list_page_keeps_its_queries(w: SimpleNamespace) -> None:
    url = reverse("assets:stocktake_list")
    w.client.get(url)  # warm: session and per-process caches
    with CaptureQueriesContext(connection) as few:
        assert w.client.get(url).status_code == 200
    for i in range(5):
        st.stocktake_start(
            actor=w.keeper, name=f"盘点{i}", scope="building", building=w.room_a.building
        )
    with CaptureQueriesContext(connection) as many:
        response = w.client.get(url)
    assert response.content.decode().count("/assets/stocktakes/") >= 6
    assert len(many) == len(few)


def test_starting_from_the_form(w: SimpleNamespace) -> None:
    url = reverse("assets:stocktake_add")
    assert w.client.get(url).status_code == 200
    response = w.client.post(url, {"name": "寒假清理", "scope": "building"})
    assert response.status_code == 422  # the building is missing
    response = w.client.post(
        url,
        {
            "name": "寒假清理",
            "scope": "building",
            "building": w.room_a.building.pk,
            "is_holiday_campaign": "on",
        },
    )
    stocktake = Stocktake.objects.get(name="寒假清理")
    assert response.status_code == 302 and response["Location"] == stocktake.get_absolute_url()
    assert stocktake.is_holiday_campaign and stocktake.lines.count() == 4


def count_url(w: SimpleNamespace, room: Any) -> str:
    return reverse("assets:stocktake_count", args=[w.stocktake.pk]) + f"?room={room.pk}"


def test_counting_a_room_by_ticks_and_scans(w: SimpleNamespace) -> None:
    a0, a1, _a2, b = w.assets
    page = w.client.get(count_url(w, w.room_a))
    assert page.status_code == 200
    assert len(page.context["lines"]) == 3
    tick = reverse("assets:stocktake_line_count", args=[line_of(w, a0).pk])
    response = w.client.post(tick, {"result": "found", "room": w.room_a.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'id="line-{line_of(w, a0).pk}"' in body and 'hx-swap-oob="true"' in body
    assert line_of(w, a0).result == R.FOUND
    scan = reverse("assets:stocktake_scan", args=[w.stocktake.pk])
    answer = w.client.post(
        scan,
        {"code": f"http://testserver/assets/a/{b.public_code}/", "room": w.room_a.pk},
        HTTP_ACCEPT="application/json",
    ).json()
    assert answer["ok"] and answer["result"] == R.WRONG_ROOM
    assert answer["progress"] == {"expected": 3, "counted": 1}
    assert f'id="line-{answer["line_id"]}"' in answer["html"]
    refused = w.client.post(
        scan, {"code": "XXXX", "room": w.room_a.pk}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 422 and "XXXX" in refused.json()["message"]
    # Without JavaScript: the form posts and comes back to the room.
    response = w.client.post(scan, {"code": a1.code, "room": w.room_a.pk})
    assert response.status_code == 302 and response["Location"] == count_url(w, w.room_a)
    assert line_of(w, a1).result == R.FOUND


def test_the_rest_of_a_room_is_ticked_at_once(w: SimpleNamespace) -> None:
    url = reverse("assets:stocktake_count_rest", args=[w.stocktake.pk])
    w.client.post(url, {"room": w.room_a.pk})
    assert sorted(w.stocktake.lines.values_list("result", flat=True)) == [
        R.FOUND,
        R.FOUND,
        R.FOUND,
        R.PENDING,
    ]


def test_a_surplus_from_the_count_page(w: SimpleNamespace) -> None:
    url = reverse("assets:stocktake_surplus", args=[w.stocktake.pk])
    bad = w.client.post(url, {"room": w.room_b.pk, "name": "椅子"})
    assert bad.status_code == 422 and bad.context["surplus_open"]
    response = w.client.post(
        url,
        {
            "room": w.room_b.pk,
            "name": "椅子",
            "category": category().pk,
            "unit_price": "1200",
            "quantity": "1",
        },
    )
    assert response.status_code == 302
    assert Asset.objects.filter(name="椅子", acquisition="surplus", room=w.room_b).exists()


def test_finish_reconcile_apply(w: SimpleNamespace) -> None:
    a0, _a1, _a2, b = w.assets
    st.stocktake_count(actor=w.keeper, line=line_of(w, a0), result=R.FOUND, found_room=w.room_b)
    action = reverse("assets:stocktake_action", args=[w.stocktake.pk, "finish"])
    response = w.client.post(action)
    assert response["Location"] == reverse("assets:stocktake_reconcile", args=[w.stocktake.pk])
    page = w.client.get(response["Location"])
    assert page.status_code == 200 and page.context["can_apply"]
    assert [s["total"] for s in page.context["sections"]] == [3, 0, 1, 0]
    apply = reverse("assets:stocktake_action", args=[w.stocktake.pk, "apply"])
    w.client.post(apply)  # not confirmed: nothing happens
    assert Stocktake.objects.get(pk=w.stocktake.pk).status == "reconciling"
    w.client.post(apply, {"confirm": "yes"})
    assert Stocktake.objects.get(pk=w.stocktake.pk).status == "closed"
    assert Asset.objects.get(pk=a0.pk).room_id == w.room_b.pk
    assert Asset.objects.get(pk=b.pk).status == AssetStatus.LOST
    again = w.client.post(apply, {"confirm": "yes"}, follow=True)
    assert "该盘点结果已应用" in again.content.decode()


def test_a_worker_counts_but_does_not_apply(w: SimpleNamespace) -> None:
    worker = login(f.member(w.school, "worker"))
    assert worker.get(count_url(w, w.room_a)).status_code == 200
    assert worker.get(reverse("assets:stocktake_add")).status_code == 403
    action = reverse("assets:stocktake_action", args=[w.stocktake.pk, "finish"])
    assert worker.post(action).status_code == 403


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_reports(w: SimpleNamespace, tmp_path: Path) -> None:
    st.stocktake_finish_counting(actor=w.keeper, stocktake=w.stocktake)
    xlsx = w.client.get(reverse("assets:stocktake_report_xlsx", args=[w.stocktake.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(filename=__import__("io").BytesIO(xlsx.content))
    assert len(book.sheetnames) == 5
    pdf = w.client.get(
        reverse("assets:stocktake_report_pdf", args=[w.stocktake.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert w.stocktake.number in text and "电脑0" in text


def test_json_of_the_scan_is_valid_for_every_message(w: SimpleNamespace) -> None:
    scan = reverse("assets:stocktake_scan", args=[w.stocktake.pk])
    body = w.client.post(
        scan, {"code": "", "room": w.room_a.pk}, HTTP_ACCEPT="application/json"
    ).content
    assert json.loads(body)["ok"] is False
