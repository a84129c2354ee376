"""Paper use figures (纸张消耗): SQL aggregates over finished print jobs.

A job counts in the month it was finished; its paper is the sheets used plus the spoiled
sheets. Every figure compares the chosen period with the same dates one year earlier, so
the report shows whether paper use went down. The figures read whole months from the
monthly paper tables and the days around them from the jobs (``paper_months.summed``); the
people ranked are read from the jobs. Each function runs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Max, Q, Sum
from django.db.models.functions import Coalesce

from houqin.org.models import Department, School

from .models import PrintJob, PrintSettings
from .paper_months import finished_between, sheets, summed
from .services.policy import settings_by_school

SHEETS = Sum(sheets(), output_field=IntegerField())
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


def _pair(scope: PaperScope, group: list[str]) -> tuple[list[Row], list[Row]]:
    """``summed`` rows of the period and of the same dates a year earlier."""
    now = summed(scope.school_ids, scope.start, scope.end, group)
    return now, summed(scope.school_ids, *scope.previous, group)


def _keyed(rows: list[Row], *names: str) -> dict[Any, Row]:
    return {tuple(row[name] for name in names): row for row in rows}


NONE: Row = {"jobs": 0, "sheets": 0, "spoiled": 0, "colour": 0}


def change(now: int, before: int) -> dict[str, Any]:
    """The year-on-year change: percent (None without a figure a year earlier) and arrow."""
    percent = round((now - before) * 100 / before, 1) if before else None
    arrow = "↑" if now > before else "↓" if now < before else "→"
    return {"change": percent, "arrow": arrow, "down": now < before, "up": now > before}


def _cost(sheets: int, config: PrintSettings | None) -> Decimal:
    rate = config.sheet_cost if config is not None else PrintSettings().sheet_cost
    return (Decimal(sheets) * rate).quantize(CENT)


def school_rows(scope: PaperScope) -> list[dict[str, Any]]:
    """Per school: sheets, jobs and sheets a year earlier, spoiled and colour sheets, with
    its name and students (the totals and the schools compared add these up)."""
    now, before = (_keyed(rows, "school_id") for rows in _pair(scope, ["school_id"]))
    schools = School.objects.filter(pk__in=[key for (key,) in {*now, *before}])
    rows = []
    for pk, name, students in schools.values_list("pk", "name", "students"):
        this, earlier = now.get((pk,), NONE), before.get((pk,), NONE)
        rows.append(
            {
                "school_id": pk,
                "school__name": name,
                "school__students": students,
                "sheets": this["sheets"],
                "jobs": this["jobs"],
                "previous": earlier["sheets"],
                "spoiled": this["spoiled"],
                "colour": this["colour"],
            }
        )
    rows.sort(key=lambda row: (-row["sheets"], row["school__name"]))
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
    group = ["school_id", "department_id"]
    now, before = (_keyed(rows, *group) for rows in _pair(scope, group))
    departments = Department.objects.filter(pk__in=[key for _school, key in {*now, *before}])
    names = {
        pk: (name, school)
        for pk, name, school in departments.values_list("pk", "name", "school__name")
    }
    several = len(scope.school_ids) > 1
    rows = []
    for school_id, department_id in {*now, *before}:
        name, school = names.get(department_id, ("", ""))
        this = now.get((school_id, department_id), NONE)
        row: dict[str, Any] = {
            "school_id": school_id,
            "department_id": department_id,
            "department__name": name,
            "school__name": school,
            "sheets": this["sheets"],
            "jobs": this["jobs"],
            "previous": before.get((school_id, department_id), NONE)["sheets"],
        }
        row["label"] = f"{school} · {name}" if several else name
        row["cost"] = _cost(row["sheets"], configs.get(school_id))
        row.update(change(row["sheets"], row["previous"]))
        rows.append(row)
    rows.sort(key=lambda row: (-row["sheets"], row["department__name"], row["department_id"]))
    return rows


def by_teacher(
    scope: PaperScope, configs: dict[int, PrintSettings], limit: int = 20
) -> list[dict[str, Any]]:
    """The ``limit`` people who used the most paper in the period (排行)."""
    rows: list[dict[str, Any]] = list(
        finished_between(scope.school_ids, scope.start, scope.end)
        .values("requester_id", "requester__real_name", "requester__username", "school_id")
        .annotate(
            sheets=Coalesce(SHEETS, 0),
            jobs=Count("*"),
            exam=Coalesce(Sum(sheets(), filter=Q(purpose="exam"), output_field=IntegerField()), 0),
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
    now, before = (_keyed(rows, "purpose") for rows in _pair(scope, ["purpose"]))
    labels = dict(PrintJob._meta.get_field("purpose").flatchoices)
    rows = [
        {
            "purpose": purpose,
            "sheets": now.get((purpose,), NONE)["sheets"],
            "jobs": now.get((purpose,), NONE)["jobs"],
            "previous": before.get((purpose,), NONE)["sheets"],
        }
        for (purpose,) in {*now, *before}
    ]
    rows.sort(key=lambda row: (-row["sheets"], row["purpose"]))
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
    found = summed(scope.school_ids, before[0], scope.year_end, ["month"])
    by_month = {row["month"]: row["sheets"] for row in found}
    return {
        "months": months,
        "current": [by_month.get(m.strftime("%Y-%m"), 0) for m in months],
        "previous": [by_month.get(m.strftime("%Y-%m"), 0) for m in before],
    }


def by_term(
    scope: PaperScope, terms: Sequence[tuple[str, datetime.date, datetime.date]]
) -> list[dict[str, Any]]:
    """Sheets in each term given (label, start, end), one query per term."""
    if not terms:
        return []
    found = [summed(scope.school_ids, start, end, []) for _label, start, end in terms]
    return [
        {
            "label": label,
            "start": start,
            "end": end,
            "sheets": rows[0]["sheets"] if rows else 0,
            "jobs": rows[0]["jobs"] if rows else 0,
        }
        for (label, start, end), rows in zip(terms, found, strict=True)
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
