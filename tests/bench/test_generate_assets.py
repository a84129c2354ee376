"""The generated register, its ledger and its documents are consistent like the services'."""

from __future__ import annotations

import datetime
import importlib
import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Max, Sum
from django.urls import reverse

from bench.generate import Ctx, Preset, rows_preset
from bench.generate.assets_state import URLS
from bench.generate.base import TZ
from houqin.approvals.models import ApprovalRequest
from houqin.assets.choices import INACTIVE_STATUSES, AssetStatus, LoanStatus, MovementKind
from houqin.assets.models import (
    Asset,
    AssetDisposal,
    AssetDisposalLine,
    AssetLoan,
    AssetMovement,
    AssetSettings,
    AssetTransfer,
    AssetTransferLine,
    DamageReport,
    DepreciationLine,
    DepreciationRun,
    Stocktake,
    StocktakeLine,
)
from houqin.core.models import DocumentSequence, StatusChange

PARTS = ("org", "assets")
TRACKED = ("room_id", "custodian_id", "department_id", "status")


def build(preset: Preset) -> Ctx:
    """The parts one after the other in the test's transaction (``generate`` also tunes
    SQLite, which cannot be done inside a transaction)."""
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in PARTS:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    ctx.save_numbers()
    return ctx


def ledger_problems() -> list[str]:
    """Cards whose ledger does not start with their registration, whose rows do not follow
    on from each other, or whose last row is not where the card is."""
    cards = {a["id"]: a for a in Asset.objects.values("id", *TRACKED)}
    rows: dict[int, list[dict[str, object]]] = defaultdict(list)
    for row in AssetMovement.objects.order_by("at", "id").values():
        rows[row["asset_id"]].append(row)
    problems = []
    for pk, card in cards.items():
        ledger = rows.get(pk, [])
        if not ledger or ledger[0]["kind"] not in (MovementKind.REGISTERED, MovementKind.IMPORTED):
            problems.append(f"{pk}: no registration")
            continue
        for before, after in itertools.pairwise(ledger):
            if any(before[f"to_{f}"] != after[f"from_{f}"] for f in TRACKED):
                problems.append(f"{pk}: row {after['id']} does not follow on")
        if any(ledger[-1][f"to_{f}"] != card[f] for f in TRACKED):
            problems.append(f"{pk}: the card is not where its ledger ends")
    return problems


@pytest.mark.django_db
def test_it_writes_every_list_and_a_consistent_register() -> None:
    ctx = build(rows_preset(10))
    school = ctx.schools[0].id
    assert Asset.objects.filter(school_id=school).count() == 10
    assert AssetSettings.objects.filter(school_id=school).exists()
    for model in (
        AssetTransfer,
        AssetLoan,
        AssetDisposal,
        DamageReport,
        Stocktake,
        DepreciationRun,
    ):
        assert model.objects.filter(school_id=school).exists(), model
    assert DepreciationRun.objects.filter(school_id=school).count() == 12
    first, last = ctx.shared["assets"][school]
    assert Asset.objects.filter(school_id=school, pk__range=(first, last)).count() == 10
    assert ledger_problems() == []


@pytest.mark.django_db
def test_it_keeps_documents_totals_and_states_in_step() -> None:
    build(rows_preset(300))
    for disposal in AssetDisposal.objects.all():
        lines = AssetDisposalLine.objects.filter(disposal=disposal).aggregate(
            original=Sum("original_value"), net=Sum("net_value")
        )
        assert (disposal.total_value, disposal.net_value) == (lines["original"], lines["net"])
    for transfer in AssetTransfer.objects.all():
        value = Asset.objects.filter(
            pk__in=AssetTransferLine.objects.filter(transfer=transfer).values("asset_id")
        ).aggregate(total=Sum("original_value"))["total"]
        assert transfer.total_value == value
    out = set(AssetLoan.objects.filter(status=LoanStatus.OUT).values_list("asset_id", flat=True))
    assert out == set(Asset.objects.filter(status=AssetStatus.ON_LOAN).values_list("pk", flat=True))
    held = set(
        AssetDisposalLine.objects.filter(disposal__status__in=("pending", "approved")).values_list(
            "asset_id", flat=True
        )
    )
    assert held == set(
        Asset.objects.filter(status=AssetStatus.PENDING_DISPOSAL).values_list("pk", flat=True)
    )
    disposed = Asset.objects.filter(status=AssetStatus.DISPOSED)
    assert not disposed.filter(disposed_at__isnull=True).exists()
    assert (
        disposed.count() == AssetDisposalLine.objects.filter(disposal__status="completed").count()
    )
    for report in DamageReport.objects.filter(status="paid"):
        assert report.paid_amount == report.amount_due
    assert ledger_problems() == []
    # Every document that went through a chain has its request; each status move is recorded.
    submitted = AssetDisposal.objects.exclude(status="draft").count()
    assert ApprovalRequest.objects.filter(request_type="asset_disposal").count() == submitted
    assert StatusChange.objects.filter(to_status="completed").exists()


@pytest.mark.django_db
def test_it_posts_depreciation_that_adds_up_to_the_register() -> None:
    build(rows_preset(300))
    for run in DepreciationRun.objects.all():
        lines = DepreciationLine.objects.filter(run=run).aggregate(amount=Sum("amount"))
        assert run.amount == (lines["amount"] or Decimal("0.00"))
    latest = DepreciationRun.objects.aggregate(last=Max("period"))["last"]
    posted = DepreciationLine.objects.filter(run__period=latest).aggregate(total=Sum("accumulated"))
    cards = (
        Asset.objects.filter(depreciable=True, start_period__lte=latest)
        .exclude(status__in=INACTIVE_STATUSES)
        .aggregate(total=Sum("accumulated_depreciation"))
    )
    disposed_since = Asset.objects.filter(
        depreciable=True, status=AssetStatus.DISPOSED, depreciated_through=latest
    ).aggregate(total=Sum("accumulated_depreciation"))
    expected = (cards["total"] or 0) + (disposed_since["total"] or 0)
    assert abs(posted["total"] - expected) < Decimal("0.01")
    assert not Asset.objects.filter(depreciable=True, depreciated_through__isnull=True).exists()


@pytest.mark.django_db
def test_it_numbers_documents_so_later_ones_continue() -> None:
    build(rows_preset(10))
    build(rows_preset(10))  # a second district beside the first, as the query-count test does
    codes = list(Asset.objects.values_list("public_code", flat=True))
    assert len(codes) == len(set(codes)) == 20
    for prefix, model in (("ZC", Asset), ("DB", AssetTransfer), ("BF", AssetDisposal)):
        for sequence in DocumentSequence.objects.filter(prefix=prefix):
            last = f"{prefix}-{sequence.year}-{sequence.last_number:06d}"
            field = "code" if model is Asset else "number"
            assert model.objects.filter(school_id=sequence.school_id, **{field: last}).exists()
    assert StocktakeLine.objects.exists()


def test_it_refers_to_the_pages_the_app_serves() -> None:
    for name, template in URLS.items():
        assert reverse(name, args=[7]) == template.format(7)
