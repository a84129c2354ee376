"""The asset card: its page, the add/edit form through the service, the status button."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.assets.choices import AssetStatus, MovementKind
from houqin.assets.models import Asset, AssetCategory, AssetMovement
from tests import factories as f
from tests.conftest import login as _login

from .objects_register import make_asset

pytestmark = pytest.mark.django_db


def login(user: Any) -> Any:
    client = _login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


def form_data(category: Any, **extra: Any) -> dict[str, Any]:
    return {
        "name": "投影仪",
        "category": category.pk,
        "unit": "台",
        "unit_price": "6000.00",
        "quantity": "2",
        "purchase_date": "2025-03-01",
        "funding_source": "fiscal",
        "acquisition": "purchase",
        **extra,
    }


def test_the_card_shows_every_field_and_its_value(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(
        school, room=room, brand="联想", serial_number="SN1", quantity=2, notes="三楼"
    )
    response = login(keeper).get(f"/assets/register/{asset.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (asset.code, asset.public_code, "联想", "SN1", "三楼", room.building.name):
        assert text in html
    assert "× 2" in html  # unit price × quantity = original value
    assert "life 6 years" in html
    assert 'data-testid="status-form"' in html


def test_the_card_tabs_show_movements_loans_damage_and_history(school: Any, keeper: Any) -> None:
    asset = make_asset(school)
    client = login(keeper)
    movements = client.get(f"/assets/register/{asset.pk}/?tab=movements")
    assert movements.context["tab_list"]["page"].paginator.count == 1
    assert "Registered" in movements.content.decode()
    for tab in ("loans", "damage"):
        response = client.get(f"/assets/register/{asset.pk}/?tab={tab}")
        assert response.status_code == 200
        assert 'data-testid="empty"' in response.content.decode()
    history = client.get(f"/assets/register/{asset.pk}/?tab=history")
    assert len(history.context["history"]) == 1


def test_the_card_shows_buttons_of_other_areas(school: Any, keeper: Any) -> None:
    from houqin.assets import actions

    def provider(request: Any, asset: Any) -> list[dict[str, Any]]:
        return [
            {"label": "调拨", "url": f"/transfer/?asset={asset.pk}", "icon": "arrow-left-right"}
        ]

    asset = make_asset(school)
    actions.ASSET_ACTIONS.append(provider)
    try:
        html = login(keeper).get(f"/assets/register/{asset.pk}/").content.decode()
    finally:
        actions.ASSET_ACTIONS.remove(provider)
    assert f"/transfer/?asset={asset.pk}" in html


def test_the_keeper_registers_a_card_in_the_active_school(school: Any, keeper: Any) -> None:
    category = AssetCategory.objects.get(name="台式计算机")
    room = f.RoomFactory(building__campus__school=school)
    response = login(keeper).post(
        "/assets/register/add/", form_data(category, room=room.pk, custodian=keeper.pk)
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    asset = Asset.objects.get(name="投影仪")
    assert asset.school == school
    assert asset.code.startswith("ZC-")
    assert asset.original_value == Decimal("12000.00")
    assert asset.life_months == 72
    assert asset.movements.get().kind == MovementKind.REGISTERED


def test_an_old_ledger_code_is_kept_and_must_be_unique(school: Any, keeper: Any) -> None:
    category = AssetCategory.objects.get(name="台式计算机")
    client = login(keeper)
    assert (
        client.post("/assets/register/add/", form_data(category, code="JX-0001")).status_code == 302
    )
    assert Asset.objects.get(code="JX-0001")
    again = client.post("/assets/register/add/", form_data(category, code="JX-0001"))
    assert again.status_code == 422
    assert "already used" in again.content.decode()
    assert Asset.objects.filter(code="JX-0001").count() == 1


def test_choices_are_narrowed_to_the_school(school: Any, other_school: Any, keeper: Any) -> None:
    mine = f.RoomFactory(building__campus__school=school)
    theirs = f.RoomFactory(building__campus__school=other_school)
    stranger = f.member(other_school, "teacher")
    form = login(keeper).get("/assets/register/add/").context["form"]
    assert mine in form.fields["room"].queryset
    assert theirs not in form.fields["room"].queryset
    assert keeper in form.fields["custodian"].queryset
    assert stranger not in form.fields["custodian"].queryset
    assert form.fields["category"].queryset.exists()
    category = AssetCategory.objects.get(name="台式计算机")
    response = login(keeper).post("/assets/register/add/", form_data(category, room=theirs.pk))
    assert response.status_code == 422
    assert not Asset.objects.exists()


def test_a_category_without_life_is_a_form_error(school: Any, keeper: Any) -> None:
    lifeless = AssetCategory.objects.create(name="无年限类", depreciable=True)
    response = login(keeper).post("/assets/register/add/", form_data(lifeless))
    assert response.status_code == 422
    assert "no depreciation life" in response.content.decode()
    assert not Asset.objects.exists()


def test_editing_a_card_moves_it_and_records_the_movement(school: Any, keeper: Any) -> None:
    asset = make_asset(school)
    room = f.RoomFactory(building__campus__school=school)
    data = form_data(asset.category, name="台式计算机（教务处）", room=room.pk)
    response = login(keeper).post(f"/assets/register/{asset.pk}/edit/", data)
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.room == room
    assert asset.original_value == Decimal("12000.00")
    assert asset.movements.order_by("-pk").first().kind == MovementKind.TRANSFERRED


def test_the_status_button_changes_the_status_with_a_note(school: Any, keeper: Any) -> None:
    asset = make_asset(school)
    client = login(keeper)
    url = f"/assets/register/{asset.pk}/status/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"status": "under_repair", "note": "屏幕闪烁"})
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.UNDER_REPAIR
    movement = AssetMovement.objects.filter(asset=asset).order_by("-pk").first()
    assert (movement.kind, movement.note) == (MovementKind.STATUS, "屏幕闪烁")
    # Only the statuses set by hand are offered.
    client.post(url, {"status": "disposed"})
    asset.refresh_from_db()
    assert asset.status == AssetStatus.UNDER_REPAIR


def test_a_lost_card_cannot_be_edited(school: Any, keeper: Any) -> None:
    asset = make_asset(school)
    client = login(keeper)
    client.post(f"/assets/register/{asset.pk}/status/", {"status": "lost"})
    assert client.get(f"/assets/register/{asset.pk}/edit/").status_code == 403
    page = client.get(f"/assets/register/{asset.pk}/")
    assert not [a for a in page.context["actions"] if a["url"].endswith("/edit/")]


def test_a_teacher_reads_the_card_but_cannot_change_it(school: Any) -> None:
    asset = make_asset(school)
    teacher = login(f.member(school, "teacher"))
    page = teacher.get(f"/assets/register/{asset.pk}/")
    assert page.status_code == 200
    assert "status_form" not in page.context
    assert (
        teacher.post(f"/assets/register/{asset.pk}/status/", {"status": "idle"}).status_code == 403
    )


def test_the_kindergarten_never_sees_the_school_card(school: Any, other_school: Any) -> None:
    asset = make_asset(school)
    kg = login(f.member(other_school, "assetkeeper"))
    assert kg.get(f"/assets/register/{asset.pk}/").status_code == 404
    assert kg.post(f"/assets/register/{asset.pk}/status/", {"status": "idle"}).status_code == 404


def test_the_policy_page_is_read_by_the_principal_and_edited_by_the_keeper(
    school: Any, keeper: Any
) -> None:
    principal = login(f.member(school, "principal"))
    page = principal.get("/assets/settings/")
    assert page.status_code == 200
    assert not page.context["can_change"]
    assert principal.post("/assets/settings/", {}).status_code == 403
    client = login(keeper)
    data = {
        "capitalisation_threshold": "1500",
        "transfer_approval_above": "5000",
        "loan_reminder_days": "2",
        "deliberate_multiplier": "3",
        "residual_rate": "5",
        "equipment_method": "age",
        "age_rate_1y": "85",
        "age_rate_5y": "70",
        "age_rate_older": "40",
    }
    assert client.post("/assets/settings/", data).status_code == 302
    from houqin.assets.models import AssetSettings

    policy = AssetSettings.for_school(school.pk)
    assert policy.capitalisation_threshold == Decimal("1500")
    bad = client.post("/assets/settings/", {**data, "residual_rate": "80"})
    assert bad.status_code == 422
