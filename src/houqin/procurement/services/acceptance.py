"""Acceptance (验收) of a delivery against a placed order, and returns to the supplier.

Confirming an acceptance does everything in one transaction: store goods are received into
stock at the order price, goods at or above the capitalisation threshold wait as asset cards
for the asset keeper, the budget commitment of each request turns into spending, request
lines count what they received, the requests settle, the order becomes partly or fully
received and the supplier's rating is recomputed. Any refusal leaves nothing written.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.workflow import transition
from houqin.finance.models import BudgetLine
from houqin.finance.services.budgets import BudgetError, budget_refund, budget_spend
from houqin.inventory.choices import MovementKind
from houqin.inventory.services.stock import StockError, as_quantity, fmt, lock_items, stock_move

from ..choices import AcceptanceResult, AcceptanceStatus, LineStatus, OrderStatus
from ..models import (
    Acceptance,
    AcceptanceLine,
    AssetIntake,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
)
from . import notices
from .orders import OrderError, money, settings_for, settle_requests

SOURCE = "acceptance"
RECEIVING = (OrderStatus.PLACED, OrderStatus.PARTIAL)


class AcceptanceError(OrderError):
    """A refused acceptance; the message is meant for the user."""


@dataclass
class LineInput:
    """What was delivered of one order line and how much of it was accepted."""

    order_line: int
    delivered: Decimal
    accepted: Decimal
    note: str = ""


def _too_much(line: PurchaseOrderLine, accepted: Decimal) -> str:
    return _("%(item)s: %(accepted)s %(unit)s accepted, but only %(left)s %(unit)s are due.") % {
        "item": line.item_name,
        "accepted": fmt(accepted),
        "left": fmt(line.outstanding),
        "unit": line.unit,
    }


def _lines_of(order: PurchaseOrder) -> dict[int, PurchaseOrderLine]:
    return {line.pk: line for line in order.lines.all()}


def _check_lines(order: PurchaseOrder, lines: Sequence[LineInput]) -> list[LineInput]:
    known = _lines_of(order)
    kept: list[LineInput] = []
    for given in lines:
        line = known.get(given.order_line)
        if line is None:
            raise AcceptanceError(_("A line does not belong to this order."))
        delivered, accepted = as_quantity(given.delivered or 0), as_quantity(given.accepted or 0)
        if delivered < 0 or accepted < 0:
            raise AcceptanceError(_("Quantities cannot be negative."))
        if accepted > delivered:
            raise AcceptanceError(
                _("%(item)s: more accepted (%(accepted)s) than delivered (%(delivered)s).")
                % {"item": line.item_name, "accepted": fmt(accepted), "delivered": fmt(delivered)}
            )
        if accepted > line.outstanding:
            raise AcceptanceError(_too_much(line, accepted))
        if delivered > 0:
            kept.append(LineInput(line.pk, delivered, accepted, (given.note or "")[:200]))
    if not kept:
        raise AcceptanceError(_("Enter what was delivered of at least one line."))
    return kept


@transaction.atomic
def acceptance_save(
    *,
    actor: Any,
    order: PurchaseOrder,
    delivered_on: datetime.date,
    lines: Sequence[LineInput],
    acceptors: Iterable[Any] = (),
    delivery_note: str = "",
    quality_score: int = 5,
    notes: str = "",
    acceptance: Acceptance | None = None,
) -> Acceptance:
    """Record a delivery (a draft acceptance YS-…, or changes to one): per line what was
    delivered and accepted; the rest of what was delivered goes back to the supplier."""
    locked = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if locked.status not in RECEIVING:
        raise AcceptanceError(
            _("Order %(number)s is %(status)s: deliveries are accepted for placed orders only.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    kept = _check_lines(locked, lines)
    if acceptance is None:
        acceptance = Acceptance(
            school_id=locked.school_id,
            order=locked,
            number=next_number(locked.school_id, "YS"),
            recorded_by=actor,
        )
    else:
        # The caller's copy may be stale (a colleague confirmed it meanwhile): decide on the
        # row as it is now, locked, and change that one.
        current = Acceptance.objects.select_for_update().filter(pk=acceptance.pk).first()
        if (
            current is None
            or current.status != AcceptanceStatus.DRAFT
            or current.order_id != locked.pk
        ):
            raise AcceptanceError(_("Only a draft acceptance can be changed."))
        acceptance = current
    acceptance.delivered_on = delivered_on
    acceptance.delivery_note = delivery_note
    acceptance.quality_score = quality_score
    acceptance.notes = notes
    try:
        acceptance.full_clean()
    except ValidationError as exc:
        raise AcceptanceError(" ".join(exc.messages)) from exc
    with acting_as(actor):
        acceptance.save()
    acceptance.acceptors.set(list(acceptors))
    acceptance.lines.all().delete()
    AcceptanceLine.objects.bulk_create(
        AcceptanceLine(
            acceptance=acceptance,
            order_line_id=given.order_line,
            delivered=given.delivered,
            accepted=given.accepted,
            rejected=given.delivered - given.accepted,
            note=given.note,
        )
        for given in kept
    )
    return acceptance


@transaction.atomic
def acceptance_cancel(*, actor: Any, acceptance: Acceptance, reason: str = "") -> Acceptance:
    """Drop a draft acceptance (recorded by mistake); nothing was received by it."""
    done: Acceptance = transition(
        acceptance, AcceptanceStatus.CANCELLED, actor=actor, reason=reason
    )
    return done


def delivered_value(acceptance: Acceptance) -> Decimal:
    return sum(
        (
            money(line.delivered * line.order_line.unit_price)
            for line in acceptance.lines.select_related("order_line")
        ),
        Decimal("0"),
    )


def confirm_problems(acceptance: Acceptance) -> list[str]:
    """What is missing before ``acceptance`` may be confirmed."""
    problems = []
    policy = settings_for(acceptance.school_id)
    people = acceptance.acceptors.count()
    value = delivered_value(acceptance)
    if people == 0:
        problems.append(_("Name the people who accepted the delivery."))
    elif value >= policy.bulk_acceptance_threshold and people < 2:
        problems.append(
            _(
                "Deliveries worth %(threshold)s yuan or more are accepted by at least two people "
                "(this one is worth %(value)s yuan)."
            )
            % {"threshold": f"{policy.bulk_acceptance_threshold:,.2f}", "value": f"{value:,.2f}"}
        )
    return problems


def _result(lines: Sequence[AcceptanceLine]) -> str:
    accepted = sum((line.accepted for line in lines), Decimal(0))
    rejected = sum((line.rejected for line in lines), Decimal(0))
    if accepted == 0:
        return AcceptanceResult.REJECTED
    return AcceptanceResult.PARTLY if rejected else AcceptanceResult.ACCEPTED


def _spend(
    *,
    actor: Any,
    acceptance: Acceptance,
    request: PurchaseRequest,
    quantity: Decimal,
    price: Decimal,
    estimate: Decimal,
) -> None:
    """``quantity`` received for ``request`` at ``price``: its commitment becomes spending."""
    if request.budget_line_id is None:
        return
    release = min(money(quantity * estimate), request.committed)
    try:
        budget_spend(
            line=request.budget_line_id,
            amount=money(quantity * price),
            release=release,
            actor=actor,
            source_type=SOURCE,
            source_id=acceptance.pk,
            reference=acceptance.number,
            note=request.number,
        )
    except BudgetError as exc:
        raise AcceptanceError(str(exc)) from exc
    request.committed -= release


def lock_budget_lines(ids: Iterable[int | None]) -> None:
    """Lock the budget lines ``ids`` at once, in id order, before any of them is changed: two
    acceptances of requests paid from the same lines then wait for each other instead of
    each holding one line and waiting for the other."""
    wanted = sorted({pk for pk in ids if pk})
    if wanted:
        list(
            BudgetLine.objects.select_for_update()
            .filter(pk__in=wanted)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


@transaction.atomic
def acceptance_confirm(*, actor: Any, acceptance: Acceptance) -> Acceptance:
    """Confirm the acceptance: stock, asset cards, budget, requests, order, supplier rating.

    Rows are locked in one order everywhere: the order, the acceptance, the order lines, the
    requests (by id), their lines, their budget lines (by id), then the store items."""
    order = PurchaseOrder.objects.select_for_update().get(pk=acceptance.order_id)
    current = Acceptance.objects.select_for_update().get(pk=acceptance.pk)
    if current.status != AcceptanceStatus.DRAFT:
        raise AcceptanceError(
            _("This acceptance is already %(status)s.") % {"status": current.get_status_display()}
        )
    if order.status not in RECEIVING:
        raise AcceptanceError(
            _("Order %(number)s is %(status)s: deliveries are accepted for placed orders only.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    problems = confirm_problems(current)
    if problems:
        raise AcceptanceError(" ".join(problems))
    lines = list(current.lines.select_related("order_line").order_by("pk"))
    order_lines = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update().filter(order=order).order_by("pk")
    }
    of_order = PurchaseRequestLine.objects.filter(order_line__order=order)
    requests = {
        request.pk: request
        for request in PurchaseRequest.objects.select_for_update()
        .filter(pk__in=sorted(set(of_order.values_list("request_id", flat=True))))
        .order_by("pk")
    }
    request_lines = list(
        of_order.select_for_update(of=("self",))
        .select_related("request__department")
        .order_by("pk")
    )
    lock_budget_lines(request.budget_line_id for request in requests.values())
    lock_items(line.stock_item_id for line in order_lines.values() if line.stock_item_id)
    amount = Decimal("0")
    #: What this acceptance gave each request (for the requesters' notices).
    shares: dict[int, list[tuple[str, Decimal, str]]] = {}
    for line in lines:
        order_line = order_lines[line.order_line_id]
        if line.accepted > order_line.outstanding:
            raise AcceptanceError(_too_much(order_line, line.accepted))
        if line.accepted == 0:
            continue
        price = order_line.unit_price
        amount += money(line.accepted * price)
        order_line.received += line.accepted
        PurchaseOrderLine.objects.filter(pk=order_line.pk).update(received=order_line.received)
        left = line.accepted
        own = [rl for rl in request_lines if rl.order_line_id == order_line.pk]
        # Deliveries fill the request lines still waiting, in id order (a return is final:
        # a line that received its quantity stays received).
        for request_line in own:
            if left <= 0:
                break
            if request_line.status != LineStatus.ORDERED:
                continue
            share = min(left, request_line.quantity - request_line.received)
            if share <= 0:
                continue
            left -= share
            shares.setdefault(request_line.request_id, []).append(
                (order_line.item_name, share, order_line.unit)
            )
            request_line.received += share
            if request_line.received >= request_line.quantity:
                request_line.status = LineStatus.RECEIVED
            PurchaseRequestLine.objects.filter(pk=request_line.pk).update(
                received=request_line.received, status=request_line.status
            )
            _spend(
                actor=actor,
                acceptance=current,
                request=requests[request_line.request_id],
                quantity=share,
                price=price,
                estimate=request_line.estimated_price,
            )
        if order_line.stock_item_id:
            try:
                stock_move(
                    item=order_line.stock_item_id,
                    kind=MovementKind.RECEIPT,
                    quantity=line.accepted,
                    unit_cost=price,
                    actor=actor,
                    reason=_("Accepted delivery %(number)s of order %(order)s")
                    % {"number": current.number, "order": order.number},
                    source_type=SOURCE,
                    source_id=current.pk,
                    reference=current.number,
                )
            except StockError as exc:
                raise AcceptanceError(str(exc)) from exc
        elif order_line.is_asset and int(line.accepted) >= 1:
            first = own[0] if own else None
            intake = AssetIntake(
                school_id=order.school_id,
                acceptance_line=line,
                name=order_line.item_name,
                specification=order_line.specification,
                unit=order_line.unit,
                quantity=int(line.accepted),
                unit_price=price,
                supplier_name=str(order.supplier or ""),
                department=first.request.department if first else None,
                received_on=current.delivered_on,
            )
            intake.full_clean()
            with acting_as(actor):
                intake.save()
    for request in requests.values():
        PurchaseRequest.objects.filter(pk=request.pk).update(committed=request.committed)
    confirmed: Acceptance = transition(
        acceptance,
        AcceptanceStatus.CONFIRMED,
        actor=actor,
        update={"amount": amount, "result": _result(lines), "confirmed_at": timezone.now()},
    )
    done = all(line.received >= line.quantity for line in order_lines.values())
    target = OrderStatus.RECEIVED if done else OrderStatus.PARTIAL
    if target != order.status:
        transition(order, target, actor=actor, check_permission=False)
    settle_requests(requests, actor=actor)
    if order.supplier_id:
        from .suppliers import supplier_rate

        supplier_rate(supplier=order.supplier)
    notices.acceptance_confirmed(confirmed, actor, requests=requests, shares=shares)
    return confirmed


def _returned_shares(
    acceptance: Acceptance, line: AcceptanceLine, quantity: Decimal
) -> list[tuple[PurchaseRequestLine, Decimal]]:
    """The request lines that received the ``quantity`` of ``line`` now going back.

    Confirmed deliveries fill the order line's request lines in id order and a return never
    gives a line its goods back, so the order line's accepted units are numbered: those of
    earlier confirmations first, then ``line``'s, of which ``returned_later`` already went
    back. Each request line holds a range of those numbers.
    """
    earlier = (
        AcceptanceLine.objects.filter(
            order_line_id=line.order_line_id, acceptance__status=AcceptanceStatus.CONFIRMED
        )
        .filter(
            Q(acceptance__confirmed_at__lt=acceptance.confirmed_at)
            | Q(acceptance__confirmed_at=acceptance.confirmed_at, acceptance_id__lt=acceptance.pk)
            | Q(acceptance_id=acceptance.pk, pk__lt=line.pk)
        )
        .aggregate(total=Sum("accepted"))["total"]
    ) or Decimal("0")
    start = earlier + line.returned_later
    end = start + quantity
    found: list[tuple[PurchaseRequestLine, Decimal]] = []
    offset = Decimal("0")
    for request_line in (
        PurchaseRequestLine.objects.filter(order_line_id=line.order_line_id)
        .select_related("request")
        .order_by("pk")
    ):
        low, high = offset, offset + request_line.received
        share = min(end, high) - max(start, low)
        if share > 0:
            found.append((request_line, share))
        offset = high
    return found


@transaction.atomic
def acceptance_return(
    *, actor: Any, line: AcceptanceLine, quantity: Decimal, reason: str
) -> AcceptanceLine:
    """Return accepted goods to the supplier (退货) for a refund: out of stock for store
    goods, and the spending taken back from the budgets of the requests that received them.

    A return is final: the requests keep what they received (nothing more is due from the
    supplier for it), and one acceptance line gives back at most what it accepted."""
    if not (reason or "").strip():
        raise AcceptanceError(_("Say why the goods go back to the supplier."))
    order_id = (
        PurchaseOrderLine.objects.filter(pk=line.order_line_id)
        .values_list("order_id", flat=True)
        .get()
    )
    list(PurchaseOrder.objects.select_for_update().filter(pk=order_id).values_list("pk"))
    acceptance = Acceptance.objects.select_for_update().get(pk=line.acceptance_id)
    if acceptance.status != AcceptanceStatus.CONFIRMED:
        raise AcceptanceError(_("Only goods of a confirmed acceptance can be returned."))
    current = AcceptanceLine.objects.select_for_update().get(pk=line.pk)
    order_line = PurchaseOrderLine.objects.select_for_update().get(pk=current.order_line_id)
    if order_line.is_asset and not order_line.stock_item_id:
        raise AcceptanceError(
            _("Fixed assets are returned through the asset register (disposal), not here.")
        )
    qty = as_quantity(quantity or 0)
    if qty <= 0:
        raise AcceptanceError(_("The quantity must be more than zero."))
    most = min(order_line.received - order_line.returned, current.accepted - current.returned_later)
    if most <= 0:
        raise AcceptanceError(
            _("%(item)s: everything accepted by %(number)s has already gone back.")
            % {"item": order_line.item_name, "number": acceptance.number}
        )
    if qty > most:
        raise AcceptanceError(
            _("%(item)s: at most %(left)s %(unit)s can go back.")
            % {"item": order_line.item_name, "left": fmt(most), "unit": order_line.unit}
        )
    price = order_line.unit_price
    text = reason.strip()
    shares = _returned_shares(acceptance, current, qty)
    lock_budget_lines(request_line.request.budget_line_id for request_line, _share in shares)
    if order_line.stock_item_id:
        try:
            stock_move(
                item=order_line.stock_item_id,
                kind=MovementKind.SUPPLIER_RETURN,
                quantity=qty,
                unit_cost=price,
                actor=actor,
                reason=_("Returned to the supplier (%(number)s): %(reason)s")
                % {"number": acceptance.number, "reason": text},
                source_type=SOURCE,
                source_id=acceptance.pk,
                reference=acceptance.number,
            )
        except StockError as exc:
            raise AcceptanceError(str(exc)) from exc
    for request_line, share in shares:
        if not request_line.request.budget_line_id:
            continue
        try:
            budget_refund(
                line=request_line.request.budget_line_id,
                amount=money(share * price),
                actor=actor,
                source_type=SOURCE,
                source_id=acceptance.pk,
                reference=acceptance.number,
                note=f"{request_line.request.number} {text}",
            )
        except BudgetError as exc:  # pragma: no cover - the line is PROTECTed
            raise AcceptanceError(str(exc)) from exc
    current.returned_later += qty
    AcceptanceLine.objects.filter(pk=current.pk).update(returned_later=current.returned_later)
    PurchaseOrderLine.objects.filter(pk=order_line.pk).update(returned=order_line.returned + qty)
    line.returned_later = current.returned_later
    return line
