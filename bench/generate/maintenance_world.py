"""One school's repair world for the maintenance part: its settings and calendar, teams and
dispatch rules (written here), and what the orders draw from (rooms by use, reporters,
assets, store items, the busy and quiet days of the school year)."""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from houqin.accounts.models import User
from houqin.assets.models import Asset
from houqin.core.codes import ALPHABET, LENGTH
from houqin.demo import maintenance_data as d
from houqin.inventory.models import StockItem
from houqin.maintenance.models import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    WorkCalendarDay,
)
from houqin.maintenance.services.sla import WorkCalendar
from houqin.org.models import Building, Department, Room

from .base import TZ, Ctx, SchoolWorld

DAY = datetime.timedelta(days=1)
# Lunar holidays by year: (春节 eve, 清明, 端午, 中秋); 2026 uses the demo's exact calendar.
LUNAR = {
    2020: ((2020, 1, 24), (2020, 4, 4), (2020, 6, 25), (2020, 10, 1)),
    2021: ((2021, 2, 11), (2021, 4, 3), (2021, 6, 12), (2021, 9, 19)),
    2022: ((2022, 1, 31), (2022, 4, 3), (2022, 6, 3), (2022, 9, 10)),
    2023: ((2023, 1, 21), (2023, 4, 5), (2023, 6, 22), (2023, 9, 29)),
    2024: ((2024, 2, 10), (2024, 4, 4), (2024, 6, 10), (2024, 9, 15)),
    2025: ((2025, 1, 28), (2025, 4, 4), (2025, 5, 31), (2025, 10, 6)),
    2027: ((2027, 2, 5), (2027, 4, 3), (2027, 6, 9), (2027, 9, 15)),
    2028: ((2028, 1, 25), (2028, 4, 2), (2028, 5, 28), (2028, 10, 3)),
}
# Room use -> how often faults happen there.
ROOM_WEIGHTS = {**d.ROOM_WEIGHTS, "dormitory": 4.0, "classroom": 3.0}
# Team name -> (indexes of the school's workers, leader index, repair categories).
TEAMS = (
    ("水电组", (0, 1, 2, 3), ("electric", "water", "plumbing", "aircon", "appliance")),
    ("木工组", (4, 5), ("carpentry", "doors")),
    ("网络组", (6, 7), ("network",)),
)
CONTRACTOR_TEAM = "外包维修（恒达物业）"
GRADES = {
    "kindergarten": ("小", "中", "大"),
    "primary": ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"),
    "junior": ("初一", "初二", "初三"),
    "senior": ("高一", "高二", "高三"),
}
PRIME = 1_000_000_007_999  # coprime with 30: tracking codes are a bijection of the key
SALT = 8_191_337_425_117


@dataclass
class Shop:
    """What the orders of one school draw from."""

    world: SchoolWorld
    now: datetime.datetime
    targets: dict[str, tuple[int, int]]
    calendar: WorkCalendar | None  # None: the clock runs day and night
    labour_rate: Decimal
    auto_verify_days: int
    triage: bool  # portal requests wait for the director
    director: int
    workers: list[int]
    categories: dict[str, int]
    category_names: dict[str, str]
    rules: dict[tuple[str, int | None], tuple[int | None, int | None]]  # (code, building)
    teams: dict[int, list[int]]  # team id -> member ids
    rooms: list[tuple[int, int, str, str, str]]  # (id, building id, name, use, number)
    room_weights: list[float]
    reporters: list[tuple[int, str, str]]  # (user id, real name, department name)
    names: dict[int, str]
    classes: list[str]
    assets: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # name -> (id, room)
    any_assets: list[tuple[int, int]] = field(default_factory=list)
    stock: list[tuple[int, str, str, str, Decimal]] = field(default_factory=list)
    fault_rooms: dict[str, list[float]] = field(default_factory=dict)
    room_index: dict[int, int] = field(default_factory=dict)

    def label(self, room: tuple[int, int, str, str, str]) -> str:
        """The room as ``str(Room)`` shows it."""
        return f"{self.buildings.get(room[1], '')} {room[4]} {room[2]}".strip()

    def rule(self, code: str, building: int | None) -> tuple[int | None, int | None]:
        """(worker, team) the school's dispatch rules give; (None, None): dispatched by hand."""
        return self.rules.get((code, building)) or self.rules.get((code, None)) or (None, None)

    buildings: dict[int, str] = field(default_factory=dict)  # id -> name

    def room_for(
        self, rng: random.Random, uses: tuple[str, ...] | None
    ) -> tuple[int, int, str, str, str]:
        """A room of one of ``uses`` (any room when the school has none), busy rooms more often."""
        key = ",".join(uses) if uses else "*"
        cum = self.fault_rooms.get(key)
        if cum is None:
            weights = [
                w if uses is None or r[3] in uses else 0.0
                for r, w in zip(self.rooms, self.room_weights, strict=True)
            ]
            if not any(weights):
                weights = self.room_weights
            cum = self.fault_rooms[key] = list(itertools.accumulate(weights))
        return self.rooms[bisect.bisect_right(cum, rng.random() * cum[-1])]


def build(ctx: Ctx, world: SchoolWorld, categories: dict[str, tuple[int, str]]) -> Shop:
    """Write the school's settings, calendar, teams and rules; return its ``Shop``."""
    kindergarten = world.kind == "kindergarten"
    triage = kindergarten or world.index % 5 == 3
    config = {
        "school_id": world.id,
        "use_working_hours": kindergarten,
        "work_start": datetime.time(7, 30) if kindergarten else datetime.time(8, 0),
        "work_end": datetime.time(17, 0) if kindergarten else datetime.time(17, 30),
        "portal_needs_triage": triage,
        "labour_rate": Decimal(30 if kindergarten else 40),
        "created_at": datetime.datetime.combine(ctx.start, datetime.time(9), TZ),
    }
    model = MaintenanceSettings(**{k: v for k, v in config.items() if k != "created_at"})
    # Times as text: the batch writer passes them through unconverted (SQLite cannot bind them).
    ctx.insert(
        MaintenanceSettings,
        [
            {
                **config,
                "work_start": model.work_start.isoformat(),
                "work_end": model.work_end.isoformat(),
            }
        ],
    )
    holidays = _calendar(ctx, world)
    calendar = None
    if kindergarten:
        calendar = WorkCalendar(
            start=model.work_start,
            end=model.work_end,
            weekdays=frozenset(int(c) for c in model.work_weekdays),
            exceptions=holidays,
        )
    workers = world.people.get("worker") or [world.person("director", random.Random(0))]
    director = world.person("director", random.Random(0))
    rules, teams = _teams(ctx, world, categories, workers)
    rooms = list(
        Room.objects.filter(school_id=world.id, is_active=True)
        .order_by("pk")
        .values_list("pk", "building_id", "name", "use", "number")
    )
    names = dict(
        User.objects.filter(pk__in=[pk for pk, _dept in world.staff]).values_list("pk", "real_name")
    )
    departments = dict(Department.objects.filter(school_id=world.id).values_list("pk", "name"))
    reporter_roles = ("teacher", "depthead", "canteen", "nurse", "safety", "storekeeper")
    reporters = [
        (pk, names.get(pk, ""), departments.get(dept, ""))
        for pk, dept in world.staff
        if any(pk in world.people.get(role, ()) for role in reporter_roles)
    ] or [(pk, names.get(pk, ""), departments.get(dept, "")) for pk, dept in world.staff]
    shop = Shop(
        world=world,
        now=ctx.now,
        targets={u: model.targets(u) for u in ("urgent", "normal", "planned")},
        calendar=calendar,
        labour_rate=model.labour_rate,
        auto_verify_days=model.auto_verify_days,
        triage=triage,
        director=director,
        workers=workers,
        categories={code: pk for code, (pk, _name) in categories.items()},
        category_names={code: name for code, (_pk, name) in categories.items()},
        rules=rules,
        teams=teams,
        rooms=rooms,
        room_weights=[ROOM_WEIGHTS.get(room[3], 0.5) for room in rooms],
        reporters=reporters,
        names=names,
        classes=_classes(world.kind),
    )
    shop.room_index = {room[0]: n for n, room in enumerate(rooms)}
    shop.buildings = dict(Building.objects.filter(school_id=world.id).values_list("pk", "name"))
    _things(ctx, shop, world)
    _assets(ctx, shop, world)
    return shop


def _calendar(ctx: Ctx, world: SchoolWorld) -> dict[datetime.date, bool]:
    days: dict[datetime.date, tuple[bool, str]] = {}
    for year in range(ctx.start.year, ctx.today.year + 2):
        for day, working, name in holidays_of(year):
            days[day] = (working, name)
    ctx.insert(
        WorkCalendarDay,
        (
            {"school_id": world.id, "date": day, "is_working": working, "name": name}
            for day, (working, name) in sorted(days.items())
        ),
    )
    return {day: working for day, (working, _name) in days.items()}


def holidays_of(year: int) -> list[tuple[datetime.date, bool, str]]:
    """Public holidays (and, for 2026, the weekend working days) of ``year``."""
    if year == 2026:
        return list(d.CALENDAR_2026)
    found = [(datetime.date(year, 1, 1), False, "元旦")]
    found += [(datetime.date(year, 5, day), False, "劳动节") for day in range(1, 6)]
    found += [(datetime.date(year, 10, day), False, "国庆节") for day in range(1, 8)]
    lunar = LUNAR.get(year)
    if lunar is not None:
        eve, qingming, duanwu, zhongqiu = (datetime.date(*parts) for parts in lunar)
        found += [(eve + DAY * n, False, "春节") for n in range(8)]
        found += [(qingming + DAY * n, False, "清明节") for n in range(3)]
        found += [(duanwu + DAY * n, False, "端午节") for n in range(3)]
        if zhongqiu.month == 9:
            found += [(zhongqiu + DAY * n, False, "中秋节") for n in range(3)]
    return sorted(set(found))


def _teams(
    ctx: Ctx, world: SchoolWorld, categories: dict[str, tuple[int, str]], workers: list[int]
) -> tuple[dict[tuple[str, int | None], tuple[int | None, int | None]], dict[int, list[int]]]:
    team_ids = iter(ctx.ids(MaintenanceTeam, len(TEAMS) + 1))
    team_rows: list[dict[str, Any]] = []
    members: dict[int, list[int]] = {}
    rules: dict[tuple[str, int | None], tuple[int | None, int | None]] = {}
    phone = f"0512-66{world.index % 100:02d}2002"
    for name, indexes, codes in TEAMS:
        pk = next(team_ids)
        people = list(dict.fromkeys(workers[i % len(workers)] for i in indexes))
        team_rows.append(
            {"id": pk, "school_id": world.id, "name": name, "leader_id": people[0], "phone": phone}
        )
        members[pk] = people
        for code in codes:
            # Carpentry goes to the team (its leader); the others to a named worker.
            rules[(code, None)] = (None if code in ("carpentry", "doors") else people[0], pk)
    contractor = next(team_ids)
    team_rows.append(
        {
            "id": contractor,
            "school_id": world.id,
            "name": CONTRACTOR_TEAM,
            "leader_id": None,
            "phone": "0512-68881234",
        }
    )
    members[contractor] = []
    uses = dict(Building.objects.filter(school_id=world.id).values_list("pk", "use"))
    dorms = [b for b, use in uses.items() if use == "dormitory"]
    water = team_rows[0]["id"]
    if dorms and len(members[water]) > 1:
        rules[("electric", dorms[0])] = (members[water][1], water)
    ctx.insert(MaintenanceTeam, team_rows)
    ctx.insert(
        MaintenanceTeam.members.through,
        (
            {"maintenanceteam_id": team, "user_id": user}
            for team, people in members.items()
            for user in people
        ),
    )
    ctx.insert(
        DispatchRule,
        (
            {
                "school_id": world.id,
                "category_id": categories[code][0],
                "building_id": building,
                "assignee_id": worker,
                "team_id": team,
            }
            for (code, building), (worker, team) in rules.items()
        ),
    )
    # What dispatch.choose gives: a team rule without a worker goes to the leader.
    leaders = {row["id"]: row["leader_id"] for row in team_rows}
    resolved = {
        key: (worker or leaders.get(team or 0), team) for key, (worker, team) in rules.items()
    }
    return resolved, members


def _classes(kind: str) -> list[str]:
    if kind == "kindergarten":
        return [f"{g}{n}班" for g in GRADES["kindergarten"] for n in "一二三四"]
    grades: tuple[str, ...] = GRADES.get(kind, ())
    if not grades:
        grades = (
            GRADES["primary"]
            if kind in ("nine_year", "primary")
            else GRADES["junior"] + GRADES["senior"]
        )
    return [f"{g}({n})班" for g in grades for n in range(1, 7)]


def _things(ctx: Ctx, shop: Shop, world: SchoolWorld) -> None:
    """The store's repair materials, when the inventory part ran."""
    if world.id not in (ctx.shared.get("stock_items") or {}):
        return
    items = StockItem.objects.filter(school_id=world.id, is_active=True).order_by("pk")
    fields = ("pk", "name", "specification", "unit", "average_cost")
    materials = items.filter(category__in=("repair", "electrical"))
    shop.stock = list(materials.values_list(*fields)[:300]) or list(items.values_list(*fields)[:50])


def _assets(ctx: Ctx, shop: Shop, world: SchoolWorld) -> None:
    """Assets in rooms, for orders about a thing, when the assets part ran."""
    if world.id not in (ctx.shared.get("assets") or {}):
        return
    for pk, room, name in (
        Asset.objects.filter(school_id=world.id, room__isnull=False)
        .order_by("pk")
        .values_list("pk", "room_id", "name")[:20_000]
    ):
        if room in shop.room_index:
            shop.assets.setdefault(name, []).append((pk, room))
            shop.any_assets.append((pk, room))


# -- when things happen -------------------------------------------------------------------------


def day_weights(ctx: Ctx, world: SchoolWorld) -> tuple[list[datetime.date], list[float]]:
    """Every day of the history with how busy it is: the first weeks of a term most, holidays
    and weekends little."""
    terms = [(start, end) for _pk, _year, _kind, start, end in world.terms]
    exceptions: dict[datetime.date, bool] = {}
    for year in range(ctx.start.year, ctx.today.year + 1):
        exceptions.update((day, working) for day, working, _name in holidays_of(year))
    days: list[datetime.date] = []
    weights: list[float] = []
    day = ctx.start
    while day <= ctx.today:
        term = next(((s, e) for s, e in terms if s <= day <= e), None)
        if term is None:
            soon = any(0 <= (s - day).days <= 5 for s, _e in terms)
            weight = 0.6 if soon else 0.22
        else:
            into = (day - term[0]).days
            weight = 2.6 if into < 14 else 1.7 if into < 21 else 1.0
        if day.isoweekday() >= 6 and exceptions.get(day) is not True:
            weight *= 0.4
        if exceptions.get(day) is False:
            weight *= 0.35
        days.append(day)
        weights.append(weight)
        day += DAY
    return days, list(itertools.accumulate(weights))


# Hours of the day a fault is reported (boarding schools report in the evening too).
HOURS = list(range(24))
HOUR_WEIGHTS = list(
    itertools.accumulate(
        (
            0.1,
            0.05,
            0.05,
            0.05,
            0.1,
            0.2,
            0.6,
            2,
            5,
            7,
            7,
            6,
            3,
            4,
            6,
            6,
            5,
            4,
            2.5,
            2,
            1.8,
            1.2,
            0.5,
            0.2,
        )
    )
)


def moments(
    ctx: Ctx, rng: random.Random, days: list[datetime.date], cum: list[float], count: int
) -> list[datetime.datetime]:
    """``count`` report times over the history, oldest first, none after now."""
    now = ctx.now
    found = []
    for day in rng.choices(days, cum_weights=cum, k=count):
        hour = rng.choices(HOURS, cum_weights=HOUR_WEIGHTS)[0]
        moment = datetime.datetime(
            day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=TZ
        )
        if moment > now:
            start = datetime.datetime.combine(day, datetime.time(), TZ)
            moment = start + datetime.timedelta(
                seconds=rng.randrange(max(1, int((now - start).total_seconds())))
            )
        found.append(moment)
    found.sort()
    return found


# -- small texts ------------------------------------------------------------------------------


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def tracking_code(pk: int) -> str:
    """A public code unique to the key (a bijection onto the code space)."""
    value = (pk * PRIME + SALT) % (len(ALPHABET) ** LENGTH)
    chars = []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return "".join(chars)


def categories() -> dict[str, tuple[int, str]]:
    """The seeded repair categories: code -> (id, name)."""
    return {
        code: (pk, name)
        for pk, code, name in RepairCategory.objects.values_list("pk", "code", "name")
    }


# -- writing the big tables ---------------------------------------------------------------------
