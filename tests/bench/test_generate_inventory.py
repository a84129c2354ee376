"""The generated store is what the stock service would have written: running totals, balances,
requisitions with their issues and approvals, counts with their adjustments."""

from __future__ import annotations

import datetime
import importlib
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum

from bench.generate import Ctx, Preset, rows_preset
from bench.generate.base import TZ
from houqin.approvals.models import ApprovalRequest
from houqin.core.models import StatusChange
from houqin.inventory.models import (
    DepartmentQuota,
    Requisition,
    RequisitionLine,
    StockCount,
    StockCountLine,
    StockItem,
    StockMovement,
)

COST = Decimal("0.0001")


def build(preset: Preset, parts: tuple[str, ...] = ("org", "inventory")) -> Ctx:
    """The parts one after the other in the test's transaction (``generate`` also tunes
    SQLite, which cannot be done inside a transaction)."""
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in parts:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    return ctx


def ledger_problems() -> list[str]:
    """Items whose totals are not their movements' sums, and movements whose balance is not
    the running sum in time order (recomputed exactly, in Python)."""
    problems = []
    running: dict[int, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for item_id, quantity, amount, balance in StockMovement.objects.order_by(
        "item_id", "at", "id"
    ).values_list("item_id", "quantity", "amount", "balance"):
        total, value = running[item_id]
        running[item_id] = (total + quantity, value + amount)
        if balance != total + quantity or balance < 0:
            problems.append(f"item {item_id}: balance {balance} after {total} {quantity:+}")
    for item in StockItem.objects.all():
        total, value = running[item.pk]
        if (item.quantity, item.value) != (total, value) or item.quantity < 0:
            problems.append(f"item {item.pk}: {item.quantity}/{item.value} != {total}/{value}")
        if item.quantity > 0:
            average = (item.value / item.quantity).quantize(COST, rounding=ROUND_HALF_UP)
            if average != item.average_cost:
                problems.append(f"item {item.pk}: average {item.average_cost} != {average}")
    return problems


@pytest.mark.django_db
def test_it_writes_a_consistent_store_at_the_smallest_preset() -> None:
    ctx = build(rows_preset(10))
    assert StockItem.objects.count() >= 8
    assert StockMovement.objects.count() >= 10
    assert Requisition.objects.count() == 10
    assert ledger_problems() == []
    school = ctx.schools[0].id
    assert {row[0] for row in ctx.shared["stock_items"][school]} == set(
        StockItem.objects.values_list("pk", flat=True)
    )
    assert set(ctx.shared["paper"][school]) == {"A4", "A3", "B5"}


@pytest.mark.django_db
def test_it_writes_every_workflow_consistently() -> None:
    preset = rows_preset(1500, schools=2).scaled(print_jobs=400)
    ctx = build(preset)
    movements = StockMovement.objects.count()
    assert abs(movements - preset.movements) < preset.movements * 0.1
    assert ledger_problems() == []
    kinds = set(StockMovement.objects.values_list("kind", flat=True))
    assert {"opening", "receipt", "issue", "return", "scrap", "print"} <= kinds
    assert kinds & {"adjust_up", "adjust_down"}

    # Requisitions: every line's issued quantity was issued through the ledger.
    issued = {
        (row["source_id"], row["item_id"]): -row["total"]
        for row in StockMovement.objects.filter(source_type="requisition", kind="issue")
        .values("source_id", "item_id")
        .annotate(total=Sum("quantity"))
    }
    for line in RequisitionLine.objects.select_related("requisition"):
        assert line.issued == issued.get((line.requisition_id, line.item_id), 0), line.pk
        assert 0 <= line.issued <= line.quantity
    statuses = set(Requisition.objects.values_list("status", flat=True))
    assert {"received", "issued", "rejected", "cancelled", "pending", "approved"} <= statuses
    assert not Requisition.objects.exclude(number__startswith="LY-").exists()
    duplicates = Requisition.objects.values("school", "number").annotate(n=Count("id"))
    assert not duplicates.filter(n__gt=1).exists()

    # Approvals: exactly the submitted requisitions that need one, in the matching state.
    requests = {
        r.object_id: r.status for r in ApprovalRequest.objects.filter(request_type="requisition")
    }
    for req in Requisition.objects.all():
        if req.needs_approval:
            expected = (
                req.status
                if req.status in ("pending", "rejected", "returned", "withdrawn")
                else "approved"
            )
            assert requests.get(req.pk) == expected, req.number
            assert req.approval_reason
        else:
            assert req.pk not in requests

    # The workflow ledger ends in each document's status.
    content_type = ContentType.objects.get_for_model(Requisition)
    last = {
        change.object_id: change.to_status
        for change in StatusChange.objects.filter(content_type=content_type).order_by(
            "created_at", "id"
        )
    }
    for pk, status in Requisition.objects.values_list("pk", "status"):
        assert last.get(str(pk), "draft") == status

    # Counts: a posted one per ended school year, one in progress; posted differences became
    # the adjustments of that count.
    for school in ctx.schools:
        counts = StockCount.objects.filter(school_id=school.id)
        assert counts.filter(status="counting").count() == 1
        assert counts.filter(status="posted").exists()
    assert not StockCount.objects.annotate(n=Count("lines")).filter(n=0).exists()
    for count in StockCount.objects.filter(status="posted"):
        lines = StockCountLine.objects.filter(count=count)
        assert lines.exists()
        moved = StockMovement.objects.filter(source_type="stock_count", source_id=count.pk)
        differing = [line for line in lines if line.counted_quantity != line.book_quantity]
        assert moved.count() == len(differing)
        assert (count.posted_at is not None) and count.number.startswith("KC-")
    assert DepartmentQuota.objects.exists()


@pytest.mark.django_db
def test_it_keeps_the_monthly_consumption_tables_equal_to_the_ledger() -> None:
    from houqin.inventory.models.consumption import DepartmentConsumption

    build(rows_preset(300))
    counted = DepartmentConsumption.objects.aggregate(n=Sum("movements"))["n"]
    assert counted == StockMovement.objects.count()
