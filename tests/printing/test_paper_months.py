"""The monthly paper tables always equal the finished jobs' own sums: after jobs are finished
through the service, written in bulk, corrected, taken back to the queue, moved across a
month boundary in local time, deleted and refilled; and ``summed`` over any period equals a
plain aggregate over the jobs."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.functions import Coalesce

from houqin.core.dbfunctions import LocalMonth
from houqin.printing import paper_sql
from houqin.printing.models import DepartmentPaper, PrintJob, PurposePaper
from houqin.printing.paper_months import sheets, summed
from houqin.printing.services.jobs import (
    print_job_collect,
    print_job_done,
    print_job_start,
    print_job_submit,
)
from tests import factories as f

from .conftest import make_job

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
FINISHED = Q(status__in=("done", "collected"), done_at__isnull=False)
SUMS = {
    "jobs": Count("*"),
    "sheets": Sum(sheets(), output_field=IntegerField()),
    "spoiled": Sum("spoiled_sheets"),
    "colour": Coalesce(Sum(sheets(), filter=Q(colour=True), output_field=IntegerField()), 0),
}


def job_sums(key: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    rows = (
        PrintJob.objects.filter(FINISHED)
        .annotate(month=LocalMonth("done_at"))
        .values("school_id", "month", key)
        .annotate(**SUMS)
        .order_by()
    )
    return {
        (r["school_id"], r["month"], r[key]): (r["jobs"], r["sheets"], r["spoiled"], r["colour"])
        for r in rows
    }


def table_sums(model: Any, key: str) -> dict[tuple[Any, ...], tuple[int, ...]]:
    found = {}
    for row in model.objects.values():
        if row["jobs"]:
            month = f"{row['month']:%Y-%m}"
            found[(row["school_id"], month, row[key])] = (
                row["jobs"],
                row["sheets"],
                row["spoiled"],
                row["colour_sheets"],
            )
    return found


def assert_tables_match() -> None:
    assert table_sums(DepartmentPaper, "department_key") == job_sums("department_id")
    assert table_sums(PurposePaper, "purpose") == job_sums("purpose")


def finish(job: PrintJob, at: datetime.datetime, **values: Any) -> None:
    """Write a finished job directly (as an import or a bulk load would)."""
    PrintJob.objects.filter(pk=job.pk).update(status="done", done_at=at, **values)


@pytest.fixture
def jobs(school: Any, department: Any, requester: Any) -> list[PrintJob]:
    other = f.DepartmentFactory(school=school, name="政教处")
    found = []
    for n in range(6):
        job = make_job(
            requester,
            department if n % 2 else other,
            purpose="exam" if n % 3 else "lesson",
            colour=n == 4,
        )
        found.append(job)
    # Around the local month boundary: 31 October 23:30 in Shanghai is still October.
    finish(found[0], datetime.datetime(2025, 10, 31, 23, 30, tzinfo=SH), sheets_used=40)
    finish(found[1], datetime.datetime(2025, 11, 1, 0, 10, tzinfo=SH), sheets_used=30)
    finish(found[2], datetime.datetime(2025, 11, 20, 9, tzinfo=SH), spoiled_sheets=3)
    finish(found[3], datetime.datetime(2026, 1, 5, 9, tzinfo=SH), sheets_used=8)
    finish(found[4], datetime.datetime(2026, 1, 6, 9, tzinfo=SH), sheets_used=12)
    return found


def test_bulk_writes_corrections_and_deletions_keep_the_tables(
    jobs: list[PrintJob], operator: Any
) -> None:
    assert_tables_match()
    assert DepartmentPaper.objects.count() > 0
    # corrected sheets, another department, colour, another purpose
    PrintJob.objects.filter(pk=jobs[1].pk).update(sheets_used=31, spoiled_sheets=2, colour=True)
    PrintJob.objects.filter(pk=jobs[3].pk).update(department=jobs[0].department)
    PrintJob.objects.filter(pk=jobs[4].pk).update(purpose="notice")
    assert_tables_match()
    # back to the queue (no longer counts), then finished in another month
    PrintJob.objects.filter(pk=jobs[0].pk).update(status="queued")
    assert_tables_match()
    finish(jobs[0], datetime.datetime(2026, 2, 1, 8, tzinfo=SH))
    assert_tables_match()
    PrintJob.objects.filter(pk=jobs[2].pk).delete()
    assert_tables_match()
    paper_sql.refill()
    assert_tables_match()


def test_the_service_finishing_and_collecting_a_job_adds_it_once(
    school: Any, department: Any, requester: Any, operator: Any, paper: Any
) -> None:
    job = make_job(requester, department, copies=1)
    job = print_job_submit(actor=requester, job=job)
    job = print_job_start(actor=operator, job=PrintJob.objects.get(pk=job.pk))
    assert not DepartmentPaper.objects.filter(jobs__gt=0).exists()
    print_job_done(actor=operator, job=job, sheets_used=21, spoiled_sheets=1)
    print_job_collect(actor=requester, job=PrintJob.objects.get(pk=job.pk))
    assert_tables_match()
    row = DepartmentPaper.objects.get(department_key=department.pk)
    assert (row.jobs, row.sheets, row.spoiled) == (1, 22, 1)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2025, 10, 1), datetime.date(2026, 2, 28)),  # whole months only
        (datetime.date(2025, 10, 31), datetime.date(2026, 1, 5)),  # edges on both sides
        (datetime.date(2025, 11, 1), datetime.date(2025, 11, 1)),  # one day
        (datetime.date(2025, 11, 2), datetime.date(2025, 11, 30)),  # inside one month
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),  # nothing
    ],
)
@pytest.mark.parametrize("group", [[], ["school_id"], ["month"], ["department_id"], ["purpose"]])
def test_summed_equals_a_plain_aggregate(
    jobs: list[PrintJob], school: Any, start: datetime.date, end: datetime.date, group: list[str]
) -> None:
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=SH)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, SH)
    found_jobs = PrintJob.objects.filter(FINISHED, done_at__gte=low, done_at__lt=high)
    if group:
        rows = found_jobs.annotate(month=LocalMonth("done_at")).values(*group)
        plain = list(rows.annotate(**SUMS).order_by())
    else:
        plain = [found_jobs.aggregate(**SUMS)]
    expected = sorted(
        (tuple(r[k] for k in group), r["jobs"], r["sheets"], r["spoiled"], r["colour"])
        for r in plain
        if r["jobs"]
    )
    found = sorted(
        (tuple(r[k] for k in group), r["jobs"], r["sheets"], r["spoiled"], r["colour"])
        for r in summed([school.pk], start, end, group)
    )
    assert found == expected


def test_summed_refuses_department_and_purpose_together(school: Any) -> None:
    today = datetime.date(2026, 1, 1)
    with pytest.raises(ValueError, match="cannot group"):
        summed([school.pk], today, today, ["department_id", "purpose"])
