"""Stocktakes (盘点 PD-) of one school, as ``services/stocktakes.py`` writes them: one line per
active card of the scope when the count starts; counting, finishing (what nobody saw is
missing) and applying (cards moved, lost or sent to repair, each with a ledger row).

Each school closes one count per building at the end of the last school year (a summer
clean-up campaign), and has one count in progress, one being reconciled and one cancelled
in the current year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from houqin.assets.choices import AssetStatus, CountResult, MovementKind, StocktakeScope
from houqin.assets.choices import StocktakeStatus as T
from houqin.assets.models import Stocktake, StocktakeLine
from houqin.org.models import Building

from .assets_cards import INACTIVE
from .assets_state import DAY, Card, SchoolRun, url_of

A = AssetStatus
R = CountResult
CORRECTABLE = (A.IN_USE, A.IDLE)


def schedule(run: SchoolRun, computers: tuple[int, Collection[int]]) -> None:
    ctx = run.ctx
    rng = run.rng
    names = dict(Building.objects.filter(school_id=run.school.id).values_list("pk", "name"))
    if len(run.school.years) >= 2:
        _pk, start, end = run.school.years[-2]
        day = ctx.day(rng, datetime.date(end.year, 7, 1), datetime.date(end.year, 7, 6))
        run.schedule(day, lambda d: annual(run, d, start.year, names))
    today = run.today
    run.schedule(
        ctx.day(rng, today - DAY * 45, today - DAY * 30), lambda d: cancelled(run, d, computers)
    )
    run.schedule(ctx.day(rng, today - DAY * 28, today - DAY * 14), lambda d: reconciling(run, d))
    run.schedule(ctx.day(rng, today - DAY * 10, today - DAY * 2), lambda d: counting(run, d, names))


def active(card: Card) -> bool:
    return card.status not in INACTIVE


def start(
    run: SchoolRun,
    day: datetime.date,
    name: str,
    scope: str,
    status: str,
    *,
    building: int | None = None,
    department: int | None = None,
    category: int | None = None,
    campaign: bool = False,
) -> tuple[int, str, datetime.datetime]:
    """The stocktake row (the caller fills its status fields); returns (id, number, start)."""
    pk = run.new_id(Stocktake)
    number = run.ctx.number(run.school.id, "PD", day)
    created = run.moment(day)
    run.add(
        Stocktake,
        {
            "id": pk,
            "created_at": created,
            "updated_at": created,
            "school_id": run.school.id,
            "number": number,
            "name": name,
            "scope": scope,
            "building_id": building,
            "department_id": department,
            "category_id": category,
            "is_holiday_campaign": campaign,
            "status": status,
            "created_by_id": run.person("assetkeeper"),
            "closed_at": None,
            "closed_by_id": None,
            "notes": "",
        },
    )
    return pk, number, created


def line(stocktake: int, card: Card, **values: Any) -> dict[str, Any]:
    row = {
        "stocktake_id": stocktake,
        "asset_id": card.id,
        "expected_room_id": card.room,
        "result": R.PENDING,
        "found_room_id": None,
        "counted_by_id": None,
        "counted_at": None,
        "note": "",
        "surplus_name": "",
        "repair_needed": False,
        "repaired_at": None,
        "applied": False,
    }
    row.update(values)
    return row


def count(
    run: SchoolRun, card: Card, day: datetime.date, shares: tuple[float, float, float]
) -> tuple[str, int | None]:
    """What a counter finds: (result, room found in); ``shares`` of wrong room, damaged, missing."""
    if card.held or card.status not in CORRECTABLE or card.last >= day:
        return R.FOUND, card.room
    roll = run.rng.random()
    wrong, damaged, missing = shares
    if roll < wrong:
        return R.WRONG_ROOM, run.other_room(card.room, same_building=True)
    if roll < wrong + damaged:
        return R.DAMAGED, card.room
    if roll < wrong + damaged + missing:
        return R.MISSING, None
    return R.FOUND, card.room


def annual(run: SchoolRun, day: datetime.date, year: int, names: dict[int, str]) -> None:
    """The end-of-year count of every building, counted, reconciled and applied."""
    by_building: dict[int, list[Card]] = defaultdict(list)
    for card in run.cards:
        if card.building is not None and active(card) and card.registered.date() < day:
            by_building[card.building].append(card)
    for index, building in enumerate(sorted(by_building)):
        opened = day + DAY * (index % 4)
        pk, number, created = start(
            run,
            opened,
            f"{year}学年末{names.get(building, '')}资产盘点",
            StocktakeScope.BUILDING,
            T.CLOSED,
            building=building,
            campaign=True,
        )
        finished = run.later(created, 24, 72)
        closed = run.later(finished, 2, 30)
        keeper = run.person("assetkeeper")
        url = url_of("assets:stocktake_detail", pk)
        for card in by_building[building]:
            result, room = count(run, card, opened, (0.015, 0.01, 0.003))
            counted = None if result == R.MISSING else run.later(created, 1, 48)
            values: dict[str, Any] = {
                "result": result,
                "found_room_id": room,
                "counted_by_id": run.person("worker") if counted else None,
                "counted_at": counted,
                "applied": result in (R.WRONG_ROOM, R.DAMAGED, R.MISSING),
            }
            if result != R.FOUND:
                apply(run, card, result, room, closed, keeper, number, url, values)
            run.add(StocktakeLine, line(pk, card, **values))
        run.status_change(
            Stocktake,
            pk,
            [
                (T.COUNTING, T.RECONCILING, keeper, finished),
                (T.RECONCILING, T.CLOSED, keeper, closed),
            ],
        )
        run.rows[Stocktake][-1].update(updated_at=closed, closed_at=closed, closed_by_id=keeper)


def apply(
    run: SchoolRun,
    card: Card,
    result: str,
    room: int | None,
    at: datetime.datetime,
    keeper: int,
    number: str,
    url: str,
    values: dict[str, Any],
) -> None:
    """The correction of one card when the count is applied (``stocktake_apply``)."""
    status = {R.MISSING: A.LOST, R.DAMAGED: A.UNDER_REPAIR}.get(result, card.status)
    run.move(
        card,
        MovementKind.COUNTED,
        at,
        keeper,
        status=status,
        room=room if result == R.WRONG_ROOM else None,
        reference=number,
        url=url,
        note=f"盘点 {number}",
    )
    if status == A.LOST:
        card.ended = at.date()
    if result == R.DAMAGED:
        values["repair_needed"] = True
        if run.rng.random() < 0.8:
            repaired = run.later(at, 24, 24 * 40)
            values["repaired_at"] = repaired
            run.move(
                card,
                MovementKind.STATUS,
                repaired,
                keeper,
                status=A.IN_USE,
                reference=number,
                note=f"盘点 {number} 后维修完成",
            )


def counting(run: SchoolRun, day: datetime.date, names: dict[int, str]) -> None:
    """A count in progress: about six lines in ten counted so far."""
    buildings = [b for b in run.rooms_of_building if any(c.building == b for c in run.cards)]
    if not buildings:
        return
    building = run.rng.choice(buildings)
    cards = [
        c for c in run.cards if c.building == building and active(c) and c.registered.date() < day
    ]
    if not cards:
        return
    pk, _number, created = start(
        run,
        day,
        f"{day.year}年{names.get(building, '')}抽查盘点",
        StocktakeScope.BUILDING,
        T.COUNTING,
        building=building,
    )
    for card in cards:
        if run.rng.random() < 0.6:
            result, room = count(run, card, day, (0.02, 0.01, 0.005))
            at = run.later(created, 0.5, 48)
            run.add(
                StocktakeLine,
                line(
                    pk,
                    card,
                    result=result,
                    found_room_id=room,
                    counted_by_id=run.person("worker"),
                    counted_at=at,
                ),
            )
        else:
            run.add(StocktakeLine, line(pk, card))


def reconciling(run: SchoolRun, day: datetime.date) -> None:
    """A department's count, finished and waiting to be applied."""
    department = run.rng.choice(run.school.departments[:8])
    cards = [
        c
        for c in run.cards
        if c.department == department and active(c) and c.registered.date() < day
    ]
    if not cards:
        return
    pk, _number, created = start(
        run,
        day,
        f"{day.year}年部门资产盘点",
        StocktakeScope.DEPARTMENT,
        T.RECONCILING,
        department=department,
    )
    finished = run.later(created, 24, 96)
    for card in cards:
        result, room = count(run, card, day, (0.02, 0.01, 0.01))
        if result == R.MISSING:  # what nobody saw became missing at the finish
            run.add(StocktakeLine, line(pk, card, result=R.MISSING))
            continue
        at = run.later(created, 0.5, 48)
        run.add(
            StocktakeLine,
            line(
                pk,
                card,
                result=result,
                found_room_id=room,
                counted_by_id=run.person("worker"),
                counted_at=at,
            ),
        )
    keeper = run.person("assetkeeper")
    run.status_change(Stocktake, pk, [(T.COUNTING, T.RECONCILING, keeper, finished)])
    run.rows[Stocktake][-1]["updated_at"] = finished


def cancelled(run: SchoolRun, day: datetime.date, computers: tuple[int, Collection[int]]) -> None:
    """A count of the computers (the category and those under it), abandoned uncounted."""
    category, under = computers
    cards = [
        c for c in run.cards if c.category in under and active(c) and c.registered.date() < day
    ]
    if not cards:
        return
    pk, _number, created = start(
        run,
        day,
        f"{day.year}年计算机设备专项盘点",
        StocktakeScope.CATEGORY,
        T.CANCELLED,
        category=category,
    )
    for card in cards:
        run.add(StocktakeLine, line(pk, card))
    at = run.later(created, 2, 24)
    run.status_change(
        Stocktake,
        pk,
        [(T.COUNTING, T.CANCELLED, run.person("assetkeeper"), at)],
        reason="与期末工作冲突，改期进行",
    )
    run.rows[Stocktake][-1]["updated_at"] = at
