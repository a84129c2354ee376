"""The monthly depreciation posting (折旧计提), run in SQL over a school's whole register.

One month of one school is one ``DepreciationRun``: a single UPDATE brings every active
depreciable card to the accumulated depreciation at the end of that month (the integer-cent
formula of ``depreciation_math``, written as a SQL expression that gives the same result on
SQLite and PostgreSQL), one grouped query totals the month by category and department into
the run's lines, and one audit row records the run. A month is posted once (unique key),
only once it is over, and in order.
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from houqin.core import audit

from ..choices import INACTIVE_STATUSES
from ..models import Asset, DepreciationLine, DepreciationRun, period_label
from .depreciation_math import CENT
from .register import last_closed_period

BIG = BigIntegerField()


class DepreciationError(Exception):
    """A month cannot be posted; the message is for the user."""


class CentsToYuan(Func):
    """Whole cents (an integer expression) as a 2-place decimal amount.

    PostgreSQL divides a numeric exactly; SQLite stores decimals as floating point numbers,
    and ``cents / 100.0`` is the nearest one to the exact amount, as the stored values are.
    """

    template = "(CAST(%(expressions)s AS NUMERIC(18, 2)) / 100)"
    output_field = DecimalField(max_digits=16, decimal_places=2)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="(CAST(%(expressions)s AS REAL) / 100.0)", **extra
        )


class ToCents(Func):
    """A 2-place decimal amount as whole cents (a 64-bit integer), rounded to the nearest."""

    template = "CAST(ROUND(%(expressions)s * 100) AS BIGINT)"
    output_field = BIG


def cents_of(field: str = "original_value") -> Combinable:
    """A decimal amount column as whole cents (a 64-bit integer)."""
    return ToCents(F(field))


def accumulated_cents_at(period: int) -> Case:
    """``depreciation_math.accumulated_cents`` of each card at the end of ``period``."""
    months = ExpressionWrapper(Value(period + 1) - F("start_period"), output_field=BIG)
    cents = cents_of()
    return Case(
        When(Q(start_period__isnull=True) | Q(start_period__gt=period), then=Value(0)),
        When(life_months__lte=months, then=cents),
        default=ExpressionWrapper(cents * months / F("life_months"), output_field=BIG),
        output_field=BIG,
    )


def depreciating(school_id: int) -> QuerySet[Asset]:
    """The cards a posting moves: active, depreciable, with a life."""
    return (
        Asset.objects.filter(school_id=school_id, depreciable=True, life_months__isnull=False)
        .exclude(status__in=INACTIVE_STATUSES)
        .order_by()
    )


def yuan(cents: int | None) -> Decimal:
    return Decimal(cents or 0) * CENT


def latest_period(school_id: int) -> int | None:
    found: int | None = DepreciationRun.objects.filter(school_id=school_id).aggregate(
        last=Max("period")
    )["last"]
    return found


def check_postable(school_id: int, period: int) -> None:
    """Raise ``DepreciationError`` unless ``period`` may be posted now for the school."""
    label = period_label(period)
    if period > last_closed_period():
        raise DepreciationError(
            _("The month %(month)s is not over yet; it can be posted from the 1st of next month.")
            % {"month": label}
        )
    if DepreciationRun.objects.filter(school_id=school_id, period=period).exists():
        raise DepreciationError(
            _("The depreciation of %(month)s is already posted.") % {"month": label}
        )
    latest = latest_period(school_id)
    if latest is not None and latest > period:
        raise DepreciationError(
            _(
                "The depreciation of %(later)s is already posted; months are posted in order, "
                "so %(month)s can no longer be posted."
            )
            % {"later": period_label(latest), "month": label}
        )


@transaction.atomic
def depreciation_post(
    *, school_id: int, period: int, actor: Any = None, update_cards: bool = True
) -> DepreciationRun:
    """Post the depreciation of one month (``period`` = year × 12 + month − 1) for a school.

    ``update_cards=False`` records the month without writing the cards: a catch-up over
    several months writes the cards once, at its last month (the formula gives each month's
    figures from the cards' own fields, so nothing is lost in between)."""
    started = time.perf_counter()
    check_postable(school_id, period)
    user = actor if getattr(actor, "is_authenticated", False) else None
    run = DepreciationRun(school_id=school_id, period=period, posted_by=user)
    try:
        run.full_clean()
        with transaction.atomic():  # the unique month also holds against a concurrent post
            DepreciationRun.objects.bulk_create([run])
    except (ValidationError, IntegrityError) as exc:
        raise DepreciationError(
            _("The depreciation of %(month)s is already posted.") % {"month": run.label}
        ) from exc

    cards = depreciating(school_id).filter(start_period__lte=period)
    if update_cards:
        # Cards written off before this month keep their value: only those still charging
        # (or not yet brought up to date) are written.
        cards.filter(
            Q(start_period__gt=Value(period) - F("life_months"))
            | ~Q(accumulated_depreciation=F("original_value"))
        ).update(
            accumulated_depreciation=CentsToYuan(accumulated_cents_at(period)),
            depreciated_through=period,
        )
    rows = (
        cards.values("category_id", "department_id")
        .annotate(
            n=Count("id"),
            original=Sum(cents_of()),
            now=Sum(accumulated_cents_at(period)),
            before=Sum(accumulated_cents_at(period - 1)),
        )
        .order_by("category_id", "department_id")
    )
    lines = [
        DepreciationLine(
            run=run,
            category_id=row["category_id"],
            department_id=row["department_id"],
            asset_count=row["n"],
            original_value=yuan(row["original"]),
            amount=yuan(row["now"] - row["before"]),
            accumulated=yuan(row["now"]),
        )
        for row in rows
    ]
    DepreciationLine.objects.bulk_create(lines, batch_size=500)
    run.asset_count = sum(line.asset_count for line in lines)
    run.amount = sum((line.amount for line in lines), Decimal("0.00"))
    run.duration_ms = round((time.perf_counter() - started) * 1000)
    DepreciationRun.objects.filter(pk=run.pk).update(
        asset_count=run.asset_count, amount=run.amount, duration_ms=run.duration_ms
    )
    audit.record(
        run,
        "create",
        {
            "period": [None, run.label],
            "asset_count": [None, run.asset_count],
            "amount": [None, str(run.amount)],
            "accumulated": [None, str(sum((ln.accumulated for ln in lines), Decimal("0.00")))],
        },
        actor=user,
    )
    return run


def missing_periods(school_id: int, through: int | None = None) -> list[int]:
    """The months a catch-up would post: after the last run, or just ``through`` at first."""
    through = last_closed_period() if through is None else through
    latest = latest_period(school_id)
    if latest is None:
        return [through]
    return list(range(latest + 1, through + 1))


@transaction.atomic
def depreciation_catch_up(
    *, school_id: int, through: int | None = None, actor: Any = None
) -> list[DepreciationRun]:
    """Post every month missing since the school's last run, in order, up to ``through``."""
    if through is not None and through > last_closed_period():
        raise DepreciationError(
            _("The month %(month)s is not over yet; it can be posted from the 1st of next month.")
            % {"month": period_label(through)}
        )
    periods = missing_periods(school_id, through)
    return [
        depreciation_post(
            school_id=school_id, period=period, actor=actor, update_cards=period == periods[-1]
        )
        for period in periods
    ]


def run_totals(run: DepreciationRun) -> dict[str, Any]:
    """The run's lines summed (original value and accumulated are not kept on the run)."""
    totals = run.lines.aggregate(
        original=Coalesce(Sum("original_value"), Value(Decimal(0))),
        accumulated=Coalesce(Sum("accumulated"), Value(Decimal(0))),
    )
    return {**totals, "amount": run.amount, "asset_count": run.asset_count}
