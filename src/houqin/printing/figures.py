"""Paper figures for reports: sheets used by finished print jobs (with the spoiled ones),
by the month the job was done, as SQL aggregates."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, F, IntegerField, Sum
from django.db.models.functions import Coalesce

from houqin.core.dbfunctions import LocalMonth
from houqin.finance.figures import moments

from .models import PrintJob, PrintStatus

FINISHED = (PrintStatus.DONE, PrintStatus.COLLECTED)


def sheets_expression() -> Any:
    """Sheets a finished job took: those recorded as used (else the estimate) plus spoiled."""
    return Sum(
        Coalesce(F("sheets_used"), F("sheets_estimated"), output_field=IntegerField())
        + F("spoiled_sheets"),
        output_field=IntegerField(),
    )


def _jobs(school_ids: Sequence[int], start: datetime.date, end: datetime.date) -> Any:
    low, high = moments(start, end)
    return PrintJob.objects.filter(
        school_id__in=list(school_ids), status__in=FINISHED, done_at__gte=low, done_at__lt=high
    ).order_by()


def by_school_month(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> tuple[dict[str, dict[str, int]], dict[int, dict[str, int]]]:
    """Sheets and jobs finished per ``YYYY-MM`` and per school id, from one query grouped
    by both (a few hundred rows for a district year)."""
    rows = (
        _jobs(school_ids, start, end)
        .annotate(month=LocalMonth("done_at"))
        .values("school_id", "month")
        .annotate(sheets=sheets_expression(), jobs=Count("*"))
    )
    months: dict[str, dict[str, int]] = {}
    schools: dict[int, dict[str, int]] = {}
    for row in rows:
        for found, key in ((months, row["month"]), (schools, row["school_id"])):
            sums = found.setdefault(key, {"sheets": 0, "jobs": 0})
            sums["sheets"] += int(row["sheets"] or 0)
            sums["jobs"] += row["jobs"]
    return dict(sorted(months.items())), schools


def monthly(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[str, dict[str, int]]:
    """``YYYY-MM`` -> sheets and jobs finished that month."""
    return by_school_month(school_ids, start, end)[0]


def totals(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """school id -> sheets and jobs of the period."""
    return by_school_month(school_ids, start, end)[1]
