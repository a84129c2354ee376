"""The monthly depreciation runs (折旧计提) of the last twelve months, with their lines by
category and department, totalled in SQL by the expressions of ``services/depreciation.py``.

A month's run covers the cards that were on the register then: active ones and those disposed
of after the month ended. The cards themselves already carry the depreciation through the last
closed month (``assets_cards``), so the latest run's accumulated total is the register's.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from houqin.assets.choices import INACTIVE_STATUSES, AssetStatus
from houqin.assets.models import Asset, DepreciationLine, DepreciationRun, period_of
from houqin.assets.services.depreciation import accumulated_cents_at, cents_of, yuan

from .base import Ctx, SchoolWorld

MONTHS = 12


def month_end(period: int) -> datetime.date:
    year, month = divmod(period + 1, 12)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def totals(school_ids: list[int], period: int) -> Iterator[dict[str, Any]]:
    """The lines of ``period`` for every school: one per (school, category, department)."""
    on_register = ~Q(status__in=INACTIVE_STATUSES) | Q(
        status=AssetStatus.DISPOSED, disposed_at__gt=month_end(period)
    )
    cards = (
        Asset.objects.filter(
            school_id__in=school_ids,
            depreciable=True,
            life_months__isnull=False,
            start_period__lte=period,
        )
        .filter(on_register)
        .order_by()
    )
    yield from (
        cards.values("school_id", "category_id", "department_id")
        .annotate(
            n=Count("id"),
            original=Sum(cents_of()),
            now=Sum(accumulated_cents_at(period)),
            before=Sum(accumulated_cents_at(period - 1)),
        )
        .order_by("school_id", "category_id", "department_id")
    )


def post(ctx: Ctx, schools: list[SchoolWorld]) -> None:
    """Twelve posted months per school, the newest being the last closed month."""
    if not schools:
        return
    rng = ctx.rng("assets:depreciation")
    by_id = {school.id: school for school in schools}
    last = period_of(ctx.today) - 1
    for period in range(last - MONTHS + 1, last + 1):
        lines: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in totals(list(by_id), period):
            lines[row["school_id"]].append(row)
        posted_on = month_end(period) + datetime.timedelta(days=1)
        runs = []
        line_rows = []
        for school_id, school in by_id.items():
            pk = ctx.ids(DepreciationRun, 1).start
            at = ctx.moment(ctx.day(rng, posted_on, posted_on + datetime.timedelta(days=4)), rng)
            amount = Decimal("0.00")
            count = 0
            for row in lines.get(school_id, []):
                line_amount = yuan(row["now"] - row["before"])
                amount += line_amount
                count += row["n"]
                line_rows.append(
                    {
                        "run_id": pk,
                        "category_id": row["category_id"],
                        "department_id": row["department_id"],
                        "asset_count": row["n"],
                        "original_value": yuan(row["original"]),
                        "amount": line_amount,
                        "accumulated": yuan(row["now"]),
                    }
                )
            runs.append(
                {
                    "id": pk,
                    "created_at": at,
                    "updated_at": at,
                    "school_id": school_id,
                    "period": period,
                    "posted_by_id": school.person("accountant", rng),
                    "asset_count": count,
                    "amount": amount,
                    "duration_ms": rng.randrange(150, 900) + count // 20,
                }
            )
        ctx.insert(DepreciationRun, runs)
        ctx.insert(DepreciationLine, line_rows)
