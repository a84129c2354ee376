"""The stocktake API: start, list, retrieve with figures, scan, count, finish, apply."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from houqin.assets.choices import AssetStatus
from houqin.assets.models import Asset, Stocktake
from tests import factories as f
from tests.api.conftest import token_client

from .objects_stocktakes import make_asset

pytestmark = pytest.mark.django_db
BASE = "/api/v1/stocktakes/"


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    keeper = f.member(school, "assetkeeper")
    room_a = f.RoomFactory(building__campus__school=school, number="101")
    room_b = f.RoomFactory(building=room_a.building, number="102")
    assets = [make_asset(school, room_a, keeper, name=f"电脑{i}") for i in range(3)]
    return SimpleNamespace(
        school=school,
        keeper=keeper,
        room_a=room_a,
        room_b=room_b,
        assets=assets,
        api=token_client(keeper),
    )


def test_a_whole_stocktake_through_the_api(w: SimpleNamespace) -> None:
    a0, a1, a2 = w.assets
    created = w.api.post(
        BASE, {"name": "期末盘点", "scope": "building", "building": w.room_a.building_id}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    pk = body["id"]
    assert body["number"].startswith("PD-") and body["figures"]["expected"] == 3
    assert [row["id"] for row in w.api.get(BASE).json()["results"]] == [pk]

    scanned = w.api.post(
        f"{BASE}{pk}/scan/",
        {"code": f"https://x.cn/assets/a/{a0.public_code}/", "room": w.room_b.pk},
    )
    assert scanned.status_code == 200 and scanned.json()["result"] == "wrong_room"
    line = Stocktake.objects.get(pk=pk).lines.get(asset=a1)
    counted = w.api.post(f"{BASE}{pk}/count/", {"line": line.pk, "result": "damaged"})
    assert counted.json()["result"] == "damaged"
    unknown = w.api.post(f"{BASE}{pk}/scan/", {"code": "NOPE", "room": w.room_a.pk})
    assert unknown.status_code == 400
    assert "NOPE" in unknown.json()["error"]["message"]

    finished = w.api.post(f"{BASE}{pk}/finish/")
    assert finished.json()["status"] == "reconciling"
    figures = finished.json()["figures"]
    assert (figures["wrong_room"], figures["damaged"], figures["missing"]) == (1, 1, 1)
    assert figures["match_rate"] == "0.0"

    applied = w.api.post(f"{BASE}{pk}/apply/")
    assert applied.json() == {"moved": 1, "lost": 1, "repair": 1}
    assert Asset.objects.get(pk=a2.pk).status == AssetStatus.LOST
    again = w.api.post(f"{BASE}{pk}/apply/")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "stocktake_refused"


def test_a_worker_counts_but_cannot_start_or_apply(w: SimpleNamespace) -> None:
    from houqin.assets.services.stocktakes import stocktake_start

    stocktake = stocktake_start(
        actor=w.keeper, name="盘点", scope="building", building=w.room_a.building
    )
    worker = token_client(f.member(w.school, "worker"))
    line = stocktake.lines.first()
    assert line is not None
    ok = worker.post(f"{BASE}{stocktake.pk}/count/", {"line": line.pk, "result": "found"})
    assert ok.status_code == 200
    assert worker.post(BASE, {"name": "x", "scope": "school"}).status_code == 403
    assert worker.post(f"{BASE}{stocktake.pk}/apply/").status_code == 403


def test_a_line_of_another_stocktake_is_refused(w: SimpleNamespace) -> None:
    from houqin.assets.services.stocktakes import stocktake_start

    first = stocktake_start(actor=w.keeper, name="一", scope="building", building=w.room_a.building)
    second = stocktake_start(
        actor=w.keeper, name="二", scope="building", building=w.room_a.building
    )
    line = first.lines.first()
    assert line is not None
    response = w.api.post(f"{BASE}{second.pk}/count/", {"line": line.pk, "result": "found"})
    assert response.status_code == 400


def test_a_building_of_another_school_cannot_be_counted(
    w: SimpleNamespace, other_school: Any
) -> None:
    theirs = f.BuildingFactory(campus__school=other_school)
    response = w.api.post(BASE, {"name": "x", "scope": "building", "building": theirs.pk})
    assert response.status_code == 400
    assert not Stocktake.objects.exists()
