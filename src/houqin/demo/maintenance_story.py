"""One demo repair told as a story (reported, dispatched, accepted, started, perhaps held,
finished, verified, rated…) and turned into the rows the services would have written.

Events later than "now" have not happened yet, so the same story makes a closed order
when it lies in the past and an open one when it is still going on. The derived fields
(targets, clock, on-time flags, costs, escalation) follow the rules of
``maintenance.services`` exactly, so the demo's figures are what the services would show.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db import connections, models, router
from django.db.models import Max

from houqin.maintenance.choices import EscalationLevel, OrderSource, OrderStatus
from houqin.maintenance.services.sla import WorkCalendar, add_time, time_between

S = OrderStatus
CENT = Decimal("0.01")
#: How soon after a target passes the escalation job notices (it runs every few minutes).
ESCALATION_DELAY = datetime.timedelta(minutes=5)

Dues = Callable[[str, datetime.datetime], tuple[datetime.datetime, datetime.datetime]]
Calendars = Callable[[str], WorkCalendar | None]
# (time, from status, to status, actor id, reason)
Change = tuple[datetime.datetime, str, str, int | None, str]


@dataclass
class Story:
    school_id: int
    category_id: int
    title: str
    urgency: str
    reported: datetime.datetime
    description: str = ""
    room: Any = None
    asset_id: int | None = None
    source: str = OrderSource.REQUEST
    requester_id: int | None = None
    has_requests: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    assignee_id: int | None = None
    team_id: int | None = None
    dispatcher_id: int | None = None  # None: the dispatch rules
    dispatched: datetime.datetime | None = None
    accepted: datetime.datetime | None = None
    started: datetime.datetime | None = None
    # (held at, reason, note, resumed at or None)
    hold: tuple[datetime.datetime, str, str, datetime.datetime | None] | None = None
    finished: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    closer_id: int | None = None
    auto_closed: bool = False
    rating: tuple[datetime.datetime, int, str] | None = None
    cancelled: tuple[datetime.datetime, str, int | None] | None = None
    returned: tuple[datetime.datetime, str] | None = None
    work_notes: str = ""
    labour_minutes: int = 0
    parts: list[tuple[str, str, str, Decimal, Decimal]] = field(default_factory=list)
    contractor: str = ""
    contractor_cost: Decimal = Decimal("0")
    plan_id: int | None = None
    campaign_id: int | None = None
    planned_for: datetime.date | None = None
    plan_target: str = ""
    checklist: list[str] = field(default_factory=list)
    escalate: bool = True
    timeline: bool = False
    repeat_of: Any = None


@dataclass
class Made:
    """A work order, its parts (rows as ``{attname: value}``) and its status changes."""

    order: dict[str, Any]
    changes: list[Change]
    parts: list[dict[str, Any]]
    story: Story


def _cut(moment: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime | None:
    return moment if moment is not None and moment <= now else None


def make(
    story: Story, now: datetime.datetime, dues: Dues, calendars: Calendars, labour_rate: Decimal
) -> Made:
    """The work order (unsaved), its status changes and parts as of ``now``."""
    s = story
    respond_due, resolve_due = dues(s.urgency, s.reported)
    dispatched = _cut(s.dispatched, now)
    accepted = _cut(s.accepted, now) if dispatched else None
    started = _cut(s.started, now) if accepted else None
    held_at = resumed = None
    hold_reason = hold_note = ""
    if s.hold is not None and started is not None:
        held_at = _cut(s.hold[0], now)
        if held_at is not None:
            hold_reason, hold_note = s.hold[1], s.hold[2]
            resumed = _cut(s.hold[3], now)
    finished = _cut(s.finished, now) if started and (held_at is None or resumed) else None
    closed = _cut(s.closed, now) if finished else None
    rating = s.rating if s.rating and closed and s.rating[0] <= now else None
    cancelled = s.cancelled if s.cancelled and s.cancelled[0] <= now else None
    returned = s.returned if s.returned and s.returned[0] <= now and not accepted else None

    held_seconds = 0
    if held_at is not None and resumed is not None:
        calendar = calendars(s.urgency)
        left = time_between(calendar, held_at, resolve_due)
        held_seconds = int((resumed - held_at).total_seconds())
        resolve_due = max(add_time(calendar, resumed, left), resolve_due)

    changes: list[Change] = []
    status = S.NEW
    if dispatched:
        reason = "按派单规则自动派单" if s.dispatcher_id is None else "派单"
        changes.append((dispatched, S.NEW, S.ASSIGNED, s.dispatcher_id, reason))
        status = S.ASSIGNED
    if returned:
        changes.append((returned[0], S.ASSIGNED, S.RETURNED, s.assignee_id, returned[1]))
        status = S.RETURNED
    if accepted:
        changes.append((accepted, S.ASSIGNED, S.ASSIGNED, s.assignee_id, "已接单"))
    if started:
        changes.append((started, S.ASSIGNED, S.IN_PROGRESS, s.assignee_id, ""))
        status = S.IN_PROGRESS
    if held_at:
        label = {"parts": "等待配件", "contractor": "等待外包单位", "access": "房间无法进入"}
        reason = f"{label.get(hold_reason, '其他')} {hold_note}".strip()
        changes.append((held_at, S.IN_PROGRESS, S.ON_HOLD, s.assignee_id, reason))
        status = S.ON_HOLD
        if resumed:
            changes.append((resumed, S.ON_HOLD, S.IN_PROGRESS, s.assignee_id, ""))
            status = S.IN_PROGRESS
    has_requester = s.requester_id is not None or s.has_requests
    if finished:
        status = S.AWAITING_VERIFICATION if has_requester else S.COMPLETED
        changes.append((finished, S.IN_PROGRESS, status, s.assignee_id, ""))
        if not has_requester:
            closed = finished
    if closed and has_requester:
        reason = "超过期限未验收，自动验收" if s.auto_closed else "验收通过"
        changes.append((closed, S.AWAITING_VERIFICATION, S.COMPLETED, s.closer_id, reason))
        status = S.COMPLETED
    if rating:
        changes.append((rating[0], S.COMPLETED, S.RATED, s.closer_id, rating[2]))
        status = S.RATED
    if cancelled:
        changes.append((cancelled[0], status, S.CANCELLED, cancelled[2], cancelled[1]))
        status = S.CANCELLED

    parts: list[dict[str, Any]] = [
        dict(
            school_id=s.school_id,
            name=name,
            specification=spec,
            unit=unit,
            unit_price=price,
            quantity=quantity,
            amount=(price * quantity).quantize(CENT),
            created_at=finished,
            updated_at=finished,
        )
        for name, spec, unit, price, quantity in (s.parts if finished else [])
    ]
    parts_cost = sum((p["amount"] for p in parts), Decimal("0"))
    labour_minutes = s.labour_minutes if finished else 0
    labour_cost = (Decimal(labour_minutes) / 60 * labour_rate).quantize(CENT)
    contractor_cost = s.contractor_cost if finished else Decimal("0")

    level, escalated_at = _escalation(
        s, now, status, respond_due, resolve_due, accepted, finished, held_at, resumed
    )
    order = dict(
        school_id=s.school_id,
        source=s.source,
        status=status,
        title=s.title,
        description=s.description,
        category_id=s.category_id,
        urgency=s.urgency,
        room_id=s.room.pk if s.room is not None else None,
        building_id=s.room.building_id if s.room is not None else None,
        asset_id=s.asset_id,
        requester_id=s.requester_id,
        contact_name=s.contact_name,
        contact_phone=s.contact_phone,
        assignee_id=None if status in (S.NEW, S.RETURNED) else s.assignee_id,
        team_id=None if status in (S.NEW, S.RETURNED) else s.team_id,
        plan_id=s.plan_id,
        campaign_id=s.campaign_id,
        planned_for=s.planned_for,
        plan_target=s.plan_target,
        checklist=[
            {"item": line, "done": finished is not None, "note": ""} for line in s.checklist
        ],
        reported_at=s.reported,
        respond_due=respond_due,
        resolve_due=resolve_due,
        assigned_at=dispatched if status not in (S.NEW, S.RETURNED) else None,
        accepted_at=accepted,
        started_at=started,
        held_at=held_at if resumed is None else None,
        hold_reason=hold_reason if held_at and resumed is None else "",
        held_seconds=held_seconds,
        finished_at=finished,
        closed_at=closed,
        response_seconds=_seconds(s.reported, accepted),
        resolution_seconds=_seconds(s.reported, finished),
        responded_on_time=None if accepted is None else accepted <= respond_due,
        resolved_on_time=None if finished is None else finished <= resolve_due,
        escalation_level=level,
        escalated_at=escalated_at,
        work_notes=s.work_notes if finished else "",
        labour_minutes=labour_minutes,
        contractor=s.contractor if finished else "",
        contractor_cost=contractor_cost,
        parts_cost=parts_cost,
        labour_cost=labour_cost,
        total_cost=parts_cost + contractor_cost + labour_cost,
        rating=rating[1] if rating else None,
        rating_comment=rating[2] if rating else "",
        cancel_reason=cancelled[1] if cancelled else "",
        created_at=s.reported,
        updated_at=max([s.reported, *(c[0] for c in changes)]),
    )
    return Made(order=order, changes=changes if s.timeline else [], parts=parts, story=s)


def _seconds(start: datetime.datetime, end: datetime.datetime | None) -> int | None:
    return None if end is None else max(int((end - start).total_seconds()), 0)


def _escalation(
    s: Story,
    now: datetime.datetime,
    status: str,
    respond_due: datetime.datetime,
    resolve_due: datetime.datetime,
    accepted: datetime.datetime | None,
    finished: datetime.datetime | None,
    held_at: datetime.datetime | None,
    resumed: datetime.datetime | None,
) -> tuple[int, datetime.datetime | None]:
    """What the escalation job would have done by ``now``: a missed response target, then a
    missed repair target, each noticed a few minutes after it passed."""
    if not s.escalate or status == S.CANCELLED:
        return EscalationLevel.NONE, None
    level, at = EscalationLevel.NONE, None
    on_hold = held_at is not None and resumed is None
    responded = accepted or now
    if responded > respond_due + ESCALATION_DELAY and respond_due + ESCALATION_DELAY <= now:
        level, at = EscalationLevel.RESPONSE, respond_due + ESCALATION_DELAY
    repaired = finished or now
    if (
        not on_hold
        and repaired > resolve_due + ESCALATION_DELAY
        and resolve_due + ESCALATION_DELAY <= now
    ):
        level, at = EscalationLevel.RESOLUTION, resolve_due + ESCALATION_DELAY
    return level, at


@contextlib.contextmanager
def keep_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``bulk_create`` write the demo's own created/updated times (not "now")."""
    changed: list[tuple[Any, str]] = []
    try:
        for model in model_classes:
            for field in model._meta.concrete_fields:
                for flag in ("auto_now", "auto_now_add"):
                    if getattr(field, flag, False):
                        setattr(field, flag, False)
                        changed.append((field, flag))
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


def reserve_keys(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Number the new rows after the table's highest key (the demo loads alone)."""
    alias = router.db_for_write(model)
    first = (model._default_manager.using(alias).aggregate(m=Max("pk"))["m"] or 0) + 1
    for n, row in enumerate(rows):
        row["id"] = first + n


def fast_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert rows given as ``{attname: value}`` with ``executemany``, numbering their keys.

    ``bulk_create`` builds a model instance per row and prepares every value through the
    field machinery, which for thousands of wide work orders costs seconds; the demo knows
    its values are clean, so each column is converted once by type and missing columns
    take the field's default. The table's sequence is moved past the new keys afterwards
    (PostgreSQL), so later inserts continue without collisions.
    """
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    ops = connection.ops
    fields = list(model._meta.concrete_fields)
    if any("id" not in row for row in rows):
        reserve_keys(model, rows)

    def converter(field: Any) -> Callable[[Any], Any]:
        kind = field.get_internal_type()
        if kind == "DateTimeField":
            return ops.adapt_datetimefield_value  # type: ignore[no-any-return]
        if kind == "DateField":
            return ops.adapt_datefield_value  # type: ignore[no-any-return]
        if kind == "DecimalField":
            return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
        if kind in ("JSONField", "GenericIPAddressField"):
            return lambda v: field.get_db_prep_save(v, connection)
        if kind in ("CharField", "TextField", "SlugField"):
            return lambda v: None if v is None else str(v)
        return lambda v: v

    columns = []
    for column in fields:
        default: Any = column.get_default if callable(column.default) else column.get_default()
        columns.append((column.attname, converter(column), default, callable(column.default)))
    values = [
        tuple(
            convert(row[attname] if attname in row else (default() if per_row else default))
            for attname, convert, default, per_row in columns
        )
        for row in rows
    ]
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(str(column.column)) for column in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(values), 1000):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names only
                values[start : start + 1000],
            )
        for sql in ops.sequence_reset_sql(cast(Any, _NoStyle()), [model]):
            cursor.execute(sql)


class _NoStyle:
    """The ``style`` argument ``sequence_reset_sql`` wants, without colours."""

    def __getattr__(self, name: str) -> Callable[[str], str]:
        return lambda text: text
