"""Paper figures for reports: sheets used by finished print jobs (with the spoiled ones),
by the month the job was done, as SQL aggregates (``paper_months``)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from .paper_months import summed


def by_school_month(
    school_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> tuple[dict[str, dict[str, int]], dict[int, dict[str, int]]]:
    """Sheets and jobs finished per ``YYYY-MM`` and per school id, from one query grouped
    by both (whole months from the monthly paper tables, a few hundred rows for a district
    year)."""
    months: dict[str, dict[str, int]] = {}
    schools: dict[int, dict[str, int]] = {}
    for row in summed(school_ids, start, end, ["school_id", "month"]):
        for found, key in ((months, row["month"]), (schools, row["school_id"])):
            sums = found.setdefault(key, {"sheets": 0, "jobs": 0})
            sums["sheets"] += row["sheets"]
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
