"""The page a phone opens from an asset label: the card for members, a public page otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests import factories as f
from tests.assets.objects_movements import make_asset
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def asset(school: Any) -> Any:
    keeper = f.member(school, "assetkeeper", username="assetkeeper")
    room = f.RoomFactory(building__campus__school=school, number="205", name="化学实验室")
    found = make_asset(school, keeper, name="通风橱", room=room, price="23456.78", custodian=keeper)
    type(found).objects.filter(pk=found.pk).update(serial_number="SN-SECRET-42", notes="内部备注")
    found.refresh_from_db()
    return found


def url(asset: Any) -> str:
    return f"/assets/a/{asset.public_code}/"


@pytest.mark.parametrize("who", ["anonymous", "other_school", "no_permission"])
def test_outsiders_see_only_school_code_name_and_room(
    asset: Any, other_school: Any, school: Any, who: str
) -> None:
    client = {
        "anonymous": lambda: Client(),
        "other_school": lambda: login(f.member(other_school, "assetkeeper")),
        "no_permission": lambda: login(f.member_without_permissions(school)),
    }[who]()
    response = client.get(url(asset))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("示范中学", asset.code, "通风橱", "205", "化学实验室"):
        assert shown in page
    for hidden in ("23456", "23,456", "SN-SECRET-42", "内部备注", str(asset.custodian)):
        assert hidden not in page
    assert f"/accounts/login/?next=/assets/a/{asset.public_code}/" in page
    assert "总务处" in page
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize("role", ["assetkeeper", "teacher", "principal"])
def test_members_who_may_see_it_go_to_the_card(asset: Any, school: Any, role: str) -> None:
    response = login(f.member(school, role)).get(url(asset))
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url()


def test_an_unknown_code_is_not_found(asset: Any) -> None:
    assert Client().get("/assets/a/NOSUCHCODE/").status_code == 404
