"""The life of one work order, drawn as moments (dispatched, accepted, started, held, finished,
verified, rated, cancelled…) and turned into the row the services would have written by now.

Moments later than now have not happened yet, so the same drawing gives a closed order in the
past and an open one in the last days. The derived fields follow ``maintenance.services``:
targets from the school's settings (in working hours where the school counts them), the
clock stopped at acceptance and at the finish, a hold that pushes the repair target, costs
from labour, parts and contractors, and the escalation the scheduled job would have raised.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from houqin.demo import maintenance_data as d
from houqin.maintenance.services.sla import add_time, time_between

from .maintenance_world import Shop

S = datetime.timedelta(seconds=1)
H = 3600
CENT = Decimal("0.01")
ESCALATION_DELAY = datetime.timedelta(minutes=5)
HOLD_LABEL = {
    "parts": "等待配件",
    "contractor": "等待外包单位",
    "access": "房间无法进入",
    "other": "其他",
}
RETURN_REASONS = ("不是本组负责的范围", "需要外包单位处理", "现场没有找到报修点")
# The order of the stages a backlog order can be held at.
STAGES = (
    "new",
    "assigned",
    "returned",
    "accepted",
    "in_progress",
    "on_hold",
    "awaiting_verification",
)
# (time, from status, to status, actor, reason)
Change = tuple[datetime.datetime, str, str, int | None, str]


@dataclass(slots=True)
class Batch:
    """A plan's occurrence or a campaign: what its orders share."""

    kind: str  # "plan" or "campaign"
    id: int
    title: str
    description: str
    checklist: list[str]
    assignee: int | None
    team: int | None
    dispatched: datetime.datetime  # when the job (or the launch) opened the orders
    finish_by: datetime.datetime  # the campaign's close, a plan's "within a few days"
    closed: datetime.datetime | None = None  # a campaign closed by force: open orders cancelled


@dataclass(slots=True)
class Event:
    at: datetime.datetime
    source: str  # request, direct, plan, campaign; or joined, rejected, triage (requests only)
    code: str
    fault: d.Fault | None
    urgency: str
    room: tuple[int, int, str, str] | None
    asset: int | None = None
    forced: str = ""
    batch: Batch | None = None
    planned_for: datetime.date | None = None
    target: Any = None  # the order a joined request joins
    reporter: tuple[str, int | None, str, str, str, str | None] | None = None
    n: int = 1  # how many (lamps, desks…) the fault is about
    text: str = ""  # what the reporter wrote


@dataclass(slots=True)
class Life:
    """Moments of an order's life (None: does not happen)."""

    created: datetime.datetime
    dispatched: datetime.datetime | None = None
    dispatcher: int | None = None
    assignee: int | None = None
    team: int | None = None
    reassigned: tuple[datetime.datetime, int] | None = None  # (when, to whom)
    returned: datetime.datetime | None = None
    redispatched: datetime.datetime | None = None
    accepted: datetime.datetime | None = None
    started: datetime.datetime | None = None
    held: datetime.datetime | None = None
    hold_reason: str = ""
    resumed: datetime.datetime | None = None
    finished: datetime.datetime | None = None
    closed: datetime.datetime | None = None
    closer: int | None = None
    auto_closed: bool = False
    rated: datetime.datetime | None = None
    cancelled: datetime.datetime | None = None
    cancel_reason: str = ""
    canceller: int | None = None
    changes: list[Change] = field(default_factory=list)


def _seconds(rng: random.Random, low: float, high: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(rng.uniform(low, high)))


def _daytime(moment: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """A worker acts in the day: a moment in the night moves to the next morning."""
    if 7 <= moment.hour < 21:
        return moment
    day = moment.date() if moment.hour < 7 else moment.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(7, 30), moment.tzinfo) + _seconds(
        rng, 0, 5400
    )


def draw(shop: Shop, rng: random.Random, ev: Event, has_requester: bool) -> Life:
    """The whole life, as if nothing stopped it at now."""
    reported = ev.at
    respond, resolve = shop.targets[ev.urgency]
    life = Life(created=reported)
    batch = ev.batch
    if batch is not None:
        life.created = life.dispatched = batch.dispatched  # the daily job, or the launch
        life.assignee, life.team = batch.assignee, batch.team
        if batch.kind == "campaign":  # launched: every order dispatched by the rules
            life.assignee, life.team = shop.rule(ev.code, ev.room[1] if ev.room else None)
        first = max(reported, batch.dispatched)
        span = max((batch.finish_by - first).total_seconds(), 4 * H)
        life.accepted = _daytime(first + _seconds(rng, 600, min(span * 0.3, 20 * H)), rng)
        life.started = _daytime(life.accepted + _seconds(rng, 0, span * 0.4), rng)
        life.finished = life.started + _seconds(rng, 900, 3 * H)
        if rng.random() < 0.05:
            life.finished += _seconds(rng, 5 * 86400, 40 * 86400)  # done late, or never
        if batch.kind == "plan" and rng.random() < 0.03:
            life.cancelled = life.accepted - datetime.timedelta(minutes=1)
            life.canceller, life.cancel_reason = shop.director, "本期暂停，下次一并处理"
        elif batch.closed is not None and life.finished > batch.closed:
            life.cancelled, life.canceller = batch.closed, shop.director
            life.cancel_reason = "假期结束，未完成的转入日常报修"
        life.closed = life.finished
        return life
    worker, team = shop.rule(ev.code, ev.room[1] if ev.room else None)
    if shop.triage and ev.reporter is not None and ev.reporter[0] == "portal":
        life.created = reported + _seconds(rng, 300, 3 * H)  # opened when the director accepts it
        life.dispatcher = None
        life.dispatched = life.created
    elif worker is None:
        life.dispatched = reported + _seconds(rng, 300, 4 * H)
        life.dispatcher = shop.director
        worker = rng.choice(shop.workers)
    else:
        life.dispatched = reported
    life.assignee, life.team = worker, team
    if ev.forced == "new":
        life.dispatched, life.assignee, life.team = None, None, None
        return life
    assert life.dispatched is not None
    final = life.dispatched
    members = shop.teams.get(team or 0) or []
    if len(members) > 1 and rng.random() < 0.25:
        final = final + _seconds(rng, 120, 2 * H)
        life.reassigned = (final, rng.choice([m for m in members if m != worker] or members))
    if ev.forced == "returned" or (not ev.forced and rng.random() < 0.015):
        life.returned = final + _seconds(rng, 600, 3 * H)
        life.redispatched = final = life.returned + _seconds(rng, 600, 3 * H)
        if ev.forced == "returned":
            return life
    late = rng.random() < 0.06
    response = respond * 60 * (rng.uniform(1.1, 2.5) if late else rng.random() ** 1.6 * 0.9) + 60
    accepted = max(
        final + _seconds(rng, 30, 600), reported + datetime.timedelta(seconds=int(response))
    )
    life.accepted = accepted if ev.urgency == "urgent" else _daytime(accepted, rng)
    life.started = life.accepted + _seconds(rng, 300, 2400)
    labour = _labour(ev, rng)
    if (
        rng.random() < (0.12 if ev.code in ("appliance", "aircon") else 0.04)
        or ev.forced == "on_hold"
    ):
        life.held = life.started + _seconds(rng, 600, 5400)
        life.hold_reason = rng.choice(("parts", "parts", "contractor", "access"))
        life.resumed = _daytime(life.held + _seconds(rng, 2 * H, 72 * H), rng)
    late = rng.random() < 0.07
    resolution = resolve * 60 * (rng.uniform(1.05, 2.2) if late else rng.random() ** 3 * 0.7)
    finished = max(
        life.started + datetime.timedelta(minutes=labour),
        reported + datetime.timedelta(seconds=int(resolution)),
    )
    if life.held is not None and life.resumed is not None:
        finished = max(finished, life.resumed + datetime.timedelta(minutes=labour)) + (
            life.resumed - life.held
        )
    life.finished = finished
    if has_requester:
        if rng.random() < 0.8:
            life.closed = finished + _seconds(rng, 900, 26 * H)
            life.closer = -1  # the requester (filled in by the caller)
            if rng.random() < 0.6:
                life.rated = (
                    life.closed if rng.random() < 0.7 else life.closed + _seconds(rng, 60, 5400)
                )
        else:
            life.closed = (
                finished + datetime.timedelta(days=shop.auto_verify_days) + _seconds(rng, 60, 3600)
            )
            life.auto_closed = True
    else:
        life.closed = finished
    if not ev.forced and rng.random() < 0.02:
        life.cancelled = reported + _seconds(rng, 600, 6 * H)
        life.canceller = shop.director
        life.cancel_reason = rng.choice(d.CANCEL_REASONS)
    return life


def _labour(ev: Event, rng: random.Random) -> int:
    low, high = ev.fault[7] if ev.fault is not None else (20, 60)
    return rng.randrange(low, high + 1)


def force(life: Life, ev: Event, now: datetime.datetime) -> None:
    """Hold a backlog order at its stage: later moments are dropped, and the kept ones are
    drawn closer so that they all lie before now."""
    keep = {
        "new": (),
        "assigned": ("dispatched",),
        "returned": ("dispatched", "returned"),
        "accepted": ("dispatched", "accepted"),
        "in_progress": ("dispatched", "accepted", "started"),
        "on_hold": ("dispatched", "accepted", "started", "held"),
        "awaiting_verification": ("dispatched", "accepted", "started", "finished"),
    }[ev.forced]
    names = (
        "dispatched",
        "returned",
        "redispatched",
        "accepted",
        "started",
        "held",
        "resumed",
        "finished",
        "closed",
        "rated",
        "cancelled",
    )
    for name in names:
        if name not in keep:
            setattr(life, name, None)
    if ev.forced in ("new", "returned"):
        life.reassigned = None
    last = max(
        (getattr(life, name) for name in keep if getattr(life, name) is not None), default=None
    )
    if last is None or last <= now:
        return
    span = (now - ev.at) * 0.9
    scale = span / (last - ev.at) if last > ev.at else 0
    for name in keep:
        moment = getattr(life, name)
        if moment is not None and moment > ev.at:
            setattr(life, name, (ev.at + (moment - ev.at) * scale).replace(microsecond=0))
    life.created = min(life.created, now)


def _cut(moment: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime | None:
    return moment if moment is not None and moment <= now else None


def order_row(
    shop: Shop,
    rng: random.Random,
    ev: Event,
    life: Life,
    requester: int | None,
    has_requester: bool,
    timeline: bool,
) -> tuple[dict[str, Any], list[Change]]:
    """The work order as of now and, when ``timeline``, its status changes."""
    now = shop.now
    reported = ev.at
    calendar = shop.calendar if ev.urgency != "urgent" else None
    respond, resolve = shop.targets[ev.urgency]
    respond_due = add_time(calendar, reported, respond * 60)
    resolve_due = add_time(calendar, reported, resolve * 60)
    cancelled = _cut(life.cancelled, now)
    if cancelled and ev.batch is None and life.accepted is not None and life.accepted <= cancelled:
        cancelled = None  # a requester or the office cancels before the work starts
    limit = cancelled or now  # nothing happens to a cancelled order
    dispatched = _cut(life.dispatched, limit)
    reassigned = (
        life.reassigned if life.reassigned and dispatched and life.reassigned[0] <= limit else None
    )
    returned = _cut(life.returned, limit) if dispatched else None
    redispatched = _cut(life.redispatched, limit) if returned else None
    accepted = (
        _cut(life.accepted, limit) if dispatched and (returned is None or redispatched) else None
    )
    started = _cut(life.started, limit) if accepted else None
    held = _cut(life.held, limit) if started else None
    resumed = _cut(life.resumed, limit) if held else None
    finished = _cut(life.finished, limit) if started and (held is None or resumed) else None
    closed = _cut(life.closed, limit) if finished else None
    rated = _cut(life.rated, limit) if closed and life.closer is not None else None
    held_seconds = 0
    if held is not None and resumed is not None:
        left = time_between(calendar, held, resolve_due)
        held_seconds = int((resumed - held).total_seconds())
        resolve_due = max(add_time(calendar, resumed, left), resolve_due)
    assignee = reassigned[1] if reassigned else life.assignee
    if redispatched is not None:
        assignee = _other(shop, assignee, life.team)
    changes: list[Change] = []
    status = "new"
    worker = assignee
    if dispatched:
        reason = "派单" if life.dispatcher else "按派单规则自动派单"
        changes.append((dispatched, "new", "assigned", life.dispatcher, reason))
        status = "assigned"
    if reassigned:
        changes.append((reassigned[0], "assigned", "assigned", shop.director, "改派"))
    if returned:
        first = reassigned[1] if reassigned else life.assignee
        changes.append(
            (returned, "assigned", "returned", first, RETURN_REASONS[ev.n % len(RETURN_REASONS)])
        )
        status = "returned"
        if redispatched:
            changes.append((redispatched, "returned", "assigned", shop.director, "重新派单"))
            status = "assigned"
    if accepted:
        changes.append((accepted, "assigned", "assigned", worker, "已接单"))
    if started:
        changes.append((started, "assigned", "in_progress", worker, ""))
        status = "in_progress"
    if held:
        note = d.HOLD_NOTES.get(life.hold_reason, "")
        changes.append(
            (
                held,
                "in_progress",
                "on_hold",
                worker,
                f"{HOLD_LABEL[life.hold_reason]} {note}".strip(),
            )
        )
        status = "on_hold"
        if resumed:
            changes.append((resumed, "on_hold", "in_progress", worker, ""))
            status = "in_progress"
    if finished:
        status = "awaiting_verification" if has_requester else "completed"
        changes.append((finished, "in_progress", status, worker, ""))
        if not has_requester:
            closed = finished
    closer = requester if life.closer == -1 else None
    stars = 0
    comment = ""
    if closed and has_requester:
        reason = "超过期限未验收，自动验收" if life.auto_closed else "验收通过"
        changes.append((closed, "awaiting_verification", "completed", closer, reason))
        status = "completed"
    if rated and has_requester and not life.auto_closed:
        on_time = finished is not None and finished <= resolve_due
        stars = rng.choices(
            (1, 2, 3, 4, 5), weights=(0.5, 1.5, 5, 23, 70) if on_time else (5, 10, 25, 35, 25)
        )[0]
        comment = d.RATING_COMMENTS[stars][ev.n % len(d.RATING_COMMENTS[stars])]
        changes.append((rated, "completed", "rated", closer, comment))
        status = "rated"
    if cancelled:
        changes.append((cancelled, status, "cancelled", life.canceller, life.cancel_reason))
        status = "cancelled"
    level, escalated_at = escalation(
        now, status, respond_due, resolve_due, accepted, finished, held, resumed
    )
    open_ = status not in ("new", "returned")
    parts_cost = Decimal("0")
    labour_minutes = 0
    labour_cost = Decimal("0")
    row: dict[str, Any] = {
        "school_id": shop.world.id,
        "source": ev.source,
        "status": status,
        "category_id": shop.categories[ev.code],
        "urgency": ev.urgency,
        "room_id": ev.room[0] if ev.room else None,
        "building_id": ev.room[1] if ev.room else None,
        "asset_id": ev.asset,
        "requester_id": requester,
        "assignee_id": assignee if open_ else None,
        "team_id": life.team if open_ else None,
        "reported_at": reported,
        "respond_due": respond_due,
        "resolve_due": resolve_due,
        "assigned_at": (redispatched or (reassigned[0] if reassigned else dispatched))
        if open_
        else None,
        "accepted_at": accepted,
        "started_at": started,
        "held_at": held if resumed is None else None,
        "hold_reason": life.hold_reason if held and resumed is None else "",
        "held_seconds": held_seconds,
        "finished_at": finished,
        "closed_at": cancelled or closed,
        "response_seconds": None
        if accepted is None
        else max(int((accepted - reported).total_seconds()), 0),
        "resolution_seconds": None
        if finished is None
        else max(int((finished - reported).total_seconds()), 0),
        "responded_on_time": None if accepted is None else accepted <= respond_due,
        "resolved_on_time": None if finished is None else finished <= resolve_due,
        "escalation_level": level,
        "escalated_at": escalated_at,
        "labour_minutes": labour_minutes,
        "parts_cost": parts_cost,
        "labour_cost": labour_cost,
        "total_cost": parts_cost,
        "rating": stars or None,
        "rating_comment": comment,
        "cancel_reason": life.cancel_reason if cancelled else "",
        "created_at": min(life.created, now),
        "updated_at": max((c[0] for c in changes), default=min(life.created, now)),
    }
    return row, changes if timeline else []


def _other(shop: Shop, worker: int | None, team: int | None) -> int | None:
    """Who the director gives a returned order to: another member of the team, or a worker."""
    members = [m for m in shop.teams.get(team or 0, []) if m != worker] or [
        w for w in shop.workers if w != worker
    ]
    return members[0] if members else worker


def escalation(
    now: datetime.datetime,
    status: str,
    respond_due: datetime.datetime,
    resolve_due: datetime.datetime,
    accepted: datetime.datetime | None,
    finished: datetime.datetime | None,
    held: datetime.datetime | None,
    resumed: datetime.datetime | None,
) -> tuple[int, datetime.datetime | None]:
    """What the escalation job would have raised by now: a missed response target, then a
    missed repair target, each noticed a few minutes after it passed."""
    if status == "cancelled":
        return 0, None
    level, at = 0, None
    if (accepted or now) > respond_due + ESCALATION_DELAY and respond_due + ESCALATION_DELAY <= now:
        level, at = 1, respond_due + ESCALATION_DELAY
    on_hold = held is not None and resumed is None
    if (
        not on_hold
        and (finished or now) > resolve_due + ESCALATION_DELAY
        and resolve_due + ESCALATION_DELAY <= now
    ):
        level, at = 2, resolve_due + ESCALATION_DELAY
    return level, at


def work_record(
    shop: Shop, rng: random.Random, ev: Event, row: dict[str, Any], order_id: int
) -> list[dict[str, Any]]:
    """Fill in the work record of a finished order (notes, labour, contractor, costs) and
    return its parts: about one order in five uses some, part of them from the store."""
    if row["finished_at"] is None:
        return []
    fault = ev.fault
    row["labour_minutes"] = minutes = _labour(ev, rng)
    labour_cost = (Decimal(minutes) / 60 * shop.labour_rate).quantize(CENT)
    row["work_notes"] = fault[5].format(n=ev.n) if fault is not None else "已按检查表完成。"
    contractor_cost = Decimal("0")
    if ev.code == "aircon" and rng.random() < 0.2:
        row["contractor"] = "格力空调售后服务部"
        contractor_cost = Decimal(rng.choice((150, 200, 280, 350, 600)))
    elif ev.code == "other" and rng.random() < 0.05:
        row["contractor"] = "恒达防水工程有限公司"
        contractor_cost = Decimal(rng.randrange(8, 60) * 100)
    parts: list[dict[str, Any]] = []
    if rng.random() < 0.2:
        choices = (
            list(fault[6])
            if fault is not None and fault[6]
            else [("自攻螺丝", "4×30", "盒", "6.00", 1)]
        )
        for name, spec, unit, price, most in choices[: rng.randrange(1, len(choices) + 1)]:
            quantity = Decimal(rng.randrange(1, most + 1))
            item = None
            if shop.stock and rng.random() < 0.4:
                pk, name, spec, unit, cost = rng.choice(shop.stock)
                item, price = pk, str(cost.quantize(CENT))
            unit_price = Decimal(price)
            parts.append(
                {
                    "school_id": shop.world.id,
                    "work_order_id": order_id,
                    "name": name[:100],
                    "specification": spec[:100],
                    "quantity": quantity,
                    "unit": unit[:20],
                    "unit_price": unit_price,
                    "amount": (quantity * unit_price).quantize(CENT),
                    "stock_item_id": item,
                    "created_at": row["finished_at"],
                    "updated_at": row["finished_at"],
                }
            )
    parts_cost = sum((p["amount"] for p in parts), Decimal("0"))
    row["contractor_cost"] = contractor_cost
    row["parts_cost"] = parts_cost
    row["labour_cost"] = labour_cost
    row["total_cost"] = parts_cost + contractor_cost + labour_cost
    return parts
