"""Reads shared by org pages, other modules and dashboards."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.urls import reverse
from django.utils import timezone

from houqin.core.tables import Table

from .models import Building, Room, School, Term

RELATED_LIMIT = 20


def building_list(school_ids: Sequence[int] | None = None) -> QuerySet[Building]:
    queryset: QuerySet[Building] = Building.objects.select_related("campus").annotate(
        room_count=Count("rooms")
    )
    if school_ids is not None:
        queryset = queryset.filter(school_id__in=school_ids)
    return queryset


def current_term(school: School | int, day: datetime.date | None = None) -> Term | None:
    """The term that contains ``day`` (today by default), or ``None`` in the holidays."""
    day = day or timezone.localdate()
    school_id = school if isinstance(school, int) else school.pk
    return (
        Term.objects.filter(school_id=school_id, start__lte=day, end__gte=day)
        .select_related("school_year")
        .first()
    )


def related_block(
    title: Any, table_class: type[Table], queryset: QuerySet[Any], list_url: str, params: str
) -> dict[str, Any]:
    """A related list on a detail page: the first rows, the total and a link to all."""
    total = queryset.count()
    rows = list(queryset[:RELATED_LIMIT])
    url = reverse(list_url)
    return {
        "title": title,
        "table": table_class(rows),
        "total": total,
        "more_url": f"{url}?{params}" if params else url,
        "truncated": total > len(rows),
    }


def school_figures(school_ids: Sequence[int]) -> dict[str, Any]:
    """Headline figures of the organisation, computed in SQL."""
    schools = School.objects.filter(pk__in=school_ids).aggregate(
        count=Count("pk"),
        students=Sum("students"),
        staff=Sum("staff"),
        green_area=Sum("green_area"),
        land_area=Sum("land_area"),
    )
    buildings = Building.objects.filter(school_id__in=school_ids).aggregate(
        count=Count("pk"), floor_area=Sum("floor_area")
    )
    rooms = Room.objects.filter(school_id__in=school_ids, is_active=True).count()
    return {
        "schools": schools["count"] or 0,
        "students": schools["students"] or 0,
        "staff": schools["staff"] or 0,
        "green_area": schools["green_area"] or 0,
        "land_area": schools["land_area"] or 0,
        "buildings": buildings["count"] or 0,
        "floor_area": buildings["floor_area"] or 0,
        "rooms": rooms,
    }


def rooms_by_use(school_ids: Sequence[int]) -> list[dict[str, Any]]:
    return list(
        Room.objects.filter(school_id__in=school_ids, is_active=True)
        .values("use")
        .annotate(count=Count("pk"), capacity=Sum("capacity"))
        .order_by("-count")
    )


def buildings_needing_attention(school_ids: Sequence[int], limit: int = 20) -> list[Building]:
    """Buildings graded C/D, never appraised, or past their design life."""
    year = timezone.localdate().year
    return list(
        Building.objects.filter(school_id__in=school_ids)
        .filter(
            Q(appraisal_grade__in=["C", "D"])
            | Q(appraisal_grade="")
            | Q(year_built__lte=Value(year) - F("design_life"))
        )
        .select_related("school")
        .order_by("-appraisal_grade", "year_built")[:limit]
    )


def per_school_figures(school_ids: Sequence[int]) -> list[dict[str, Any]]:
    """One row per school for the district comparison, in two aggregate queries."""
    schools = list(
        School.objects.filter(pk__in=school_ids)
        .values("pk", "name", "kind", "students", "staff", "green_area")
        .order_by("name")
    )
    buildings = {
        row["school_id"]: row
        for row in Building.objects.filter(school_id__in=school_ids)
        .values("school_id")
        .annotate(count=Count("pk"), floor_area=Sum("floor_area"))
    }
    rooms = dict(
        Room.objects.filter(school_id__in=school_ids, is_active=True)
        .values("school_id")
        .annotate(count=Count("pk"))
        .values_list("school_id", "count")
    )
    for row in schools:
        b = buildings.get(row["pk"], {})
        row["buildings"] = b.get("count", 0)
        row["floor_area"] = b.get("floor_area") or 0
        row["rooms"] = rooms.get(row["pk"], 0)
        row["url"] = reverse("org:school_detail", args=[row["pk"]])
    return schools
