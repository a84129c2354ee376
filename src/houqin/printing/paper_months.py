"""Paper sums over a period: whole months from the monthly paper tables, the days at the
period's edges from the finished jobs, added up into one row per group in one query.

``summed(school_ids, start, end, group)`` gives the rows an aggregate over the jobs finished
in ``[start, end]`` (days in the site's time zone) would: ``group`` names any of
``school_id``, ``department_id``, ``purpose`` and ``month`` (``YYYY-MM``), but not both
``department_id`` and ``purpose``, or none for the period's totals; each row carries
``jobs``, ``sheets`` (used, else estimated, plus spoiled), ``spoiled`` and ``colour``
(the sheets of colour jobs).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from houqin.core.dbfunctions import LocalMonth
from houqin.core.monthsums import MonthText, bounds, split, union_sums

from .models import DepartmentPaper, PrintJob, PrintStatus, PurposePaper

FINISHED = (PrintStatus.DONE, PrintStatus.COLLECTED)
FIGURES = ("jobs", "sheets", "spoiled", "colour")
GROUPS = ("school_id", "department_id", "purpose", "month")
Row = dict[str, Any]


def sheets() -> Any:
    """Sheets a finished job took: those recorded as used (else the estimate) plus spoiled."""
    return Coalesce(F("sheets_used"), F("sheets_estimated"), 0) + F("spoiled_sheets")


def finished_between(school_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Any:
    """The jobs of the schools finished from the start of ``start`` to the end of ``end``."""
    low, high = bounds(start, end)
    return PrintJob.objects.filter(
        school_id__in=list(school_ids), status__in=FINISHED, done_at__gte=low, done_at__lt=high
    ).order_by()


def _from_months(
    school_ids: Sequence[int], months: tuple[datetime.date, datetime.date], group: Sequence[str]
) -> QuerySet[Any]:
    model: Any = PurposePaper if "purpose" in group else DepartmentPaper
    columns = {
        "school_id": F("school_id"),
        "department_id": F("department_key"),
        "purpose": F("purpose"),
        "month": MonthText(F("month")),
    }
    rows: QuerySet[Any] = (
        model.objects.filter(school_id__in=list(school_ids), month__range=months)
        .order_by()
        .annotate(**{f"g_{name}": columns[name] for name in group})
        .values(*[f"g_{name}" for name in group])
        .annotate(
            jobs=Sum("jobs"),
            sheets=Sum("sheets"),
            spoiled=Sum("spoiled"),
            colour=Sum("colour_sheets"),
        )
    )
    return rows


def _from_jobs(
    school_ids: Sequence[int], days: tuple[datetime.date, datetime.date], group: Sequence[str]
) -> QuerySet[Any]:
    columns = {name: LocalMonth("done_at") if name == "month" else F(name) for name in group}
    rows: QuerySet[Any] = (
        finished_between(school_ids, *days)
        .annotate(**{f"g_{name}": value for name, value in columns.items()})
        .values(*[f"g_{name}" for name in group])
        .annotate(
            jobs=Count("*"),
            sheets=Sum(sheets(), output_field=IntegerField()),
            spoiled=Sum("spoiled_sheets"),
            colour=Sum(sheets(), filter=Q(colour=True), output_field=IntegerField()),
        )
    )
    return rows


def summed(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date, group: Sequence[str]
) -> list[Row]:
    """One row per value of ``group`` with the period's paper (see the module's text)."""
    unknown = set(group) - set(GROUPS)
    if unknown or {"department_id", "purpose"} <= set(group):
        raise ValueError(f"cannot group paper by {sorted(group)}")
    if not school_ids:
        return []
    months, edges = split(start, end)
    inner = tuple(group) or ("school_id",)  # the parts group by something
    parts = [_from_jobs(school_ids, days, inner) for days in edges]
    if months is not None:
        parts.insert(0, _from_months(school_ids, months, inner))
    rows = []
    for values in union_sums(parts, group, FIGURES):
        *keys, jobs, used, spoiled, colour = values
        if not jobs:  # no job (a month's row can be back at zero)
            continue
        row: Row = dict(zip(group, keys, strict=True))
        row.update(jobs=int(jobs or 0), sheets=int(used or 0))
        row.update(spoiled=int(spoiled or 0), colour=int(colour or 0))
        rows.append(row)
    return rows


def by(rows: list[Row], key: str) -> dict[Any, Row]:
    """``rows`` of ``summed`` keyed by one of their group columns."""
    return {row[key]: row for row in rows}
