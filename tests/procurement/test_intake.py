"""待建卡: the asset keeper places an accepted asset and its card is registered; refusals
are clear; the list, the badge and the scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from houqin.assets.models import Asset, AssetCategory, AssetMovement
from houqin.core.navigation import BADGES
from houqin.procurement.choices import IntakeStatus
from houqin.procurement.models import AssetIntake
from houqin.procurement.services.intake import IntakeError, asset_intake_place
from tests import factories as f
from tests.conftest import login
from tests.procurement.objects_requests import objects as request_objects

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school: Any) -> dict[str, Any]:
    department = f.DepartmentFactory(school=school, name="信息中心")
    room = f.RoomFactory(building__campus__school=school)
    person = f.member(school, "teacher", department=department)
    keeper = f.member(school, "assetkeeper", username="keeper")
    found = request_objects(school, room, department, person)
    return {
        "intake": found["assetintake"],
        "room": room,
        "department": department,
        "person": person,
        "keeper": keeper,
        "category": AssetCategory.objects.filter(name="台式计算机").first()
        or AssetCategory.objects.filter(is_active=True).order_by("pk").first(),
    }


def test_placing_creates_the_card(world: dict[str, Any]) -> None:
    intake: AssetIntake = world["intake"]
    placed = asset_intake_place(
        actor=world["keeper"],
        intake=intake,
        category=world["category"],
        room=world["room"],
        custodian=world["person"],
        life_months=72,
    )
    assert placed.status == IntakeStatus.PLACED
    asset = Asset.objects.get(pk=placed.asset_id)
    assert (asset.name, asset.quantity, asset.unit_price) == ("投影仪", 1, intake.unit_price)
    assert asset.acquisition == "purchase" and asset.room == world["room"]
    assert asset.department == world["department"]  # from the intake
    assert asset.purchase_date == intake.received_on
    movement = AssetMovement.objects.get(asset=asset)
    assert movement.reference == intake.acceptance_line.acceptance.number
    with pytest.raises(IntakeError, match="already"):
        asset_intake_place(actor=world["keeper"], intake=intake, category=world["category"])


def test_placing_refuses_other_schools_and_outsiders(
    world: dict[str, Any], other_school: Any
) -> None:
    foreign_room = f.RoomFactory(building__campus__school=other_school)
    with pytest.raises(IntakeError):
        asset_intake_place(
            actor=world["keeper"],
            intake=world["intake"],
            category=world["category"],
            room=foreign_room,
        )
    stranger = f.member(other_school, "teacher")
    with pytest.raises(IntakeError, match="custodian"):
        asset_intake_place(
            actor=world["keeper"],
            intake=world["intake"],
            category=world["category"],
            custodian=stranger,
        )
    assert not Asset.objects.exists()
    world["intake"].refresh_from_db()
    assert world["intake"].status == IntakeStatus.WAITING


def test_the_keeper_places_it_on_the_web(world: dict[str, Any]) -> None:
    client = login(world["keeper"])
    intake = world["intake"]
    listing = client.get(reverse("procurement:intake_list"))
    assert listing.status_code == 200 and "投影仪" in listing.content.decode()
    assert BADGES["procurement:intake_list"](world["keeper"]) == 1
    detail = client.get(intake.get_absolute_url()).content.decode()
    assert reverse("procurement:intake_place", args=[intake.pk]) in detail
    url = reverse("procurement:intake_place", args=[intake.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"funding_source": "fiscal"}).status_code == 422  # no category
    response = client.post(
        url,
        {
            "category": world["category"].pk,
            "room": world["room"].pk,
            "department": world["department"].pk,
            "custodian": world["person"].pk,
            "funding_source": "fiscal",
            "life_months": "72",
        },
    )
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PLACED
    assert response["Location"] == intake.asset.get_absolute_url()
    assert BADGES["procurement:intake_list"](world["keeper"]) == 0
    # Once placed the form sends the keeper back to the intake.
    assert client.get(url).status_code == 302


def test_scoping(world: dict[str, Any], other_school: Any) -> None:
    intake = world["intake"]
    outsider = login(f.member(other_school, "assetkeeper"))
    for name in ("procurement:intake_detail", "procurement:intake_place"):
        assert outsider.get(reverse(name, args=[intake.pk])).status_code == 404
    teacher = login(world["person"])
    assert teacher.get(reverse("procurement:intake_list")).status_code == 403
    # The purchaser sees the list but may not place.
    buyer = login(f.member(world["intake"].school, "purchaser"))
    assert buyer.get(reverse("procurement:intake_list")).status_code == 200
    assert buyer.get(reverse("procurement:intake_place", args=[intake.pk])).status_code == 403
    assert BADGES["procurement:intake_list"](world["person"]) == 0
