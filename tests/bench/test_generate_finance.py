"""The generated budgets, expense claims and adjustments are consistent like the services'."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum

from bench.generate import Ctx, Preset, rows_preset
from bench.generate.base import TZ
from houqin.approvals.models import ApprovalRequest
from houqin.core.models import StatusChange
from houqin.finance.models import (
    BudgetAdjustment,
    BudgetEntry,
    BudgetLine,
    Expense,
    FinanceSettings,
)
from houqin.org.models import SchoolYear
from houqin.procurement.models import ProcurementSettings

ZERO = Decimal("0")
CENT = Decimal("0.01")


def build(preset: Preset, parts: tuple[str, ...]) -> Ctx:
    """The parts run one after the other in the test's transaction (``generate`` also tunes
    SQLite, which cannot be done inside a transaction)."""
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in parts:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    return ctx


def ledger_problems() -> list[str]:
    """Lines whose totals are not the sum of their entries, or whose entries' running
    totals do not add up in time order."""
    problems = []
    sums = {
        row["line_id"]: row
        for row in BudgetEntry.objects.values("line_id").annotate(
            commit=Sum("amount", filter=Q(kind="commit")),
            release=Sum("amount", filter=Q(kind="release")),
            spend=Sum("amount", filter=Q(kind="spend")),
            refund=Sum("amount", filter=Q(kind="refund")),
            adjust=Sum("amount", filter=Q(kind="adjust")),
        )
    }
    for line in BudgetLine.objects.all():
        # SQLite adds decimals as floats: the sums are compared to the cent.
        row = {
            key: CENT * round((value or ZERO) / CENT)
            for key, value in sums.get(line.pk, {}).items()
        }
        committed = row.get("commit", ZERO) - row.get("release", ZERO)
        spent = row.get("spend", ZERO) - row.get("refund", ZERO)
        amount = line.initial_amount + row.get("adjust", ZERO)
        if (committed, spent, amount) != (line.committed, line.spent, line.amount):
            problems.append(f"line {line.pk}: {line.committed}/{line.spent}/{line.amount}")
    running: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    initial = dict(BudgetLine.objects.values_list("pk", "initial_amount"))
    for entry in BudgetEntry.objects.order_by("at", "id"):
        committed, spent, budget = running.get(entry.line_id, (ZERO, ZERO, initial[entry.line_id]))
        change = {"commit": (1, 0, 0), "release": (-1, 0, 0), "spend": (0, 1, 0)}
        step = change.get(entry.kind, (0, -1, 0) if entry.kind == "refund" else (0, 0, 1))
        committed += step[0] * entry.amount
        spent += step[1] * entry.amount
        budget += step[2] * entry.amount
        running[entry.line_id] = (committed, spent, budget)
        if (entry.committed_after, entry.spent_after, entry.budget_after) != running[entry.line_id]:
            problems.append(f"entry {entry.pk} of line {entry.line_id}")
        if committed + spent > budget and entry.kind in ("commit", "adjust"):
            problems.append(f"entry {entry.pk}: over the budget")
    return problems


def status_problems(model: type) -> list[str]:
    """Objects whose last status change does not lead to their status."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    last: dict[str, str] = {}
    for object_id, to_status in (
        StatusChange.objects.filter(content_type=content_type)
        .order_by("created_at", "id")
        .values_list("object_id", "to_status")
    ):
        last[object_id] = to_status
    return [
        f"{model.__name__} {pk}: {status} after {last.get(str(pk))}"
        for pk, status in model.objects.values_list("pk", "status")
        if last.get(str(pk), "draft") != status
    ]


@pytest.fixture
def world(db):
    return build(rows_preset(10), ("org", "finance"))


def test_it_writes_settings_lines_claims_and_adjustments(world):
    schools = len(world.schools)
    assert FinanceSettings.objects.count() == schools
    assert ProcurementSettings.objects.get().quote_threshold == Decimal("5000")
    years = SchoolYear.objects.count()
    assert BudgetLine.objects.count() >= years * 40
    assert Expense.objects.exists()
    assert BudgetAdjustment.objects.exists()
    shared = world.shared["budget_lines"]
    assert sum(len(lines) for lines in shared.values()) == BudgetLine.objects.count()


def test_it_keeps_the_ledger_and_the_statuses_consistent(world):
    assert ledger_problems() == []
    assert status_problems(Expense) == []
    assert status_problems(BudgetAdjustment) == []
    approved = BudgetAdjustment.objects.filter(status="approved").count()
    assert BudgetEntry.objects.filter(kind="adjust").count() == approved


def test_it_sends_submitted_documents_through_their_approvals(world):
    submitted = Expense.objects.exclude(status="draft").count()
    assert ApprovalRequest.objects.filter(request_type="expense").count() == submitted
    paid = Expense.objects.filter(status="paid")
    assert not paid.filter(paid_at__isnull=True).exists()
    assert (
        not ApprovalRequest.objects.filter(request_type="expense", object_id__in=paid.values("pk"))
        .exclude(status="approved")
        .exists()
    )
    numbers = Expense.objects.values("school_id", "number").annotate(n=Count("pk"))
    assert not numbers.filter(n__gt=1).exists()


def test_it_fills_every_status_at_a_thousand_rows(db):
    build(rows_preset(1000), ("org", "finance"))
    statuses = set(Expense.objects.values_list("status", flat=True))
    assert statuses == {"draft", "pending", "approved", "rejected", "returned", "withdrawn", "paid"}
    assert 300 <= Expense.objects.count() <= 500
    assert ledger_problems() == []
