"""Transfer pages: from a card or a selection, by asset codes, submit, approval panel, list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.assets.actions import for_asset, for_list
from houqin.assets.choices import RequestStatus
from houqin.assets.models import AssetSettings, AssetTransfer
from tests import factories as f
from tests.assets.objects_movements import make_asset, make_loan, make_transfer
from tests.assets.test_transfers_services import transfer_chain
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


def test_a_card_is_transferred_from_its_page(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(school, keeper)
    extra = make_asset(school, keeper, name="打印机", price="100")
    client = login(keeper)
    page = client.get(f"/assets/transfers/add/?asset={asset.pk}")
    assert page.status_code == 200
    assert f'value="{asset.pk}"' in page.content.decode()
    assert page.context["form"]["assets"].value() == [asset.pk]
    response = client.post(
        "/assets/transfers/add/",
        {"assets": [asset.pk], "codes": extra.code, "to_room": room.pk, "reason": "搬到新教室"},
    )
    transfer = AssetTransfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == transfer.get_absolute_url()
    assert sorted(transfer.lines.values_list("asset_id", flat=True)) == [asset.pk, extra.pk]
    detail = client.get(transfer.get_absolute_url())
    assert detail.context["can_submit"]
    assert extra.code in detail.content.decode()
    done = client.post(f"/assets/transfers/{transfer.pk}/submit/", follow=True)
    transfer.refresh_from_db()
    asset.refresh_from_db()
    assert transfer.status == RequestStatus.COMPLETED
    assert asset.room == room
    assert "调拨已完成" in done.content.decode()


def test_the_form_reports_unknown_codes_and_missing_targets(school: Any, keeper: Any) -> None:
    client = login(keeper)
    response = client.post("/assets/transfers/add/", {"codes": "ZC-0000-999999", "reason": "x"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "ZC-0000-999999" in str(errors["codes"])
    assert "请至少选择一项" in str(errors["__all__"])
    assert not AssetTransfer.objects.exists()


def test_a_lent_asset_is_refused_with_a_message(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(school, keeper)
    make_loan(asset, keeper, borrower_name="王老师")
    response = login(keeper).post(
        "/assets/transfers/add/", {"codes": asset.code, "to_room": room.pk, "reason": "x"}
    )
    assert response.status_code == 422
    assert "无法调拨" in response.content.decode()


def test_a_selection_of_the_register_is_preselected(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    inside = [make_asset(school, keeper, room=room) for _ in range(2)]
    make_asset(school, keeper)
    client = login(keeper)
    by_ids = client.get(f"/assets/transfers/add/?ids={inside[0].pk},{inside[1].pk}")
    assert sorted(by_ids.context["form"]["assets"].value()) == sorted(a.pk for a in inside)
    by_filter = client.get(f"/assets/transfers/add/?room={room.pk}")
    assert sorted(by_filter.context["form"]["assets"].value()) == sorted(a.pk for a in inside)
    empty = client.get("/assets/transfers/add/")
    assert empty.context["form"]["assets"].value() == []


def test_a_transfer_above_the_limit_shows_the_approval_panel(school: Any, keeper: Any) -> None:
    transfer_chain(school)
    AssetSettings.for_school(school.pk)
    AssetSettings.objects.filter(school=school).update(transfer_approval_above=Decimal("100"))
    transfer = make_transfer(
        school,
        keeper,
        [make_asset(school, keeper)],
        to_room=f.RoomFactory(building__campus__school=school),
    )
    client = login(keeper)
    assert client.get(transfer.get_absolute_url()).context["needs_approval"]
    client.post(f"/assets/transfers/{transfer.pk}/submit/")
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.PENDING
    detail = client.get(transfer.get_absolute_url())
    assert detail.context["approval"] is not None
    assert detail.context["can_withdraw"]
    client.post(f"/assets/transfers/{transfer.pk}/withdraw/")
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.WITHDRAWN
    other = f.member(school, "director")
    assert login(other).get(f"/assets/transfers/{transfer.pk}/edit/").status_code == 403


def test_the_buttons_on_the_card_and_the_list(school: Any, keeper: Any, rf: Any) -> None:
    asset = make_asset(school, keeper)
    request = rf.get("/")
    request.user = keeper
    labels = [a["label"] for a in for_asset(request, asset)]
    assert {"Print label", "Transfer", "Lend"} <= set(labels)
    make_loan(asset, keeper, borrower_name="王老师")
    asset.refresh_from_db()
    labels = [a["label"] for a in for_asset(request, asset)]
    assert "Return" in labels and "Lend" not in labels and "Transfer" not in labels
    listed = for_list(request, "room=3")
    urls = {a["label"]: a["url"] for a in listed}
    assert urls["Print labels for this selection"] == "/assets/register/labels/?room=3"
    assert urls["Transfer…"] == "/assets/transfers/add/?room=3"
    request.user = f.member(school, "teacher")
    teacher_sees = {a["label"] for a in for_asset(request, asset)}
    assert not {"Print label", "Transfer", "Lend", "Return"} & teacher_sees


def test_the_list_keeps_a_constant_number_of_queries(school: Any, keeper: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    client = login(keeper)
    make_transfer(school, keeper, [make_asset(school, keeper)], to_room=room)
    client.get("/assets/transfers/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/assets/transfers/").status_code == 200
    for _ in range(4):
        make_transfer(
            school,
            f.member(school, "assetkeeper"),
            [make_asset(school, keeper)],
            to_room=f.RoomFactory(building__campus__school=school),
            to_department=f.DepartmentFactory(school=school),
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get("/assets/transfers/?status=draft")
    assert len(page.context["page"].object_list) == 5
    assert len(many) == len(one)
