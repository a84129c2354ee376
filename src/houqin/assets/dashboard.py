"""Figures of the asset register for the landing dashboard, aggregated in SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from .choices import AssetStatus, DamageStatus, LoanStatus, StocktakeStatus
from .models import Asset, AssetLoan, DamageReport, Stocktake

ZERO = Decimal(0)


def asset_figures(school_ids: list[int]) -> dict[str, Any]:
    """Register totals and what waits for the asset keeper, in four queries."""
    register = Asset.objects.filter(school_id__in=school_ids).active()
    totals = register.aggregate(
        cards=Count("id"),
        original=Sum("original_value"),
        accumulated=Sum("accumulated_depreciation"),
        idle=Count("id", filter=Q(status=AssetStatus.IDLE)),
        under_repair=Count("id", filter=Q(status=AssetStatus.UNDER_REPAIR)),
        on_loan=Count("id", filter=Q(status=AssetStatus.ON_LOAN)),
    )
    original = totals["original"] or ZERO
    damage = DamageReport.objects.filter(school_id__in=school_ids).aggregate(
        to_assess=Count("id", filter=Q(status=DamageStatus.REPORTED)),
        unpaid=Count("id", filter=Q(status__in=(DamageStatus.ASSESSED, DamageStatus.NOTIFIED))),
        unpaid_amount=Sum(
            "assessed_amount",
            filter=Q(status__in=(DamageStatus.ASSESSED, DamageStatus.NOTIFIED)),
        ),
    )
    overdue = AssetLoan.objects.filter(
        school_id__in=school_ids, status=LoanStatus.OUT, due_date__lt=timezone.localdate()
    ).count()
    open_stocktakes = Stocktake.objects.filter(
        school_id__in=school_ids,
        status__in=(StocktakeStatus.COUNTING, StocktakeStatus.RECONCILING),
    ).count()
    return {
        **totals,
        "original": original,
        "net": original - (totals["accumulated"] or ZERO),
        "damage_to_assess": damage["to_assess"],
        "damage_unpaid": damage["unpaid"],
        "damage_unpaid_amount": damage["unpaid_amount"] or ZERO,
        "overdue_loans": overdue,
        "open_stocktakes": open_stocktakes,
    }
