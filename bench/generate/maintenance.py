"""Repairs and maintenance (报修与维修): per school its settings, calendar, teams and dispatch
rules, preventive plans and holiday campaigns, and ``preset.repairs`` repair requests and as
many work orders over the history, busiest at the start of each term.

Requests come from staff (signed in), from the QR portal (visitors, some schools triage them)
and by phone; most open their own work order, some join an order somebody reported before
(已有人报修), some are rejected at triage. Orders also come straight from the office, from
plans and from campaigns. Every field the services derive is filled in (see
``maintenance_life``); the history is closed, verified and rated, the last days are open in
every state. About one order in five used parts (some from the store; the stock movements of
those issues are not written), some orders concern an asset, one request in twenty has a photo.

Status changes are written for the orders and requests of the last 90 days only: older
history keeps its moments on the order itself (dispatched, accepted, started, finished,
closed), which is what lists and statistics read.
"""

from __future__ import annotations

import datetime
import itertools
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType

from houqin.core.models import StatusChange
from houqin.demo import maintenance_data as d
from houqin.maintenance.models import RepairRequest, WorkOrder, WorkOrderPart

from . import files
from .base import Ctx
from .maintenance_life import STAGES, Event, Life, draw, force, order_row, work_record
from .maintenance_plans import make as make_plans
from .maintenance_world import (
    Shop,
    build,
    categories,
    day_weights,
    moments,
    phone,
    tracking_code,
)

TIMELINE_DAYS = 90
CODES = list(d.CATEGORY_WEIGHTS)
# month -> cumulative category weights (air conditioning in summer, desks in September…)
MONTHS = {
    month: list(
        itertools.accumulate(
            d.CATEGORY_WEIGHTS[c] * d.SEASONS.get(month, {}).get(c, 1.0) for c in CODES
        )
    )
    for month in range(1, 13)
}


def generate(ctx: Ctx) -> None:
    kinds = categories()
    photos: list[tuple[int, int, int, datetime.datetime]] = []
    for world, total in zip(ctx.schools, ctx.spread(ctx.preset.repairs), strict=True):
        rng = ctx.rng(f"maintenance:{world.index}")
        shop = build(ctx, world, kinds)
        planned = make_plans(ctx, shop, rng, total)
        _School(ctx, shop, rng, total, planned, photos).write()
    files.add(ctx, RepairRequest, photos)


class _School:
    """One school's requests and orders, written oldest first."""

    def __init__(
        self,
        ctx: Ctx,
        shop: Shop,
        rng: random.Random,
        total: int,
        planned: list[Event],
        photos: list[tuple[int, int, int, datetime.datetime]],
    ) -> None:
        self.ctx, self.shop, self.rng, self.total = ctx, shop, rng, total
        self.planned = planned
        self.photos = photos
        self.requests: list[tuple[datetime.datetime, int, dict[str, Any]]] = []
        self.parts: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.recent = ctx.now - datetime.timedelta(days=TIMELINE_DAYS)
        self.kinds = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (WorkOrder, RepairRequest)
        }
        self.done_at: dict[tuple[int, str], tuple[int, datetime.datetime]] = {}

    # -- what happens when ----------------------------------------------------------------------

    def events(self) -> tuple[list[Event], list[Event]]:
        """(order events oldest first, request-only events)."""
        ctx, shop, rng, total = self.ctx, self.shop, self.rng, self.total
        planned = len(self.planned)
        direct = round(total * 0.04) if total >= 25 else 0
        requested = max(total - planned - direct, 0)
        extra = total - requested  # requests without an order of their own
        triage = min(3, extra // 10) if shop.triage else 0
        rejected = int(extra * 0.35) if shop.triage else 0
        self.joined = min(extra - triage - rejected, requested)
        kinds = ["request"] * requested + ["direct"] * direct + ["rejected"] * rejected
        rng.shuffle(kinds)
        days, cum = day_weights(ctx, shop.world)
        orders: list[Event] = []
        only: list[Event] = []
        for at, kind in zip(moments(ctx, rng, days, cum, len(kinds)), kinds, strict=True):
            (orders if kind != "rejected" else only).append(self.fault(at, kind))
        for _ in range(triage):
            at = ctx.now - datetime.timedelta(seconds=rng.randrange(600, 36 * 3600))
            only.append(self.fault(at, "triage"))
        # Today's backlog: the latest orders held in every open state.
        size = min(len(STAGES) * 3, len(orders) // 25)
        if size:
            for n, ev in enumerate(reversed(orders[-size:])):
                ev.forced = STAGES[n % len(STAGES)]
                if ev.forced == "awaiting_verification" and ev.source != "request":
                    ev.forced = "in_progress"
        orders += self.planned
        orders.sort(key=lambda ev: ev.at)
        return orders, only

    def fault(self, at: datetime.datetime, source: str) -> Event:
        shop, rng = self.shop, self.rng
        code = rng.choices(CODES, cum_weights=MONTHS[at.month])[0]
        fault = rng.choice(d.FAULTS[code])
        room = shop.room_for(rng, fault[2])
        asset = None
        matches = [a for name in fault[3] for a in shop.assets.get(name, ())]
        if matches and rng.random() < 0.5:
            asset, room_id = rng.choice(matches)
            room = shop.rooms[shop.room_index[room_id]]
        elif shop.any_assets and rng.random() < 0.08:
            asset, room_id = rng.choice(shop.any_assets)
            room = shop.rooms[shop.room_index[room_id]]
        urgency = (
            "urgent" if rng.random() < fault[4] else "planned" if rng.random() < 0.03 else "normal"
        )
        ev = Event(
            at=at, source=source, code=code, fault=fault, urgency=urgency, room=room, asset=asset
        )
        ev.n = rng.choice((1, 2, 2, 3))
        if source != "direct":
            ev.reporter = self.reporter(room, portal=source in ("rejected", "triage"))
        return ev

    def reporter(
        self, room: tuple[int, int, str, str, str], portal: bool = False
    ) -> tuple[str, int | None, str, str, str, str | None]:
        """(channel, reporter id, name, class or department, phone, address)."""
        shop, rng = self.shop, self.rng
        roll = 0.7 if portal else rng.random()
        if roll < 0.6 or roll >= 0.93:
            user, name, unit = rng.choice(shop.reporters)
            number = phone(rng) if rng.random() < 0.5 else ""
            if roll >= 0.93:  # a phone call the office types in
                return ("phone", shop.director, name, unit, number, None)
            return ("staff", user, name, unit, number, None)
        name = rng.choice(d.STUDENT_NAMES)
        if shop.world.kind == "kindergarten":
            name = name[:1] + ("妈妈" if rng.random() < 0.7 else "爸爸")
        unit = (
            room[2]
            if room[3] == "classroom" and shop.world.kind != "kindergarten"
            else rng.choice(shop.classes)
        )
        address = f"10.{20 + shop.world.index % 200}.{rng.randrange(1, 60)}.{rng.randrange(2, 250)}"
        return ("portal", None, name, unit, phone(rng) if rng.random() < 0.6 else "", address)

    # -- rows --------------------------------------------------------------------------------

    def write(self) -> None:
        ctx = self.ctx
        orders, only = self.events()
        self.first_order = ctx.ids(WorkOrder, len(orders)).start
        requested = [n for n, ev in enumerate(orders) if ev.source == "request"]
        self.joins = set(self.rng.sample(requested, self.joined))
        ctx.insert(WorkOrder, self.orders(orders))
        for ev in only:
            self.request(ev, None, ev.at, "rejected" if ev.source == "rejected" else "triage")
        self.requests.sort(key=lambda r: (r[0], r[1]))
        first = ctx.ids(RepairRequest, len(self.requests)).start
        ctx.insert(RepairRequest, self.request_rows(first))
        for model, rows in ((WorkOrderPart, self.parts), (StatusChange, self.changes)):
            for pk, row in zip(ctx.ids(model, len(rows)), rows, strict=True):
                row["id"] = pk
            ctx.insert(model, rows)

    def orders(self, events: list[Event]) -> Any:
        ctx, shop, rng = self.ctx, self.shop, self.rng
        window = datetime.timedelta(days=30)
        for n, ev in enumerate(events):
            pk = self.first_order + n
            reporter = ev.reporter
            requested = ev.source == "request"
            requester = reporter[1] if reporter is not None and reporter[0] != "portal" else None
            life: Life = draw(shop, rng, ev, requested)
            if ev.forced:
                force(life, ev, ctx.now)
            timeline = ev.at >= self.recent
            row, changes = order_row(shop, rng, ev, life, requester, requested, timeline)
            row["id"] = pk
            row["number"] = ctx.number(shop.world.id, "WX", ev.at.date())
            self.describe(ev, row, reporter)
            self.parts += work_record(shop, rng, ev, row, pk)
            if ev.source in ("request", "direct") and ev.room is not None:
                key = (ev.room[0], ev.code)
                earlier = self.done_at.get(key)
                if earlier is not None and ev.at - window <= earlier[1] <= ev.at:
                    row["repeat_of_id"] = earlier[0]
                if row["finished_at"] is not None and row["status"] != "cancelled":
                    self.done_at[key] = (pk, row["finished_at"])
            self.changes += [self.change(WorkOrder, pk, *c) for c in changes]
            if requested:
                self.request(ev, pk, ev.at, "open", life=life, timeline=timeline)
                if n in self.joins:
                    end = row["finished_at"] or row["closed_at"] or ctx.now
                    at = min(
                        ev.at
                        + (end - ev.at) * rng.uniform(0.05, 0.8)
                        + datetime.timedelta(seconds=30),
                        ctx.now,
                    )
                    again = Event(
                        at=at,
                        source="joined",
                        code=ev.code,
                        fault=ev.fault,
                        urgency=ev.urgency,
                        room=ev.room,
                        asset=ev.asset,
                    )
                    again.reporter = self.reporter(ev.room) if ev.room is not None else reporter
                    again.n = ev.n + 1
                    self.request(again, pk, at, "joined")
            yield row

    def describe(self, ev: Event, row: dict[str, Any], reporter: Any) -> None:
        """Title, description, contact and plan or campaign fields of an order."""
        batch = ev.batch
        if batch is not None:
            label = self.shop.label(ev.room) if ev.room is not None else ""
            plan = batch.kind == "plan"
            row.update(
                title=f"{batch.title} · {label}" if plan and label else batch.title,
                description=batch.description,
                plan_id=batch.id if plan else None,
                campaign_id=None if plan else batch.id,
                planned_for=ev.planned_for,
                plan_target=f"room:{ev.room[0]}" if plan and ev.room is not None else "",
                checklist=[
                    {"item": line, "done": row["finished_at"] is not None, "note": ""}
                    for line in batch.checklist
                ],
            )
            return
        fault = ev.fault
        assert fault is not None and ev.room is not None
        ev.text = text = self.rng.choice(fault[1]).format(room=ev.room[2], n=ev.n)
        if reporter is None:
            row.update(title=fault[0], description=text, contact_name="总务处")
            return
        short = text if len(text) <= 40 else f"{text[:39]}…"
        row.update(
            title=f"{self.shop.category_names[ev.code]}：{short}",
            description=text,
            contact_name=reporter[2],
            contact_phone=reporter[4],
        )

    def request(
        self,
        ev: Event,
        order: int | None,
        at: datetime.datetime,
        status: str,
        life: Life | None = None,
        timeline: bool = False,
    ) -> None:
        shop, rng = self.shop, self.rng
        channel, reporter, name, unit, number, address = ev.reporter or (
            "staff",
            None,
            "",
            "",
            "",
            None,
        )
        text = ev.text or rng.choice(ev.fault[1]).format(room=ev.room[2], n=ev.n)  # type: ignore[index]
        decided = (
            life.created
            if life is not None
            else at + datetime.timedelta(minutes=rng.randrange(10, 240))
        )
        triaged = shop.triage and channel == "portal" and status != "joined"
        if status == "rejected" and decided > self.ctx.now:
            decided = self.ctx.now
        row = {
            "school_id": shop.world.id,
            "channel": channel,
            "status": status,
            "reporter_id": reporter,
            "reporter_name": name[:50] or "匿名",
            "reporter_unit": unit[:100],
            "phone": number,
            "room_id": ev.room[0],  # type: ignore[index]
            "asset_id": ev.asset,
            "category_id": shop.categories[ev.code],
            "description": text,
            "urgency": ev.urgency,
            "work_order_id": order,
            "source_address": address,
            "reject_reason": rng.choice(d.REJECT_REASONS) if status == "rejected" else "",
            "created_at": at,
            "updated_at": decided if triaged and status != "triage" else at,
        }
        steps: list[tuple[datetime.datetime, str, str]] = []
        if (
            triaged
            and status in ("open", "rejected")
            and at >= self.recent
            and decided <= self.ctx.now
        ):
            steps.append((decided, status, row["reject_reason"]))
        self.requests.append((at, len(self.requests), {**row, "_steps": steps}))

    def request_rows(self, first: int) -> Any:
        ctx, shop, rng = self.ctx, self.shop, self.rng
        for n, (at, _seq, row) in enumerate(self.requests):
            pk = first + n
            steps = row.pop("_steps")
            row["id"] = pk
            row["number"] = ctx.number(shop.world.id, "BX", at.date())
            row["tracking_code"] = tracking_code(pk)
            for when, to, reason in steps:
                self.changes.append(
                    self.change(RepairRequest, pk, when, "triage", to, shop.director, reason)
                )
            if rng.random() < 0.05:
                self.photos.append((pk, shop.world.id, row["reporter_id"], at))
            yield row

    def change(
        self,
        model: type[Any],
        pk: int,
        at: datetime.datetime,
        old: str,
        new: str,
        actor: int | None,
        reason: str,
    ) -> dict[str, Any]:
        return {
            "content_type_id": self.kinds[model],
            "object_id": str(pk),
            "school_id": self.shop.world.id,
            "field": "status",
            "from_status": old,
            "to_status": new,
            "actor_id": actor,
            "reason": reason,
            "created_at": at,
        }
