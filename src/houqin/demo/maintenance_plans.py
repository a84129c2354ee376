"""Demo preventive plans (灭火器月度检查, 空调清洗, 防雷检测) with the orders they generated
over the past year (a few late, one skipped), and the holiday campaigns (the closed summer
campaign over the dormitories, a winter one in draft)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.assets.models import AssetCategory
from houqin.core.models import StatusChange
from houqin.maintenance.choices import CampaignStatus, OrderSource, Recurrence, Urgency
from houqin.maintenance.models import Campaign, MaintenancePlan
from houqin.maintenance.services.plans import next_due_date, plan_due_dates, plan_targets
from houqin.org.models import Room, School

from . import maintenance_data as d
from .maintenance_history import People
from .maintenance_story import Story, keep_times

D = datetime.date
FIRE_ROOM_USES = ("laboratory", "kitchen", "storeroom", "equipment", "meeting")
LIGHTNING_ROOMS = ("网络机房", "安防监控室", "广播室", "宿管值班室", "实验器材室", "体育器材室")
FIRE_CHECKLIST = [
    "压力表指针在绿区",
    "铅封、保险销完好",
    "喷管无老化破损",
    "放置位置无遮挡、标识清楚",
    "填写检查卡并签字",
]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _work_moment(day: datetime.date, rng: random.Random, days: int) -> datetime.datetime:
    when = day + datetime.timedelta(days=rng.randrange(days))
    return _midnight(when) + datetime.timedelta(minutes=rng.randrange(8 * 60 + 30, 16 * 60))


def plans(
    school: School,
    kg: bool,
    people: People,
    categories: dict[str, Any],
    now: datetime.datetime,
    rng: random.Random,
) -> list[Story]:
    if MaintenancePlan.objects.filter(school=school).exists():
        return []
    today = timezone.localdate(now)
    rooms = list(Room.objects.filter(school=school, is_active=True).order_by("pk"))
    by = people.by_name
    fire_rooms = [r for r in rooms if r.use in FIRE_ROOM_USES or r.name == "宿管值班室"]
    if kg:
        fire_rooms = [r for r in rooms if r.use in (*FIRE_ROOM_USES, "office")]
    specs: list[dict[str, Any]] = [
        {
            "name": "灭火器月度检查",
            "category": categories["other"],
            "description": "每月 5 日前检查各场所的灭火器，失效或压力不足的立即更换。",
            "recurrence": Recurrence.MONTHLY,
            "start_date": D(2025, 12, 5),
            "lead_days": 5,
            "checklist": FIRE_CHECKLIST,
            "assignee": by["kg-director" if kg else "t0008"],
            "rooms": fire_rooms,
            "late": 0.06,
            "labour": (10, 25),
        }
    ]
    if not kg:
        aircon = AssetCategory.objects.filter(name="空调").first()
        specs += [
            {
                "name": "空调清洗",
                "category": categories["aircon"],
                "description": "入夏前清洗全部空调：过滤网、蒸发器、排水管，试机。",
                "recurrence": Recurrence.YEARLY,
                "start_date": D(2026, 5, 25),
                "lead_days": 7,
                "checklist": ["清洗过滤网", "清洗蒸发器", "检查排水管", "试机制冷正常"],
                "assignee": by["worker"],
                "team": people.teams.get("aircon"),
                "asset_category": aircon,
                "late": 0.08,
                "labour": (30, 60),
                "contractor": ("格力空调售后服务部", Decimal("60")),
            },
            {
                "name": "防雷检测",
                "category": categories["electric"],
                "description": "每年雨季前请防雷检测机构检测防雷装置并出具报告。",
                "recurrence": Recurrence.YEARLY,
                "start_date": D(2026, 4, 15),
                "lead_days": 14,
                "checklist": [
                    "接闪器、引下线完好",
                    "接地电阻不大于 10 Ω",
                    "电涌保护器状态正常",
                    "取得检测报告",
                ],
                "assignee": by["worker"],
                "rooms": [r for r in rooms if r.name in LIGHTNING_ROOMS],
                "late": 0.0,
                "labour": (30, 60),
                "contractor": ("示范市防雷设施检测所", Decimal("600")),
            },
        ]
    stories: list[Story] = []
    for spec in specs:
        stories += _plan(school, spec, today, now, rng, people)
    return stories


def _plan(
    school: School,
    spec: dict[str, Any],
    today: datetime.date,
    now: datetime.datetime,
    rng: random.Random,
    people: People,
) -> list[Story]:
    plan = MaintenancePlan(
        school=school,
        name=spec["name"],
        category=spec["category"],
        description=spec["description"],
        recurrence=spec["recurrence"],
        start_date=spec["start_date"],
        lead_days=spec["lead_days"],
        checklist=spec["checklist"],
        urgency=Urgency.PLANNED,
        assignee=spec["assignee"],
        team=spec.get("team"),
        asset_category=spec.get("asset_category"),
    )
    plan.full_clean()
    plan.save()
    if spec.get("rooms"):
        plan.rooms.set(spec["rooms"])
    until = today + datetime.timedelta(days=plan.lead_days)
    plan.last_generated = until
    plan.next_due = next_due_date(plan, today)
    plan.save(update_fields=["last_generated", "next_due"])
    MaintenancePlan.objects.filter(pk=plan.pk).update(
        created_at=_midnight(plan.start_date) - datetime.timedelta(days=20)
    )
    targets = plan_targets(plan)
    stories = []
    skipped = False
    for day in plan_due_dates(plan, plan.start_date, until):
        reported = _midnight(day)
        for target in targets:
            title = plan.name if not target.label else f"{plan.name} · {target.label}"
            story = Story(
                school_id=school.pk,
                category_id=plan.category_id,
                title=title[:200],
                urgency=plan.urgency,
                reported=reported,
                description=plan.description,
                room=target.room,
                asset_id=target.asset.pk if target.asset is not None else None,
                source=OrderSource.PLAN,
                assignee_id=plan.assignee_id,
                team_id=plan.team_id,
                dispatched=reported + datetime.timedelta(seconds=30),
                plan_id=plan.pk,
                planned_for=day,
                plan_target=target.key,
                checklist=list(plan.checklist),
                timeline=reported >= now - datetime.timedelta(days=45),
            )
            if reported > now:
                # Made ahead of its date by this morning's job: waiting for its day.
                generated = _midnight(today) + datetime.timedelta(hours=1)
                story.dispatched = min(now, generated)
                stories.append(story)
                continue
            if not skipped and day.month == 2 and target.room is not None:
                # Closed for the winter holiday: this one was skipped.
                at = reported + datetime.timedelta(hours=10)
                story.cancelled = (at, "寒假期间场所关闭，本月跳过", people.dispatcher.pk)
                skipped = True
                stories.append(story)
                continue
            if rng.random() < spec["late"]:
                work = _work_moment(day + datetime.timedelta(days=7), rng, 6)
            else:
                work = _work_moment(day, rng, 5)
            story.accepted = min(reported + datetime.timedelta(hours=8), work)
            story.started = work
            story.finished = work + datetime.timedelta(minutes=rng.randrange(*spec["labour"]))
            story.labour_minutes = rng.randrange(*spec["labour"])
            story.work_notes = "已按检查表逐项完成。"
            if "contractor" in spec:
                story.contractor, story.contractor_cost = spec["contractor"]
            stories.append(story)
    return stories


def campaigns(
    school: School,
    people: People,
    categories: dict[str, Any],
    now: datetime.datetime,
    rng: random.Random,
) -> list[Story]:
    if Campaign.objects.filter(school=school).exists():
        return []
    by = people.by_name
    rooms = list(
        Room.objects.filter(school=school, use="dormitory", is_active=True)
        .select_related("building")
        .order_by("building__name", "floor", "number")
    )
    director = people.dispatcher
    launched = timezone.make_aware(datetime.datetime(2026, 7, 10, 9, 0))
    closed_at = timezone.make_aware(datetime.datetime(2026, 8, 28, 10, 0))
    summer = Campaign(
        school=school,
        name="2026 暑假集中维修",
        status=CampaignStatus.CLOSED,
        category=categories["electric"],
        title="检修宿舍电扇、灯具、插座和门窗",
        description="暑假期间逐间检修宿舍：吊扇、灯具、插座、门锁、窗户和床铺，开学前完成。",
        checklist=["吊扇运转正常", "灯具完好", "插座有电", "门锁、窗户完好", "床板牢固"],
        start_date=D(2026, 7, 13),
        end_date=D(2026, 8, 25),
        launched_at=launched,
    )
    summer.full_clean()
    winter = Campaign(
        school=school,
        name="2027 寒假集中维修",
        status=CampaignStatus.DRAFT,
        category=categories["carpentry"],
        title="检修课桌椅、讲台和门窗",
        description="寒假期间检修教学楼A各教室的课桌椅、讲台、门窗。",
        checklist=["课桌椅牢固", "讲台完好", "门锁、窗户完好"],
        start_date=D(2027, 1, 25),
        end_date=D(2027, 2, 20),
    )
    winter.full_clean()
    with keep_times(Campaign):
        summer.created_at = summer.updated_at = launched - datetime.timedelta(days=12)
        winter.created_at = winter.updated_at = now - datetime.timedelta(days=3)
        summer.save()
        winter.save()
    summer.rooms.set(rooms)
    winter.rooms.set(Room.objects.filter(school=school, building__name="教学楼A", use="classroom"))
    kind = ContentType.objects.get_for_model(Campaign)
    with keep_times(StatusChange):
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    content_type=kind,
                    object_id=str(summer.pk),
                    school_id=school.pk,
                    from_status=CampaignStatus.DRAFT,
                    to_status=CampaignStatus.ACTIVE,
                    actor=director,
                    created_at=launched,
                ),
                StatusChange(
                    content_type=kind,
                    object_id=str(summer.pk),
                    school_id=school.pk,
                    from_status=CampaignStatus.ACTIVE,
                    to_status=CampaignStatus.CLOSED,
                    actor=director,
                    reason="假期结束，未完成的转入日常报修",
                    created_at=closed_at,
                ),
            ]
        )
    reported = _midnight(summer.start_date)
    team = people.teams.get("electric")
    stories = []
    unfinished = set(rng.sample(range(len(rooms)), min(3, len(rooms))))
    for n, room in enumerate(rooms):
        worker = by["worker"] if room.building.name.startswith("男") else by["t0008"]
        story = Story(
            school_id=school.pk,
            category_id=summer.category_id,
            title=summer.title,
            urgency=Urgency.PLANNED,
            reported=reported,
            description=summer.description,
            room=room,
            source=OrderSource.CAMPAIGN,
            assignee_id=worker.pk,
            team_id=getattr(team, "pk", None),
            dispatched=reported + datetime.timedelta(seconds=30),
            campaign_id=summer.pk,
            planned_for=summer.start_date,
            checklist=list(summer.checklist),
        )
        if n in unfinished:
            story.cancelled = (closed_at, "假期结束仍未完成，转入日常报修", director.pk)
            stories.append(story)
            continue
        late = rng.random() < 0.05
        work = _work_moment(summer.start_date + datetime.timedelta(days=7 if late else 0), rng, 6)
        accepted = reported + datetime.timedelta(hours=8, minutes=rng.randrange(60))
        story.accepted = min(accepted, work)
        story.started = work
        labour = rng.randrange(60, 150)
        story.finished = work + datetime.timedelta(minutes=labour)
        story.labour_minutes = labour
        fans, lamps = rng.randrange(0, 3), rng.randrange(0, 3)
        story.work_notes = f"检修吊扇 2 台、灯具 4 套；更换电容 {fans} 个、灯管 {lamps} 支。"
        for part, quantity in ((d.CAPACITOR, fans), (d.LAMP, lamps)):
            if quantity:
                name, spec, unit, price, _most = part
                story.parts.append((name, spec, unit, Decimal(price), Decimal(quantity)))
        stories.append(story)
    return stories
