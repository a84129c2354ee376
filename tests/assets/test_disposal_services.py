"""Disposal rules: numbering, refusals, approval by tiers, holding and releasing the cards,
completion, and every status move table-driven."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act
from houqin.assets.models import Asset, AssetDisposal, AssetMovement
from houqin.assets.services import disposal as services
from houqin.assets.services.register import AssetError, asset_set_status
from houqin.core.workflow import TransitionError

from .objects_disposal import disposal_world, make_disposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    return disposal_world(school)


def new(w: SimpleNamespace, *assets: Any, **kw: Any) -> AssetDisposal:
    return make_disposal(w.school, w.keeper, list(assets or (w.pc, w.desks)), **kw)


def approval(disposal: AssetDisposal) -> ApprovalRequest:
    return ApprovalRequest.objects.get(object_id=disposal.pk, request_type="asset_disposal")


def status_of(*assets: Any) -> list[str]:
    return [Asset.objects.get(pk=a.pk).status for a in assets]


def approved(w: SimpleNamespace, *assets: Any) -> AssetDisposal:
    disposal = services.disposal_submit(actor=w.keeper, disposal=new(w, *assets))
    approval_act(request=approval(disposal), actor=w.director, action="approve")
    disposal.refresh_from_db()
    assert disposal.status == "approved"
    return disposal


def test_it_numbers_the_disposal_and_snapshots_the_values(w: SimpleNamespace) -> None:
    disposal = new(w)
    year = timezone.localdate().year
    assert re.fullmatch(rf"BF-{year}-\d{{6}}", disposal.number)
    assert disposal.requester == w.keeper
    assert disposal.status == "draft"
    lines = {line.asset_id: line for line in disposal.lines.all()}
    assert lines[w.desks.pk].original_value == Decimal("6000.00")
    assert lines[w.pc.pk].net_value == Asset.objects.get(pk=w.pc.pk).net_value
    assert disposal.total_value == Decimal("10800.00")
    assert disposal.net_value == sum(line.net_value for line in lines.values())
    assert status_of(w.pc, w.desks) == ["in_use", "in_use"]  # a draft holds nothing yet


def test_it_changes_the_lines_of_a_draft(w: SimpleNamespace) -> None:
    disposal = new(w)
    services.disposal_save(actor=w.keeper, disposal=disposal, assets=[w.idle])
    assert list(disposal.lines.values_list("asset_id", flat=True)) == [w.idle.pk]
    assert disposal.total_value == Decimal("3600.00")


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("on_loan", "on loan"),
        ("lost", "lost"),
        ("disposed", "disposed"),
        ("pending_disposal", "awaiting disposal"),
    ],
)
def test_it_refuses_assets_that_cannot_be_disposed_of(
    w: SimpleNamespace, status: str, words: str
) -> None:
    Asset.objects.filter(pk=w.pc.pk).update(status=status)
    before = AssetDisposal.objects.count()
    with pytest.raises(AssetError) as refused:
        new(w, w.pc, w.desks)
    assert w.pc.code in str(refused.value)
    assert words in str(refused.value).lower()
    assert AssetDisposal.objects.count() == before


def test_it_refuses_an_asset_already_in_another_open_disposal(w: SimpleNamespace) -> None:
    first = new(w, w.pc)
    with pytest.raises(AssetError) as refused:
        new(w, w.desks, w.pc)
    assert first.number in str(refused.value)
    assert w.pc.code in str(refused.value)


def test_it_refuses_an_empty_disposal(w: SimpleNamespace) -> None:
    with pytest.raises(AssetError):
        make_disposal(w.school, w.keeper, [])


def test_it_refuses_an_asset_of_another_school(w: SimpleNamespace, other_school: Any) -> None:
    from .objects_disposal import make_asset

    theirs = make_asset(other_school, "别校电脑", keeper=w.keeper)
    with pytest.raises(AssetError):
        make_disposal(w.school, w.keeper, [w.pc, theirs])


def test_small_disposal_needs_only_the_director(w: SimpleNamespace) -> None:
    disposal = services.disposal_submit(actor=w.keeper, disposal=new(w, w.pc, w.idle))
    request = approval(disposal)
    assert request.amount == Decimal("8400.00")
    assert [s.name for s in request.steps.all()] == ["总务处审核"]
    assert disposal.status == "pending"
    assert status_of(w.pc, w.idle) == ["pending_disposal", "pending_disposal"]
    previous = dict(disposal.lines.values_list("asset_id", "previous_status"))
    assert previous == {w.pc.pk: "in_use", w.idle.pk: "idle"}


def test_disposal_above_the_tier_goes_to_the_principal_end_to_end(w: SimpleNamespace) -> None:
    disposal = services.disposal_submit(actor=w.keeper, disposal=new(w, w.server, w.pc))
    request = approval(disposal)
    assert request.amount == Decimal("154800.00")
    assert [s.name for s in request.steps.order_by("order")] == [
        "总务处审核",
        "校长审批（10 万元以上）",
    ]
    with pytest.raises(ApprovalError):
        approval_act(request=request, actor=w.principal, action="approve")  # not yet theirs
    approval_act(request=request, actor=w.director, action="approve")
    disposal.refresh_from_db()
    assert disposal.status == "pending"
    approval_act(request=request, actor=w.principal, action="approve")
    disposal.refresh_from_db()
    assert disposal.status == "approved"
    assert status_of(w.server, w.pc) == ["pending_disposal", "pending_disposal"]

    day = timezone.localdate()
    done = services.disposal_complete(
        actor=w.keeper, disposal=disposal, method="sale", proceeds=Decimal("800"), disposed_on=day
    )
    assert done.status == "completed"
    assert (done.method, done.proceeds) == ("sale", Decimal("800"))
    assert done.completed_at is not None
    for asset in (w.server, w.pc):
        card = Asset.objects.get(pk=asset.pk)
        assert (card.status, card.disposed_at) == ("disposed", day)
        movement = AssetMovement.objects.filter(asset=asset).first()
        assert movement is not None
        assert (movement.kind, movement.reference) == ("disposed", done.number)
        assert (movement.from_status, movement.to_status) == ("pending_disposal", "disposed")
    active = Asset.objects.filter(school=w.school).active()
    assert not active.filter(pk__in=[w.server.pk, w.pc.pk]).exists()
    assert active.filter(pk=w.desks.pk).exists()

    with pytest.raises(AssetError, match="already been completed"):
        services.disposal_complete(
            actor=w.keeper, disposal=disposal, method="sale", proceeds=Decimal("1")
        )
    done.refresh_from_db()
    assert done.proceeds == Decimal("800")


@pytest.mark.parametrize("action", ["reject", "return"])
def test_assets_get_their_previous_status_back(w: SimpleNamespace, action: str) -> None:
    asset_set_status(actor=w.keeper, asset=w.desks, status="under_repair")
    disposal = services.disposal_submit(actor=w.keeper, disposal=new(w, w.idle, w.desks))
    assert status_of(w.idle, w.desks) == ["pending_disposal", "pending_disposal"]
    approval_act(request=approval(disposal), actor=w.director, action=action, reason="再评估")
    disposal.refresh_from_db()
    assert disposal.status == {"reject": "rejected", "return": "returned"}[action]
    assert status_of(w.idle, w.desks) == ["idle", "under_repair"]
    # A rejected disposal no longer holds its cards: they may be disposed of again.
    if action == "reject":
        again = new(w, w.idle)
        assert again.status == "draft"


def test_withdraw_and_resubmit(w: SimpleNamespace) -> None:
    disposal = services.disposal_submit(actor=w.keeper, disposal=new(w, w.pc))
    services.disposal_withdraw(actor=w.keeper, disposal=disposal)
    disposal.refresh_from_db()
    assert disposal.status == "withdrawn"
    assert status_of(w.pc) == ["in_use"]
    resubmitted = services.disposal_submit(actor=w.keeper, disposal=disposal)
    assert resubmitted.status == "pending"
    assert status_of(w.pc) == ["pending_disposal"]
    assert approval(disposal).round == 2


def test_submission_rechecks_the_assets(w: SimpleNamespace) -> None:
    disposal = new(w, w.pc, w.desks)
    asset_set_status(actor=w.keeper, asset=w.pc, status="on_loan")
    with pytest.raises(AssetError, match=w.pc.code):
        services.disposal_submit(actor=w.keeper, disposal=disposal)
    disposal.refresh_from_db()
    assert disposal.status == "draft"
    assert status_of(w.desks) == ["in_use"]
    assert not ApprovalRequest.objects.filter(object_id=disposal.pk).exists()


def test_only_the_requester_submits(w: SimpleNamespace) -> None:
    with pytest.raises(ApprovalError):
        services.disposal_submit(actor=w.director, disposal=new(w))


def test_only_the_asset_keeper_completes(w: SimpleNamespace) -> None:
    disposal = approved(w, w.pc)
    with pytest.raises(AssetError):
        services.disposal_complete(
            actor=w.principal, disposal=disposal, method="sale", proceeds=Decimal(0)
        )
    assert status_of(w.pc) == ["pending_disposal"]


@pytest.mark.parametrize(
    ("proceeds", "days"), [(Decimal("-1"), 0), (Decimal("0"), 1), (Decimal("0"), -400)]
)
def test_completion_checks_proceeds_and_date(
    w: SimpleNamespace, proceeds: Decimal, days: int
) -> None:
    disposal = approved(w, w.pc)
    with pytest.raises(AssetError):
        services.disposal_complete(
            actor=w.keeper,
            disposal=disposal,
            method="recycling",
            proceeds=proceeds,
            disposed_on=timezone.localdate() + datetime.timedelta(days=days),
        )
    disposal.refresh_from_db()
    assert disposal.status == "approved"
    assert status_of(w.pc) == ["pending_disposal"]


def test_completion_refuses_a_card_changed_meanwhile(w: SimpleNamespace) -> None:
    disposal = approved(w, w.pc, w.desks)
    Asset.objects.filter(pk=w.desks.pk).update(status="lost")
    with pytest.raises(AssetError, match=w.desks.code):
        services.disposal_complete(
            actor=w.keeper, disposal=disposal, method="recycling", proceeds=Decimal(0)
        )
    assert status_of(w.pc) == ["pending_disposal"]


# --- every action from every state ---------------------------------------------------------

STATES = ("draft", "pending", "returned", "withdrawn", "approved", "rejected", "completed")
ACTIONS = ("edit", "submit", "withdraw", "approve", "reject", "return", "complete")
# (state, action) -> resulting status; anything not listed must be refused.
ALLOWED = {
    ("draft", "edit"): "draft",
    ("draft", "submit"): "pending",
    ("pending", "withdraw"): "withdrawn",
    ("pending", "approve"): "approved",
    ("pending", "reject"): "rejected",
    ("pending", "return"): "returned",
    ("returned", "edit"): "returned",
    ("returned", "submit"): "pending",
    ("returned", "withdraw"): "withdrawn",
    ("withdrawn", "edit"): "withdrawn",
    ("withdrawn", "submit"): "pending",
    ("approved", "complete"): "completed",
}
# The status the cards have in each state of the disposal.
HELD = {
    "draft": "in_use",
    "pending": "pending_disposal",
    "returned": "in_use",
    "withdrawn": "in_use",
    "approved": "pending_disposal",
    "rejected": "in_use",
    "completed": "disposed",
}


def to_state(w: SimpleNamespace, state: str) -> AssetDisposal:
    disposal = new(w, w.pc)
    if state == "draft":
        return disposal
    services.disposal_submit(actor=w.keeper, disposal=disposal)
    if state in ("returned", "rejected", "approved", "completed"):
        action = {"returned": "return", "rejected": "reject"}.get(state, "approve")
        approval_act(request=approval(disposal), actor=w.director, action=action, reason="x")
    elif state == "withdrawn":
        services.disposal_withdraw(actor=w.keeper, disposal=disposal)
    if state == "completed":
        services.disposal_complete(
            actor=w.keeper, disposal=disposal, method="recycling", proceeds=Decimal(0)
        )
    disposal.refresh_from_db()
    assert disposal.status == state
    return disposal


def do(w: SimpleNamespace, disposal: AssetDisposal, action: str) -> None:
    if action == "edit":
        services.disposal_save(actor=w.keeper, disposal=disposal, assets=[w.pc])
    elif action == "submit":
        services.disposal_submit(actor=w.keeper, disposal=disposal)
    elif action == "withdraw":
        services.disposal_withdraw(actor=w.keeper, disposal=disposal)
    elif action == "complete":
        services.disposal_complete(
            actor=w.keeper, disposal=disposal, method="recycling", proceeds=Decimal(0)
        )
    else:
        request = ApprovalRequest.objects.filter(object_id=disposal.pk).first()
        if request is None:
            raise ApprovalError("not submitted")
        approval_act(request=request, actor=w.director, action=action, reason="x")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_from_every_state(w: SimpleNamespace, state: str, action: str) -> None:
    disposal = to_state(w, state)
    assert status_of(w.pc) == [HELD[state]]
    expected = ALLOWED.get((state, action))
    if expected is None:
        with pytest.raises((AssetError, ApprovalError, TransitionError)):
            do(w, disposal, action)
        disposal.refresh_from_db()
        assert disposal.status == state
        assert status_of(w.pc) == [HELD[state]]
    else:
        do(w, disposal, action)
        disposal.refresh_from_db()
        assert disposal.status == expected
        assert status_of(w.pc) == [HELD[expected]]
