"""Demo stocktakes, made through the services: one closed stocktake of a building with a
near-100 % match rate, and one still counting in another building (about half its rooms done).
A school that already has a stocktake is left alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from houqin.accounts.models import Membership
from houqin.assets.choices import CountResult
from houqin.assets.models import Asset, Stocktake, StocktakeLine
from houqin.assets.services import stocktakes as services

R = CountResult


def _keeper(school: Any) -> Any:
    for code in ("assetkeeper", "director"):
        found = (
            Membership.objects.filter(school=school, role__code=code, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


def _buildings(school: Any) -> list[int]:
    """Buildings with at least ten active assets in rooms, smallest first (quick to load)."""
    rows = (
        Asset.objects.filter(school=school, room__isnull=False)
        .active()
        .values("room__building")
        .annotate(n=Count("pk"))
        .filter(n__gte=10)
        .order_by("n", "room__building")
    )
    return [row["room__building"] for row in rows]


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist."""
    if Stocktake.objects.filter(school=school).exists():
        return
    keeper = _keeper(school)
    buildings = _buildings(school)
    if keeper is None or len(buildings) < 2:
        return
    from houqin.org.models import Building

    closed_building, open_building = Building.objects.in_bulk(buildings[:2]).values()
    _closed(keeper, closed_building)
    _open(keeper, open_building)


def _closed(keeper: Any, building: Any) -> None:
    stocktake = services.stocktake_start(
        actor=keeper, name=f"{building.name}年度盘点", scope="building", building=building
    )
    lines = list(
        StocktakeLine.objects.filter(stocktake=stocktake)
        .order_by("expected_room", "pk")
        .values_list("pk", "expected_room_id")
    )
    rooms = sorted({room for _pk, room in lines})
    results: list[tuple[int, str, int | None]] = [(pk, R.FOUND, room) for pk, room in lines]
    if len(rooms) > 1:  # one chair carried next door: found in the wrong room
        pk, room = lines[-1]
        results[-1] = (pk, R.FOUND, rooms[0] if room != rooms[0] else rooms[1])
    services.stocktake_count_lines(actor=keeper, stocktake=stocktake, results=results)
    services.stocktake_finish_counting(actor=keeper, stocktake=stocktake)
    services.stocktake_apply(actor=keeper, stocktake=stocktake)


def _open(keeper: Any, building: Any) -> None:
    stocktake = services.stocktake_start(
        actor=keeper, name=f"{building.name}期末盘点", scope="building", building=building
    )
    lines = list(
        StocktakeLine.objects.filter(stocktake=stocktake)
        .order_by("expected_room", "pk")
        .values_list("pk", "expected_room_id")
    )
    rooms = sorted({room for _pk, room in lines})
    done = set(rooms[: max(1, len(rooms) // 2)])
    results: list[tuple[int, str, int | None]] = [
        (pk, R.FOUND, room) for pk, room in lines if room in done
    ]
    if len(results) > 3:
        results[0] = (results[0][0], R.DAMAGED, results[0][2])
        results[1] = (results[1][0], R.MISSING, None)
    services.stocktake_count_lines(actor=keeper, stocktake=stocktake, results=results)
