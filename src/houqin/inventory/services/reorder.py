"""Reorder alerts: items at or below their minimum stock, the quantity to buy, and the daily
notice to the storekeepers of items that have just run low."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, ExpressionWrapper, F, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.notifications import events

from ..models import StockItem, StockMovement
from .items import low_condition

LOW_STOCK = "inventory.low_stock"
events.register(LOW_STOCK, gettext_lazy("Store items ran low"))

QTY = DecimalField(max_digits=14, decimal_places=3)


def suggested_quantity() -> Case:
    """Up to the maximum stock, or to twice the minimum when the item has no maximum."""
    return Case(
        When(
            max_stock__isnull=False,
            then=ExpressionWrapper(F("max_stock") - F("quantity"), output_field=QTY),
        ),
        default=ExpressionWrapper(F("min_stock") * 2 - F("quantity"), output_field=QTY),
        output_field=QTY,
    )


def low_items(queryset: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """Items in use at or below their minimum, with ``suggested`` (the quantity to buy)."""
    return (
        queryset.filter(low_condition(), is_active=True)
        .annotate(suggested=suggested_quantity())
        .annotate(
            suggested_value=ExpressionWrapper(
                F("suggested") * F("average_cost"),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        )
    )


def newly_low(since: datetime.datetime, school_ids: list[int] | None = None) -> QuerySet[Any]:
    """Items low now that crossed their minimum after ``since``: a movement after ``since``
    took them from above the minimum to at or below it. An item that stays low is not found
    again until it has been above its minimum in between (once per low spell)."""
    crossing = (
        StockMovement.objects.filter(at__gt=since, balance__lte=F("item__min_stock"))
        .annotate(before=ExpressionWrapper(F("balance") - F("quantity"), output_field=QTY))
        .filter(before__gt=F("item__min_stock"))
    )
    items = StockItem.objects.filter(low_condition(), is_active=True)
    if school_ids is not None:
        items = items.filter(school_id__in=school_ids)
    return items.filter(pk__in=crossing.values("item_id"))


def alert_low_stock(
    *, since: datetime.datetime | None = None, now: datetime.datetime | None = None
) -> int:
    """Tell each school's storekeepers (holders of ``inventory.move_stock``) which items ran
    low since ``since`` (the last run; a day ago by default). Returns the number of items."""
    from houqin.maintenance.services.people import holders
    from houqin.notifications.services import notify

    now = now or timezone.now()
    since = since or now - datetime.timedelta(days=1)
    by_school: dict[int, list[StockItem]] = defaultdict(list)
    for item in newly_low(since).order_by("school_id", "category", "name"):
        by_school[item.school_id].append(item)
    url = reverse("inventory:reorder_list")
    for school_id, items in by_school.items():
        names = "、".join(str(item) for item in items[:10])
        if len(items) > 10:
            names += _(" and %(count)s more") % {"count": len(items) - 10}
        notify(
            recipients=list(holders(school_id, "inventory.move_stock")),
            event=LOW_STOCK,
            title=_("%(count)s store items ran low") % {"count": len(items)},
            body=_("At or below their minimum stock: %(items)s") % {"items": names},
            url=f"{url}?school={school_id}",
            school=school_id,
        )
    return sum(len(items) for items in by_school.values())


def total_value(queryset: QuerySet[StockItem]) -> Decimal:
    from django.db.models import Sum

    value = queryset.aggregate(total=Sum("suggested_value"))["total"]
    return Decimal(value or 0)
