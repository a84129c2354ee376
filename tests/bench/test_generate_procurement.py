"""The generated purchasing history is consistent like the services write it."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Count, F, Q, Sum

from bench.generate import rows_preset
from houqin.approvals.models import ApprovalRequest
from houqin.finance.models import BudgetEntry
from houqin.inventory.models import StockItem
from houqin.procurement.credit_code import credit_code_error
from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    AssetIntake,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    Quotation,
    Supplier,
)
from houqin.procurement.services.requests import _status_from_lines

from .test_generate_finance import build, ledger_problems, status_problems

ZERO = Decimal("0")
PARTS = ("org", "finance", "procurement")


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def with_store(preset_rows: int):  # type: ignore[no-untyped-def]
    """The world with a few store items of the first school, as the store part leaves them."""
    ctx = build(rows_preset(preset_rows), ("org", "finance"))
    school = ctx.schools[0]
    items = [
        StockItem.objects.create(
            school_id=school.id, code=f"S{n}", name=name, unit=unit, category=category
        )
        for n, (name, unit, category) in enumerate(
            [("中性笔", "支", "office"), ("复印纸", "包", "paper"), ("拖把", "把", "cleaning")] * 2
        )
    ]
    ctx.shared["stock_items"] = {
        school.id: [(i.pk, i.name, i.unit, Decimal("3.50"), i.category) for i in items]
    }
    from bench.generate import procurement

    procurement.generate(ctx)
    return ctx


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return build(rows_preset(10), PARTS)


def test_it_writes_suppliers_requests_and_orders(world):  # type: ignore[no-untyped-def]
    assert PurchaseRequestLine.objects.count() == 10
    assert Supplier.objects.count() >= 12
    # Even this small a world has an object for every detail page.
    for model in (PurchaseOrder, Quotation, Acceptance, AssetIntake):
        assert model.objects.exists(), model.__name__
    assert all(
        credit_code_error(code) is None
        for code in Supplier.objects.values_list("credit_code", flat=True)
    )
    assert ledger_problems() == []


def test_it_keeps_a_thousand_lines_consistent(db):  # type: ignore[no-untyped-def]
    ctx = with_store(1000)
    assert PurchaseRequestLine.objects.count() == 1000
    assert PurchaseRequestLine.objects.filter(stock_item__isnull=False).exists()
    statuses = set(PurchaseRequest.objects.values_list("status", flat=True))
    assert {
        "draft",
        "pending",
        "approved",
        "ordered",
        "received",
        "rejected",
        "cancelled",
    } <= statuses
    assert {"placed", "received"} <= set(PurchaseOrder.objects.values_list("status", flat=True))
    assert ledger_problems() == []
    for model in (PurchaseRequest, PurchaseOrder, Acceptance):
        assert status_problems(model) == []
    assert _request_problems() == []
    assert _order_problems() == []
    assert _quote_problems() == []
    submitted = PurchaseRequest.objects.exclude(submitted_at=None).count()
    assert ApprovalRequest.objects.filter(request_type="purchase_request").count() == submitted
    assert sum(len(found) for found in ctx.shared["asset_intakes"].values()) == (
        AssetIntake.objects.count()
    )


def _request_problems() -> list[str]:
    problems = []
    money: dict[int, Decimal] = defaultdict(lambda: ZERO)
    numbers = {
        (school, number): pk
        for pk, school, number in PurchaseRequest.objects.values_list("pk", "school_id", "number")
    }
    for kind, school, source, source_id, note, amount in BudgetEntry.objects.filter(
        kind__in=("commit", "release")
    ).values_list("kind", "school_id", "source_type", "source_id", "note", "amount"):
        pk = source_id if source == "purchase_request" else numbers.get((school, note))
        money[pk] += amount if kind == "commit" else -amount
    lines = defaultdict(list)
    for line in PurchaseRequestLine.objects.all():
        lines[line.request_id].append(line)
    for request in PurchaseRequest.objects.all():
        own = lines[request.pk]
        total = sum((cents(line.quantity * line.estimated_price) for line in own), ZERO)
        if total != request.estimated_total:
            problems.append(f"{request.number}: total {request.estimated_total} != {total}")
        if money[request.pk] != request.committed:
            problems.append(
                f"{request.number}: committed {request.committed} != {money[request.pk]}"
            )
        if request.status in ("approved", "ordering", "ordered", "received"):
            if _status_from_lines(own) != request.status:
                problems.append(f"{request.number}: {request.status} with its lines")
            if request.status == "received" and request.committed:
                problems.append(f"{request.number}: settled but still committed")
    return problems


def _order_problems() -> list[str]:
    problems = []
    accepted = dict(
        AcceptanceLine.objects.filter(acceptance__status="confirmed")
        .values("order_line_id")
        .annotate(n=Sum("accepted"))
        .values_list("order_line_id", "n")
    )
    received = dict(
        PurchaseRequestLine.objects.exclude(order_line=None)
        .values("order_line_id")
        .annotate(n=Sum("received"))
        .values_list("order_line_id", "n")
    )
    counted = PurchaseOrder.objects.annotate(
        n_lines=Count("lines", distinct=True), n_merged=Count("lines__request_lines")
    ).exclude(line_count=F("n_lines"), merged_count=F("n_merged"))
    problems.extend(f"order {order.number}: its counts" for order in counted)
    for line in PurchaseOrderLine.objects.select_related("order"):
        got = accepted.get(line.pk, ZERO)
        if line.received != got or (
            line.order.status != "cancelled" and received.get(line.pk, ZERO) != got
        ):
            problems.append(
                f"order line {line.pk}: {line.received} / {got} / {received.get(line.pk)}"
            )
    for order in PurchaseOrder.objects.prefetch_related("lines"):
        own = list(order.lines.all())
        if order.total != sum((cents(x.quantity * x.unit_price) for x in own), ZERO):
            problems.append(f"{order.number}: total")
        done = all(x.received >= x.quantity for x in own)
        if (order.status == "received") != done and order.status != "closed":
            problems.append(f"{order.number}: {order.status}, all received {done}")
    for acceptance in Acceptance.objects.filter(status="confirmed").prefetch_related(
        "lines__order_line"
    ):
        value = sum(
            (cents(x.accepted * x.order_line.unit_price) for x in acceptance.lines.all()), ZERO
        )
        if value != acceptance.amount:
            problems.append(f"{acceptance.number}: amount {acceptance.amount} != {value}")
    return problems


def _quote_problems() -> list[str]:
    placed = PurchaseOrder.objects.exclude(status__in=("draft", "quoting")).filter(
        Q(estimated_total__gte=5000) | Q(total__gte=5000)
    )
    found = placed.annotate(
        quotes=Count("quotations", distinct=True),
        chosen=Count("quotations", filter=Q(quotations__is_chosen=True), distinct=True),
        people=Count("evaluators", distinct=True),
    )
    bad = [
        o.number
        for o in found
        if o.quotes < 3 or o.chosen != 1 or o.people < 3 or not o.choice_reason
    ]
    chosen = Quotation.objects.filter(is_chosen=True).select_related("order")
    bad += [
        q.order.number
        for q in chosen
        if q.supplier_id != q.order.supplier_id or q.total != q.order.total
    ]
    return bad
