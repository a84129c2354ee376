"""Department quotas (领用限额) per term, and what each department has used of them.

Used = the value issued to the department on requisitions in the term, less what was
brought back (movements of kinds ``issue`` and ``return``), summed in SQL.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    DateTimeField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.monthsums import bounds
from houqin.org.selectors import current_term

from ..choices import MovementKind
from ..models import DepartmentQuota, StockMovement

#: Movements that count against a quota: issued on requisitions, less what came back.
QUOTA_KINDS = (MovementKind.ISSUE, MovementKind.RETURN)
MONEY = DecimalField(max_digits=16, decimal_places=2)


class QuotaError(Exception):
    """A refused quota change; the message is meant for the user."""


def department_used(department_id: int, start: datetime.date, end: datetime.date) -> Decimal:
    since, until = bounds(start, end)
    total = StockMovement.objects.filter(
        department_id=department_id,
        kind__in=QUOTA_KINDS,
        at__gte=since,
        at__lt=until,
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or Decimal("0")) + Decimal("0.00")


def quota_for(
    school_id: int, department_id: int, day: datetime.date | None = None
) -> DepartmentQuota | None:
    """The department's quota for the term containing ``day`` (today), if one is set."""
    term = current_term(school_id, day)
    if term is None:
        return None
    return (
        DepartmentQuota.objects.filter(term=term, department_id=department_id)
        .select_related("term__school_year")
        .first()
    )


def _local_midnight(date_field: str, days: int) -> ExpressionWrapper[Any]:
    """The first moment (UTC) of the local day ``days`` after the outer row's date field.

    The site's zone (Asia/Shanghai) keeps one offset all year, so the shift is a constant."""
    zone = timezone.get_default_timezone()
    offset = zone.utcoffset(datetime.datetime(2000, 1, 1)) or datetime.timedelta(0)
    shift = datetime.timedelta(days=days) - offset
    return ExpressionWrapper(
        Cast(OuterRef(date_field), DateTimeField()) + Value(shift, DurationField()),
        output_field=DateTimeField(),
    )


def with_usage(queryset: QuerySet[DepartmentQuota]) -> QuerySet[DepartmentQuota]:
    """Quotas annotated with ``used`` and ``remaining`` (yuan), in the same query."""
    moved = (
        StockMovement.objects.filter(
            school_id=OuterRef("school_id"),
            department_id=OuterRef("department_id"),
            kind__in=QUOTA_KINDS,
            # Moments, not dates of moments: the ledger's (school, department, at) index serves
            # the range, where a date taken of every movement had to read them all.
            at__gte=_local_midnight("term__start", days=0),
            at__lt=_local_midnight("term__end", days=1),
        )
        .order_by()
        .values("department_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        used=-Coalesce(Subquery(moved, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)
    ).annotate(remaining=F("amount") - F("used"))


@transaction.atomic
def quota_save(*, actor: Any, quota: DepartmentQuota) -> DepartmentQuota:
    """Create or change a term's quota of a department (one per term and department)."""
    if quota.department_id and not quota.school_id:
        quota.school_id = quota.department.school_id
    duplicate = DepartmentQuota.objects.filter(
        term_id=quota.term_id, department_id=quota.department_id
    ).exclude(pk=quota.pk)
    if duplicate.exists():
        raise QuotaError(_("This department already has a quota for that term."))
    try:
        quota.full_clean()
    except ValidationError as exc:
        raise QuotaError(" ".join(exc.messages)) from exc
    quota.save()
    return quota
