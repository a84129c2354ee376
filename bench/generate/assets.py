"""Public property (公物 / 固定资产) of every school: the asset policy, the register with its
movement ledger, transfers, loans, damage and compensation, disposals, stocktakes, twelve
months of depreciation runs, and photos of a few cards.

The cards use the GB/T 14885 categories the app seeds (no school categories are needed). Each
school's history is applied day by day to its cards (``assets_state.SchoolRun``), so the
ledger, the documents and the cards agree; the school's rows are then written in batches.
Leaves ``ctx.shared["assets"] = {school id: (first asset id, last asset id)}``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models

from houqin.assets.models import (
    Asset,
    AssetCategory,
    AssetDisposal,
    AssetDisposalLine,
    AssetLoan,
    AssetMovement,
    AssetSettings,
    AssetTransfer,
    AssetTransferLine,
    CompensationPriceItem,
    DamageReport,
    Stocktake,
    StocktakeLine,
)
from houqin.core.models import StatusChange

from . import (
    approvals,
    assets_damage,
    assets_depreciation,
    assets_disposal,
    assets_movements,
    assets_stocktakes,
    files,
)
from .assets_cards import Categories, asset_rows, make_cards
from .assets_state import SchoolRun
from .base import Ctx, SchoolWorld

#: Parents before children, so every key a row refers to is already written.
ORDER: tuple[type[models.Model], ...] = (
    CompensationPriceItem,
    AssetTransfer,
    AssetTransferLine,
    AssetLoan,
    AssetDisposal,
    AssetDisposalLine,
    DamageReport,
    Stocktake,
    StocktakeLine,
    AssetMovement,
    StatusChange,
)
SUBJECTS: dict[str, type[models.Model]] = {
    "asset_transfer": AssetTransfer,
    "asset_disposal": AssetDisposal,
    "compensation_waiver": DamageReport,
}
COMPUTERS = "计算机设备"
PHOTO_SHARE = 0.03


def volumes(ctx: Ctx, cards: int) -> dict[str, int]:
    """How many documents of each kind a school with ``cards`` cards has over the history.

    The row presets of the query-count tests want about as many rows in every list as cards."""
    dense = ctx.preset.name.startswith("rows-")
    rates = (
        {"transfers": 2, "loans": 3, "status_changes": 10, "reports": 2, "disposals": 20}
        if dense
        else {"transfers": 40, "loans": 30, "status_changes": 12, "reports": 60, "disposals": 45}
    )
    return {name: max(1, cards // rate) for name, rate in rates.items()}


def generate(ctx: Ctx) -> None:
    categories = Categories()
    root = categories.by_name[COMPUTERS][0]
    under = set(
        AssetCategory.objects.filter(
            models.Q(pk=root) | models.Q(parent_id=root) | models.Q(parent__parent_id=root)
        ).values_list("pk", flat=True)
    )
    subjects: dict[str, list[dict[str, Any]]] = defaultdict(list)
    photos: dict[type[models.Model], list[tuple[Any, ...]]] = defaultdict(list)
    ranges: dict[int, tuple[int, int]] = {}
    write_settings(ctx)
    for school, count in zip(ctx.schools, ctx.spread(ctx.preset.assets), strict=True):
        if count <= 0:
            continue
        run = school_history(ctx, school, count, categories, (root, under))
        ranges[school.id] = (run.cards[0].id, run.cards[-1].id)
        for kind, rows in run.approvals.items():
            subjects[kind] += rows
        for model, owners in run.photos.items():
            photos[model] += owners
    for kind, rows in subjects.items():
        approvals.add(ctx, kind, SUBJECTS[kind], rows)
    for model, owners in photos.items():
        files.add(ctx, model, owners)
    assets_depreciation.post(ctx, [s for s in ctx.schools if s.id in ranges])
    ctx.shared["assets"] = ranges


def write_settings(ctx: Ctx) -> None:
    at = ctx.moment(ctx.start, ctx.rng("assets:settings"))
    ctx.insert(
        AssetSettings,
        ({"school_id": school.id, "created_at": at, "updated_at": at} for school in ctx.schools),
    )


def school_history(
    ctx: Ctx,
    school: SchoolWorld,
    count: int,
    categories: Categories,
    computers: tuple[int, set[int]],
) -> SchoolRun:
    """Build, live through and write one school's register; returns the run."""
    run = SchoolRun(ctx, school, ctx.rng(f"assets:{school.code}"))
    make_cards(run, count, categories)
    plan = volumes(ctx, len(run.cards))
    assets_movements.schedule(run, plan["transfers"], plan["loans"], plan["status_changes"])
    assets_damage.schedule(run, plan["reports"])
    assets_disposal.schedule(run, plan["disposals"])
    assets_stocktakes.schedule(run, computers)
    run.run()
    keeper = school.person("assetkeeper", run.rng)
    for card in run.cards:
        if run.rng.random() < PHOTO_SHARE:
            run.photos[Asset].append((card.id, school.id, keeper, card.registered))
    ctx.insert(Asset, asset_rows(run))
    for model in ORDER:
        rows = run.rows.pop(model, None)
        if rows:
            ctx.insert(model, rows)
    return run
