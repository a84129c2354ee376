"""Purchase orders (后勤统一采购): approved request lines consolidated into orders, prices
agreed, the order placed with the supplier, cancelled (lines back to be ordered) or closed
short (the missing quantities cancelled).

Status moves go through ``core.workflow.transition`` along ``PurchaseOrder.TRANSITIONS``; the
requests follow their lines (``PurchaseRequest.TRANSITIONS``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import transition

from ..choices import LineStatus, OrderStatus, RequestStatus
from ..models import (
    ProcurementSettings,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    Quotation,
    Supplier,
)
from . import notices
from .suppliers import procurement_settings_for

CENT = Decimal("0.01")
ADD = "procurement.add_purchaseorder"
CHANGE = "procurement.change_purchaseorder"
#: Request statuses whose open lines may be ordered.
ORDERABLE = (RequestStatus.APPROVED, RequestStatus.ORDERING)


class OrderError(Exception):
    """A refused purchase order operation; the message is meant for the user."""


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# The purchasing policy lives with the settings service; orders read it by this name.
settings_for = procurement_settings_for


def capitalisation_threshold(school_id: int) -> Decimal:
    """The unit price from which purchased goods become fixed assets (1000 by default)."""
    from houqin.assets.models import AssetSettings

    found = (
        AssetSettings.objects.filter(school_id=school_id)
        .values_list("capitalisation_threshold", flat=True)
        .first()
    )
    return Decimal("1000") if found is None else Decimal(found)


def order_value(order: PurchaseOrder) -> Decimal:
    """What the order is worth for the quote and intention rules: the estimate or the agreed
    total, whichever is higher (lowering prices does not escape the rules)."""
    return max(order.total, order.estimated_total)


def needs_quotes(order: PurchaseOrder, policy: ProcurementSettings | None = None) -> bool:
    policy = policy or settings_for(order.school_id)
    return order_value(order) >= policy.quote_threshold


def needs_intention(order: PurchaseOrder, policy: ProcurementSettings | None = None) -> bool:
    policy = policy or settings_for(order.school_id)
    return order_value(order) >= policy.intention_threshold


def earliest_purchase(order: PurchaseOrder, policy: ProcurementSettings) -> datetime.date | None:
    if order.intention_published_on is None:
        return None
    return order.intention_published_on + datetime.timedelta(days=policy.intention_days)


def refresh_totals(order: PurchaseOrder) -> PurchaseOrder:
    """Recompute the totals and the fixed-asset flag of every line (store goods stay store
    goods; other goods at or above the capitalisation threshold are assets)."""
    threshold = capitalisation_threshold(order.school_id)
    lines = order.lines.all()
    lines.filter(unit_price__gte=threshold, stock_item__isnull=True).update(is_asset=True)
    lines.exclude(unit_price__gte=threshold, stock_item__isnull=True).update(is_asset=False)
    total = Decimal("0")
    estimated = Decimal("0")
    for quantity, price, estimate in lines.values_list("quantity", "unit_price", "estimated_price"):
        total += money(quantity * price)
        estimated += money(quantity * estimate)
    PurchaseOrder.objects.filter(pk=order.pk).update(total=total, estimated_total=estimated)
    order.total, order.estimated_total = total, estimated
    return order


# -- requests follow their lines ---------------------------------------------------------------


def lock_requests(request_ids: Iterable[int]) -> None:
    """Lock these requests at once, in id order, before any of their lines."""
    wanted = sorted(set(request_ids))
    if wanted:
        list(
            PurchaseRequest.objects.select_for_update()
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def settle_requests(request_ids: Iterable[int], *, actor: Any) -> None:
    """Bring each request's status in line with its lines (ordering, ordered, received); a
    request whose lines are all received or cancelled gives back what it still commits."""
    from .requests import purchase_request_settle

    for request in PurchaseRequest.objects.filter(pk__in=sorted(set(request_ids))).order_by("pk"):
        purchase_request_settle(request=request, actor=actor)


# -- consolidation ------------------------------------------------------------------------------


def open_lines(school_ids: Sequence[int]) -> QuerySet[PurchaseRequestLine]:
    """Every line still to be ordered of the approved requests of these schools."""
    return (
        PurchaseRequestLine.objects.filter(
            status=LineStatus.OPEN,
            request__status__in=ORDERABLE,
            request__school_id__in=school_ids,
        )
        .select_related("request__department", "request__school", "stock_item")
        .order_by("item_name", "specification", "unit", "request__needed_by", "pk")
    )


def group_key(line: PurchaseRequestLine) -> tuple[str, str, str, int | None]:
    return (
        line.item_name.strip(),
        line.specification.strip(),
        line.unit.strip(),
        line.stock_item_id,
    )


@dataclass
class LineGroup:
    """Request lines of the same goods, shown together on the consolidation page."""

    key: tuple[str, str, str, int | None]
    lines: list[PurchaseRequestLine] = field(default_factory=list)

    @property
    def item_name(self) -> str:
        return self.key[0]

    @property
    def specification(self) -> str:
        return self.key[1]

    @property
    def unit(self) -> str:
        return self.key[2]

    @property
    def quantity(self) -> Decimal:
        return sum((line.quantity for line in self.lines), Decimal("0"))

    @property
    def amount(self) -> Decimal:
        return sum((line.estimated_amount for line in self.lines), Decimal("0"))

    @property
    def departments(self) -> list[str]:
        return sorted({line.request.department.name for line in self.lines})


def group_lines(lines: Iterable[PurchaseRequestLine]) -> list[LineGroup]:
    groups: dict[tuple[str, str, str, int | None], LineGroup] = {}
    for line in lines:
        key = group_key(line)
        groups.setdefault(key, LineGroup(key)).lines.append(line)
    return list(groups.values())


@transaction.atomic
def purchase_order_consolidate(
    *,
    actor: Any,
    lines: Sequence[PurchaseRequestLine | int],
    title: str,
    supplier: Supplier | None = None,
    expected_on: datetime.date | None = None,
    delivery_address: str = "",
) -> PurchaseOrder:
    """One draft order (DD-…) from open lines of approved requests: lines of the same goods
    become one order line (quantities added, the estimated price their weighted average)."""
    ids = sorted({line if isinstance(line, int) else line.pk for line in lines})
    if not ids:
        raise OrderError(_("Choose at least one line to order."))
    # One locking order everywhere: the requests (by id) before their lines, as cancelling
    # a request does.
    lock_requests(
        PurchaseRequestLine.objects.filter(pk__in=ids).values_list("request_id", flat=True)
    )
    locked = list(
        PurchaseRequestLine.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("request")
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise OrderError(_("Some of the chosen lines no longer exist."))
    schools = {line.request.school_id for line in locked}
    if len(schools) != 1:
        raise OrderError(_("Lines of different schools cannot go into one order."))
    school_id = schools.pop()
    if not has_perm_in_school(actor, ADD, school_id):
        raise OrderError(_("You may not place purchase orders in this school."))
    taken = [
        line
        for line in locked
        if line.status != LineStatus.OPEN or line.request.status not in ORDERABLE
    ]
    if taken:
        raise OrderError(
            _("These lines are no longer waiting to be ordered: %(lines)s. Reload the page.")
            % {"lines": "、".join(f"{line.request.number} {line.item_name}" for line in taken)}
        )
    if supplier is not None and (supplier.school_id != school_id or not supplier.is_active):
        raise OrderError(_("Choose an active supplier of this school."))
    if not (title or "").strip():
        raise OrderError(_("Give the order a title."))
    if not delivery_address:
        from houqin.org.models import Campus

        delivery_address = (
            Campus.objects.filter(school_id=school_id)
            .exclude(address="")
            .order_by("pk")
            .values_list("address", flat=True)
            .first()
            or ""
        )
    groups = group_lines(locked)
    order = PurchaseOrder(
        school_id=school_id,
        number=next_number(school_id, "DD"),
        title=title.strip(),
        supplier=supplier,
        purchaser=actor,
        expected_on=expected_on,
        delivery_address=delivery_address,
        line_count=len(groups),
        merged_count=len(locked),
    )
    try:
        order.full_clean()
    except ValidationError as exc:
        raise OrderError(" ".join(exc.messages)) from exc
    with acting_as(actor):
        order.save()
    for group in groups:
        quantity = group.quantity
        weighted = sum((line.quantity * line.estimated_price for line in group.lines), Decimal(0))
        estimate = money(weighted / quantity)
        order_line = PurchaseOrderLine.objects.create(
            order=order,
            item_name=group.item_name,
            specification=group.specification,
            unit=group.unit,
            quantity=quantity,
            estimated_price=estimate,
            unit_price=estimate,
            stock_item_id=group.key[3],
        )
        PurchaseRequestLine.objects.filter(pk__in=[line.pk for line in group.lines]).update(
            order_line=order_line, status=LineStatus.ORDERED
        )
    refresh_totals(order)
    settle_requests({line.request_id for line in locked}, actor=actor)
    return order


# -- editing and placing --------------------------------------------------------------------


def _locked_order(order: PurchaseOrder) -> PurchaseOrder:
    locked: PurchaseOrder = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    return locked


def _editable(order: PurchaseOrder) -> None:
    if not order.is_editable:
        raise OrderError(
            _("Order %(number)s is %(status)s: it can no longer be changed.")
            % {"number": order.number, "status": order.get_status_display()}
        )


@transaction.atomic
def purchase_order_update(
    *,
    actor: Any,
    order: PurchaseOrder,
    title: str,
    supplier: Supplier | None,
    expected_on: datetime.date | None = None,
    delivery_address: str = "",
    notes: str = "",
    intention_published_on: datetime.date | None = None,
    intention_url: str = "",
    prices: dict[int, Decimal] | None = None,
) -> PurchaseOrder:
    """Change a draft order's details and agreed unit prices (the prices come from the
    chosen quote once one is chosen)."""
    locked = _locked_order(order)
    _editable(locked)
    chosen = locked.quotations.filter(is_chosen=True).select_related("supplier").first()
    if chosen is not None and supplier != chosen.supplier:
        raise OrderError(
            _("The supplier is the one of the chosen quote (%(supplier)s).")
            % {"supplier": chosen.supplier}
        )
    if supplier is not None and (supplier.school_id != locked.school_id or not supplier.is_active):
        raise OrderError(_("Choose an active supplier of this school."))
    locked.title = (title or "").strip()
    locked.supplier = supplier
    locked.expected_on = expected_on
    locked.delivery_address = delivery_address
    locked.notes = notes
    locked.intention_published_on = intention_published_on
    locked.intention_url = intention_url
    try:
        locked.full_clean()
    except ValidationError as exc:
        raise OrderError(" ".join(exc.messages)) from exc
    with acting_as(actor):
        locked.save()
    if prices:
        lines = {line.pk: line for line in locked.lines.all()}
        for pk, price in prices.items():
            line = lines.get(pk)
            if line is None or price is None:
                continue
            if chosen is not None and money(price) != line.unit_price:
                raise OrderError(_("The prices come from the chosen quote."))
            if price < 0:
                raise OrderError(_("A price cannot be negative."))
            PurchaseOrderLine.objects.filter(pk=pk).update(unit_price=money(price))
    refresh_totals(locked)
    order.refresh_from_db()
    return locked


def place_problems(order: PurchaseOrder, today: datetime.date | None = None) -> list[str]:
    """Everything missing before ``order`` may be placed, each said exactly."""
    policy = settings_for(order.school_id)
    today = today or timezone.localdate()
    problems: list[str] = []
    lines = list(order.lines.all())
    if not lines:
        problems.append(_("The order has no lines."))
    if order.supplier_id is None:
        problems.append(_("Choose the supplier."))
    free = [line.item_name for line in lines if line.unit_price <= 0]
    if free:
        problems.append(
            _("Enter the agreed unit price of: %(items)s.") % {"items": "、".join(free)}
        )
    if needs_quotes(order, policy):
        complete = complete_quotes(order)
        if len(complete) < policy.min_quotes:
            problems.append(
                _(
                    "Orders of %(threshold)s yuan or more need complete quotes from at least "
                    "%(min)s suppliers (三方比价); this one has %(count)s."
                )
                % {
                    "threshold": f"{policy.quote_threshold:,.2f}",
                    "min": policy.min_quotes,
                    "count": len(complete),
                }
            )
        if not any(quote.is_chosen for quote in complete):
            problems.append(_("Choose one of the quotes."))
        evaluators = order.evaluators.count()
        if evaluators < policy.min_evaluators:
            problems.append(
                _("At least %(min)s people must evaluate the quotes; %(count)s named.")
                % {"min": policy.min_evaluators, "count": evaluators}
            )
        if not order.choice_reason.strip():
            problems.append(_("Give the reason for the choice of supplier."))
    if needs_intention(order, policy):
        earliest = earliest_purchase(order, policy)
        if earliest is None:
            problems.append(
                _(
                    "Orders of %(threshold)s yuan or more need the purchase intention published "
                    "at least %(days)s days ahead: enter the date it was published."
                )
                % {"threshold": f"{policy.intention_threshold:,.2f}", "days": policy.intention_days}
            )
        elif earliest > today:
            problems.append(
                _(
                    "The purchase intention was published on %(published)s: the order may be "
                    "placed from %(earliest)s (%(days)s days later)."
                )
                % {
                    "published": order.intention_published_on,
                    "earliest": earliest,
                    "days": policy.intention_days,
                }
            )
    return problems


def complete_quotes(order: PurchaseOrder) -> list[Quotation]:
    """The order's quotes that price every line."""
    line_count = order.lines.count()
    return list(
        order.quotations.annotate(priced=Count("lines")).filter(priced__gte=line_count)
        if line_count
        else order.quotations.none()
    )


@transaction.atomic
def purchase_order_place(*, actor: Any, order: PurchaseOrder) -> PurchaseOrder:
    """Place the order with its supplier, once nothing is missing."""
    locked = _locked_order(order)
    _editable(locked)
    problems = place_problems(locked)
    if problems:
        raise OrderError(" ".join(problems))
    placed: PurchaseOrder = transition(
        locked,
        OrderStatus.PLACED,
        actor=actor,
        update={"placed_at": timezone.now()},
    )
    notices.order_placed(placed, actor)
    return placed


@transaction.atomic
def purchase_order_cancel(*, actor: Any, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """Cancel an order nothing was received for: its request lines go back to be ordered."""
    if not (reason or "").strip():
        raise OrderError(_("Say why the order is cancelled."))
    locked = _locked_order(order)
    if locked.lines.filter(received__gt=0).exists():
        raise OrderError(_("Goods were already accepted for this order: close it instead."))
    request_lines = PurchaseRequestLine.objects.filter(
        order_line__order=locked, status=LineStatus.ORDERED
    )
    request_ids = set(request_lines.values_list("request_id", flat=True))
    lock_requests(request_ids)
    done: PurchaseOrder = transition(locked, OrderStatus.CANCELLED, actor=actor, reason=reason)
    request_lines.update(status=LineStatus.OPEN, order_line=None)
    PurchaseOrder.objects.filter(pk=locked.pk).update(merged_count=0)
    done.merged_count = 0
    settle_requests(request_ids, actor=actor)
    return done


@transaction.atomic
def purchase_order_close(*, actor: Any, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """Close an order: quantities not delivered are cancelled on the requests (their budget
    is released when the request settles)."""
    if not (reason or "").strip():
        raise OrderError(_("Say why the order is closed."))
    locked = _locked_order(order)
    request_lines = PurchaseRequestLine.objects.filter(
        order_line__order=locked, status=LineStatus.ORDERED
    )
    request_ids = set(
        PurchaseRequestLine.objects.filter(order_line__order=locked).values_list(
            "request_id", flat=True
        )
    )
    lock_requests(request_ids)
    done: PurchaseOrder = transition(locked, OrderStatus.CLOSED, actor=actor, reason=reason)
    request_lines.filter(received__gt=0).update(status=LineStatus.RECEIVED)
    request_lines.filter(received=0).update(status=LineStatus.CANCELLED)
    settle_requests(request_ids, actor=actor)
    return done
