"""Store items: codes, saving an item, manual movements by the storekeeper, and the figures
an item's page shows (its consumption by month).

Every change of stock goes through ``stock.stock_move``; this module only decides which
movement a form asks for and checks that the department and person belong to the item's
school.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.audit import acting_as
from houqin.core.dbfunctions import LocalMonth
from houqin.core.models import DocumentSequence

from ..choices import CONSUMPTION, MovementKind
from ..models import StockItem, StockMovement
from .stock import StockError, stock_move

CODE_PREFIX = "HC"
QTY_FIELD = DecimalField(max_digits=14, decimal_places=3)
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)

#: The movements the storekeeper records by hand (the others come from documents).
MANUAL_KINDS: dict[str, Any] = {
    MovementKind.RECEIPT: gettext_lazy("Receipt without a purchase order"),
    MovementKind.ISSUE: gettext_lazy("Direct issue to a department or person"),
    MovementKind.RETURN: gettext_lazy("Return to the store"),
    MovementKind.SCRAP: gettext_lazy("Scrap (damaged or expired)"),
}


def item_codes(school_id: int, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` new item codes of the school (HC-00001…), skipping codes already in use.

    The school's sequence row is locked for the caller's transaction, so two imports or two
    storekeepers never receive the same code.
    """
    if count <= 0:
        return []
    with transaction.atomic():
        sequence, _created = DocumentSequence.objects.select_for_update().get_or_create(
            school_id=school_id, prefix=CODE_PREFIX, year=0, defaults={"last_number": 0}
        )
        used = set(taken or ()) | set(
            StockItem.objects.filter(school_id=school_id, code__startswith=f"{CODE_PREFIX}-")
            .values_list("code", flat=True)
            .iterator()
        )
        codes: list[str] = []
        number = sequence.last_number
        while len(codes) < count:
            number += 1
            code = f"{CODE_PREFIX}-{number:05d}"
            if code not in used:
                codes.append(code)
        sequence.last_number = number
        sequence.save(update_fields=["last_number"])
    return codes


@transaction.atomic
def item_save(*, actor: Any, item: StockItem) -> StockItem:
    """Create or change an item (never its running totals); an empty code gets the next
    ``HC-`` code of the school."""
    if not item.code:
        item.code = item_codes(item.school_id, 1)[0]
    item.full_clean()
    with acting_as(actor):
        if item.pk is None:
            item.save()
        else:
            # The running totals are the stock service's: never write them from a form.
            fields = [
                f.name
                for f in StockItem._meta.concrete_fields
                if f.editable and not f.primary_key and f.name != "school"
            ]
            item.save(update_fields=[*fields, "updated_at"])
    return item


def _check_school(item: StockItem, department: Any, person: Any) -> None:
    errors: dict[str, str] = {}
    if department is not None and department.school_id != item.school_id:
        errors["department"] = _("Choose a department of the item's school.")
    if person is not None:
        from houqin.accounts.models import Membership

        member = Membership.objects.filter(
            user=person, school_id=item.school_id, is_active=True
        ).exists()
        if not member:
            errors["person"] = _("Choose a member of the item's school.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def manual_move(
    *,
    actor: Any,
    item: StockItem,
    kind: str,
    quantity: Decimal,
    reason: str,
    unit_cost: Decimal | None = None,
    department: Any = None,
    person: Any = None,
    supplier_note: str = "",
) -> StockMovement:
    """A receipt without an order, a direct issue, a return or a scrap, recorded by hand.

    Refusals: ``ValidationError`` for a wrong department or person, ``StockError`` when the
    stock is not enough (the message says how much is left).
    """
    if kind not in MANUAL_KINDS:
        raise StockError(_("This kind of movement is not recorded by hand."))
    if kind == MovementKind.RECEIPT and unit_cost is None:
        raise ValidationError({"unit_cost": _("Give the unit cost of the goods received.")})
    if kind == MovementKind.ISSUE and department is None and person is None:
        raise ValidationError({"department": _("Say which department or person takes it.")})
    _check_school(item, department, person)
    if person is not None and department is None and kind == MovementKind.ISSUE:
        department = _home_department(person, item.school_id)
    text = reason.strip()
    if supplier_note.strip():
        text = f"{text}（{supplier_note.strip()}）" if text else supplier_note.strip()
    return stock_move(
        item=item,
        kind=kind,
        quantity=quantity,
        actor=actor,
        reason=text,
        unit_cost=unit_cost if kind == MovementKind.RECEIPT else None,
        department=department,
        person=person,
        reference=supplier_note.strip()[:60] if kind == MovementKind.RECEIPT else "",
    )


def _home_department(person: Any, school_id: int) -> Any:
    from houqin.accounts.models import Membership

    membership = (
        Membership.objects.filter(
            user=person, school_id=school_id, is_active=True, department__isnull=False
        )
        .select_related("department")
        .first()
    )
    return membership.department if membership is not None else None


# Reads shared by the pages and the API ------------------------------------------------------


def low_condition() -> Q:
    """An item is low when it has a minimum and its stock is at or below it."""
    return Q(min_stock__gt=0, quantity__lte=F("min_stock"))


def with_flags(queryset: QuerySet[StockItem]) -> QuerySet[StockItem]:
    """Items with ``low`` (a boolean annotation) for the list's badge and filter."""
    from django.db.models import BooleanField, Case, When

    return queryset.annotate(
        low=Case(
            When(low_condition(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def monthly_consumption(item: StockItem, months: int = 12) -> list[dict[str, Any]]:
    """The item's consumption (issues, printing, repairs) per month over the last
    ``months`` months, in one aggregate query; months without any come out as zero."""
    today = timezone.localdate()
    first = _add_months(today.replace(day=1), -(months - 1))
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    rows = (
        StockMovement.objects.filter(item=item, kind__in=CONSUMPTION, at__gte=start)
        .annotate(month=LocalMonth("at"))
        .values("month")
        .annotate(
            quantity=Coalesce(Sum(-F("quantity")), Value(Decimal("0")), output_field=QTY_FIELD),
            amount=Coalesce(
                Sum(ExpressionWrapper(-F("amount"), output_field=MONEY_FIELD)),
                Value(Decimal("0")),
                output_field=MONEY_FIELD,
            ),
        )
        .order_by("month")
    )
    found = {_month_key(row["month"]): row for row in rows}
    result = []
    for offset in range(months):
        month = _add_months(first, offset)
        row = found.get((month.year, month.month))
        result.append(
            {
                "month": month,
                "quantity": row["quantity"] if row else Decimal("0"),
                "amount": row["amount"] if row else Decimal("0"),
            }
        )
    return result


def _month_key(value: Any) -> tuple[int, int]:
    if isinstance(value, str):
        year, month = value[:7].split("-")
        return int(year), int(month)
    return value.year, value.month


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)
