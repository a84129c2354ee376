"""Requisitions (申领, 按需发放): draft, submit (approval only when needed), issue, receipt.

A requisition needs approval when its department would go over the quota of the current
term, or when it asks for a restricted item; otherwise it goes straight to the store. The
storekeeper issues it, in one go or in parts, through the stock ledger; the requester
confirms receipt. Goods brought back go into the store again as a return.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.approvals.models import ApprovalRequest, RequestStatus
from houqin.approvals.services import ApprovalError, approval_submit, approval_withdraw
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import TransitionError, transition
from houqin.notifications import events
from houqin.notifications.services import notify

from ..choices import MovementKind, RequisitionStatus
from ..models import Requisition, RequisitionLine, StockItem, StockMovement
from .quotas import department_used, quota_for
from .stock import StockError, as_quantity, fmt, lock_items, stock_move

S = RequisitionStatus
PREFIX = "LY"
REQUEST_TYPE = "requisition"
SOURCE = "requisition"
MOVE_STOCK = "inventory.move_stock"
MAX_LINES = 50
CENT = Decimal("0.01")

ISSUED_EVENT = "inventory.requisition_issued"
TO_ISSUE_EVENT = "inventory.requisition_to_issue"
events.register(ISSUED_EVENT, gettext_lazy("Supplies you asked for were issued"))
events.register(TO_ISSUE_EVENT, gettext_lazy("A requisition waits to be issued"))


class RequisitionError(Exception):
    """A refused requisition action; the message is meant for the user."""


#: Every refusal a requisition page or endpoint shows as a message.
REFUSALS: tuple[type[Exception], ...] = (
    RequisitionError,
    StockError,
    ApprovalError,
    TransitionError,
)


@dataclass(frozen=True)
class LineInput:
    item: StockItem
    quantity: Decimal
    note: str = ""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise RequisitionError(message)


def _locked(requisition: Requisition) -> Requisition:
    locked: Requisition = (
        Requisition.objects.select_for_update(of=("self",), no_key=True)
        .select_related("department", "requester")
        .get(pk=requisition.pk)
    )
    return locked


def _merge(lines: Iterable[LineInput], school_id: int) -> list[LineInput]:
    """One line per item (the same item asked twice is added up); checked against the school."""
    merged: dict[int, LineInput] = {}
    for line in lines:
        item = line.item
        _check(
            item.school_id == school_id,
            _("%(item)s belongs to another school.") % {"item": item},
        )
        _check(item.is_active, _("%(item)s is no longer kept in the store.") % {"item": item})
        quantity = as_quantity(line.quantity)
        _check(
            quantity > 0,
            _("%(item)s: the quantity must be more than zero.") % {"item": item},
        )
        if item.pk in merged:
            before = merged[item.pk]
            note = "；".join(n for n in (before.note, line.note) if n)
            merged[item.pk] = LineInput(item, before.quantity + quantity, note[:200])
        else:
            merged[item.pk] = LineInput(item, quantity, line.note.strip()[:200])
    _check(bool(merged), _("Add at least one item."))
    _check(
        len(merged) <= MAX_LINES,
        _("At most %(n)s items per requisition.") % {"n": MAX_LINES},
    )
    return list(merged.values())


def estimate(lines: Iterable[tuple[StockItem, Decimal]]) -> Decimal:
    """The value of the lines at the items' average cost."""
    total = sum((item.average_cost * qty for item, qty in lines), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def requisition_save(
    *,
    actor: Any,
    requisition: Requisition,
    lines: Iterable[LineInput],
    submit: bool = False,
) -> Requisition:
    """Create (numbered LY-YYYY-NNNNNN) or change a draft with its lines; ``submit`` sends it
    on at once (see ``requisition_submit``)."""
    if requisition.pk is None:
        requisition.requester = actor
        requisition.school_id = requisition.department.school_id
        requisition.number = next_number(requisition.school_id, PREFIX)
    else:
        current = _locked(requisition)
        _check(current.requester_id == actor.pk, _("Only the requester may change this."))
        _check(current.is_editable, _("This requisition can no longer be changed."))
    _check(
        requisition.department.school_id == requisition.school_id,
        _("Choose a department of this school."),
    )
    merged = _merge(lines, requisition.school_id)
    requisition.estimated_amount = estimate((line.item, line.quantity) for line in merged)
    try:
        requisition.full_clean()
    except ValidationError as exc:
        raise RequisitionError(" ".join(exc.messages)) from exc
    requisition.save()
    requisition.lines.all().delete()
    RequisitionLine.objects.bulk_create(
        RequisitionLine(
            requisition=requisition, item=line.item, quantity=line.quantity, note=line.note
        )
        for line in merged
    )
    if submit:
        return requisition_submit(actor=actor, requisition=requisition)
    return requisition


def approval_decision(requisition: Requisition) -> tuple[bool, str]:
    """Whether the requisition needs approval, and why (in the active language)."""
    reasons: list[str] = []
    lines = list(requisition.lines.select_related("item"))
    restricted = [str(line.item) for line in lines if line.item.is_restricted]
    if restricted:
        reasons.append(_("restricted items: %(items)s") % {"items": "、".join(restricted)})
    quota = quota_for(requisition.school_id, requisition.department_id)
    if quota is not None:
        used = department_used(requisition.department_id, quota.term.start, quota.term.end)
        amount = estimate((line.item, line.quantity) for line in lines)
        if used + amount > quota.amount:
            reasons.append(
                _(
                    "over the quota of %(term)s: %(used)s yuan used + %(amount)s yuan asked "
                    "> %(quota)s yuan"
                )
                % {
                    "term": quota.term,
                    "used": used,
                    "amount": amount,
                    "quota": quota.amount,
                }
            )
    return bool(reasons), "；".join(reasons)[:300]


def stock_warnings(requisition: Requisition) -> list[str]:
    """Lines asking for more than the store holds now (a warning, not a refusal)."""
    warnings = []
    for line in requisition.lines.select_related("item"):
        outstanding = line.quantity - line.issued
        if outstanding > line.item.quantity:
            warnings.append(
                _("%(item)s: %(asked)s %(unit)s asked for, %(left)s %(unit)s in stock.")
                % {
                    "item": line.item,
                    "asked": fmt(outstanding),
                    "left": fmt(line.item.quantity),
                    "unit": line.item.unit,
                }
            )
    return warnings


def _storekeepers(school_id: int) -> Any:
    from houqin.maintenance.services.people import holders

    return holders(school_id, MOVE_STOCK)


def announce_to_store(requisition: Requisition, actor: Any) -> None:
    """Tell the store that a requisition waits to be issued."""
    notify(
        recipients=_storekeepers(requisition.school_id),
        event=TO_ISSUE_EVENT,
        title=_("%(number)s waits to be issued: %(department)s, %(purpose)s")
        % {
            "number": requisition.number,
            "department": requisition.department,
            "purpose": requisition.purpose,
        },
        url=requisition.get_absolute_url(),
        obj=requisition,
        school=requisition.school_id,
        actor=actor,
    )


@transaction.atomic
def requisition_submit(*, actor: Any, requisition: Requisition) -> Requisition:
    """Submit a draft (or a returned or withdrawn requisition): through the ``requisition``
    approval chain when it needs approval, else straight to the store."""
    current = _locked(requisition)
    _check(current.requester_id == actor.pk, _("Only the requester may submit this."))
    _check(current.is_editable, _("This requisition has already been submitted."))
    lines = list(current.lines.select_related("item"))
    _check(bool(lines), _("Add at least one item."))
    needs, reason = approval_decision(current)
    amount = estimate((line.item, line.quantity) for line in lines)
    Requisition.objects.filter(pk=current.pk).update(
        needs_approval=needs,
        approval_reason=reason,
        estimated_amount=amount,
        submitted_at=timezone.now(),
    )
    current.refresh_from_db()
    if needs:
        approval_submit(subject=current, request_type=REQUEST_TYPE, actor=actor)
    else:
        existing = ApprovalRequest.objects.filter(
            request_type=REQUEST_TYPE, object_id=current.pk, status=RequestStatus.RETURNED
        ).first()
        if existing is not None:  # returned earlier, now within the rules: close that round
            approval_withdraw(
                request=existing, actor=actor, reason=_("Changed: no approval needed any more.")
            )
            current.refresh_from_db()
        transition(current, S.APPROVED, actor=actor, check_permission=False)
        announce_to_store(current, actor)
    current.refresh_from_db()
    requisition.status = current.status
    return current


def _quantities(
    requisition: Requisition, quantities: Mapping[int, Any]
) -> list[tuple[RequisitionLine, Decimal]]:
    """(line, quantity) pairs for the positive quantities given by line id."""
    lines = {line.pk: line for line in requisition.lines.select_related("item")}
    chosen = []
    for line_id, raw in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise RequisitionError(_("That line is not part of this requisition."))
        try:
            quantity = as_quantity(raw or 0)
        except ArithmeticError as exc:
            raise RequisitionError(_("%(item)s: enter a number.") % {"item": line.item}) from exc
        _check(quantity >= 0, _("%(item)s: the quantity cannot be negative.") % {"item": line.item})
        if quantity > 0:
            chosen.append((line, quantity))
    return sorted(chosen, key=lambda pair: pair[0].pk)


@transaction.atomic
def requisition_issue(
    *, actor: Any, requisition: Requisition, quantities: Mapping[int, Any]
) -> Requisition:
    """Issue the given quantity of each line (partial issue allowed). The items are locked
    first, in one order; a line the store cannot fill refuses the whole issue."""
    current = _locked(requisition)
    _check(
        has_perm_in_school(actor, MOVE_STOCK, current.school_id),
        _("Only the store may issue supplies."),
    )
    _check(current.status in Requisition.OPEN, _("This requisition is not waiting to be issued."))
    chosen = _quantities(current, quantities)
    _check(bool(chosen), _("Enter the quantity to issue of at least one item."))
    lock_items(line.item_id for line, _qty in chosen)
    for line, quantity in chosen:
        _check(
            quantity <= line.outstanding,
            _("%(item)s: only %(left)s %(unit)s remain to be issued.")
            % {"item": line.item, "left": fmt(line.outstanding), "unit": line.item.unit},
        )
        stock_move(
            item=line.item_id,
            kind=MovementKind.ISSUE,
            quantity=quantity,
            actor=actor,
            reason=_("Requisition %(number)s: %(purpose)s")
            % {"number": current.number, "purpose": current.purpose},
            department=current.department,
            person=current.requester,
            source_type=SOURCE,
            source_id=current.pk,
            reference=current.number,
        )
        line.issued += quantity
        line.save(update_fields=["issued"])
    complete = not current.lines.filter(issued__lt=F("quantity")).exists()
    target = S.ISSUED if complete else S.PARTIAL
    now = timezone.now()
    if target != current.status:
        current = transition(current, target, actor=actor, update={"issued_at": now})
    else:
        Requisition.objects.filter(pk=current.pk).update(issued_at=now)
        current.issued_at = now
    what = "、".join(f"{line.item.name} {fmt(qty)}{line.item.unit}" for line, qty in chosen)
    title = (
        _("%(number)s was issued: please collect and confirm receipt")
        if complete
        else _("%(number)s was partly issued")
    ) % {"number": current.number}
    notify(
        recipients=[current.requester],
        event=ISSUED_EVENT,
        title=title,
        body=what,
        url=current.get_absolute_url(),
        obj=current,
        school=current.school_id,
        actor=actor,
    )
    requisition.status = current.status
    return current


@transaction.atomic
def requisition_close(*, actor: Any, requisition: Requisition, reason: str) -> Requisition:
    """End a partly issued requisition: what is left will not be issued (the store ran out
    or the requester no longer needs it)."""
    current = _locked(requisition)
    _check(current.status == S.PARTIAL, _("Only a partly issued requisition can be closed."))
    _check(bool(reason.strip()), _("Please give a reason."))
    moved: Requisition = transition(current, S.ISSUED, actor=actor, reason=reason.strip())
    notify(
        recipients=[moved.requester],
        event=ISSUED_EVENT,
        title=_("%(number)s was closed without the rest: %(reason)s")
        % {"number": moved.number, "reason": reason.strip()},
        url=moved.get_absolute_url(),
        obj=moved,
        school=moved.school_id,
        actor=actor,
    )
    return moved


@transaction.atomic
def requisition_confirm(*, actor: Any, requisition: Requisition) -> Requisition:
    """The requester confirms they received what was issued."""
    current = _locked(requisition)
    _check(current.requester_id == actor.pk, _("Only the requester confirms receipt."))
    _check(current.status == S.ISSUED, _("Nothing waits for your confirmation."))
    moved: Requisition = transition(
        current, S.RECEIVED, actor=actor, update={"received_at": timezone.now()}
    )
    return moved


def can_cancel(requisition: Requisition, user: Any) -> bool:
    if requisition.status not in (*Requisition.EDITABLE, S.APPROVED):
        return False
    if requisition.lines.filter(issued__gt=0).exists():
        return False
    return requisition.requester_id == user.pk or has_perm_in_school(
        user, MOVE_STOCK, requisition.school_id
    )


@transaction.atomic
def requisition_cancel(*, actor: Any, requisition: Requisition, reason: str = "") -> Requisition:
    """Cancel while nothing has been issued: the requester, or the store."""
    current = _locked(requisition)
    _check(
        current.status != S.PENDING,
        _("Withdraw the approval request first, then cancel."),
    )
    _check(can_cancel(current, actor), _("This requisition can no longer be cancelled."))
    moved: Requisition = transition(
        current, S.CANCELLED, actor=actor, reason=reason.strip(), check_permission=False
    )
    if moved.requester_id != actor.pk:
        notify(
            recipients=[moved.requester],
            event=ISSUED_EVENT,
            title=_("%(number)s was cancelled by the store") % {"number": moved.number},
            body=reason.strip(),
            url=moved.get_absolute_url(),
            obj=moved,
            school=moved.school_id,
            actor=actor,
        )
    return moved


def returnable(requisition: Requisition) -> dict[int, Decimal]:
    """item id -> what was issued on this requisition and not brought back yet."""
    rows = (
        StockMovement.objects.filter(
            source_type=SOURCE,
            source_id=requisition.pk,
            kind__in=(MovementKind.ISSUE, MovementKind.RETURN),
        )
        .values("item_id")
        .annotate(net=Sum("quantity"))
    )
    return {row["item_id"]: -row["net"] for row in rows if row["net"] < 0}


@transaction.atomic
def requisition_return(
    *, actor: Any, requisition: Requisition, quantities: Mapping[int, Any], reason: str
) -> Requisition:
    """Goods issued on this requisition come back to the store (kind ``return``), valued at
    what they were issued at; the department's consumption goes down by as much."""
    current = _locked(requisition)
    _check(
        has_perm_in_school(actor, MOVE_STOCK, current.school_id),
        _("Only the store may take goods back."),
    )
    _check(bool(reason.strip()), _("Please give a reason."))
    chosen = _quantities(current, quantities)
    _check(bool(chosen), _("Enter the quantity brought back of at least one item."))
    lock_items(line.item_id for line, _qty in chosen)
    left = returnable(current)
    for line, quantity in chosen:
        can = left.get(line.item_id, Decimal("0"))
        _check(
            quantity <= can,
            _("%(item)s: at most %(left)s %(unit)s can come back.")
            % {"item": line.item, "left": fmt(can), "unit": line.item.unit},
        )
        stock_move(
            item=line.item_id,
            kind=MovementKind.RETURN,
            quantity=quantity,
            actor=actor,
            unit_cost=_issue_cost(current, line.item_id),
            reason=_("Returned from %(number)s: %(reason)s")
            % {"number": current.number, "reason": reason.strip()},
            department=current.department,
            person=current.requester,
            source_type=SOURCE,
            source_id=current.pk,
            reference=current.number,
        )
    return current


def _issue_cost(requisition: Requisition, item_id: int) -> Decimal | None:
    """The mean unit cost the item was issued at on this requisition."""
    issued = StockMovement.objects.filter(
        source_type=SOURCE, source_id=requisition.pk, item_id=item_id, kind=MovementKind.ISSUE
    ).aggregate(quantity=Sum("quantity"), amount=Sum("amount"))
    if not issued["quantity"]:
        return None
    cost: Decimal = (issued["amount"] / issued["quantity"]).quantize(Decimal("0.0001"))
    return cost


# Hooks of the approval adapter (``inventory.approval_requisitions``).
def on_submitted(requisition: Requisition, request: Any, actor: Any) -> None:
    transition(requisition, S.PENDING, actor=actor, check_permission=False)


def on_approved(requisition: Requisition, request: Any, actor: Any) -> None:
    moved = transition(requisition, S.APPROVED, actor=actor, check_permission=False)
    announce_to_store(moved, actor)


def on_moved(status: str) -> Any:
    def hook(requisition: Requisition, request: Any, actor: Any) -> None:
        transition(requisition, status, actor=actor, check_permission=False)

    return hook
