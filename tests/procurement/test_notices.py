"""Purchasing notices: the purchasing office hears of approved requests, the requester of
the order and the goods received (the approvals app alone tells them of the decision), the
asset keepers of asset cards to make and the storekeepers of goods put into the store."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from houqin.approvals.services import ApprovalError
from houqin.notifications import events
from houqin.notifications.models import ChannelPreference, Notification
from houqin.notifications.services import preferences
from houqin.procurement.models import ProcurementSettings
from houqin.procurement.services import notices
from houqin.procurement.services import requests as services
from houqin.procurement.services.acceptance import LineInput, acceptance_confirm, acceptance_save
from houqin.procurement.services.orders import (
    purchase_order_consolidate,
    purchase_order_place,
    purchase_order_update,
)
from tests import factories as f
from tests import supplies

from .objects_orders import approved_request
from .test_requests_services import approve_all, draft, make_office

pytestmark = pytest.mark.django_db
PROCUREMENT_EVENTS = (
    notices.TO_ORDER,
    notices.ORDERED,
    notices.RECEIVED,
    notices.CANCELLED,
    notices.ASSETS_WAITING,
    notices.STOCKED,
)


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    """Run an action and the notices it leaves for after the commit."""

    def call(service: Any, /, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    return make_office(school)


def told(user: Any, event: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=user)
    if event is not None:
        found = found.filter(event=event)
    return list(found.order_by("pk"))


def test_the_events_are_offered_in_the_channel_settings(school: Any) -> None:
    person = f.member(school, "teacher")
    offered = preferences(person)
    for code in PROCUREMENT_EVENTS:
        assert events.EVENTS[code].choosable
        assert offered[code] == {"in_app": True, "email": True}


def test_final_approval_tells_the_purchasers_and_the_requester_once(
    office: SimpleNamespace, run: Any
) -> None:
    director = f.member(office.school, "director")
    storekeeper = f.member(office.school, "storekeeper")
    request = draft(office, ("投影仪", "2", "3000"))
    run(services.purchase_request_submit, actor=office.teacher, request=request)
    approval = run(lambda: approve_all(request, office.head))
    assert approval.status == "pending"
    assert told(office.purchaser, notices.TO_ORDER) == []  # not before the last step

    run(lambda: approve_all(request, office.vp))
    request.refresh_from_db()
    assert request.status == "approved"
    for person in (office.purchaser, director):
        [notice] = told(person, notices.TO_ORDER)
        assert notice.title == f"To order: {request.number} 期中考试用品"
        assert "投影仪 2 个" in notice.body and "6,000.00" in notice.body
        assert notice.url == "/procurement/orders/consolidate/"
    assert told(storekeeper) == []
    # The requester hears of the decision from the approvals app only.
    assert [n.event for n in told(office.teacher)] == ["approval.approved"]


def test_a_rejection_tells_only_the_requester(office: SimpleNamespace, run: Any) -> None:
    from houqin.approvals.models import ApprovalRequest
    from houqin.approvals.services import approval_act

    request = draft(office)
    run(services.purchase_request_submit, actor=office.teacher, request=request)
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    run(approval_act, request=approval, actor=office.head, action="reject", reason="不需要")
    assert [n.event for n in told(office.teacher)] == ["approval.rejected"]
    assert told(office.purchaser) == []


def test_an_approval_refused_by_the_budget_tells_nobody(office: SimpleNamespace, run: Any) -> None:
    request = draft(office, ("投影仪", "1", "4000"))
    run(services.purchase_request_submit, actor=office.teacher, request=request)
    # The line is used up elsewhere meanwhile; the school's policy (by default) blocks.
    from houqin.finance.services.budgets import budget_commit

    budget_commit(line=office.line, amount=Decimal("9000"), actor=office.vp, source_type="x")
    with pytest.raises(ApprovalError):
        run(lambda: approve_all(request, office.head))
    assert told(office.purchaser) == []
    assert told(office.teacher) == []


def test_cancellation_by_the_office_tells_the_requester(office: SimpleNamespace, run: Any) -> None:
    request = approved_request(office.school, office.department, office.teacher, [("纸", 1, "2")])
    run(
        services.purchase_request_cancel,
        actor=office.purchaser,
        request=request,
        reason="学校已有库存",
    )
    [notice] = told(office.teacher, notices.CANCELLED)
    assert notice.body == "Reason: 学校已有库存"
    assert notice.url == request.get_absolute_url()


def test_cancelling_ones_own_draft_tells_nobody(office: SimpleNamespace, run: Any) -> None:
    request = draft(office)
    run(services.purchase_request_cancel, actor=office.teacher, request=request)
    assert Notification.objects.count() == 0


@pytest.fixture
def bought(office: SimpleNamespace, run: Any) -> SimpleNamespace:
    """Two approved requests (two requesters) for paper from the store and a computer,
    consolidated into one placed order."""
    school = office.school
    grade = f.DepartmentFactory(school=school, name="初一年级组")
    other = f.member(school, "teacher", department=grade)
    storekeeper = f.member(school, "storekeeper")
    assetkeeper = f.member(school, "assetkeeper")
    paper = supplies.stock_item(school, name="A4纸", unit="包")
    first = approved_request(
        school, office.department, office.teacher, [("A4纸", 40, "25", paper)], title="考试用纸"
    )
    second = approved_request(
        school, grade, other, [("A4纸", 10, "25", paper), ("台式计算机", 1, "4800")], title="年级"
    )
    ProcurementSettings.objects.create(school=school, quote_threshold=Decimal("50000"))
    supplier = supplies.supplier(school, name="得力办公用品公司")
    order = run(
        purchase_order_consolidate,
        actor=office.purchaser,
        lines=[*first.lines.all(), *second.lines.all()],
        title="本月采购",
        supplier=supplier,
    )
    assert Notification.objects.count() == 0  # a draft order tells nobody yet
    purchase_order_update(
        actor=office.purchaser,
        order=order,
        title="本月采购",
        supplier=supplier,
        expected_on=datetime.date(2026, 3, 20),
    )
    return SimpleNamespace(
        order=order,
        first=first,
        second=second,
        other=other,
        storekeeper=storekeeper,
        assetkeeper=assetkeeper,
        paper=paper,
    )


def test_placing_tells_each_requester_what_was_ordered(
    office: SimpleNamespace, bought: SimpleNamespace, run: Any
) -> None:
    run(purchase_order_place, actor=office.purchaser, order=bought.order)
    [mine] = told(office.teacher, notices.ORDERED)
    assert mine.title == f"Ordered: {bought.first.number} 考试用纸"
    assert mine.body == (
        f"Order {bought.order.number} from 得力办公用品公司: A4纸 40 包; expected on 2026-03-20"
    )
    assert mine.url == bought.first.get_absolute_url()
    [theirs] = told(bought.other, notices.ORDERED)
    assert "A4纸 10 包、台式计算机 1 个" in theirs.body
    assert told(office.purchaser) == []  # the actor is never told


def accept(office: SimpleNamespace, bought: SimpleNamespace, run: Any, **accepted: str) -> Any:
    run(purchase_order_place, actor=office.purchaser, order=bought.order)
    lines = {line.item_name: line for line in bought.order.lines.all()}
    acceptance = acceptance_save(
        actor=office.purchaser,
        order=bought.order,
        delivered_on=datetime.date.today(),
        lines=[
            LineInput(lines[name].pk, Decimal(qty), Decimal(qty)) for name, qty in accepted.items()
        ],
        acceptors=[office.purchaser, bought.storekeeper],
    )
    return run(acceptance_confirm, actor=office.purchaser, acceptance=acceptance)


def test_acceptance_tells_requesters_storekeepers_and_asset_keepers(
    office: SimpleNamespace, bought: SimpleNamespace, run: Any
) -> None:
    done = accept(office, bought, run, **{"A4纸": "50", "台式计算机": "1"})
    [mine] = told(office.teacher, notices.RECEIVED)
    assert mine.title == f"Received: {bought.first.number} 考试用纸"
    assert mine.body == f"Accepted with delivery {done.number}: A4纸 40 包"
    [theirs] = told(bought.other, notices.RECEIVED)
    assert theirs.body.endswith("A4纸 10 包、台式计算机 1 个")
    [stocked] = told(bought.storekeeper, notices.STOCKED)
    assert stocked.body == "A4纸 50 包"
    assert stocked.url == done.get_absolute_url()
    [cards] = told(bought.assetkeeper, notices.ASSETS_WAITING)
    assert cards.body == "台式计算机 1 个"
    assert cards.url == "/procurement/intake/"
    assert told(bought.assetkeeper, notices.STOCKED) == []


def test_a_partial_delivery_tells_only_whom_it_reached(
    office: SimpleNamespace, bought: SimpleNamespace, run: Any
) -> None:
    accept(office, bought, run, **{"A4纸": "30"})
    [mine] = told(office.teacher, notices.RECEIVED)
    assert mine.body.endswith("A4纸 30 包")
    assert told(bought.other, notices.RECEIVED) == []  # the first request's line came first
    assert told(bought.assetkeeper) == []


def test_a_refused_confirmation_sends_nothing(
    office: SimpleNamespace, bought: SimpleNamespace, run: Any
) -> None:
    from houqin.procurement.services.acceptance import AcceptanceError

    ProcurementSettings.objects.filter(school=office.school).update(
        bulk_acceptance_threshold=Decimal("1")
    )
    run(purchase_order_place, actor=office.purchaser, order=bought.order)
    line = bought.order.lines.get(item_name="A4纸")
    acceptance = acceptance_save(
        actor=office.purchaser,
        order=bought.order,
        delivered_on=datetime.date.today(),
        lines=[LineInput(line.pk, Decimal("5"), Decimal("5"))],
        acceptors=[office.purchaser],
    )
    before = Notification.objects.count()
    with pytest.raises(AcceptanceError):
        run(acceptance_confirm, actor=office.purchaser, acceptance=acceptance)
    assert Notification.objects.count() == before


def test_the_requester_may_turn_a_notice_off(
    office: SimpleNamespace, bought: SimpleNamespace, run: Any
) -> None:
    ChannelPreference.objects.create(
        user=office.teacher, event=notices.ORDERED, in_app=False, email=False
    )
    run(purchase_order_place, actor=office.purchaser, order=bought.order)
    assert told(office.teacher) == []
    assert len(told(bought.other, notices.ORDERED)) == 1
