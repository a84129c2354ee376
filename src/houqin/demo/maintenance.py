"""Demo repairs and maintenance: a year of repair requests and work orders in 示范中学 (a
few hundred in 阳光幼儿园), today's backlog in every open state, teams, dispatch rules,
preventive plans with their past orders, and a summer campaign.

Thousands of orders are written in bulk (the browser tests load the demo for every test),
with the derived values the services compute (targets, clock, on-time flags, costs,
escalation) and a status timeline for the open and recent orders. The document sequences
are moved past the numbers used, so orders made afterwards continue them. A school that
already has work orders keeps them: loading the demo twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.accounts.models import Membership, Role
from houqin.assets.models import Asset
from houqin.core.models import DocumentSequence, StatusChange
from houqin.maintenance.choices import OrderSource, Urgency
from houqin.maintenance.models import (
    DispatchRule,
    MaintenanceSettings,
    MaintenanceTeam,
    RepairCategory,
    RepairRequest,
    WorkCalendarDay,
    WorkOrder,
    WorkOrderPart,
)
from houqin.maintenance.services.sla import add_time, calendar_for
from houqin.org.models import Room, School, Term

from . import maintenance_data as d
from . import maintenance_plans
from .maintenance_history import History, People, Place
from .maintenance_story import Made, Story, fast_insert, make, reserve_keys

HISTORY = {"kindergarten": 280}
DEFAULT_HISTORY = 2900
H = datetime.timedelta(hours=1)

# The backlog of 示范中学 today: (state, category, fault, urgency, hours ago, reporter,
# worker, escalated when overdue).
BACKLOG: list[tuple[str, str, int, str, float, str, str | None, bool]] = [
    ("new", "other", 0, "normal", 1.5, "teacher", None, True),
    ("new", "other", 1, "normal", 6.0, "portal", None, True),
    ("new", "other", 2, "normal", 3.0, "staff", None, True),
    ("assigned", "electric", 0, "normal", 1.0, "portal", "worker", True),
    ("assigned", "electric", 2, "urgent", 0.2, "staff", "worker", True),
    ("assigned", "water", 1, "urgent", 2.0, "staff", "worker", True),
    ("assigned", "appliance", 0, "normal", 4.2, "portal", "worker", False),
    ("assigned", "doors", 0, "normal", 2.0, "staff", "t0009", True),
    ("accepted", "water", 0, "normal", 2.5, "teacher", "worker", True),
    ("accepted", "aircon", 1, "normal", 5.0, "staff", "worker", True),
    ("started", "electric", 1, "normal", 3.0, "staff", "worker", True),
    ("started", "plumbing", 0, "urgent", 1.0, "staff", "worker", True),
    ("started", "carpentry", 1, "normal", 20.0, "portal", "t0009", True),
    ("started", "electric", 4, "normal", 52.0, "staff", "worker", True),
    ("started", "doors", 1, "normal", 48.3, "staff", "t0009", False),
    ("hold:parts", "appliance", 2, "normal", 30.0, "teacher", "worker", True),
    ("hold:contractor", "aircon", 0, "normal", 26.0, "staff", "worker", True),
    ("hold:access", "water", 2, "normal", 8.0, "portal", "t0009", True),
    ("awaiting", "electric", 0, "normal", 20.0, "teacher", "worker", True),
    ("awaiting", "appliance", 0, "normal", 28.0, "teacher", "worker", True),
    ("awaiting", "water", 0, "normal", 10.0, "staff", "t0009", True),
    ("awaiting", "doors", 0, "normal", 30.0, "portal", "t0009", True),
    ("returned", "network", 1, "normal", 5.0, "staff", "admin", True),
    ("returned", "electric", 3, "normal", 7.0, "staff", "t0008", True),
]
KG_BACKLOG: list[tuple[str, str, int, str, float, str, str | None, bool]] = [
    ("assigned", "electric", 0, "normal", 2.0, "kg-teacher", "kg-director", True),
    ("started", "water", 0, "normal", 5.0, "staff", "kg-director", True),
    ("awaiting", "carpentry", 2, "normal", 20.0, "kg-teacher", "kg-director", True),
]
# category -> (username, share) of who repaired it over the year; "*" when the director
# dispatches by hand (no rule).
SFZX_WORKERS = {
    "electric": [("worker", 0.55), ("t0008", 0.45)],
    "water": [("worker", 0.45), ("t0009", 0.55)],
    "plumbing": [("t0009", 0.7), ("worker", 0.3)],
    "aircon": [("worker", 0.7), ("t0008", 0.3)],
    "appliance": [("worker", 0.5), ("t0008", 0.5)],
    "carpentry": [("t0009", 1.0)],
    "doors": [("t0009", 1.0)],
    "network": [("admin", 1.0)],
    "*": [("worker", 0.5), ("t0009", 0.5)],
}
# team name -> (leader, members, phone, categories)
SFZX_TEAMS = {
    "水电组": (
        "worker",
        ("worker", "t0008", "t0009"),
        "0512-66012002",
        ("electric", "water", "plumbing", "aircon", "appliance"),
    ),
    "木工组": ("t0009", ("t0009", "worker"), "0512-66012002", ("carpentry", "doors")),
    "网络组": ("admin", ("admin",), "0512-66012003", ("network",)),
}
KG_TEAMS = {"园内维修组": ("kg-director", ("kg-director",), "0512-66016002", ())}
# The electrician and the plumber of 总务处 also work as maintenance workers.
EXTRA_WORKERS = ("t0008", "t0009")


def load(schools: list[School]) -> int:
    """Give every demo school its maintenance data; returns how many orders were created."""
    return sum(_load(school) for school in schools)


def _load(school: School) -> int:
    kg = school.kind == "kindergarten"
    rng = random.Random(f"houqin-demo-maintenance-{school.code}")  # noqa: S311 - demo data
    config = _settings(school, kg)
    _calendar(school)
    people = _people(school, kg)
    if WorkOrder.objects.filter(school=school).exists():
        return 0
    now = timezone.now().replace(microsecond=0)
    # Every holiday counts (the services look back from each order's date), whatever today is.
    since = min(timezone.localdate(now) - datetime.timedelta(days=400), d.CALENDAR_2026[0][0])
    calendars = {u: calendar_for(config, u, since=since) for u in Urgency.values}
    categories = {c.code: c for c in RepairCategory.objects.all()}
    place = _place(school, rng)
    history = History(
        school=school,
        rng=rng,
        now=now,
        categories=categories,
        people=people,
        place=place,
        config=config,
        calendars=calendars,
        kindergarten=kg,
    )
    history.year(HISTORY.get(str(school.kind), DEFAULT_HISTORY), _day_weights(school, now))
    teacher_room = _teacher_room(place, kg)
    for state, code, index, urgency, hours, who, worker, escalate in KG_BACKLOG if kg else BACKLOG:
        history.current(
            state,
            code,
            index,
            urgency,
            hours,
            who,
            worker=worker,
            escalate=escalate,
            room=teacher_room if who in ("teacher", "kg-teacher") else None,
        )
    for n, (code, index) in enumerate((("electric", 0), ("doors", 1))):
        history.triage(0.5 + n * 1.5, code, index, rng.choice(place.rooms))
    history.rejected(3 if kg else 12)
    history.joined(0.04)
    _link_repeats(history.stories, config.repeat_window_days)
    for story in history.stories:
        story.timeline = story.timeline or story.reported >= now - datetime.timedelta(days=45)
    stories = list(history.stories)
    stories += maintenance_plans.plans(school, kg, people, categories, now, rng)
    if not kg:
        stories += maintenance_plans.campaigns(school, people, categories, now, rng)

    def dues(urgency: str, reported: datetime.datetime) -> tuple[Any, Any]:
        respond, resolve = config.targets(urgency)
        calendar = calendars[urgency]
        return add_time(calendar, reported, respond * 60), add_time(
            calendar, reported, resolve * 60
        )

    made = [make(s, now, dues, calendars.__getitem__, config.labour_rate) for s in stories]
    _save(school, made, history.requests)
    return len(made)


# -- configuration ---------------------------------------------------------------------------


def _settings(school: School, kg: bool) -> MaintenanceSettings:
    config, _created = MaintenanceSettings.objects.get_or_create(
        school=school,
        defaults={
            "use_working_hours": kg,
            "work_start": datetime.time(7, 30) if kg else datetime.time(8, 0),
            "work_end": datetime.time(17, 0) if kg else datetime.time(17, 30),
            "portal_needs_triage": kg,
            "labour_rate": 40,
            "portal_limit_per_address": 5,
            "portal_limit_per_room": 10,
        },
    )
    return config


def _calendar(school: School) -> None:
    known = set(WorkCalendarDay.objects.filter(school=school).values_list("date", flat=True))
    WorkCalendarDay.objects.bulk_create(
        [
            WorkCalendarDay(school=school, date=day, is_working=working, name=name)
            for day, working, name in d.CALENDAR_2026
            if day not in known
        ]
    )


def _people(school: School, kg: bool) -> People:
    members = list(
        Membership.objects.filter(school=school, is_active=True)
        .select_related("user", "department")
        .order_by("user__username")
    )
    if not kg:
        worker = Role.objects.get(code="worker")
        for member in [m for m in members if m.user.username in EXTRA_WORKERS]:
            Membership.objects.get_or_create(
                user=member.user,
                school=school,
                role=worker,
                defaults={"department": member.department, "title": member.title},
            )
    by_name: dict[str, Any] = {}
    for member in members:
        user = member.user
        user._unit = member.department.name if member.department_id else ""
        by_name[user.username] = user
    staff = [u for u in by_name.values() if u.username[0] in "tk" or u.username == "teacher"]
    teams: dict[str, Any] = {}
    for name, (leader, team_members, phone, codes) in (KG_TEAMS if kg else SFZX_TEAMS).items():
        team, _created = MaintenanceTeam.objects.get_or_create(
            school=school, name=name, defaults={"leader": by_name[leader], "phone": phone}
        )
        team.members.add(*(by_name[u] for u in team_members))
        for code in codes:
            teams[code] = team
    categories = {c.code: c for c in RepairCategory.objects.all()}
    if kg:
        team = next(iter(MaintenanceTeam.objects.filter(school=school, name__in=KG_TEAMS)))
        workers = {code: [("kg-director", 1.0)] for code in [*categories, "*"]}
        teams = dict.fromkeys(categories, team)
        rules = [DispatchRule(school=school, assignee=by_name["kg-director"], team=team)]
    else:
        workers = SFZX_WORKERS
        rules = [
            DispatchRule(
                school=school,
                category=categories[code],
                assignee=by_name["admin" if code == "network" else "worker"]
                if code not in ("carpentry", "doors")
                else None,
                team=team,
            )
            for code, team in teams.items()
        ]
    if not DispatchRule.objects.filter(school=school).exists():
        DispatchRule.objects.bulk_create(rules)
    director = by_name["kg-director" if kg else "director"]
    return People(
        by_name=by_name,
        staff=staff,
        workers=workers,
        teams=teams,
        dispatcher=director,
        closer_rate=0.5 if kg else 0.62,
    )


def _place(school: School, rng: random.Random) -> Place:
    rooms = list(
        Room.objects.filter(school=school, is_active=True)
        .select_related("building")
        .order_by("building__name", "number")
    )
    wanted = {name for faults in d.FAULTS.values() for fault in faults for name in fault[3]}
    assets: dict[int, dict[str, list[int]]] = {}
    for pk, name, room_id in (
        Asset.objects.filter(school=school, name__in=wanted, room__isnull=False)
        .active()
        .values_list("pk", "name", "room_id")
        .order_by("pk")
    ):
        assets.setdefault(room_id, {}).setdefault(name, []).append(pk)
    classes = sorted({r.name for r in rooms if r.use == "classroom" and "班" in r.name})
    hot_pool = [r for r in rooms if r.use in ("dormitory", "toilet")]
    hot = {r.pk for r in rng.sample(hot_pool, min(6, len(hot_pool)))}
    return Place(rooms=rooms, assets=assets, classes=classes or ["教工"], hot=hot)


def _teacher_room(place: Place, kg: bool) -> Any:
    name = "小一班" if kg else "高一(3)班"
    found = [r for r in place.rooms if r.name == name]
    if found:
        return found[0]
    return next((r for r in place.rooms if r.use == "classroom"), place.rooms[0])


def _day_weights(school: School, now: datetime.datetime) -> dict[datetime.date, float]:
    """How busy each day of the past year was, relative to an ordinary school day."""
    today = timezone.localdate(now)
    terms = list(Term.objects.filter(school=school).values_list("start", "end"))
    holidays = {day: working for day, working, _name in d.CALENDAR_2026}
    weights = {}
    for back in range(365, -1, -1):
        day = today - datetime.timedelta(days=back)
        term = next(((s, e) for s, e in terms if s <= day <= e), None)
        if term is None:
            soon = any(0 <= (s - day).days <= 5 for s, _e in terms)
            weight = 0.6 if soon else 0.22
        else:
            into = (day - term[0]).days
            weight = 2.6 if into < 14 else 1.7 if into < 21 else 1.0
            if day.isoweekday() >= 6 and holidays.get(day) is not True:
                weight *= 0.45
        if holidays.get(day) is False:
            weight *= 0.35
        weights[day] = weight
    return weights


def _link_repeats(stories: list[Story], window_days: int) -> None:
    """A fault at the same room and category within the window links to the last repair
    finished there (what ``find_repeat`` does when the order is opened)."""
    window = datetime.timedelta(days=window_days)
    done: dict[tuple[int, int], list[Story]] = {}
    for story in sorted(stories, key=lambda s: s.reported):
        if story.room is None or story.source not in (OrderSource.REQUEST, OrderSource.DIRECT):
            continue
        key = (story.room.pk, story.category_id)
        earlier = [
            s
            for s in done.get(key, [])
            if s.finished is not None
            and s.cancelled is None
            and story.reported - window <= s.finished <= story.reported
        ]
        if earlier:
            story.repeat_of = max(earlier, key=lambda s: s.finished or s.reported)
        done.setdefault(key, []).append(story)


# -- writing ---------------------------------------------------------------------------------


def _save(school: School, made: list[Made], requests: list[Any]) -> None:
    made.sort(key=lambda m: (m.order["reported_at"], m.order["title"]))
    last: dict[int, int] = {}
    for m in made:
        year = timezone.localtime(m.order["reported_at"]).year
        last[year] = last.get(year, 0) + 1
        m.order["number"] = f"WX-{year}-{last[year]:06d}"
    orders = {id(m.story): m.order for m in made}
    reserve_keys(WorkOrder, [m.order for m in made])
    for m in made:
        if m.story.repeat_of is not None and id(m.story.repeat_of) in orders:
            m.order["repeat_of_id"] = orders[id(m.story.repeat_of)]["id"]
    fast_insert(WorkOrder, [m.order for m in made])
    parts = []
    for m in made:
        for part in m.parts:
            part["work_order_id"] = m.order["id"]
            parts.append(part)
    fast_insert(WorkOrderPart, parts)
    _requests(school, requests, orders)
    kind = ContentType.objects.get_for_model(WorkOrder)
    fast_insert(
        StatusChange,
        [
            dict(
                content_type_id=kind.pk,
                object_id=str(m.order["id"]),
                school_id=school.pk,
                field="status",
                from_status=source,
                to_status=target,
                actor_id=actor,
                reason=reason,
                created_at=at,
            )
            for m in made
            for at, source, target, actor, reason in m.changes
        ],
    )
    _sequence(school, "WX", last)


def _requests(school: School, requests: list[Any], orders: dict[int, dict[str, Any]]) -> None:
    requests.sort(key=lambda r: r.at)
    last: dict[int, int] = {}
    rows = []
    for r in requests:
        year = timezone.localtime(r.at).year
        last[year] = last.get(year, 0) + 1
        order = orders.get(id(r.story)) if r.story is not None else None
        if r.story is not None and order is None:
            continue
        rows.append(
            dict(
                school_id=school.pk,
                number=f"BX-{year}-{last[year]:06d}",
                channel=r.channel,
                status=r.status,
                reporter_id=r.reporter_id,
                reporter_name=r.name[:50],
                reporter_unit=r.unit[:100],
                phone=r.phone,
                room_id=r.room.pk,
                asset_id=order["asset_id"] if order is not None else None,
                category_id=r.category_id,
                description=r.description,
                urgency=r.urgency,
                work_order_id=order["id"] if order is not None else None,
                source_address=r.address,
                reject_reason=r.reject_reason,
                created_at=r.at,
                updated_at=r.at,
            )
        )
    fast_insert(RepairRequest, rows)
    _sequence(school, "BX", last)


def _sequence(school: School, prefix: str, last: dict[int, int]) -> None:
    for year, number in last.items():
        row, created = DocumentSequence.objects.get_or_create(
            school=school, prefix=prefix, year=year, defaults={"last_number": number}
        )
        if not created and row.last_number < number:
            row.last_number = number
            row.save(update_fields=["last_number"])
