"""Consolidation, quotes (三方比价), purchase intentions, placing, cancelling and closing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from houqin.core.workflow import TransitionError
from houqin.procurement.choices import LineStatus, OrderStatus, RequestStatus
from houqin.procurement.models import ProcurementSettings, PurchaseOrder
from houqin.procurement.services.amounts import yuan_in_words
from houqin.procurement.services.orders import (
    OrderError,
    group_lines,
    open_lines,
    place_problems,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_consolidate,
    purchase_order_place,
    purchase_order_update,
)
from houqin.procurement.services.quotes import quotation_choose, quotation_save, quote_comparison
from tests import factories as f
from tests import supplies

from .objects_orders import approved_request

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    office = f.DepartmentFactory(school=school, name="教务处")
    grade = f.DepartmentFactory(school=school, name="初一年级")
    return {
        "office": office,
        "grade": grade,
        "teacher": f.member(school, "teacher", department=office),
        "purchaser": f.member(school, "purchaser"),
        "evaluators": [f.member(school, "teacher") for _ in range(3)],
    }


def two_requests(school: Any, people: dict[str, Any]) -> tuple[Any, Any]:
    first = approved_request(
        school,
        people["office"],
        people["teacher"],
        [("A4纸", 10, "25", None, "70g"), ("订书机", 2, "30")],
    )
    second = approved_request(
        school,
        people["grade"],
        people["teacher"],
        [("A4纸", 30, "21", None, "70g"), ("白板笔", 20, "3")],
    )
    return first, second


def test_it_groups_open_lines_by_item(school: Any, people: dict[str, Any]) -> None:
    two_requests(school, people)
    groups = group_lines(open_lines([school.pk]))
    paper = next(g for g in groups if g.item_name == "A4纸")
    assert paper.quantity == Decimal("40")
    assert paper.departments == ["初一年级", "教务处"]
    assert len(groups) == 3


def test_it_consolidates_lines_of_two_requests_into_one_order(
    school: Any, people: dict[str, Any]
) -> None:
    first, second = two_requests(school, people)
    paper = [*first.lines.filter(item_name="A4纸"), *second.lines.filter(item_name="A4纸")]
    order = purchase_order_consolidate(actor=people["purchaser"], lines=paper, title="纸张")
    assert order.number.startswith("DD-")
    assert order.status == OrderStatus.DRAFT
    line = order.lines.get()
    assert line.quantity == Decimal("40")
    # weighted average: (10×25 + 30×21) / 40 = 22
    assert line.estimated_price == Decimal("22.00") == line.unit_price
    assert order.estimated_total == Decimal("880.00") == order.total
    assert (order.line_count, order.merged_count) == (1, 2)
    first.refresh_from_db()
    assert first.status == RequestStatus.ORDERING  # the stapler is still to be ordered
    assert set(first.lines.values_list("status", flat=True)) == {
        LineStatus.OPEN,
        LineStatus.ORDERED,
    }
    # The lines are taken: a second order cannot use them.
    with pytest.raises(OrderError, match="no longer waiting"):
        purchase_order_consolidate(actor=people["purchaser"], lines=paper, title="again")
    rest = [*first.lines.filter(status="open"), *second.lines.filter(status="open")]
    purchase_order_consolidate(actor=people["purchaser"], lines=rest, title="其他")
    first.refresh_from_db()
    assert first.status == RequestStatus.ORDERED


def test_it_refuses_consolidation_without_permission_or_lines(
    school: Any, people: dict[str, Any]
) -> None:
    first, _second = two_requests(school, people)
    with pytest.raises(OrderError, match="may not"):
        purchase_order_consolidate(
            actor=people["teacher"], lines=list(first.lines.all()), title="x"
        )
    with pytest.raises(OrderError, match="at least one"):
        purchase_order_consolidate(actor=people["purchaser"], lines=[], title="x")
    assert not PurchaseOrder.objects.exists()


def big_order(school: Any, people: dict[str, Any]) -> PurchaseOrder:
    request = approved_request(
        school, people["office"], people["teacher"], [("投影仪", 2, "4000"), ("幕布", 2, "500")]
    )
    return purchase_order_consolidate(
        actor=people["purchaser"], lines=list(request.lines.all()), title="多媒体"
    )


def quote(order: PurchaseOrder, purchaser: Any, *prices: str) -> Any:
    lines = list(order.lines.order_by("pk"))
    return quotation_save(
        actor=purchaser,
        order=order,
        supplier=supplies.supplier(order.school),
        quoted_on=TODAY,
        prices={line.pk: Decimal(price) for line, price in zip(lines, prices, strict=True)},
    )


def test_it_places_a_small_order_without_quotes(school: Any, people: dict[str, Any]) -> None:
    request = approved_request(school, people["office"], people["teacher"], [("笔", 10, "3")])
    order = purchase_order_consolidate(
        actor=people["purchaser"], lines=list(request.lines.all()), title="笔"
    )
    with pytest.raises(OrderError, match="Choose the supplier"):
        purchase_order_place(actor=people["purchaser"], order=order)
    supplier = supplies.supplier(school)
    purchase_order_update(
        actor=people["purchaser"],
        order=order,
        title="笔",
        supplier=supplier,
        prices={order.lines.get().pk: Decimal("2.5")},
    )
    order.refresh_from_db()
    assert order.total == Decimal("25.00") and order.savings == Decimal("5.00")
    purchase_order_place(actor=people["purchaser"], order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED and order.placed_at is not None
    with pytest.raises(OrderError, match="can no longer be changed"):
        purchase_order_update(actor=people["purchaser"], order=order, title="x", supplier=supplier)


def test_it_names_everything_missing_for_three_quotes(school: Any, people: dict[str, Any]) -> None:
    order = big_order(school, people)
    quote(order, people["purchaser"], "3800", "450")
    order.refresh_from_db()
    assert order.status == OrderStatus.QUOTING
    problems = " ".join(place_problems(order))
    assert "at least 3 suppliers" in problems and "has 1" in problems
    assert "Choose one of the quotes" in problems
    assert "At least 3 people must evaluate" in problems
    assert "reason for the choice" in problems
    with pytest.raises(OrderError):
        purchase_order_place(actor=people["purchaser"], order=order)


def test_it_compares_quotes_and_places_the_chosen_one(school: Any, people: dict[str, Any]) -> None:
    order = big_order(school, people)
    cheap = quote(order, people["purchaser"], "3700", "520")
    quote(order, people["purchaser"], "3900", "420")
    quote(order, people["purchaser"], "4100", "480")
    comparison = quote_comparison(order)
    assert [q.total for q in comparison.quotes] == [
        Decimal("8440.00"),
        Decimal("8640.00"),
        Decimal("9160.00"),
    ]
    assert comparison.rows[0]["cells"][0]["lowest"] is True  # 3700 for the projector
    assert comparison.rows[1]["cells"][1]["lowest"] is True  # 420 for the screen
    with pytest.raises(OrderError, match="reason"):
        quotation_choose(
            actor=people["purchaser"], quotation=cheap, evaluators=people["evaluators"], reason=" "
        )
    quotation_choose(
        actor=people["purchaser"],
        quotation=cheap,
        evaluators=people["evaluators"][:2],
        reason="总价最低",
    )
    order.refresh_from_db()
    assert order.supplier == cheap.supplier
    assert order.total == Decimal("8440.00")
    assert order.savings == Decimal("560.00")
    assert list(order.lines.order_by("pk").values_list("is_asset", flat=True)) == [True, False]
    with pytest.raises(OrderError, match="At least 3 people"):
        purchase_order_place(actor=people["purchaser"], order=order)
    quotation_choose(
        actor=people["purchaser"],
        quotation=cheap,
        evaluators=people["evaluators"],
        reason="总价最低",
    )
    purchase_order_place(actor=people["purchaser"], order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED


def test_it_refuses_a_second_quote_of_the_same_supplier(
    school: Any, people: dict[str, Any]
) -> None:
    order = big_order(school, people)
    first = quote(order, people["purchaser"], "3700", "520")
    with pytest.raises(OrderError, match="already quoted"):
        quotation_save(
            actor=people["purchaser"],
            order=order,
            supplier=first.supplier,
            quoted_on=TODAY,
            prices={line.pk: Decimal("1") for line in order.lines.all()},
        )
    with pytest.raises(OrderError, match="every line"):
        quotation_save(
            actor=people["purchaser"],
            order=order,
            supplier=supplies.supplier(school),
            quoted_on=TODAY,
            prices={},
        )


def test_it_waits_for_the_purchase_intention(school: Any, people: dict[str, Any]) -> None:
    ProcurementSettings.objects.create(
        school=school, quote_threshold=Decimal("100000"), intention_threshold=Decimal("5000")
    )
    order = big_order(school, people)
    supplier = supplies.supplier(school)
    purchase_order_update(actor=people["purchaser"], order=order, title="多媒体", supplier=supplier)
    with pytest.raises(OrderError, match="enter the date it was published"):
        purchase_order_place(actor=people["purchaser"], order=order)
    purchase_order_update(
        actor=people["purchaser"],
        order=order,
        title="多媒体",
        supplier=supplier,
        intention_published_on=TODAY - datetime.timedelta(days=10),
    )
    with pytest.raises(OrderError, match="may be placed from"):
        purchase_order_place(actor=people["purchaser"], order=order)
    purchase_order_update(
        actor=people["purchaser"],
        order=order,
        title="多媒体",
        supplier=supplier,
        intention_published_on=TODAY - datetime.timedelta(days=30),
    )
    purchase_order_place(actor=people["purchaser"], order=order)


def test_cancelling_puts_the_lines_back(school: Any, people: dict[str, Any]) -> None:
    first, _second = two_requests(school, people)
    order = purchase_order_consolidate(
        actor=people["purchaser"], lines=list(first.lines.all()), title="x"
    )
    first.refresh_from_db()
    assert first.status == RequestStatus.ORDERED
    assert order.merged_count == first.lines.count()
    assert order.line_count == order.lines.count()
    with pytest.raises(OrderError, match="why"):
        purchase_order_cancel(actor=people["purchaser"], order=order, reason="")
    purchase_order_cancel(actor=people["purchaser"], order=order, reason="供应商停产")
    first.refresh_from_db()
    assert first.status == RequestStatus.APPROVED
    assert set(first.lines.values_list("status", flat=True)) == {LineStatus.OPEN}
    order.refresh_from_db()
    assert order.merged_count == 0
    with pytest.raises(TransitionError):
        purchase_order_cancel(actor=people["purchaser"], order=order, reason="again")


def test_closing_cancels_what_was_not_delivered(school: Any, people: dict[str, Any]) -> None:
    line = supplies.budget_line(school, people["office"], amount="1000")
    request = approved_request(
        school, people["office"], people["teacher"], [("笔", 10, "3")], budget=line
    )
    order = purchase_order_consolidate(
        actor=people["purchaser"],
        lines=list(request.lines.all()),
        title="笔",
        supplier=supplies.supplier(school),
    )
    purchase_order_place(actor=people["purchaser"], order=order)
    purchase_order_close(actor=people["purchaser"], order=order, reason="不再需要")
    request.refresh_from_db()
    line.refresh_from_db()
    assert request.lines.get().status == LineStatus.CANCELLED
    assert request.status == RequestStatus.CANCELLED
    assert request.committed == 0 and line.committed == 0


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("1234.50", "壹仟贰佰叁拾肆元伍角整"),
        ("1000000", "壹佰万元整"),
        ("10010", "壹万零壹拾元整"),
        ("20.07", "贰拾元零柒分"),
        ("0.05", "伍分"),
        ("100000001", "壹亿零壹元整"),
        ("0", "零元整"),
    ],
)
def test_it_writes_amounts_in_capital_numerals(amount: str, words: str) -> None:
    assert yuan_in_words(amount) == words
