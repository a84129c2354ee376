"""A year of demo repair stories for one school: how many a day (term starts busy, holidays
quiet), which category (air conditioning in summer, desks and doors at term start), which
room, who reported it and how, who repaired it, how long it took, how it was rated; plus
today's backlog in every open state."""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.maintenance.choices import Channel, OrderSource, Urgency
from houqin.maintenance.services.sla import add_time

from . import maintenance_data as d
from .maintenance_story import Story

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
# hour of day -> weight of a report (boarding school: evenings too)
HOURS = {7: 3, 8: 8, 9: 9, 10: 9, 11: 7, 12: 4, 13: 5, 14: 8, 15: 8, 16: 7, 17: 5}
EVENING = {18: 3, 19: 4, 20: 4, 21: 3}
STAFF_BY_USE = {
    "dormitory": ("t0001", "t0005"),
    "kitchen": ("canteen", "t0013", "t0014", "t0015"),
    "canteen": ("canteen", "t0013"),
    "laboratory": ("t0007", "depthead"),
    "outdoor": ("safety", "t0011", "t0010"),
    "activity": ("t0011", "safety"),
    "meeting": ("principal", "vp", "admin"),
    "storeroom": ("storekeeper", "assetkeeper"),
    "equipment": ("admin", "assetkeeper"),
}


@dataclass
class Request:
    """A repair request to write with its order (or alone: in triage, rejected)."""

    at: datetime.datetime
    channel: str
    status: str
    reporter_id: int | None
    name: str
    unit: str
    phone: str
    story: Story | None
    room: Any
    category_id: int
    description: str
    urgency: str
    address: str | None = None
    reject_reason: str = ""


@dataclass
class People:
    by_name: dict[str, Any]
    staff: list[Any]
    workers: dict[str, list[tuple[str, float]]]  # category -> [(username, share)]
    teams: dict[str, Any]  # category -> team
    dispatcher: Any
    closer_rate: float = 0.62


@dataclass
class Place:
    rooms: list[Any]
    assets: dict[int, dict[str, list[int]]]  # room id -> asset name -> ids
    classes: list[str]
    hot: set[int] = field(default_factory=set)


class History:
    def __init__(
        self,
        *,
        school: Any,
        rng: random.Random,
        now: datetime.datetime,
        categories: dict[str, Any],
        people: People,
        place: Place,
        config: Any,
        calendars: dict[str, Any],
        kindergarten: bool,
    ) -> None:
        self.calendars = calendars
        self.school = school
        self.rng = rng
        self.now = now
        self.categories = categories
        self.people = people
        self.place = place
        self.config = config
        self.kg = kindergarten
        self.stories: list[Story] = []
        self._rooms: dict[Any, tuple[list[Any], list[float], list[Any]]] = {}
        self.requests: list[Request] = []

    # -- the year ------------------------------------------------------------------------

    def year(self, total: int, weights: dict[datetime.date, float]) -> None:
        scale = total / sum(weights.values())
        rng = self.rng
        for day in sorted(weights):
            expected = weights[day] * scale
            count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _n in range(count):
                reported = self._moment(day)
                if reported >= self.now - 10 * M:
                    continue
                again = self._again(reported)
                if again is None:
                    self.repair(reported)
                    continue
                story = self.repair(
                    reported, code=again[0], fault_index=again[1], room=again[2].room
                )
                story.description = "又坏了：" + story.description

    def _again(self, reported: datetime.datetime) -> tuple[str, int, Story] | None:
        """Now and then the same fault comes back in the same room within weeks."""
        if self.rng.random() >= 0.02:
            return None
        since = reported - datetime.timedelta(days=25)
        recent = [
            s
            for s in self.stories[-300:]
            if s.finished and since <= s.finished <= reported and s.room is not None
        ]
        if not recent:
            return None
        story = self.rng.choice(recent)
        code = next(c for c, cat in self.categories.items() if cat.pk == story.category_id)
        index = next((i for i, f in enumerate(d.FAULTS[code]) if f[0] == story.title), 0)
        return code, index, story

    def _moment(self, day: datetime.date) -> datetime.datetime:
        hours = dict(HOURS) if self.kg else {**HOURS, **EVENING}
        hour = self.rng.choices(list(hours), weights=list(hours.values()))[0]
        local = datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60)))
        return timezone.make_aware(local) + datetime.timedelta(seconds=self.rng.randrange(60))

    def _category(self, month: int) -> str:
        season = d.SEASONS.get(month, {})
        codes = list(d.CATEGORY_WEIGHTS)
        weights = [d.CATEGORY_WEIGHTS[c] * season.get(c, 1.0) for c in codes]
        return self.rng.choices(codes, weights=weights)[0]

    def _room(self, fault: d.Fault) -> tuple[Any, int | None]:
        uses, asset_names = fault[2], fault[3]
        key = (uses, asset_names)
        if key not in self._rooms:
            rooms = [r for r in self.place.rooms if uses is None or r.use in uses]
            rooms = rooms or self.place.rooms
            having = [
                r for r in rooms if any(n in self.place.assets.get(r.pk, {}) for n in asset_names)
            ]
            weights = [
                d.ROOM_WEIGHTS.get(r.use, 0.5) * (1.5 if r.pk in self.place.hot else 1)
                for r in rooms
            ]
            self._rooms[key] = (rooms, list(itertools.accumulate(weights)), having)
        rooms, cumulative, having = self._rooms[key]
        if having and self.rng.random() < 0.85:
            room = self.rng.choice(having)
            held = self.place.assets[room.pk]
            name = self.rng.choice([n for n in asset_names if n in held])
            return room, self.rng.choice(held[name])
        return self.rng.choices(rooms, cum_weights=cumulative)[0], None

    def _urgency(self, fault: d.Fault) -> str:
        roll = self.rng.random()
        if roll < fault[4] * 0.85:
            return Urgency.URGENT
        if roll > 0.96:
            return Urgency.PLANNED
        return Urgency.NORMAL

    def repair(
        self,
        reported: datetime.datetime,
        *,
        code: str | None = None,
        fault_index: int | None = None,
        room: Any = None,
        urgency: str | None = None,
        channel: str | None = None,
        reporter: Any = None,
    ) -> Story:
        """One reported fault with its request(s) and the whole life of its order."""
        rng = self.rng
        code = code or self._category(reported.month)
        faults = d.FAULTS[code]
        fault = faults[fault_index if fault_index is not None else rng.randrange(len(faults))]
        asset_id = None
        if room is None:
            room, asset_id = self._room(fault)
        n = rng.choice((1, 2, 2, 3))
        description = rng.choice(fault[1]).format(room=room.name or room.number, n=n)
        urgency = urgency or self._urgency(fault)
        if channel is None:
            roll = rng.random()
            channel = (
                Channel.STAFF
                if roll < 0.68
                else Channel.PORTAL
                if roll < 0.93
                else Channel.PHONE
                if roll < 0.97
                else ""
            )
        story = Story(
            school_id=self.school.pk,
            category_id=self.categories[code].pk,
            title=fault[0],
            urgency=urgency,
            reported=reported,
            description=description,
            room=room,
            asset_id=asset_id,
            source=OrderSource.REQUEST if channel else OrderSource.DIRECT,
        )
        self._reporter(story, channel, reporter)
        self._life(story, code, fault, n)
        self.stories.append(story)
        return story

    def _reporter(self, story: Story, channel: str, reporter: Any) -> None:
        rng = self.rng
        room = story.room
        if not channel:
            story.contact_name = "总务处"
            return
        story.has_requests = True
        name, unit, phone, reporter_id, address = "", "", "", None, None
        if channel == Channel.PORTAL:
            name = rng.choice(d.STUDENT_NAMES)
            if self.kg:
                name = name[:1] + ("妈妈" if rng.random() < 0.7 else "爸爸")
            unit = room.name if room.use == "classroom" else rng.choice(self.place.classes)
            phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}" if rng.random() < 0.6 else ""
            address = f"10.20.{rng.randrange(1, 40)}.{rng.randrange(2, 250)}"
        else:
            user = reporter or self._staff_for(room)
            name, phone = user.real_name, user.phone or ""
            unit = getattr(user, "_unit", "")
            if channel == Channel.STAFF:
                reporter_id = user.pk
                story.requester_id = user.pk
        story.contact_name, story.contact_phone = name, phone
        self.requests.append(
            Request(
                at=story.reported,
                channel=channel,
                status="open",
                reporter_id=reporter_id,
                name=name,
                unit=unit,
                phone=phone,
                story=story,
                room=room,
                category_id=story.category_id,
                description=story.description,
                urgency=story.urgency,
                address=address,
            )
        )

    def _staff_for(self, room: Any) -> Any:
        names = STAFF_BY_USE.get(room.use, ())
        candidates = [self.people.by_name[n] for n in names if n in self.people.by_name]
        if candidates and self.rng.random() < 0.7:
            return self.rng.choice(candidates)
        return self.rng.choice(self.people.staff)

    # -- the order's life ------------------------------------------------------------------

    def _worker(self, code: str) -> Any:
        choices = self.people.workers.get(code) or self.people.workers["*"]
        names = [n for n, _share in choices]
        name = self.rng.choices(names, weights=[s for _n, s in choices])[0]
        return self.people.by_name[name]

    def _life(self, story: Story, code: str, fault: d.Fault, n: int) -> None:
        rng = self.rng
        config = self.config
        respond, resolve = (m * 60 for m in config.targets(story.urgency))
        reported = story.reported
        worker = self._worker(code)
        team = self.people.teams.get(code)
        story.assignee_id, story.team_id = worker.pk, getattr(team, "pk", None)
        if code in self.people.workers:
            story.dispatched = reported + datetime.timedelta(seconds=rng.randrange(5, 60))
        else:
            story.dispatcher_id = self.people.dispatcher.pk
            story.dispatched = reported + datetime.timedelta(
                seconds=respond * rng.uniform(0.05, 0.4)
            )
        if rng.random() < 0.02:
            at = reported + datetime.timedelta(minutes=rng.randrange(10, 180))
            story.cancelled = (at, rng.choice(d.CANCEL_REASONS), self.people.dispatcher.pk)
            story.dispatched = min(story.dispatched, at - M)
            return
        if rng.random() < 0.06:
            late = respond * rng.uniform(1.1, 2.6)
        else:
            late = max(120.0, respond * rng.random() ** 1.6 * 0.9)
        base = story.dispatched
        story.accepted = max(base + M, self._at(story, late))
        story.started = story.accepted + datetime.timedelta(minutes=rng.randrange(5, 40))
        labour = rng.randrange(*fault[7])
        if rng.random() < 0.07:
            finish = resolve * rng.uniform(1.05, 2.2)
        else:
            finish = resolve * rng.random() ** 3 * 0.7
        story.finished = max(
            story.started + datetime.timedelta(minutes=labour), self._at(story, finish)
        )
        if rng.random() < 0.05:
            held = story.started + datetime.timedelta(minutes=rng.randrange(10, 40))
            reason = rng.choice(("parts", "parts", "contractor", "access"))
            resumed = held + datetime.timedelta(hours=rng.uniform(6, 96))
            story.hold = (held, reason, d.HOLD_NOTES[reason], resumed)
            story.finished = resumed + datetime.timedelta(minutes=labour + rng.randrange(10, 90))
        self._record(story, code, fault, n, labour)
        self._close(story)

    def _at(self, story: Story, seconds: float) -> datetime.datetime:
        return add_time(self.calendars[story.urgency], story.reported, int(seconds))

    def _record(self, story: Story, code: str, fault: d.Fault, n: int, labour: int) -> None:
        rng = self.rng
        story.work_notes = fault[5].format(n=n)
        story.labour_minutes = labour
        if fault[6] and rng.random() < 0.6:
            for name, spec, unit, price, most in fault[6][: rng.randrange(1, len(fault[6]) + 1)]:
                quantity = Decimal(min(n, most) if most > 1 else 1)
                if unit in ("米", "m²"):
                    quantity = Decimal(rng.randrange(1, most * 2 + 1))
                story.parts.append((name, spec, unit, Decimal(price), quantity))
        if code == "aircon" and rng.random() < 0.2:
            story.contractor = "格力空调售后服务部"
            story.contractor_cost = Decimal(rng.choice((150, 200, 280, 350, 600)))
        elif code == "other" and fault[0] in ("屋顶漏雨", "墙皮脱落") and rng.random() < 0.6:
            story.contractor = "示范市建工防水工程有限公司"
            story.contractor_cost = Decimal(rng.randrange(8, 60) * 100)

    def _close(self, story: Story) -> None:
        rng = self.rng
        finished = story.finished
        assert finished is not None
        if not story.has_requests:
            return
        roll = rng.random()
        if roll < self.people.closer_rate:
            story.closed = finished + datetime.timedelta(minutes=rng.randrange(15, 26 * 60))
            story.closer_id = story.requester_id
            if rng.random() < 0.85:
                late = story.finished and story.finished > story.reported + datetime.timedelta(
                    minutes=self.config.targets(story.urgency)[1]
                )
                weights = (5, 10, 25, 35, 25) if late else (0.5, 1.5, 5, 23, 70)
                stars = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
                comment = rng.choice(d.RATING_COMMENTS[stars])
                story.rating = (
                    story.closed + datetime.timedelta(minutes=rng.randrange(1, 90)),
                    stars,
                    comment,
                )
        else:
            days = datetime.timedelta(days=self.config.auto_verify_days)
            story.closed = finished + days + datetime.timedelta(minutes=rng.randrange(1, 60))
            story.closer_id = None
            story.auto_closed = True

    # -- today's backlog -------------------------------------------------------------------

    def current(
        self,
        state: str,
        code: str,
        index: int,
        urgency: str,
        hours: float,
        who: str,
        *,
        worker: str | None = None,
        escalate: bool = True,
        room: Any = None,
    ) -> Story:
        """An order reported ``hours`` ago and now in ``state`` (new, assigned, accepted,
        started, hold:<reason>, awaiting, returned), with its timeline."""
        reported = self.now - hours * H
        reporter = self.people.by_name.get(who)
        channel = Channel.PORTAL if who == "portal" else Channel.STAFF
        story = self.repair(
            reported,
            code=code,
            fault_index=index,
            room=room,
            urgency=urgency,
            channel=channel,
            reporter=reporter,
        )
        story.timeline, story.escalate = True, escalate
        story.accepted = story.started = story.hold = story.finished = story.closed = None
        story.rating = story.cancelled = None
        story.auto_closed = False
        if worker:
            story.assignee_id = self.people.by_name[worker].pk
        if state == "new":
            story.dispatched = None
            return story
        dispatched = story.dispatched
        assert dispatched is not None
        span = self.now - dispatched
        if state == "returned":
            story.returned = (dispatched + span * 0.4, "不属于本人负责范围，请重新派单")
            return story
        if state == "assigned":
            return story
        story.accepted = dispatched + span * 0.15
        if state == "accepted":
            return story
        story.started = story.accepted + span * 0.1
        if state.startswith("hold:"):
            reason = state.split(":", 1)[1]
            story.hold = (story.started + span * 0.2, reason, d.HOLD_NOTES[reason], None)
        elif state == "awaiting":
            story.finished = story.started + span * 0.3
        return story

    def triage(self, hours: float, code: str, index: int, room: Any) -> None:
        """A portal request the director has not checked yet."""
        rng = self.rng
        fault = d.FAULTS[code][index]
        self.requests.append(
            Request(
                at=self.now - hours * H,
                channel=Channel.PORTAL,
                status="triage",
                reporter_id=None,
                name=rng.choice(d.STUDENT_NAMES),
                unit=rng.choice(self.place.classes),
                phone="",
                story=None,
                room=room,
                category_id=self.categories[code].pk,
                description=rng.choice(fault[1]).format(room=room.name or room.number, n=2),
                urgency=Urgency.NORMAL,
                address=f"10.20.{rng.randrange(1, 40)}.{rng.randrange(2, 250)}",
            )
        )

    def rejected(self, count: int) -> None:
        """Portal requests the director turned down (tests, duplicates, not a repair)."""
        rng = self.rng
        for _n in range(count):
            room = rng.choice(self.place.rooms)
            at = self.now - datetime.timedelta(days=rng.uniform(2, 330))
            self.requests.append(
                Request(
                    at=at,
                    channel=Channel.PORTAL,
                    status="rejected",
                    reporter_id=None,
                    name=rng.choice(d.STUDENT_NAMES),
                    unit=rng.choice(self.place.classes),
                    phone="",
                    story=None,
                    room=room,
                    category_id=self.categories["other"].pk,
                    description=rng.choice(("测试一下", "灯坏了", "这里有问题")),
                    urgency=Urgency.NORMAL,
                    address=f"10.20.{rng.randrange(1, 40)}.{rng.randrange(2, 250)}",
                    reject_reason=rng.choice(d.REJECT_REASONS),
                )
            )

    def joined(self, share: float) -> None:
        """Somebody else reported the same fault and joined the open order (已有人报修)."""
        rng = self.rng
        for story in list(self.stories):
            if not story.has_requests or rng.random() >= share:
                continue
            end = story.finished or self.now
            at = story.reported + (end - story.reported) * rng.uniform(0.05, 0.6)
            if at >= self.now:
                continue
            user = self._staff_for(story.room)
            self.requests.append(
                Request(
                    at=at,
                    channel=Channel.STAFF,
                    status="joined",
                    reporter_id=user.pk,
                    name=user.real_name,
                    unit=getattr(user, "_unit", ""),
                    phone=user.phone or "",
                    story=story,
                    room=story.room,
                    category_id=story.category_id,
                    description="同一问题，我也遇到了：" + story.description,
                    urgency=story.urgency,
                )
            )
