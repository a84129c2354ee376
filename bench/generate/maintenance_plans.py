"""Preventive plans (定期保养) and holiday campaigns (假期集中维修) of one school, written here,
and the events of the work orders they generated over the history (written by the caller
with the school's other orders).

A plan's orders exist for every due date up to ``lead_days`` after today (the daily job
creates them ahead), so ``last_generated`` is that day and the nearest ones are still waiting.
Campaigns of past holidays are closed (what was left was cancelled at the close), the next
holiday's campaign is a draft with its rooms chosen.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.contenttypes.models import ContentType

from houqin.core.models import StatusChange
from houqin.demo.maintenance_plans import FIRE_CHECKLIST
from houqin.maintenance.models import Campaign, MaintenancePlan
from houqin.maintenance.services.plans import next_due_date, plan_due_dates

from .base import TZ, Ctx
from .maintenance_life import Batch, Event
from .maintenance_world import Shop

# (name, category, recurrence, interval, first due (month, day), lead days, room uses,
#  instructions, checklist)
PLANS: tuple[
    tuple[str, str, str, int, tuple[int, int], int, tuple[str, ...] | None, str, list[str]], ...
] = (
    (
        "灭火器月度检查",
        "other",
        "monthly",
        1,
        (9, 5),
        5,
        ("laboratory", "canteen", "office", "dormitory"),
        "每月 5 日前检查各场所的灭火器，失效或压力不足的立即更换。",
        FIRE_CHECKLIST,
    ),
    (
        "饮水机清洗消毒",
        "appliance",
        "monthly",
        3,
        (9, 15),
        3,
        ("classroom", "office", "dormitory"),
        "每季度清洗饮水机内胆、更换滤芯并记录。",
        ["清洗内胆", "更换滤芯", "出水检测正常", "贴消毒标签"],
    ),
    (
        "开学门窗巡检",
        "doors",
        "term",
        1,
        (9, 3),
        3,
        ("classroom", "dormitory"),
        "每学期开学第三天检查门锁、窗户和玻璃，发现问题当场处理。",
        ["门锁开关正常", "窗户执手完好", "玻璃无裂纹"],
    ),
    (
        "空调清洗",
        "aircon",
        "yearly",
        1,
        (5, 25),
        7,
        ("classroom", "office"),
        "入夏前清洗全部空调：过滤网、蒸发器、排水管，试机。",
        ["清洗过滤网", "清洗蒸发器", "检查排水管", "试机制冷正常"],
    ),
    (
        "防雷检测",
        "electric",
        "yearly",
        1,
        (4, 15),
        14,
        None,
        "每年雨季前请防雷检测机构检测防雷装置并出具报告。",
        ["接闪器、引下线完好", "接地电阻不大于 10 Ω", "取得检测报告"],
    ),
    (
        "配电箱季度检查",
        "electric",
        "monthly",
        3,
        (10, 10),
        3,
        None,
        "检查配电箱接线、漏电保护和标识。",
        ["接线无松动发热", "漏电保护试跳正常", "箱门标识齐全"],
    ),
    (
        "宿舍床铺安全检查",
        "carpentry",
        "term",
        1,
        (9, 10),
        3,
        ("dormitory",),
        "每学期检查宿舍床架、床板和护栏。",
        ["床架牢固", "床板无断裂", "护栏高度合格"],
    ),
    (
        "校舍安全周巡查",
        "other",
        "weekly",
        1,
        (9, 7),
        1,
        ("classroom", "functional"),
        "每周一巡查校舍墙面、吊顶和栏杆。",
        ["墙面无脱落", "吊顶无松动", "栏杆牢固"],
    ),
)
# Campaign groups: (label, room use).
GROUPS = (
    ("教室", "classroom"),
    ("宿舍", "dormitory"),
    ("办公室", "office"),
    ("实验室", "laboratory"),
)
# season -> (first day, last day, category, title, checklist)
SEASONS = {
    "寒假": (
        (1, 24),
        (2, 16),
        "carpentry",
        "检修课桌椅、讲台和门窗",
        ["课桌椅牢固", "讲台完好", "门锁、窗户完好"],
    ),
    "暑假": (
        (7, 12),
        (8, 28),
        "electric",
        "检修电扇、灯具、插座和门窗",
        ["吊扇运转正常", "灯具完好", "插座有电", "门锁、窗户完好"],
    ),
}


def make(ctx: Ctx, shop: Shop, rng: random.Random, total: int) -> list[Event]:
    """Write the school's plans and campaigns; return the events of their orders."""
    least = min(2, total // 5)  # even a small school has a few plan and campaign orders
    events = _plans(ctx, shop, rng, max(int(total * 0.03), least), max(2, min(total // 100, 40)))
    groups = max(1, min(total // 500, len(GROUPS)))
    events += _campaigns(ctx, shop, rng, max(int(total * 0.01), least), groups)
    return events


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), TZ)


def _first(start: datetime.date, month: int, day: int) -> datetime.date:
    found = datetime.date(start.year, month, day)
    return found if found >= start else datetime.date(start.year + 1, month, day)


def _plans(ctx: Ctx, shop: Shop, rng: random.Random, budget: int, count: int) -> list[Event]:
    world = shop.world
    today = ctx.today
    created = datetime.datetime.combine(ctx.start, datetime.time(9), TZ) - datetime.timedelta(
        days=10
    )
    ids = iter(ctx.ids(MaintenancePlan, count))
    plan_rows: list[dict[str, Any]] = []
    room_rows: list[dict[str, Any]] = []
    events: list[Event] = []
    buildings = sorted(shop.buildings)
    for n in range(count):
        name, code, recurrence, interval, (month, day), lead, uses, text, checklist = PLANS[
            n % len(PLANS)
        ]
        building = (
            buildings[(n // len(PLANS)) % len(buildings)] if n >= len(PLANS) and buildings else None
        )
        if building is not None:
            name = f"{name}（{shop.buildings[building]}）"
        pk = next(ids)
        worker, team = shop.rule(code, None)
        if code == "electric" and "防雷" in name:
            worker, team = None, max(shop.teams)  # the contractor's crew
        plan = MaintenancePlan(
            school_id=world.id,
            recurrence=recurrence,
            interval=interval,
            start_date=_first(ctx.start, month, day),
            lead_days=lead,
        )
        until = today + datetime.timedelta(days=lead)
        share = budget // count + (1 if n < budget % count else 0)
        dates = plan_due_dates(plan, plan.start_date, until) if share else []
        candidates = [
            r for r in shop.rooms if (uses is None or r[3] in uses) and building in (None, r[1])
        ]
        candidates = candidates or shop.rooms
        rooms = rng.sample(
            candidates, max(1, min(len(candidates), share // max(len(dates), 1), 30))
        )
        if dates and share < len(dates):
            dates = dates[len(dates) - share :]
            plan.start_date = dates[0]
        if not dates:
            plan.start_date = (
                next_due_date(plan, until + datetime.timedelta(days=1)) or plan.start_date
            )
        plan_rows.append(
            {
                "id": pk,
                "school_id": world.id,
                "name": name,
                "category_id": shop.categories[code],
                "description": text,
                "recurrence": recurrence,
                "interval": interval,
                "dates": [],
                "start_date": plan.start_date,
                "lead_days": lead,
                "checklist": checklist,
                "urgency": "planned",
                "assignee_id": worker,
                "team_id": team,
                "is_active": True,
                "next_due": next_due_date(plan, today),
                "last_generated": until if dates else None,
                "created_at": created,
                "updated_at": created,
            }
        )
        room_rows += [{"maintenanceplan_id": pk, "room_id": room[0]} for room in rooms]
        for due in dates:
            job = _midnight(due - datetime.timedelta(days=lead)) + datetime.timedelta(hours=2)
            batch = Batch(
                kind="plan",
                id=pk,
                title=name,
                description=text,
                checklist=checklist,
                assignee=worker,
                team=team,
                dispatched=min(job, ctx.now),
                finish_by=_midnight(due) + datetime.timedelta(days=4, hours=17),
            )
            events += [
                Event(
                    at=_midnight(due),
                    source="plan",
                    code=code,
                    fault=None,
                    urgency="planned",
                    room=room,
                    batch=batch,
                    planned_for=due,
                )
                for room in rooms
            ]
    ctx.insert(MaintenancePlan, plan_rows)
    ctx.insert(MaintenancePlan.rooms.through, room_rows)
    return events


def _seasons(ctx: Ctx) -> list[tuple[str, datetime.date, datetime.date]]:
    """The holidays of the history, and the next one."""
    found = []
    for year in range(ctx.start.year, ctx.today.year + 2):
        for season, ((m1, d1), (m2, d2), *_rest) in SEASONS.items():
            start, end = datetime.date(year, m1, d1), datetime.date(year, m2, d2)
            if start >= ctx.start:
                found.append((season, start, end))
    found.sort(key=lambda s: s[1])
    upcoming = [s for s in found if s[1] > ctx.today][:1]
    return [s for s in found if s[1] <= ctx.today] + upcoming


def _campaigns(ctx: Ctx, shop: Shop, rng: random.Random, budget: int, groups: int) -> list[Event]:
    world = shop.world
    seasons = _seasons(ctx)
    past = [s for s in seasons if s[1] <= ctx.today]
    launched = len(past) * groups
    per = budget // launched if launched else 0
    keep = launched if per else min(budget, launched)
    per = max(per, 1)
    chosen = [(s, g) for s in past for g in range(groups)][launched - keep :]
    chosen += [(s, g) for s in seasons if s[1] > ctx.today for g in range(groups)]
    ids = iter(ctx.ids(Campaign, len(chosen)))
    rows: list[dict[str, Any]] = []
    room_rows: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    events: list[Event] = []
    kind = ContentType.objects.get_for_model(Campaign).pk
    for (season, start, end), group in chosen:
        pk = next(ids)
        label, use = GROUPS[group]
        _first_day, _last_day, code, title, checklist = SEASONS[season]
        candidates = [r for r in shop.rooms if r[3] == use] or shop.rooms
        draft = start > ctx.today
        rooms = rng.sample(candidates, min(len(candidates), per if not draft else 10))
        launched_at = (
            None
            if draft
            else _midnight(start) - datetime.timedelta(days=3) + datetime.timedelta(hours=10)
        )
        closed_at = _midnight(end) + datetime.timedelta(days=2, hours=10)
        status = "draft" if draft else "closed" if closed_at <= ctx.now else "active"
        created = min(ctx.now, _midnight(start) - datetime.timedelta(days=20))
        rows.append(
            {
                "id": pk,
                "school_id": world.id,
                "name": f"{start.year} {season}集中维修（{label}）",
                "status": status,
                "category_id": shop.categories[code],
                "title": title,
                "description": f"{season}期间逐间{title}，开学前完成。",
                "checklist": checklist,
                "start_date": start,
                "end_date": end,
                "launched_at": launched_at,
                "created_at": created,
                "updated_at": closed_at if status == "closed" else launched_at or created,
            }
        )
        room_rows += [{"campaign_id": pk, "room_id": room[0]} for room in rooms]
        if launched_at is None:
            continue
        steps = [(launched_at, "draft", "active", "")]
        if status == "closed":
            steps.append((closed_at, "active", "closed", "假期结束，未完成的转入日常报修"))
        changes += [
            {
                "content_type_id": kind,
                "object_id": str(pk),
                "school_id": world.id,
                "field": "status",
                "from_status": old,
                "to_status": new,
                "actor_id": shop.director,
                "reason": reason,
                "created_at": at,
            }
            for at, old, new, reason in steps
        ]
        batch = Batch(
            kind="campaign",
            id=pk,
            title=title,
            description=rows[-1]["description"],
            checklist=checklist,
            assignee=None,
            team=None,
            dispatched=launched_at,
            finish_by=closed_at,
            closed=closed_at if status == "closed" else None,
        )
        events += [
            Event(
                at=_midnight(start),
                source="campaign",
                code=code,
                fault=None,
                urgency="planned",
                room=room,
                batch=batch,
                planned_for=start,
            )
            for room in rooms
        ]
    ctx.insert(Campaign, rows)
    ctx.insert(Campaign.rooms.through, room_rows)
    ctx.insert(StatusChange, changes)
    return events
