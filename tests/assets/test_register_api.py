"""The register API: scoped reads with the web's filters, writes through the service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from houqin.assets.choices import AssetStatus, MovementKind
from houqin.assets.models import Asset, AssetCategory
from tests import factories as f
from tests.api.conftest import token_client

from .objects_register import make_asset

pytestmark = pytest.mark.django_db
URL = "/api/v1/assets/"


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper")


def test_school_staff_see_their_cards_and_the_kindergarten_never(
    school: Any, other_school: Any
) -> None:
    mine = make_asset(school, name="投影仪")
    theirs = make_asset(other_school, name="钢琴")
    teacher = token_client(f.member(school, "teacher"))
    body = teacher.get(URL).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["net_value"] == str(mine.net_value)
    assert teacher.get(f"{URL}{mine.pk}/").status_code == 200
    kg = token_client(f.member(other_school, "assetkeeper"))
    assert [row["id"] for row in kg.get(URL).json()["results"]] == [theirs.pk]
    response = kg.get(f"{URL}{mine.pk}/")
    assert response.status_code == 404
    assert kg.patch(f"{URL}{mine.pk}/", {"name": "x"}).status_code == 404


def test_anonymous_requests_get_401() -> None:
    client = APIClient()
    assert client.get(URL).status_code == 401
    assert client.get("/api/v1/asset-categories/").status_code == 401


def test_the_list_has_the_web_filters_search_and_ordering(school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    a = make_asset(school, name="投影仪", room=room, unit_price=Decimal("6000"))
    b = make_asset(school, name="椅子", unit_price=Decimal("300"))
    lost = make_asset(school, name="丢失的相机")
    Asset.objects.filter(pk=lost.pk).update(status=AssetStatus.LOST)
    client = token_client(f.member(school, "teacher"))

    def ids(**params: Any) -> list[int]:
        return [row["id"] for row in client.get(URL, params).json()["results"]]

    assert set(ids()) == {a.pk, b.pk}
    assert set(ids(show="all")) == {a.pk, b.pk, lost.pk}
    assert ids(building=room.building.pk) == [a.pk]
    assert ids(low_value="1") == [b.pk]
    assert ids(search="投影") == [a.pk]
    assert ids(ordering="original_value") == [b.pk, a.pk]
    equipment = AssetCategory.objects.get(name="设备")
    assert set(ids(category=equipment.pk)) == {a.pk, b.pk}


def test_the_keeper_creates_and_updates_a_card(school: Any, keeper: Any) -> None:
    client = token_client(keeper)
    category = AssetCategory.objects.get(name="台式计算机")
    room = f.RoomFactory(building__campus__school=school)
    payload = {
        "name": "图形工作站",
        "category": category.pk,
        "unit_price": "12000.00",
        "quantity": 1,
        "purchase_date": "2025-01-10",
        "room": room.pk,
        "custodian": keeper.pk,
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    asset = Asset.objects.get(pk=body["id"])
    assert asset.school == school and asset.code.startswith("ZC-")
    assert body["original_value"] == "12000.00"
    assert asset.movements.get().kind == MovementKind.REGISTERED
    changed = client.patch(f"{URL}{asset.pk}/", {"quantity": 2}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["original_value"] == "24000.00"
    refused = client.patch(f"{URL}{asset.pk}/", {"code": "X-1"}, format="json")
    assert refused.status_code == 400


def test_writes_are_checked_against_the_school(school: Any, other_school: Any, keeper: Any) -> None:
    client = token_client(keeper)
    category = AssetCategory.objects.get(name="台式计算机")
    elsewhere = f.RoomFactory(building__campus__school=other_school)
    stranger = f.member(other_school, "teacher")
    base = {"name": "x", "category": category.pk, "unit_price": "10", "purchase_date": "2025-01-10"}
    assert client.post(URL, {**base, "room": elsewhere.pk}, format="json").status_code == 400
    assert client.post(URL, {**base, "custodian": stranger.pk}, format="json").status_code == 400
    future = client.post(URL, {**base, "purchase_date": "2999-01-01"}, format="json")
    assert future.status_code == 400
    assert not Asset.objects.exists()


def test_teachers_cannot_write(school: Any) -> None:
    asset = make_asset(school)
    client = token_client(f.member(school, "teacher"))
    assert client.patch(f"{URL}{asset.pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.post(URL, {}, format="json").status_code == 403


def test_categories_are_read_only_and_resolved(school: Any) -> None:
    client = token_client(f.member(school, "principal"))
    desktop = AssetCategory.objects.get(name="台式计算机")
    body = client.get(f"/api/v1/asset-categories/{desktop.pk}/").json()
    assert (body["resolved_life_years"], body["resolved_depreciable"]) == (6, True)
    found = client.get("/api/v1/asset-categories/", {"search": "台式"}).json()
    assert [row["id"] for row in found["results"]] == [desktop.pk]
    assert client.post("/api/v1/asset-categories/", {}, format="json").status_code == 405
