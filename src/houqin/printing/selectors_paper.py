"""Paper use figures (纸张消耗): SQL aggregates over finished print jobs.

A job counts in the month it was finished; its paper is the sheets used plus the spoiled
sheets. Every figure compares the chosen period with the same dates one year earlier, so
the report shows whether paper use went down. Each function runs one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from houqin.core.dbfunctions import LocalMonth

from .models import PrintJob, PrintSettings, PrintStatus
from .services.policy import settings_by_school

FINISHED = (PrintStatus.DONE, PrintStatus.COLLECTED)
SHEETS = ExpressionWrapper(
    Coalesce(F("sheets_used"), 0) + F("spoiled_sheets"), output_field=IntegerField()
)
CENT = Decimal("0.01")
Row = dict[str, Any]


def year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class PaperScope:
    """Which schools, which period (inclusive dates), and the school year of the trend."""

    school_ids: tuple[int, ...]
    start: datetime.date
    end: datetime.date
    year_start: datetime.date
    year_end: datetime.date

    @property
    def previous(self) -> tuple[datetime.date, datetime.date]:
        return year_earlier(self.start), year_earlier(self.end)


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def between(start: datetime.date, end: datetime.date) -> Q:
    """Finished from the start of ``start`` to the end of ``end`` (site time)."""
    return Q(done_at__gte=_moment(start), done_at__lt=_moment(end + datetime.timedelta(days=1)))


def finished(scope: PaperScope) -> Any:
    """The finished jobs of the scope's schools (typed loosely: the figures annotate it)."""
    found: QuerySet[PrintJob] = PrintJob.objects.filter(
        school_id__in=scope.school_ids, status__in=FINISHED
    )
    return found


def _current(scope: PaperScope) -> Q:
    return between(scope.start, scope.end)


def _earlier(scope: PaperScope) -> Q:
    return between(*scope.previous)


def _sums(scope: PaperScope) -> dict[str, Any]:
    now, before = _current(scope), _earlier(scope)
    return {
        "sheets": Coalesce(Sum(SHEETS, filter=now), 0),
        "jobs": Count("school", filter=now),
        "previous": Coalesce(Sum(SHEETS, filter=before), 0),
    }


def change(now: int, before: int) -> dict[str, Any]:
    """The year-on-year change: percent (None without a figure a year earlier) and arrow."""
    percent = round((now - before) * 100 / before, 1) if before else None
    arrow = "↑" if now > before else "↓" if now < before else "→"
    return {"change": percent, "arrow": arrow, "down": now < before, "up": now > before}


def _cost(sheets: int, config: PrintSettings | None) -> Decimal:
    rate = config.sheet_cost if config is not None else PrintSettings().sheet_cost
    return (Decimal(sheets) * rate).quantize(CENT)


def _either(scope: PaperScope) -> Q:
    return _current(scope) | _earlier(scope)


def school_rows(scope: PaperScope) -> list[dict[str, Any]]:
    """Per school: sheets, jobs and sheets a year earlier, spoiled and colour sheets, with
    its name and students (the totals and the schools compared add these up)."""
    rows: list[dict[str, Any]] = list(
        finished(scope)
        .filter(_either(scope))
        .values("school_id", "school__name", "school__students")
        .annotate(
            **_sums(scope),
            spoiled=Coalesce(Sum("spoiled_sheets", filter=_current(scope)), 0),
            colour=Coalesce(Sum(SHEETS, filter=_current(scope) & Q(colour=True)), 0),
        )
        .order_by("-sheets", "school__name")
    )
    return rows


def totals(rows: list[dict[str, Any]], configs: dict[int, PrintSettings]) -> dict[str, Any]:
    """The scope's totals from its ``school_rows``."""
    result: dict[str, Any] = {
        key: sum(row[key] for row in rows)
        for key in ("sheets", "jobs", "previous", "spoiled", "colour")
    }
    result["cost"] = sum(
        (_cost(row["sheets"], configs.get(row["school_id"])) for row in rows), Decimal("0")
    )
    result["previous_cost"] = sum(
        (_cost(row["previous"], configs.get(row["school_id"])) for row in rows), Decimal("0")
    )
    result["saved_sheets"] = result["previous"] - result["sheets"]
    result["saved_cost"] = result["previous_cost"] - result["cost"]
    result.update(change(result["sheets"], result["previous"]))
    return result


def by_department(scope: PaperScope, configs: dict[int, PrintSettings]) -> list[dict[str, Any]]:
    """Sheets per department, the most first; several schools' departments are named with
    their school."""
    ranked = (
        finished(scope)
        .filter(_either(scope))
        .values("department_id", "department__name", "school_id", "school__name")
        .annotate(**_sums(scope))
        .order_by("-sheets", "department__name", "department_id")
    )
    rows: list[dict[str, Any]] = list(ranked)
    several = len(scope.school_ids) > 1
    for row in rows:
        row["label"] = (
            f"{row['school__name']} · {row['department__name']}"
            if several
            else row["department__name"]
        )
        row["cost"] = _cost(row["sheets"], configs.get(row["school_id"]))
        row.update(change(row["sheets"], row["previous"]))
    return rows


def by_teacher(
    scope: PaperScope, configs: dict[int, PrintSettings], limit: int = 20
) -> list[dict[str, Any]]:
    """The ``limit`` people who used the most paper in the period (排行)."""
    rows: list[dict[str, Any]] = list(
        finished(scope)
        .filter(_current(scope))
        .values("requester_id", "requester__real_name", "requester__username", "school_id")
        .annotate(
            sheets=Coalesce(Sum(SHEETS), 0),
            jobs=Count("*"),
            exam=Coalesce(Sum(SHEETS, filter=Q(purpose="exam")), 0),
            department=Max("department__name"),
        )
        .order_by("-sheets", "requester__real_name")[:limit]
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["label"] = row["requester__real_name"] or row["requester__username"]
        row["cost"] = _cost(row["sheets"], configs.get(row["school_id"]))
    return rows


def by_purpose(scope: PaperScope) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = list(
        finished(scope)
        .filter(_either(scope))
        .values("purpose")
        .annotate(**_sums(scope))
        .order_by("-sheets")
    )
    labels = dict(PrintJob._meta.get_field("purpose").flatchoices)
    total = sum(row["sheets"] for row in rows) or 1
    for row in rows:
        row["label"] = str(labels.get(row["purpose"], row["purpose"]))
        row["share"] = round(row["sheets"] * 100 / total, 1)
        row.update(change(row["sheets"], row["previous"]))
    return rows


def months_of(start: datetime.date, count: int = 12) -> list[datetime.date]:
    first = start.replace(day=1)
    result = []
    for offset in range(count):
        month = first.month - 1 + offset
        result.append(first.replace(year=first.year + month // 12, month=month % 12 + 1))
    return result


def monthly(scope: PaperScope) -> dict[str, Any]:
    """Sheets per month of the school year and of the year before, aligned month by month."""
    months = months_of(scope.year_start)
    before = [year_earlier(m) for m in months]
    end = scope.year_end
    sheets = dict(
        finished(scope)
        .filter(between(before[0], end))
        .annotate(month=LocalMonth("done_at"))
        .values("month")
        .annotate(sheets=Coalesce(Sum(SHEETS), 0))
        .values_list("month", "sheets")
        .order_by()
    )
    return {
        "months": months,
        "current": [sheets.get(m.strftime("%Y-%m"), 0) for m in months],
        "previous": [sheets.get(m.strftime("%Y-%m"), 0) for m in before],
    }


def by_term(
    scope: PaperScope, terms: Sequence[tuple[str, datetime.date, datetime.date]]
) -> list[dict[str, Any]]:
    """Sheets in each term given (label, start, end), in one query."""
    if not terms:
        return []
    sums = {
        f"t{index}": Coalesce(Sum(SHEETS, filter=between(start, end)), 0)
        for index, (_label, start, end) in enumerate(terms)
    }
    jobs = {
        f"j{index}": Count("school", filter=between(start, end))
        for index, (_label, start, end) in enumerate(terms)
    }
    first = min(start for _label, start, _end in terms)
    last = max(end for _label, _start, end in terms)
    figures = finished(scope).filter(between(first, last)).aggregate(**sums, **jobs)
    return [
        {
            "label": label,
            "start": start,
            "end": end,
            "sheets": figures[f"t{index}"],
            "jobs": figures[f"j{index}"],
        }
        for index, (label, start, end) in enumerate(terms)
    ]


def per_school(rows: list[dict[str, Any]], configs: dict[int, PrintSettings]) -> list[Row]:
    """Schools compared (the district's view) from ``school_rows``: sheets, per student,
    change."""
    found = []
    for school in rows:
        row = dict(school)
        row["label"] = row["school__name"]
        students = row["school__students"] or 0
        row["per_student"] = round(row["sheets"] / students, 1) if students else None
        row["cost"] = _cost(row["sheets"], configs.get(row["school_id"]))
        row.update(change(row["sheets"], row["previous"]))
        found.append(row)
    return found


def paper_figures(
    scope: PaperScope,
    terms: Sequence[tuple[str, datetime.date, datetime.date]] = (),
    departments: bool = True,
) -> dict[str, Any]:
    """Everything the paper report shows, in a constant number of queries; without
    ``departments``, no figures per department (a district's page compares its schools and
    opens one school for its departments)."""
    configs = settings_by_school(scope.school_ids)
    schools = school_rows(scope)
    figures: dict[str, Any] = {
        "totals": totals(schools, configs),
        "departments": by_department(scope, configs) if departments else [],
        "teachers": by_teacher(scope, configs),
        "purposes": by_purpose(scope),
        "monthly": monthly(scope),
        "terms": by_term(scope, terms),
    }
    if len(scope.school_ids) > 1:
        figures["schools"] = per_school(schools, configs)
    return figures
