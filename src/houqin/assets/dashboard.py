"""Figures of the asset register for the landing dashboard, aggregated in SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import INACTIVE_STATUSES, AssetStatus, DamageStatus, LoanStatus, StocktakeStatus
from .models import AssetLoan, AssetRegisterTotal, DamageReport, Stocktake
from .selectors import yuan

ZERO = Decimal(0)


def asset_figures(school_ids: list[int]) -> dict[str, Any]:
    """Register totals and what waits for the asset keeper, in four queries; the register's
    from the totals table the triggers keep (a district holds half a million cards)."""
    register = AssetRegisterTotal.objects.filter(school_id__in=school_ids).exclude(
        status__in=INACTIVE_STATUSES
    )
    sums = register.aggregate(
        all_cards=Coalesce(Sum("cards"), 0),
        original=Coalesce(Sum("original_fen"), 0),
        accumulated=Coalesce(Sum("depreciation_fen"), 0),
        idle=Coalesce(Sum("cards", filter=Q(status=AssetStatus.IDLE)), 0),
        under_repair=Coalesce(Sum("cards", filter=Q(status=AssetStatus.UNDER_REPAIR)), 0),
        on_loan=Coalesce(Sum("cards", filter=Q(status=AssetStatus.ON_LOAN)), 0),
    )
    original, accumulated = yuan(sums.pop("original")), yuan(sums.pop("accumulated"))
    totals = {key.removeprefix("all_"): int(value) for key, value in sums.items()}
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
        "accumulated": accumulated,
        "net": original - accumulated,
        "damage_to_assess": damage["to_assess"],
        "damage_unpaid": damage["unpaid"],
        "damage_unpaid_amount": damage["unpaid_amount"] or ZERO,
        "overdue_loans": overdue,
        "open_stocktakes": open_stocktakes,
    }
