"""Suppliers (供应商), their qualifications (资质) and the school's purchasing settings.

``supplier_rate`` recomputes a supplier's rating from its confirmed acceptances;
``qualifications_remind`` is the daily job that warns the purchasing office of
qualifications about to expire or expired, once per qualification and warning.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DateField,
    DecimalField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.audit import acting_as
from houqin.notifications import events

from ..choices import AcceptanceStatus, OrderStatus
from ..credit_code import credit_code_error
from ..models import (
    Acceptance,
    ProcurementSettings,
    PurchaseOrder,
    Supplier,
    SupplierQualification,
)

QUALIFICATION_EXPIRING = "procurement.qualification_expiring"
#: Who hears about expiring qualifications: the purchaser and the logistics office.
REMINDED_PERMISSION = "procurement.change_supplier"

events.register(
    QUALIFICATION_EXPIRING,
    gettext_lazy("A supplier's qualification expires soon or has expired"),
)


class SupplierError(Exception):
    """A refused change to a supplier; the message is meant for the user."""


# Settings ------------------------------------------------------------------------------------


def procurement_settings_for(school_id: int) -> ProcurementSettings:
    """The school's purchasing settings (unsaved defaults when it has none yet)."""
    found = ProcurementSettings.objects.filter(school_id=school_id).first()
    return found or ProcurementSettings(school_id=school_id)


@transaction.atomic
def procurement_settings_save(*, actor: Any, settings: ProcurementSettings) -> ProcurementSettings:
    settings.full_clean()
    with acting_as(actor):
        settings.save()
    return settings


# Suppliers -----------------------------------------------------------------------------------


def credit_code_taken(school_id: int, code: str, exclude_pk: int | None = None) -> Supplier | None:
    """The school's other supplier with this credit code, if any."""
    found = Supplier.objects.filter(school_id=school_id, credit_code=code.strip().upper())
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.first()


def credit_code_problem(school_id: int, code: str, exclude_pk: int | None = None) -> str | None:
    """Why ``code`` cannot be this school's supplier's code (format or duplicate), or None."""
    error = credit_code_error(code)
    if error:
        return error
    other = credit_code_taken(school_id, code, exclude_pk)
    if other is not None:
        return _("The supplier %(name)s already has this credit code.") % {"name": other.name}
    return None


@transaction.atomic
def supplier_save(*, actor: Any, supplier: Supplier) -> Supplier:
    """Create or change a supplier: a valid credit code, unique in the school."""
    supplier.credit_code = (supplier.credit_code or "").strip().upper()
    supplier.name = (supplier.name or "").strip()
    problem = credit_code_problem(supplier.school_id, supplier.credit_code, supplier.pk)
    if problem:
        raise ValidationError({"credit_code": problem})
    supplier.full_clean()
    with acting_as(actor):
        supplier.save()
    return supplier


def supplier_choices(school: Any) -> QuerySet[Supplier]:
    """The school's active suppliers, for the purchasing forms."""
    school_id = getattr(school, "pk", school)
    return Supplier.objects.filter(school_id=school_id, is_active=True).order_by("name")


#: Orders that count as placed with a supplier (not drafts, quotes or cancelled ones).
PLACED_STATUSES = (
    OrderStatus.PLACED,
    OrderStatus.PARTIAL,
    OrderStatus.RECEIVED,
    OrderStatus.CLOSED,
)


def supplier_figures(
    queryset: QuerySet[Supplier], today: datetime.date, school_ids: list[int]
) -> QuerySet[Supplier]:
    """Suppliers with ``order_count`` and ``order_amount`` (orders placed with them) and
    ``expiring_count`` / ``expired_count`` (qualifications past their school's warning cutoff
    or expired), each as a correlated subquery: one query for any number of rows."""
    cutoffs = warning_cutoffs(school_ids, today)
    cutoff = Case(
        *[When(school_id=pk, then=Value(day)) for pk, day in cutoffs.items()],
        default=Value(today),
        output_field=DateField(),
    )
    orders = PurchaseOrder.objects.filter(
        supplier_id=OuterRef("pk"), status__in=PLACED_STATUSES
    ).order_by()
    quals = SupplierQualification.objects.filter(
        supplier_id=OuterRef("pk"), valid_until__isnull=False
    ).order_by()
    annotated: QuerySet[Supplier] = queryset.annotate(cutoff=cutoff).annotate(
        order_count=Coalesce(
            Subquery(orders.values("supplier_id").annotate(n=Count("pk")).values("n")[:1]),
            0,
        ),
        order_amount=Coalesce(
            Subquery(orders.values("supplier_id").annotate(s=Sum("total")).values("s")[:1]),
            Value(Decimal("0")),
            output_field=DecimalField(max_digits=16, decimal_places=2),
        ),
        expiring_count=Coalesce(
            Subquery(
                quals.filter(valid_until__lte=OuterRef("cutoff"))
                .values("supplier_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        expired_count=Coalesce(
            Subquery(
                quals.filter(valid_until__lt=today)
                .values("supplier_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
    )
    return annotated


def supplier_rate(*, supplier: Supplier) -> Supplier:
    """Recompute ``rating`` (mean quality score of the confirmed acceptances of the supplier's
    orders) and ``rated_deliveries`` with one aggregate query and one update."""
    figures = Acceptance.objects.filter(
        order__supplier_id=supplier.pk, status=AcceptanceStatus.CONFIRMED
    ).aggregate(mean=Avg("quality_score"), count=Count("pk"))
    count = int(figures["count"] or 0)
    mean = figures["mean"]
    rating = Decimal(str(mean)).quantize(Decimal("0.01")) if count and mean is not None else None
    Supplier.objects.filter(pk=supplier.pk).update(rating=rating, rated_deliveries=count)
    supplier.rating = rating
    supplier.rated_deliveries = count
    return supplier


# Qualifications ------------------------------------------------------------------------------


@transaction.atomic
def qualification_save(
    *, actor: Any, qualification: SupplierQualification
) -> SupplierQualification:
    """Create or change a qualification of a supplier (of the same school)."""
    supplier = qualification.supplier
    qualification.school_id = supplier.school_id
    qualification.full_clean()
    with acting_as(actor):
        qualification.save()
    return qualification


@transaction.atomic
def qualification_delete(*, actor: Any, qualification: SupplierQualification) -> None:
    with acting_as(actor):
        qualification.delete()


def warning_cutoffs(school_ids: list[int], today: datetime.date) -> dict[int, datetime.date]:
    """school id -> the last expiry date that is warned about today (one query)."""
    days = dict(
        ProcurementSettings.objects.filter(school_id__in=school_ids).values_list(
            "school_id", "qualification_warning_days"
        )
    )
    default = ProcurementSettings._meta.get_field("qualification_warning_days").default
    return {pk: today + datetime.timedelta(days=int(days.get(pk, default))) for pk in school_ids}


def expiring_q(cutoffs: dict[int, datetime.date], prefix: str = "") -> Q:
    """Qualifications expiring on or before their school's cutoff (expired ones included)."""
    condition = Q(pk__in=[])
    for school_id, cutoff in cutoffs.items():
        condition |= Q(**{f"{prefix}school_id": school_id, f"{prefix}valid_until__lte": cutoff})
    return condition


def _warning_due(qual: SupplierQualification, today: datetime.date, days: int) -> str | None:
    """ "expired" or "expiring" when that warning is due and not yet given, else None.

    ``reminded_on`` records the last warning: an expired qualification is warned once after
    its expiry date, one about to expire once in its warning window."""
    until = qual.valid_until
    if until is None:
        return None
    last = qual.reminded_on
    if until < today:
        return "expired" if last is None or last <= until else None
    if until <= today + datetime.timedelta(days=days):
        window_start = until - datetime.timedelta(days=days)
        return "expiring" if last is None or last < window_start else None
    return None


def qualifications_remind(today: datetime.date | None = None) -> int:
    """Warn each school's purchasing office of qualifications of active suppliers that expire
    within the warning days or have expired; returns the number of warnings sent."""
    from houqin.maintenance.services.people import holders

    day = today or timezone.localdate()
    school_list = list(
        SupplierQualification.objects.filter(valid_until__isnull=False, supplier__is_active=True)
        .values_list("school_id", flat=True)
        .distinct()
        .order_by()
    )
    if not school_list:
        return 0
    cutoffs = warning_cutoffs(school_list, day)
    candidates = (
        SupplierQualification.objects.filter(supplier__is_active=True)
        .filter(expiring_q(cutoffs))
        .select_related("supplier")
        .order_by("school_id", "valid_until", "pk")
    )
    due: dict[int, list[tuple[SupplierQualification, str]]] = defaultdict(list)
    for qual in candidates:
        days = (cutoffs[qual.school_id] - day).days
        kind = _warning_due(qual, day, days)
        if kind:
            due[qual.school_id].append((qual, kind))
    sent = 0
    for school_id, items in due.items():
        people = list(holders(school_id, REMINDED_PERMISSION))
        for qual, kind in items:
            if _remind_one(qual.pk, kind, day, people):
                sent += 1
    return sent


@transaction.atomic
def _remind_one(pk: int, kind: str, day: datetime.date, people: list[Any]) -> bool:
    from houqin.notifications.services import notify

    qual = (
        SupplierQualification.objects.select_for_update(of=("self",))
        .select_related("supplier")
        .filter(pk=pk)
        .first()
    )
    if qual is None or qual.reminded_on == day:
        return False  # another run got there first
    SupplierQualification.objects.filter(pk=pk).update(reminded_on=day)
    until = date_format(qual.valid_until, "SHORT_DATE_FORMAT") if qual.valid_until else ""
    names = {"supplier": qual.supplier.name, "kind": qual.get_kind_display(), "date": until}
    if kind == "expired":
        title = _("Qualification expired: %(supplier)s %(kind)s") % names
        body = _("It expired on %(date)s. Ask the supplier for the renewed certificate.") % names
    else:
        title = _("Qualification expires soon: %(supplier)s %(kind)s") % names
        body = _("It is valid until %(date)s. Ask the supplier for the renewal in time.") % names
    url = qual.supplier.get_absolute_url()
    transaction.on_commit(
        lambda: notify(
            recipients=people,
            event=QUALIFICATION_EXPIRING,
            title=title,
            body=body,
            url=url,
            obj=qual.supplier,
            school=qual.school_id,
        )
    )
    return True
