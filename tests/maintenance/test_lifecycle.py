"""The work order's life, edge by edge, through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.maintenance.choices import HoldReason, OrderStatus
from houqin.maintenance.services.closing import (
    work_order_cancel,
    work_order_rate,
    work_order_verify,
)
from houqin.maintenance.services.orders import (
    WorkOrderError,
    work_order_accept,
    work_order_assign,
    work_order_finish,
    work_order_hold,
    work_order_return,
    work_order_start,
)
from tests import factories as f

from .factories import order, rule

pytestmark = pytest.mark.django_db
S = OrderStatus


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    return {
        "worker": f.member(school, "worker"),
        "other_worker": f.member(school, "worker"),
        "director": f.member(school, "director"),
        "teacher": f.member(school, "teacher"),
    }


def test_it_dispatches_by_rule_and_runs_to_rated(school: Any, people: dict[str, Any]) -> None:
    rule(school, people["worker"])
    wo = order(school, requester=people["teacher"])
    assert wo.status == S.ASSIGNED and wo.assignee == people["worker"]
    assert wo.number.startswith("WX-")
    wo = work_order_accept(actor=people["worker"], order=wo)
    assert wo.accepted_at and wo.response_seconds is not None and wo.responded_on_time
    wo = work_order_start(actor=people["worker"], order=wo)
    wo = work_order_finish(
        actor=people["worker"],
        order=wo,
        work_notes="换电容",
        labour_minutes=30,
        parts=[{"name": "电容", "quantity": 2, "unit": "个", "unit_price": "4.50"}],
        contractor_cost=Decimal("0"),
    )
    assert wo.status == S.AWAITING_VERIFICATION
    assert wo.parts_cost == Decimal("9.00") and wo.total_cost == Decimal("9.00")
    wo = work_order_rate(actor=people["teacher"], order=wo, rating=5, comment="很快")
    assert wo.status == S.RATED and wo.rating == 5 and wo.closed_at


def test_it_refuses_strangers_and_illegal_moves(school: Any, people: dict[str, Any]) -> None:
    wo = order(school, requester=people["teacher"])
    assert wo.status == S.NEW
    with pytest.raises(WorkOrderError):
        work_order_assign(actor=people["teacher"], order=wo, assignee=people["worker"])
    wo = work_order_assign(actor=people["director"], order=wo, assignee=people["worker"])
    with pytest.raises(WorkOrderError):
        work_order_accept(actor=people["other_worker"], order=wo)
    with pytest.raises(WorkOrderError):
        work_order_finish(actor=people["worker"], order=wo, work_notes="x")
    with pytest.raises(WorkOrderError):
        work_order_rate(actor=people["teacher"], order=wo, rating=5)


def test_it_holds_returns_reopens_and_cancels(school: Any, people: dict[str, Any]) -> None:
    wo = order(school, requester=people["teacher"])
    wo = work_order_assign(actor=people["director"], order=wo, assignee=people["worker"])
    wo = work_order_start(actor=people["worker"], order=wo)
    due = wo.resolve_due
    wo = work_order_hold(actor=people["worker"], order=wo, reason=HoldReason.PARTS)
    assert wo.status == S.ON_HOLD and wo.held_at
    wo = work_order_start(actor=people["worker"], order=wo)
    assert wo.status == S.IN_PROGRESS and wo.held_at is None and wo.resolve_due >= due
    wo = work_order_finish(actor=people["worker"], order=wo, work_notes="修好")
    wo = work_order_verify(actor=people["teacher"], order=wo, accepted=False, comment="还是不转")
    assert wo.status == S.IN_PROGRESS and wo.finished_at is None
    wo = work_order_return(actor=people["worker"], order=wo, reason="需要电工证")
    assert wo.status == S.RETURNED and wo.assignee is None
    wo = work_order_cancel(actor=people["director"], order=wo, reason="重复")
    assert wo.status == S.CANCELLED


def test_it_closes_orders_nobody_requested_without_verification(
    school: Any, people: dict[str, Any]
) -> None:
    from houqin.maintenance.choices import OrderSource
    from houqin.maintenance.services.orders import work_order_open

    from .factories import category

    wo = work_order_open(
        actor=people["director"],
        school_id=school.pk,
        category=category("aircon"),
        title="清洗空调",
        source=OrderSource.PLAN,
        assignee=people["worker"],
    )
    wo = work_order_start(actor=people["worker"], order=wo)
    wo = work_order_finish(actor=people["worker"], order=wo, work_notes="清洗完毕")
    assert wo.status == S.COMPLETED and wo.closed_at
