"""Purchase requests (采购申请): drafts with their lines, submission through the approval
chain with the budget check, withdrawal and cancellation, the settlement once every line is
received or cancelled, and a draft suggested by the store's reorder alerts.

The budget is committed when the chain approves (``approval.py``) and released here when the
request is cancelled or settled with money left over; acceptances spend it (orders' module).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.selectors import request_for
from houqin.approvals.services import ApprovalError, approval_submit, approval_withdraw
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import TransitionError, transition
from houqin.finance.models import BudgetLine
from houqin.finance.services.budgets import BudgetError, budget_release, check, line_for
from houqin.finance.services.budgets import settings_for as finance_settings

from ..choices import LineStatus, RequestStatus
from ..models import PurchaseRequest, PurchaseRequestLine
from . import notices

PREFIX = "CG"
REQUEST_TYPE = "purchase_request"
SOURCE = "purchase_request"
CENT = Decimal("0.01")
QTY = Decimal("0.001")
MAX_LINES = 100
#: Cancelling an approved request (nothing ordered yet) is the purchasing office's decision.
CANCEL_APPROVED = "procurement.add_purchaseorder"

S = RequestStatus
#: Statuses after approval, while the purchasing office works on the request.
IN_PURCHASING = (S.APPROVED, S.ORDERING, S.ORDERED)


class RequestError(Exception):
    """A refused change to a purchase request; the message is meant for the user."""


@dataclass(frozen=True)
class LineInput:
    """One line as the requester enters it."""

    item_name: str
    quantity: Decimal
    unit: str
    estimated_price: Decimal
    specification: str = ""
    stock_item: Any = None


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def line_total(lines: Sequence[LineInput | PurchaseRequestLine]) -> Decimal:
    """The estimated total, line by line rounded to the cent as shown."""
    return sum(
        (
            money(Decimal(line.quantity).quantize(QTY) * money(Decimal(line.estimated_price)))
            for line in lines
        ),
        Decimal("0.00"),
    )


def _check_budget_line(request: PurchaseRequest) -> None:
    line = request.budget_line
    if line is None:
        return
    if line.department_id != request.department_id:
        raise RequestError(_("Choose a budget line of the request's department."))
    if line.category != request.category:
        raise RequestError(
            _("The budget line is for “%(line)s”, the request for “%(request)s”.")
            % {"line": line.get_category_display(), "request": request.get_category_display()}
        )


def unit_problem(stock_item: Any, unit: str) -> str:
    """Why ``unit`` cannot be used for ``stock_item`` (empty when it can): goods for the
    store are counted in the store's unit, or 2 boxes would go into stock as 2 packs."""
    given = (unit or "").strip()
    if stock_item is None or not given or given == stock_item.unit:
        return ""
    return _(
        "%(item)s is counted in %(unit)s in the store: enter the quantity in %(unit)s, "
        "not in %(given)s."
    ) % {"item": stock_item.name, "unit": stock_item.unit, "given": given}


def store_unit(stock_item: Any, unit: str) -> str:
    """The unit of a line: the store item's own unit (refused when another one is given)."""
    problem = unit_problem(stock_item, unit)
    if problem:
        raise RequestError(problem)
    return str(stock_item.unit) if stock_item is not None else (unit or "").strip()


def _validate(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise RequestError(" ".join(exc.messages)) from exc


@transaction.atomic
def purchase_request_save(
    *, actor: Any, request: PurchaseRequest, lines: Sequence[LineInput]
) -> PurchaseRequest:
    """Create (numbered CG-YYYY-NNNNNN) or change a request while it may be edited; the
    lines replace the old ones and the estimated total is computed here."""
    if not lines:
        raise RequestError(_("Add at least one line."))
    if len(lines) > MAX_LINES:
        raise RequestError(_("A request holds at most %(n)s lines.") % {"n": MAX_LINES})
    if request.pk is None:
        request.requester = actor
        request.school_id = request.department.school_id
        request.number = next_number(request.school_id, PREFIX)
    else:
        locked = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
        if locked.requester_id != actor.pk:
            raise RequestError(_("Only the requester may change this request."))
        if not locked.is_editable:
            raise RequestError(_("This request can no longer be changed."))
        if request.department.school_id != locked.school_id:
            raise RequestError(_("Choose a department of this school."))
    _check_budget_line(request)
    request.estimated_total = line_total(lines)
    _validate(request)
    request.save()
    request.lines.all().delete()
    made = []
    for entry in lines:
        stock_item = entry.stock_item
        if stock_item is not None and stock_item.school_id != request.school_id:
            raise RequestError(_("Choose a store item of this school."))
        line = PurchaseRequestLine(
            request=request,
            item_name=entry.item_name.strip(),
            specification=(entry.specification or "").strip(),
            quantity=Decimal(entry.quantity).quantize(QTY, rounding=ROUND_HALF_UP),
            unit=store_unit(stock_item, entry.unit),
            estimated_price=money(entry.estimated_price),
            stock_item=stock_item,
        )
        _validate(line)
        made.append(line)
    PurchaseRequestLine.objects.bulk_create(made)
    return request


def budget_message(request: PurchaseRequest) -> tuple[bool, str]:
    """(allowed, message) of the request's budget line for its estimated total now."""
    if request.budget_line_id is None:
        return True, ""
    line = BudgetLine.objects.select_related("school_year", "department").get(
        pk=request.budget_line_id
    )
    return check(line, request.estimated_total)


@transaction.atomic
def purchase_request_submit(*, actor: Any, request: PurchaseRequest) -> tuple[PurchaseRequest, str]:
    """Send the request (again) through its approval chain. Returns the request and a
    warning when the budget is short but the school's policy only warns; refused when the
    policy blocks or a budget line is required and missing."""
    given = request
    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    if request.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may submit this request."))
    if not request.is_editable:
        raise ApprovalError(_("This request has already been submitted."))
    if not request.lines.exists():
        raise ApprovalError(_("Add at least one line."))
    if request.budget_line_id is None and finance_settings(request.school_id).require_budget_line:
        raise ApprovalError(_("Choose the budget line this purchase is paid from."))
    try:
        _check_budget_line(request)
    except RequestError as exc:
        raise ApprovalError(str(exc)) from exc
    allowed, message = budget_message(request)
    if not allowed:
        raise ApprovalError(message)
    approval_submit(subject=request, request_type=REQUEST_TYPE, actor=actor)
    given.refresh_from_db()
    return given, message


@transaction.atomic
def purchase_request_withdraw(
    *, actor: Any, request: PurchaseRequest, reason: str = ""
) -> PurchaseRequest:
    """The requester takes a pending request back (to change it or cancel it)."""
    approval = request_for(request)
    if approval is None:
        raise ApprovalError(_("This request has not been submitted."))
    approval_withdraw(request=approval, actor=actor, reason=reason)
    request.refresh_from_db()
    return request


def _release(request: PurchaseRequest, actor: Any, note: str) -> None:
    """Give back to the budget line what the request still holds."""
    if request.budget_line_id is None or request.committed <= 0:
        return
    try:
        budget_release(
            line=request.budget_line_id,
            amount=request.committed,
            actor=actor,
            source_type=SOURCE,
            source_id=request.pk,
            reference=request.number,
            note=note,
        )
    except BudgetError as exc:  # pragma: no cover - the line always exists (PROTECT)
        raise RequestError(str(exc)) from exc
    PurchaseRequest.objects.filter(pk=request.pk).update(committed=Decimal("0"))
    request.committed = Decimal("0")


@transaction.atomic
def purchase_request_cancel(
    *, actor: Any, request: PurchaseRequest, reason: str = ""
) -> PurchaseRequest:
    """Cancel a draft, returned or withdrawn request (its requester), or an approved one
    nothing of which is ordered yet (the purchasing office, with a reason): its lines are
    cancelled and the committed budget is released."""
    locked = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    reason = reason.strip()
    if locked.status == S.PENDING:
        raise RequestError(_("Withdraw the request from approval first."))
    if locked.status in PurchaseRequest.EDITABLE:
        if locked.requester_id != actor.pk:
            raise RequestError(_("Only the requester may cancel this request."))
    elif locked.status == S.APPROVED:
        if not has_perm_in_school(actor, CANCEL_APPROVED, locked.school_id):
            raise RequestError(_("Only the purchasing office may cancel an approved request."))
        if not reason:
            raise RequestError(_("Please give a reason."))
        if locked.lines.exclude(status__in=(LineStatus.OPEN, LineStatus.CANCELLED)).exists():
            raise RequestError(_("Part of this request is already ordered."))
    else:
        raise RequestError(_("This request can no longer be cancelled."))
    locked.lines.update(status=LineStatus.CANCELLED)
    _release(locked, actor, reason or _("Request cancelled"))
    cancelled: PurchaseRequest = transition(
        locked, S.CANCELLED, actor=actor, reason=reason, check_permission=False
    )
    if locked.requester_id != actor.pk:
        notices.request_cancelled(cancelled, actor, reason)
    request.status = cancelled.status
    request.committed = cancelled.committed
    return cancelled


def _path(start: str, goal: str) -> list[str]:
    """The shortest way from ``start`` to ``goal`` along the request's TRANSITIONS."""
    seen = {start: [start]}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        if current == goal:
            return seen[current][1:]
        for following in PurchaseRequest.TRANSITIONS.get(current, {}):
            if following not in seen:
                seen[following] = [*seen[current], following]
                queue.append(following)
    raise TransitionError(  # pragma: no cover - every purchasing status reaches every other
        _("%(request)s cannot reach this status.") % {"request": start}
    )


def _status_from_lines(lines: list[PurchaseRequestLine]) -> str:
    received = any(line.received > 0 or line.status == LineStatus.RECEIVED for line in lines)
    statuses = {line.status for line in lines}
    if statuses <= {LineStatus.RECEIVED, LineStatus.CANCELLED}:
        return S.RECEIVED if received else S.CANCELLED
    if LineStatus.OPEN in statuses:
        ordered = received or LineStatus.ORDERED in statuses
        return S.ORDERING if ordered else S.APPROVED
    return S.ORDERED


@transaction.atomic
def purchase_request_cancel_rest(
    *, actor: Any, request: PurchaseRequest, reason: str
) -> PurchaseRequest:
    """The purchasing office cancels the lines of a partly ordered request that will not be
    ordered (with a reason): their estimated amount goes back to the budget now, and the
    request becomes ORDERED (RECEIVED, releasing the rest, when everything ordered has
    already arrived)."""
    locked = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    reason = (reason or "").strip()
    if not has_perm_in_school(actor, CANCEL_APPROVED, locked.school_id):
        raise RequestError(_("Only the purchasing office may cancel what is left of a request."))
    if locked.status != S.ORDERING:
        raise RequestError(
            _("Only the lines still to be ordered of a partly ordered request can be cancelled.")
        )
    if not reason:
        raise RequestError(_("Please give a reason."))
    rest = list(
        PurchaseRequestLine.objects.select_for_update()
        .filter(request=locked, status=LineStatus.OPEN)
        .order_by("pk")
    )
    if not rest:
        raise RequestError(_("No line of this request is waiting to be ordered."))
    PurchaseRequestLine.objects.filter(pk__in=[line.pk for line in rest]).update(
        status=LineStatus.CANCELLED
    )
    freed = min(line_total(rest), locked.committed)
    if locked.budget_line_id is not None and freed > 0:
        try:
            budget_release(
                line=locked.budget_line_id,
                amount=freed,
                actor=actor,
                source_type=SOURCE,
                source_id=locked.pk,
                reference=locked.number,
                note=reason,
            )
        except BudgetError as exc:  # pragma: no cover - the line always exists (PROTECT)
            raise RequestError(str(exc)) from exc
        locked.committed -= freed
        PurchaseRequest.objects.filter(pk=locked.pk).update(committed=locked.committed)
    settled = purchase_request_settle(request=locked, actor=actor, reason=reason)
    if locked.requester_id != actor.pk:
        notices.send(
            recipients=[locked.requester],
            event=notices.CANCELLED,
            title=_("Partly cancelled: %(number)s %(title)s")
            % {"number": locked.number, "title": locked.title},
            body=_("Not ordered: %(lines)s. Reason: %(reason)s")
            % {
                "lines": notices.listing([(x.item_name, x.quantity, x.unit) for x in rest]),
                "reason": reason,
            },
            obj=locked,
            school_id=locked.school_id,
            actor=actor,
        )
    request.status = settled.status
    request.committed = settled.committed
    return settled


@transaction.atomic
def purchase_request_settle(
    *, request: PurchaseRequest, actor: Any, reason: str = ""
) -> PurchaseRequest:
    """Bring the request's status in line with its lines after orders and acceptances.

    Every line received or cancelled: RECEIVED (CANCELLED when nothing was received) and what
    is left of the commitment goes back to the budget. Otherwise APPROVED, ORDERING or
    ORDERED as the lines say. Requests not yet approved are left as they are.
    """
    locked: PurchaseRequest = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in IN_PURCHASING:
        return locked
    target = _status_from_lines(list(locked.lines.all()))
    if target in (S.RECEIVED, S.CANCELLED):
        _release(locked, actor, _("Request settled"))
    for step in _path(locked.status, target) if target != locked.status else []:
        locked = transition(locked, step, actor=actor, reason=reason, check_permission=False)
    request.status = locked.status
    request.committed = locked.committed
    return locked


def reorder_quantity(item: Any) -> Decimal:
    """What a reorder suggests: up to the maximum stock, or twice the minimum without one."""
    level = item.max_stock if item.max_stock is not None else item.min_stock * 2
    return max(Decimal(level) - Decimal(item.quantity), Decimal("0")).quantize(QTY)


@transaction.atomic
def purchase_request_from_reorder(
    *, actor: Any, department: Any, items: Sequence[Any]
) -> PurchaseRequest:
    """A draft request for the store's low items: one line per item, up to its maximum
    stock (twice the minimum without a maximum) at the average cost, category office
    supplies, paid from the department's office-supplies budget line of the year if any."""
    chosen = [item for item in items if item.school_id == department.school_id]
    if len(chosen) != len(items):
        raise RequestError(_("Choose store items of the department's school."))
    lines = [
        LineInput(
            item_name=item.name[:100],
            specification=item.specification,
            quantity=reorder_quantity(item),
            unit=item.unit,
            estimated_price=money(item.average_cost),
            stock_item=item,
        )
        for item in chosen
        if reorder_quantity(item) > 0
    ]
    if not lines:
        raise RequestError(_("None of these items needs reordering."))
    today = timezone.localdate()
    names = "、".join(line.item_name for line in lines[:3])
    title = _("Restock: %(items)s") % {"items": names}
    if len(lines) > 3:
        title = _("Restock: %(items)s and %(more)s more") % {
            "items": names,
            "more": len(lines) - 3,
        }
    request = PurchaseRequest(
        department=department,
        title=title[:200],
        category="office",
        budget_line=line_for(
            school_id=department.school_id, department_id=department.pk, category="office", on=today
        ),
        reason=_("The store is at or below the minimum stock of these items."),
    )
    return purchase_request_save(actor=actor, request=request, lines=lines)
