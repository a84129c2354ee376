"""Transfers (调拨): saving, completing at once or through approval, and refusals."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.assets.choices import AssetStatus, MovementKind, RequestStatus
from houqin.assets.models import AssetMovement, AssetSettings, AssetTransfer
from houqin.assets.models.movements import REQUEST_TRANSITIONS
from houqin.assets.services.movements import (
    transfer_save,
    transfer_submit,
    transfer_withdraw,
)
from houqin.assets.services.register import AssetError
from houqin.core.workflow import TransitionError, transition
from tests import factories as f
from tests.assets.objects_movements import make_asset, make_loan, make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


@pytest.fixture
def place(school: Any) -> dict[str, Any]:
    old = f.RoomFactory(building__campus__school=school)
    new = f.RoomFactory(building__campus__school=school, building=old.building)
    return {
        "old": old,
        "new": new,
        "dept": f.DepartmentFactory(school=school),
        "custodian": f.member(school, "teacher"),
    }


def set_limit(school: Any, value: str) -> None:
    AssetSettings.for_school(school.pk)
    AssetSettings.objects.filter(school=school).update(transfer_approval_above=Decimal(value))


def transfer_chain(school: Any) -> ApprovalChain:
    chain = ApprovalChain.objects.create(school=school, request_type="asset_transfer", name="调拨")
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="总务", approver_kind="role", role=f.role("director")
    )
    return chain


def test_it_completes_a_small_transfer_at_once(school: Any, keeper: Any, place: Any) -> None:
    assets = [make_asset(school, keeper, room=place["old"]) for _ in range(2)]
    transfer = make_transfer(
        school,
        keeper,
        assets,
        to_room=place["new"],
        to_custodian=place["custodian"],
        to_department=place["dept"],
    )
    assert re.fullmatch(r"DB-\d{4}-\d{6}", transfer.number)
    assert transfer.total_value == Decimal("9600.00")
    set_limit(school, "100000")
    transfer = transfer_submit(actor=keeper, transfer=transfer)
    assert transfer.status == RequestStatus.COMPLETED
    assert transfer.completed_at is not None
    for asset in assets:
        asset.refresh_from_db()
        assert asset.room == place["new"]
        assert asset.custodian == place["custodian"]
        assert asset.department == place["dept"]
        movement = AssetMovement.objects.filter(asset=asset).first()
        assert movement is not None
        assert movement.kind == MovementKind.TRANSFERRED
        assert movement.reference == transfer.number
        assert movement.reference_url == transfer.get_absolute_url()
        assert movement.from_room_id == place["old"].pk
    line = transfer.lines.first()
    assert line.from_room_id == place["old"].pk
    assert not ApprovalRequest.objects.exists()


def test_it_keeps_what_is_not_a_target(school: Any, keeper: Any, place: Any) -> None:
    asset = make_asset(school, keeper, room=place["old"], department=place["dept"])
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    transfer_submit(actor=keeper, transfer=transfer)
    asset.refresh_from_db()
    assert (asset.room, asset.department) == (place["new"], place["dept"])


@pytest.mark.parametrize(
    "status",
    [
        AssetStatus.DISPOSED,
        AssetStatus.LOST,
        AssetStatus.ON_LOAN,
        AssetStatus.PENDING_DISPOSAL,
    ],
)
def test_it_refuses_assets_that_cannot_move(
    school: Any, keeper: Any, place: Any, status: str
) -> None:
    asset = make_asset(school, keeper, room=place["old"])
    with pytest.raises(AssetError, match="cannot be moved"):
        make_transfer(
            school,
            keeper,
            [_with_status(asset, status)],
            to_room=place["new"],
        )
    assert not AssetTransfer.objects.exists()


def _with_status(asset: Any, status: str) -> Any:
    type(asset).objects.filter(pk=asset.pk).update(status=status)
    asset.refresh_from_db()
    return asset


def test_it_refuses_at_completion_an_asset_lent_meanwhile(
    school: Any, keeper: Any, place: Any
) -> None:
    asset = make_asset(school, keeper, room=place["old"])
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    make_loan(asset, keeper, borrower_name="王老师")
    with pytest.raises(AssetError, match="cannot be moved"):
        transfer_submit(actor=keeper, transfer=transfer)
    transfer.refresh_from_db()
    asset.refresh_from_db()
    assert transfer.status == RequestStatus.DRAFT
    assert asset.room == place["old"]


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({}, "at least one"),
        ({"other_room": True}, "room of this school"),
        ({"other_department": True}, "department of this school"),
        ({"outsider": True}, "not a member"),
    ],
)
def test_it_refuses_bad_targets(
    school: Any, other_school: Any, keeper: Any, targets: dict[str, Any], message: str
) -> None:
    asset = make_asset(school, keeper)
    kwargs: dict[str, Any] = {}
    if targets.get("other_room"):
        kwargs["to_room"] = f.RoomFactory(building__campus__school=other_school)
    if targets.get("other_department"):
        kwargs["to_department"] = f.DepartmentFactory(school=other_school)
    if targets.get("outsider"):
        kwargs["to_custodian"] = f.member(other_school, "teacher")
    with pytest.raises(AssetError, match=message):
        make_transfer(school, keeper, [asset], **kwargs)


def test_it_refuses_assets_of_another_school(
    school: Any, other_school: Any, keeper: Any, place: Any
) -> None:
    mine = make_asset(school, keeper)
    theirs = make_asset(other_school, f.member(other_school, "assetkeeper"))
    with pytest.raises(AssetError, match="same school"):
        make_transfer(school, keeper, [mine, theirs], to_room=place["new"])


def test_only_the_requester_changes_or_submits(school: Any, keeper: Any, place: Any) -> None:
    asset = make_asset(school, keeper)
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    director = f.member(school, "director")
    with pytest.raises(AssetError, match="Only the requester"):
        transfer_save(actor=director, transfer=transfer, assets=[asset])
    with pytest.raises(AssetError, match="Only the requester"):
        transfer_submit(actor=director, transfer=transfer)


def test_it_replaces_the_lines_when_edited(school: Any, keeper: Any, place: Any) -> None:
    first, second = make_asset(school, keeper), make_asset(school, keeper, price="900")
    transfer = make_transfer(school, keeper, [first], to_room=place["new"])
    transfer = transfer_save(actor=keeper, transfer=transfer, assets=[second])
    assert list(transfer.lines.values_list("asset_id", flat=True)) == [second.pk]
    assert transfer.total_value == second.original_value


def test_it_goes_through_approval_above_the_limit(school: Any, keeper: Any, place: Any) -> None:
    transfer_chain(school)
    director = f.member(school, "director")
    set_limit(school, "1000")
    asset = make_asset(school, keeper, room=place["old"])
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    transfer = transfer_submit(actor=keeper, transfer=transfer)
    assert transfer.status == RequestStatus.PENDING
    asset.refresh_from_db()
    assert asset.room == place["old"]
    request = ApprovalRequest.objects.get(object_id=transfer.pk)
    assert request.amount == transfer.total_value
    approval_act(request=request, actor=director, action="approve")
    transfer.refresh_from_db()
    asset.refresh_from_db()
    assert transfer.status == RequestStatus.COMPLETED
    assert asset.room == place["new"]
    assert asset.movements.filter(kind=MovementKind.TRANSFERRED, reference=transfer.number)


def test_an_approval_cannot_move_an_asset_lent_meanwhile(
    school: Any, keeper: Any, place: Any
) -> None:
    transfer_chain(school)
    director = f.member(school, "director")
    set_limit(school, "0")
    asset = make_asset(school, keeper, room=place["old"])
    transfer = transfer_submit(
        actor=keeper, transfer=make_transfer(school, keeper, [asset], to_room=place["new"])
    )
    make_loan(asset, keeper, borrower_name="李老师")
    request = ApprovalRequest.objects.get(object_id=transfer.pk)
    with pytest.raises(ApprovalError, match="cannot be moved"):
        approval_act(request=request, actor=director, action="approve")
    transfer.refresh_from_db()
    request.refresh_from_db()
    assert transfer.status == RequestStatus.PENDING
    assert request.status == "pending"


def test_it_is_rejected_returned_resubmitted_and_withdrawn(
    school: Any, keeper: Any, place: Any
) -> None:
    transfer_chain(school)
    director = f.member(school, "director")
    set_limit(school, "0")
    asset = make_asset(school, keeper, room=place["old"])
    transfer = transfer_submit(
        actor=keeper, transfer=make_transfer(school, keeper, [asset], to_room=place["new"])
    )
    request = ApprovalRequest.objects.get(object_id=transfer.pk)
    approval_act(request=request, actor=director, action="return", reason="写清楚原因")
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.RETURNED
    transfer = transfer_submit(actor=keeper, transfer=transfer)
    assert transfer.status == RequestStatus.PENDING
    transfer = transfer_withdraw(actor=keeper, transfer=transfer)
    assert transfer.status == RequestStatus.WITHDRAWN
    transfer = transfer_submit(actor=keeper, transfer=transfer)
    assert transfer.status == RequestStatus.PENDING
    request.refresh_from_db()
    approval_act(request=request, actor=director, action="reject", reason="不同意")
    transfer.refresh_from_db()
    asset.refresh_from_db()
    assert transfer.status == RequestStatus.REJECTED
    assert asset.room == place["old"]
    with pytest.raises(AssetError):
        transfer_submit(actor=keeper, transfer=transfer)


def test_without_a_chain_nothing_is_submitted(school: Any, keeper: Any, place: Any) -> None:
    set_limit(school, "0")
    asset = make_asset(school, keeper)
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    with pytest.raises(ApprovalError, match="No approval chain"):
        transfer_submit(actor=keeper, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == RequestStatus.DRAFT


STATUSES = [choice for choice, _label in RequestStatus.choices]


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("target", STATUSES)
def test_transition_table(school: Any, keeper: Any, place: Any, start: str, target: str) -> None:
    asset = make_asset(school, keeper)
    transfer = make_transfer(school, keeper, [asset], to_room=place["new"])
    AssetTransfer.objects.filter(pk=transfer.pk).update(status=start)
    transfer.refresh_from_db()
    if target in REQUEST_TRANSITIONS[start]:
        moved = transition(transfer, target, actor=keeper, check_permission=False)
        assert moved.status == target
    else:
        with pytest.raises(TransitionError):
            transition(transfer, target, actor=keeper, check_permission=False)
