"""Template helpers of the work order pages, usable on any page: the SLA clock of an order
and the repair panel (history and cost total) of an asset or a room."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import WorkOrder
from ..selectors import (
    ClockPanel,
    asset_repair_totals,
    clock_panel,
    latest_for,
    room_repair_totals,
    rows,
)

register = template.Library()
VIEW = "maintenance.view_workorder"


@register.simple_tag
def order_clock(order: WorkOrder) -> ClockPanel:
    """``{% order_clock order as clock %}``: the clock from the order's own fields."""
    return clock_panel(order)


@register.inclusion_tag("maintenance/_repairs_panel.html", takes_context=True)
def repair_panel(context: Any, obj: Any) -> dict[str, Any]:
    """Repairs of an asset or a room: count, open, total cost and the latest orders; shown
    only to holders of ``view_workorder`` in the object's school."""
    from django.urls import reverse

    from houqin.core.scoping import has_perm_in_school

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not has_perm_in_school(user, VIEW, obj.school_id):
        return {"show": False}
    is_asset = obj._meta.model_name == "asset"
    found = WorkOrder.objects.filter(**{"asset_id" if is_asset else "room_id": obj.pk})
    totals = asset_repair_totals(obj.pk) if is_asset else room_repair_totals(obj.pk)
    key = "asset" if is_asset else "room"
    return {
        "show": True,
        "totals": totals,
        "rows": rows(latest_for(found)),
        "more_url": f"{reverse('maintenance:workorder_list')}?{key}={obj.pk}",
    }
