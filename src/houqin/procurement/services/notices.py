"""Notices of purchasing: who hears about a purchase request, its order and its delivery.

The approvals app already tells the requester when the chain approves, rejects or returns a
request; here the purchasing office hears of approved requests to order, the requester of
the order placed, the goods received and a cancellation by the office, the asset keepers of
goods waiting for their asset cards and the storekeepers of goods put into the store.
Everything is sent once the surrounding transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.notifications import events

TO_ORDER = "procurement.request_to_order"
ORDERED = "procurement.request_ordered"
RECEIVED = "procurement.request_received"
CANCELLED = "procurement.request_cancelled"
ASSETS_WAITING = "procurement.assets_to_register"
STOCKED = "procurement.goods_stocked"

events.register(
    TO_ORDER,
    gettext_lazy("An approved purchase request waits to be ordered"),
    gettext_lazy("For the purchasing office, when an approval chain approves a request."),
)
events.register(
    ORDERED,
    gettext_lazy("The goods of your purchase request were ordered"),
    gettext_lazy("When the purchasing office places the order with the supplier."),
)
events.register(
    RECEIVED,
    gettext_lazy("The goods of your purchase request were received"),
    gettext_lazy("When a delivery for your request is accepted."),
)
events.register(
    CANCELLED,
    gettext_lazy("The purchasing office cancelled your purchase request"),
)
events.register(
    ASSETS_WAITING,
    gettext_lazy("Purchased goods wait for their asset cards"),
    gettext_lazy("For the asset keepers, when an acceptance brings in fixed assets."),
)
events.register(
    STOCKED,
    gettext_lazy("Accepted goods went into the store"),
    gettext_lazy("For the storekeepers, when an acceptance puts goods into stock."),
)

#: Who is told: the purchasing office, the asset keepers, the storekeepers.
PURCHASERS = "procurement.add_purchaseorder"
ASSET_KEEPERS = "procurement.change_assetintake"
STOREKEEPERS = "inventory.move_stock"

#: Lines named in a message body before "and N more".
SHOWN = 5


def holders(school_id: int, perm: str) -> list[Any]:
    """Active staff of the school whose role grants ``perm``."""
    from houqin.maintenance.services.people import holders as permitted

    return list(permitted(school_id, perm))


def send(
    *,
    recipients: Iterable[Any],
    event: str,
    title: str,
    body: str = "",
    obj: Any,
    school_id: int,
    actor: Any = None,
    url: str = "",
) -> None:
    """Notify after the surrounding transaction commits (linking to ``url``, by default the
    object's page); nothing is sent for an action that is rolled back."""
    from houqin.notifications.services import notify

    people = [person for person in recipients if person is not None]
    if not people:
        return
    actor = actor if getattr(actor, "is_authenticated", False) else None
    link = url or obj.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            recipients=people,
            event=event,
            title=title,
            body=body,
            url=link,
            obj=obj,
            school=school_id,
            actor=actor,
        )
    )


def quantity(value: Decimal) -> str:
    from houqin.inventory.services.stock import fmt

    return fmt(value)


def listing(items: Sequence[tuple[str, Decimal, str]]) -> str:
    """「A4复印纸 100 包、红笔 200 支」, the first few and how many more."""
    shown = "、".join(f"{name} {quantity(qty)} {unit}".strip() for name, qty, unit in items[:SHOWN])
    if len(items) > SHOWN:
        return _("%(items)s and %(more)s more") % {"items": shown, "more": len(items) - SHOWN}
    return shown


# -- purchase requests ------------------------------------------------------------------------


def request_approved(request: Any, actor: Any) -> None:
    """The chain approved ``request``: its lines wait for the purchasing office to order."""
    lines = list(request.lines.values_list("item_name", "quantity", "unit"))
    send(
        recipients=holders(request.school_id, PURCHASERS),
        event=TO_ORDER,
        title=_("To order: %(number)s %(title)s")
        % {"number": request.number, "title": request.title},
        body=_("%(department)s, estimated %(total)s yuan: %(lines)s")
        % {
            "department": request.department,
            "total": f"{request.estimated_total:,.2f}",
            "lines": listing(lines),
        },
        obj=request,
        school_id=request.school_id,
        actor=actor,
        url=reverse("procurement:consolidate"),
    )


def request_cancelled(request: Any, actor: Any, reason: str) -> None:
    """The purchasing office cancelled an approved request (the requester's own
    cancellations tell nobody: ``notify`` never tells the actor)."""
    send(
        recipients=[request.requester],
        event=CANCELLED,
        title=_("Cancelled: %(number)s %(title)s")
        % {"number": request.number, "title": request.title},
        body=_("Reason: %(reason)s") % {"reason": reason} if reason else "",
        obj=request,
        school_id=request.school_id,
        actor=actor,
    )


# -- orders -----------------------------------------------------------------------------------


def order_placed(order: Any, actor: Any) -> None:
    """Tell the requester of each request in ``order`` that their goods were ordered."""
    from ..models import PurchaseRequestLine

    rows = (
        PurchaseRequestLine.objects.filter(order_line__order=order)
        .select_related("request__requester")
        .order_by("request_id", "pk")
    )
    by_request: dict[int, tuple[Any, list[tuple[str, Decimal, str]]]] = {}
    for line in rows:
        entry = by_request.setdefault(line.request_id, (line.request, []))
        entry[1].append((line.item_name, line.quantity, line.unit))
    supplier = str(order.supplier or "")
    for request, lines in by_request.values():
        body = _("Order %(order)s from %(supplier)s: %(lines)s") % {
            "order": order.number,
            "supplier": supplier,
            "lines": listing(lines),
        }
        if order.expected_on:
            body += _("; expected on %(date)s") % {"date": order.expected_on}
        send(
            recipients=[request.requester],
            event=ORDERED,
            title=_("Ordered: %(number)s %(title)s")
            % {"number": request.number, "title": request.title},
            body=body,
            obj=request,
            school_id=request.school_id,
            actor=actor,
        )


# -- acceptance -------------------------------------------------------------------------------


def acceptance_confirmed(
    acceptance: Any,
    actor: Any,
    *,
    requests: dict[int, Any],
    shares: dict[int, list[tuple[str, Decimal, str]]],
) -> None:
    """After a confirmed acceptance: each requester who received something, the asset keepers
    when asset cards wait, the storekeepers when goods went into the store.

    ``shares`` is, per request id, what this acceptance gave its lines."""
    from ..models import AssetIntake

    for request_id, items in shares.items():
        request = requests[request_id]
        send(
            recipients=[request.requester],
            event=RECEIVED,
            title=_("Received: %(number)s %(title)s")
            % {"number": request.number, "title": request.title},
            body=_("Accepted with delivery %(acceptance)s: %(lines)s")
            % {"acceptance": acceptance.number, "lines": listing(items)},
            obj=request,
            school_id=request.school_id,
            actor=actor,
        )
    accepted = list(
        acceptance.lines.filter(accepted__gt=0)
        .select_related("order_line")
        .order_by("pk")
        .values_list(
            "order_line__item_name",
            "accepted",
            "order_line__unit",
            "order_line__stock_item_id",
        )
    )
    stocked = [(name, qty, unit) for name, qty, unit, item in accepted if item]
    if stocked:
        send(
            recipients=holders(acceptance.school_id, STOREKEEPERS),
            event=STOCKED,
            title=_("Into the store: %(number)s") % {"number": acceptance.number},
            body=listing(stocked),
            obj=acceptance,
            school_id=acceptance.school_id,
            actor=actor,
        )
    intakes = list(
        AssetIntake.objects.filter(acceptance_line__acceptance=acceptance)
        .order_by("pk")
        .values_list("name", "quantity", "unit")
    )
    if intakes:
        send(
            recipients=holders(acceptance.school_id, ASSET_KEEPERS),
            event=ASSETS_WAITING,
            title=_("Asset cards to make: %(number)s") % {"number": acceptance.number},
            body=listing([(name, Decimal(qty), unit) for name, qty, unit in intakes]),
            obj=acceptance,
            school_id=acceptance.school_id,
            actor=actor,
            url=reverse("procurement:intake_list"),
        )
