"""Preventive maintenance plans (定期保养): when a plan falls due, what it covers, and the
work orders a daily job creates ``lead_days`` ahead of each due date.

Recurrences:

- daily / weekly / monthly / yearly: every ``interval`` days, weeks, months or years from
  ``start_date``. A monthly or yearly plan on a day a month lacks falls on that month's last
  day (31 January → 28/29 February → 31 March: the day of ``start_date`` is kept).
- each term: a term's start plus the plan's offset into the term in which ``start_date``
  falls (a plan starting on the 14th day of a term falls due on the 14th day of every later
  term; never past a term's last day). A ``start_date`` outside every term means the plan
  falls due on the first day of each term that starts on or after it. ``interval`` counts
  terms (2 = every other term).
- on listed dates: the ISO dates in ``dates``.

All of them stop at ``end_date``. An order is made once per (plan, date, target): the
database refuses a second one, and generation checks before inserting.

Occurrence states (the plan's page and compliance): done on time (finished by the repair
target counted from the due date), done late, overdue (still open after its date),
skipped (cancelled), and pending (open, not yet due).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..choices import DONE_STATUSES, OPEN_STATUSES, OrderSource, OrderStatus, Recurrence
from ..models import MaintenancePlan, WorkOrder
from .orders import announce_batch, work_order_open

logger = logging.getLogger(__name__)
R = Recurrence
WORK = "maintenance.work_workorder"

#: The states of a generated occurrence, in the order the plan's page shows them.
ON_TIME, LATE, OVERDUE, SKIPPED, PENDING = "on_time", "late", "overdue", "skipped", "pending"
STATES = {
    ON_TIME: gettext_lazy("Done on time"),
    LATE: gettext_lazy("Done late"),
    OVERDUE: gettext_lazy("Overdue"),
    SKIPPED: gettext_lazy("Skipped"),
    PENDING: gettext_lazy("Not due yet"),
}


class PlanError(Exception):
    """A refused operation on a plan; the message is meant for the user."""


# -- recurrence ---------------------------------------------------------------------------


def add_months(day: datetime.date, months: int, keep_day: int | None = None) -> datetime.date:
    """``day`` moved by ``months``, on ``keep_day`` (default: its own day) or the month's
    last day when the month is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(keep_day or day.day, last))


def parse_dates(values: Iterable[Any]) -> list[datetime.date]:
    """ISO dates (strings or dates), sorted and without repeats; raises ValueError."""
    found = set()
    for value in values:
        if isinstance(value, datetime.date):
            found.add(value)
        else:
            found.add(datetime.date.fromisoformat(str(value).strip()))
    return sorted(found)


def _every(
    first: datetime.date, step: datetime.timedelta, low: datetime.date, high: datetime.date
) -> list[datetime.date]:
    skipped = max((low - first) // step, 0) if low > first else 0
    day = first + step * skipped
    result = []
    while day <= high:
        if day >= low:
            result.append(day)
        day += step
    return result


def _monthly(
    first: datetime.date, months: int, low: datetime.date, high: datetime.date
) -> list[datetime.date]:
    elapsed = (low.year - first.year) * 12 + low.month - first.month
    n = max(elapsed // months - 1, 0)
    result: list[datetime.date] = []
    while True:
        day = add_months(first, n * months, keep_day=first.day)
        if day > high:
            return result
        if day >= low:
            result.append(day)
        n += 1


def _term_dates(plan: MaintenancePlan) -> list[datetime.date]:
    from houqin.org.models import Term

    terms = list(
        Term.objects.filter(school_id=plan.school_id).order_by("start").values_list("start", "end")
    )
    offset = datetime.timedelta(0)
    for start, end in terms:
        if start <= plan.start_date <= end:
            offset = plan.start_date - start
            break
    result = []
    for start, end in terms:
        day = min(start + offset, end)
        if day >= plan.start_date:
            result.append(day)
    return result[:: plan.interval or 1]


def plan_due_dates(
    plan: MaintenancePlan, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The plan's due dates from ``start`` to ``end`` (both included)."""
    low = max(start, plan.start_date)
    high = min(end, plan.end_date) if plan.end_date else end
    if low > high:
        return []
    interval = max(plan.interval or 1, 1)
    first = plan.start_date
    if plan.recurrence == R.DAILY:
        return _every(first, datetime.timedelta(days=interval), low, high)
    if plan.recurrence == R.WEEKLY:
        return _every(first, datetime.timedelta(weeks=interval), low, high)
    if plan.recurrence == R.MONTHLY:
        return _monthly(first, interval, low, high)
    if plan.recurrence == R.YEARLY:
        return _monthly(first, 12 * interval, low, high)
    if plan.recurrence == R.TERM:
        days = _term_dates(plan)
    elif plan.recurrence == R.DATES:
        try:
            days = parse_dates(plan.dates or [])
        except ValueError:
            return []
    else:
        return []
    return [day for day in days if low <= day <= high]


def next_due_date(plan: MaintenancePlan, after: datetime.date) -> datetime.date | None:
    """The first due date on or after ``after`` (looking up to ten years ahead)."""
    horizon = after + datetime.timedelta(days=3660)
    if plan.recurrence == R.DAILY:
        horizon = after + datetime.timedelta(days=plan.interval or 1)
    found = plan_due_dates(plan, after, horizon)
    return found[0] if found else None


# -- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str  # stored in WorkOrder.plan_target
    room: Any = None
    asset: Any = None

    @property
    def label(self) -> str:
        return str(self.asset or self.room or "")


def plan_targets(plan: MaintenancePlan) -> list[Target]:
    """What one occurrence covers: one order per active asset of ``asset_category`` and its
    subcategories (only those in the plan's rooms when rooms are chosen too), else one per
    room, else one order for the whole school."""
    from houqin.assets.models import Asset
    from houqin.assets.selectors import category_subtree

    room_ids = list(plan.rooms.values_list("pk", flat=True)) if plan.pk else []
    if plan.asset_category_id:
        assets = (
            Asset.objects.filter(
                school_id=plan.school_id,
                category_id__in=category_subtree(plan.asset_category_id),
            )
            .active()
            .select_related("room__building")
            .order_by("room__building__name", "room__number", "code", "pk")
        )
        if room_ids:
            assets = assets.filter(room_id__in=room_ids)
        return [Target(f"asset:{a.pk}", room=a.room, asset=a) for a in assets]
    if room_ids:
        rooms = plan.rooms.select_related("building").order_by("building__name", "number")
        return [Target(f"room:{r.pk}", room=r) for r in rooms]
    return [Target("school")]


# -- generation -----------------------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _refresh(plan: MaintenancePlan, today: datetime.date) -> None:
    plan.next_due = next_due_date(plan, today)


@transaction.atomic
def plan_generate(
    *,
    plan: MaintenancePlan,
    until: datetime.date,
    actor: Any = None,
    since: datetime.date | None = None,
) -> int:
    """Create the orders of every due date up to ``until`` not made yet; returns how many.

    The dates considered start the day after ``last_generated``; a plan that never
    generated starts at its due date ``lead_days`` before ``until`` (today, for the daily
    job), so that creating a plan does not fill the past with overdue orders. ``since``
    overrides that start (history, tests). Each order is dispatched to the plan's worker or
    team, or by the school's rules.
    """
    locked = MaintenancePlan.objects.select_for_update().get(pk=plan.pk)
    today = until - datetime.timedelta(days=locked.lead_days)
    if since is None:
        if locked.last_generated is not None:
            since = locked.last_generated + datetime.timedelta(days=1)
        else:
            since = max(locked.start_date, today)
    dates = plan_due_dates(locked, since, until)
    created = 0
    if dates:
        targets = plan_targets(locked)
        made = set(
            WorkOrder.objects.filter(
                plan=locked, planned_for__gte=dates[0], planned_for__lte=dates[-1]
            ).values_list("planned_for", "plan_target")
        )
        assignee = locked.assignee
        if assignee is None and locked.team_id:
            assignee = locked.team.leader  # type: ignore[union-attr]
        checklist = [str(line) for line in locked.checklist or []]
        opened = []
        for day in dates:
            for target in targets:
                if (day, target.key) in made:
                    continue
                title = locked.name if not target.label else f"{locked.name} · {target.label}"
                order = work_order_open(
                    actor=actor,
                    school_id=locked.school_id,
                    category=locked.category,
                    title=title,
                    urgency=locked.urgency,
                    description=locked.description,
                    room=target.room,
                    asset=target.asset,
                    source=OrderSource.PLAN,
                    reported_at=_start_of(day),
                    plan=locked,
                    planned_for=day,
                    plan_target=target.key,
                    checklist=checklist,
                    assignee=assignee,
                    team=locked.team,
                    quiet=True,
                )
                opened.append(order)
                created += 1
        announce_batch(orders=opened, source=locked.name, actor=actor)
    if locked.last_generated is None or until > locked.last_generated:
        locked.last_generated = until
    _refresh(locked, today)
    locked.save(update_fields=["last_generated", "next_due", "updated_at"])
    plan.last_generated, plan.next_due = locked.last_generated, locked.next_due
    return created


def plan_refresh(*, plan: MaintenancePlan, today: datetime.date | None = None) -> None:
    """Recompute ``next_due`` after the plan was created or changed."""
    _refresh(plan, today or timezone.localdate())
    MaintenancePlan.objects.filter(pk=plan.pk).update(next_due=plan.next_due)


@transaction.atomic
def plan_pause(*, actor: Any, plan: MaintenancePlan) -> MaintenancePlan:
    """Stop creating orders (the ones already made stay)."""
    if not plan.is_active:
        raise PlanError(_("The plan is already paused."))
    plan.is_active = False
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_resume(
    *, actor: Any, plan: MaintenancePlan, today: datetime.date | None = None
) -> MaintenancePlan:
    """Start again from today: due dates that passed while paused get no orders."""
    if plan.is_active:
        raise PlanError(_("The plan is already active."))
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    plan.is_active = True
    if plan.last_generated is None or plan.last_generated < yesterday:
        plan.last_generated = yesterday
    _refresh(plan, today)
    plan.full_clean()
    plan.save()
    return plan


def plan_generate_now(
    *, actor: Any, plan: MaintenancePlan, today: datetime.date | None = None
) -> int:
    """The “create orders now” button: as the daily job would today."""
    if not plan.is_active:
        raise PlanError(_("Resume the plan first."))
    today = today or timezone.localdate()
    return plan_generate(
        plan=plan, until=today + datetime.timedelta(days=plan.lead_days), actor=actor
    )


def generate_due_orders(today: datetime.date | None = None) -> str:
    """The daily job: every active plan of every school, each in its own transaction so
    that one failing plan does not stop the others."""
    today = today or timezone.localdate()
    created = plans = 0
    failed: list[str] = []
    for plan in MaintenancePlan.objects.filter(is_active=True).order_by("school_id", "pk"):
        try:
            created += plan_generate(
                plan=plan, until=today + datetime.timedelta(days=plan.lead_days)
            )
            plans += 1
        except Exception:
            logger.exception("preventive plan %s failed", plan.pk)
            failed.append(str(plan.pk))
    message = f"{created} orders from {plans} plans"
    if failed:
        message += f"; failed plans: {', '.join(failed)}"
    return message


# -- occurrence states and compliance (SQL) ---------------------------------------------------


def state_expression(today: datetime.date) -> Case:
    return Case(
        When(status=OrderStatus.CANCELLED, then=Value(SKIPPED)),
        When(status__in=DONE_STATUSES, finished_at__gt=F("resolve_due"), then=Value(LATE)),
        When(status__in=DONE_STATUSES, then=Value(ON_TIME)),
        When(planned_for__lt=today, then=Value(OVERDUE)),
        default=Value(PENDING),
        output_field=CharField(),
    )


def occurrences(plan: MaintenancePlan, today: datetime.date | None = None) -> QuerySet[Any]:
    """The plan's orders with their ``state``, latest due date first."""
    today = today or timezone.localdate()
    found: QuerySet[Any] = (
        WorkOrder.objects.filter(plan=plan)
        .annotate(state=state_expression(today))
        .select_related("room__building", "asset", "assignee")
        .order_by("-planned_for", "plan_target", "pk")
    )
    return found


def _counts(prefix: str, today: datetime.date, since: datetime.date | None) -> dict[str, Any]:
    p = f"{prefix}__" if prefix else ""
    window = Q(**{f"{p}planned_for__lte": today})
    if since is not None:
        window &= Q(**{f"{p}planned_for__gte": since})
    done = Q(**{f"{p}status__in": DONE_STATUSES})
    late = Q(**{f"{p}finished_at__gt": F(f"{p}resolve_due")})
    pending = Q(**{f"{p}status__in": OPEN_STATUSES, f"{p}planned_for__gte": today})
    counted = window & ~pending
    target = f"{prefix}" if prefix else "pk"
    return {
        "due_count": Count(target, filter=counted),
        "on_time_count": Count(target, filter=counted & done & ~late),
        "late_count": Count(target, filter=counted & done & late),
        "skipped_count": Count(target, filter=counted & Q(**{f"{p}status": OrderStatus.CANCELLED})),
        "overdue_count": Count(target, filter=counted & Q(**{f"{p}status__in": OPEN_STATUSES})),
    }


def with_compliance(
    plans: QuerySet[MaintenancePlan], today: datetime.date | None = None, days: int = 365
) -> QuerySet[MaintenancePlan]:
    """Plans annotated with their last ``days`` of occurrences: ``due_count``,
    ``on_time_count``, ``late_count``, ``skipped_count``, ``overdue_count`` and
    ``compliance`` (per cent done on time of those due; NULL when none was due)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    annotated: QuerySet[MaintenancePlan] = plans.annotate(
        **_counts("orders", today, since)
    ).annotate(
        compliance=Case(
            When(due_count=0, then=Value(None)),
            default=ExpressionWrapper(
                F("on_time_count") * 100.0 / F("due_count"), output_field=FloatField()
            ),
            output_field=FloatField(),
        )
    )
    return annotated


def plan_figures(plan: MaintenancePlan, today: datetime.date | None = None) -> dict[str, Any]:
    """Counts by state over the plan's whole history, and its compliance rate."""
    today = today or timezone.localdate()
    row = (
        WorkOrder.objects.filter(plan=plan)
        .annotate(state=state_expression(today))
        .values("state")
        .annotate(n=Count("pk"))
    )
    counts = {state: 0 for state in STATES}
    for item in row:
        counts[item["state"]] = item["n"]
    due = counts[ON_TIME] + counts[LATE] + counts[OVERDUE] + counts[SKIPPED]
    return {
        "counts": [(key, STATES[key], counts[key]) for key in STATES],
        "due": due,
        "compliance": round(counts[ON_TIME] * 100 / due, 1) if due else None,
    }
