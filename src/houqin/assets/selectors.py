"""Reads of the asset register that pages and the API share: totals, the category tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from .choices import INACTIVE_STATUSES
from .models import Asset, AssetCategory, AssetRegisterTotal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class RegisterTotals:
    count: int
    quantity: int
    original_value: Decimal
    accumulated_depreciation: Decimal
    net_value: Decimal


def _money(expression: Any) -> Coalesce:
    return Coalesce(
        Sum(expression),
        Value(ZERO),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )


def register_totals(queryset: QuerySet[Asset]) -> RegisterTotals:
    """Count, quantity, original value, accumulated depreciation and net value of the cards
    in ``queryset``: one SQL aggregate, whatever the number of cards."""
    row = queryset.order_by().aggregate(
        total_count=Count("pk"),
        total_quantity=Coalesce(Sum("quantity"), Value(0)),
        total_original=_money("original_value"),
        total_depreciation=_money("accumulated_depreciation"),
        total_net=_money(F("original_value") - F("accumulated_depreciation")),
    )
    return RegisterTotals(
        count=int(row["total_count"]),
        quantity=int(row["total_quantity"]),
        original_value=Decimal(row["total_original"]).quantize(ZERO),
        accumulated_depreciation=Decimal(row["total_depreciation"]).quantize(ZERO),
        net_value=Decimal(row["total_net"]).quantize(ZERO),
    )


#: The register's filters the totals table can answer (with the school scope).
SUMMARY_FILTERS = frozenset({"status", "category", "low_value", "show"})
FEN = Decimal("0.01")


def yuan(fen: Any) -> Decimal:
    """A sum of the totals table (whole fen) in yuan."""
    return Decimal(int(fen or 0)) * FEN


def summary_totals(
    rows: QuerySet[AssetRegisterTotal], data: dict[str, Any], search: str = ""
) -> RegisterTotals | None:
    """The totals of the register's list from the totals table kept by triggers, or None when
    the list is narrowed by more than ``SUMMARY_FILTERS`` (then the cards must be summed).

    ``rows``: the totals rows already narrowed to the user's scope and active school;
    ``data``: the filter form's cleaned data (empty when the form is unbound or invalid, as
    the list then ignores the filters too)."""
    used = {name for name, value in data.items() if value not in (None, "")}
    if search or not used <= SUMMARY_FILTERS:
        return None
    category = data.get("category")
    if category and not isinstance(category, AssetCategory):
        return None
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    elif data.get("show") != "all":
        rows = rows.exclude(status__in=INACTIVE_STATUSES)
    if category:
        rows = rows.filter(category_key__in=category_subtree(category))
    if data.get("low_value") in ("1", "0"):
        rows = rows.filter(is_low_value=data["low_value"] == "1")
    row = rows.aggregate(
        cards=Coalesce(Sum("cards"), 0),
        quantity=Coalesce(Sum("quantity"), 0),
        original=Coalesce(Sum("original_fen"), 0),
        depreciation=Coalesce(Sum("depreciation_fen"), 0),
    )
    original, depreciation = yuan(row["original"]), yuan(row["depreciation"])
    return RegisterTotals(
        count=int(row["cards"]),
        quantity=int(row["quantity"]),
        original_value=original,
        accumulated_depreciation=depreciation,
        net_value=original - depreciation,
    )


def category_subtree(category: AssetCategory | int) -> QuerySet[Any]:
    """The category and its descendants (categories go at most three levels deep), as a
    queryset usable inside another query."""
    pk = category.pk if isinstance(category, AssetCategory) else category
    return AssetCategory.objects.filter(
        Q(pk=pk) | Q(parent_id=pk) | Q(parent__parent_id=pk)
    ).values("pk")


@dataclass
class CategoryNode:
    category: AssetCategory
    depth: int
    own_assets: int = 0
    total_assets: int = 0
    depreciable: bool = True
    life_years: int | None = None
    children: list[CategoryNode] = field(default_factory=list)


def category_tree(
    assets: QuerySet[Asset] | None = None, categories: QuerySet[AssetCategory] | None = None
) -> list[CategoryNode]:
    """Every category in tree order (parents before their children), with its inherited
    depreciation and the number of cards in ``assets`` under it (itself and descendants).
    Two queries: the categories and one grouped count."""
    rows = list(
        (categories if categories is not None else AssetCategory.objects.all()).order_by(
            "sort_order", "code", "name"
        )
    )
    counts: dict[int, int] = {}
    if assets is not None:
        counts = dict(
            assets.order_by()
            .values("category_id")
            .annotate(n=Count("pk"))
            .values_list("category_id", "n")
        )
    by_parent: dict[int | None, list[AssetCategory]] = {}
    known = {c.pk for c in rows}
    for category in rows:
        parent = category.parent_id if category.parent_id in known else None
        by_parent.setdefault(parent, []).append(category)

    flat: list[CategoryNode] = []

    def visit(category: AssetCategory, depth: int, inherited: tuple[bool, int | None]) -> int:
        depreciable = inherited[0] if category.depreciable is None else category.depreciable
        life = inherited[1] if category.life_years is None else category.life_years
        node = CategoryNode(category, depth, counts.get(category.pk, 0), 0, depreciable, life)
        flat.append(node)
        total = node.own_assets
        for child in by_parent.get(category.pk, []):
            total += visit(child, depth + 1, (depreciable, life))
        node.total_assets = total
        return total

    for top in by_parent.get(None, []):
        visit(top, 0, (True, None))
    return flat
