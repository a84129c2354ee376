"""Print and copy jobs (文印) over the history: settings per school, jobs with exam-week peaks,
their workflow, approvals where the school's policy asks for them, and the paper they took.

The jobs of a school come from ``plan`` — deterministic, so the store part (which runs first
and owns the paper ledger) and this part see the same jobs: the store writes a ``print``
movement for each finished job of a size it stocks, with the sheets that job reports, and
this part writes the jobs with those keys and numbers. The paper report (sheets of finished
jobs) and the store's paper ledger therefore agree job by job.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _

from houqin.core.models import StatusChange
from houqin.demo import supplies_data as d
from houqin.printing.models import ApprovalRule, PrintJob, PrintSettings
from houqin.printing.services.paper import units_for
from houqin.printing.services.policy import approval_decision, estimated_cost, sheets_for

from . import approvals, files
from .base import TZ, Ctx, SchoolWorld
from .org import DEPARTMENTS

DAY = datetime.timedelta(days=1)
# (rule, sheets from which approval is needed, cost per sheet): schools differ.
POLICIES = (
    (ApprovalRule.ABOVE_SHEETS, 1000, "0.050"),
    (ApprovalRule.NON_EXAM_OR_ABOVE, 800, "0.045"),
    (ApprovalRule.ABOVE_SHEETS, 500, "0.055"),
    (ApprovalRule.NEVER, 500, "0.050"),
    (ApprovalRule.NON_EXAM, 500, "0.048"),
    (ApprovalRule.ALWAYS, 500, "0.060"),
)
# Exam weeks of a school year: (month, day, school days); the autumn ones fall in the
# first calendar year of the school year.
EXAMS = (
    (10, 9, 3),
    (11, 10, 5),
    (12, 11, 3),
    (1, 12, 7),
    (3, 26, 3),
    (4, 20, 5),
    (5, 21, 3),
    (6, 29, 7),
)
PURPOSES = ("exam", "lesson", "notice", "other")
# Status shares by age: open work in the last days, mostly closed history.
FRESH = {
    "draft": 6, "pending": 14, "returned": 4, "withdrawn": 2, "queued": 20, "printing": 8,
    "done": 14, "collected": 6, "cancelled": 2, "rejected": 2,
}  # fmt: skip
RECENT = {
    "draft": 1, "pending": 3, "returned": 2, "withdrawn": 2, "queued": 3, "done": 15,
    "collected": 64, "cancelled": 4, "rejected": 3,
}  # fmt: skip
HISTORY = {"collected": 88, "done": 3, "cancelled": 4, "rejected": 3, "withdrawn": 2}
STATES = [(list(s), list(itertools.accumulate(s.values()))) for s in (FRESH, RECENT, HISTORY)]
# What a state becomes for a job that needs no approval.
WITHOUT_APPROVAL = {
    "pending": "queued",
    "returned": "queued",
    "rejected": "cancelled",
    "withdrawn": "cancelled",
}
APPROVAL_OF = {
    "pending": "pending",
    "returned": "returned",
    "rejected": "rejected",
    "withdrawn": "withdrawn",
}
REASONS = {
    "rejected": "与上周材料重复，请合并后再印",
    "returned": "请改为双面印刷，减少用纸",
    "withdrawn": "材料需要修改",
    "cancelled": "不需要了",
}


@dataclass(slots=True)
class Job:
    id: int
    number: str
    created: datetime.datetime
    status: str
    purpose: str
    department: int
    requester: int
    title: str
    pages: int
    copies: int
    duplex: bool
    size: str
    colour: bool
    sheets: int
    needs: bool
    reason: str
    amount: Decimal
    spoiled: int = 0
    submitted: datetime.datetime | None = None
    decided: datetime.datetime | None = None
    started: datetime.datetime | None = None
    done: datetime.datetime | None = None
    ended: datetime.datetime | None = None  # collected or cancelled
    operator: int | None = None

    @property
    def approval(self) -> str:
        """The status of the job's approval request ('' without one)."""
        if not self.needs or self.submitted is None:
            return ""
        return APPROVAL_OF.get(self.status, "approved")

    @property
    def paper_sheets(self) -> int:
        return self.sheets + self.spoiled if self.done is not None else 0


def settings_of(school: SchoolWorld) -> PrintSettings:
    """The school's printing policy (kindergartens print little and ask above 300 sheets)."""
    if school.kind == "kindergarten":
        rule, sheets, cost = ApprovalRule.ABOVE_SHEETS, 300, "0.050"
    else:
        rule, sheets, cost = POLICIES[school.index % len(POLICIES)]
    return PrintSettings(
        school_id=school.id,
        approval_rule=rule,
        approval_sheets=sheets,
        colour_needs_approval=True,
        sheet_cost=Decimal(cost),
    )


def _calendar(
    ctx: Ctx, school: SchoolWorld
) -> tuple[list[datetime.date], list[float], set[datetime.date]]:
    """School days of the history with cumulative weights: term time, exam weeks doubled,
    a little in the holidays."""
    exams: set[datetime.date] = set()
    for _pk, start, _end in school.years:
        for month, day, length in EXAMS:
            first = datetime.date(start.year + (month < 9), month, day)
            exams.update(first + DAY * n for n in range(length + 2))
    days: list[datetime.date] = []
    cumulative: list[float] = []
    total = 0.0
    day = ctx.start
    while day <= ctx.today:
        if day.weekday() < 5:
            in_term = any(start <= day <= end for _t, _y, _k, start, end in school.terms)
            total += (2.4 if day in exams else 1.0) if in_term else 0.04
            days.append(day)
            cumulative.append(total)
        day += DAY
    return days, cumulative, exams


def plan(ctx: Ctx, school: SchoolWorld, first_id: int, count: int) -> list[Job]:
    """The school's ``count`` jobs in the order they were created, keys from ``first_id``."""
    rng = ctx.rng(f"printing:plan:{school.index}")
    config = settings_of(school)
    days, weights, exams = _calendar(ctx, school)
    recent = min(count // 3, max(10, count // 100))
    chosen = rng.choices(days, cum_weights=weights, k=count - recent) if days else []
    last = [ctx.today - DAY * n for n in range(12) if (ctx.today - DAY * n).weekday() < 5]
    chosen += [rng.choice(last) for _n in range(count - len(chosen))]
    moments = sorted(ctx.moment(day, rng, (7, 17)) for day in chosen)
    teachers = [pair for pair in school.staff if school.departments.index(pair[1]) >= 8]
    first = school.people.get("teacher", [0])[0]
    teachers.sort(key=lambda pair: pair[0] != first)
    office = [pair for pair in school.staff if school.departments.index(pair[1]) < 8]
    operator = school.person("storekeeper", rng)
    numbers: dict[int, int] = {}
    jobs = []
    policy = _Policy(config)
    fresh = itertools.count()
    with translation.override("zh-hans"):
        for n, created in enumerate(moments):
            day = created.date()
            year = day.year
            numbers[year] = numbers.get(year, 0) + 1
            job = _job(
                ctx,
                rng,
                school,
                policy,
                created,
                day in exams,
                fresh,
                teachers or office,
                office or teachers,
            )
            job.id, job.number = first_id + n, f"WY-{year}-{numbers[year]:06d}"
            _times(ctx, rng, job, operator)
            jobs.append(job)
    return jobs


def _job(
    ctx: Ctx,
    rng: random.Random,
    school: SchoolWorld,
    policy: _Policy,
    created: datetime.datetime,
    exam_time: bool,
    fresh: Iterator[int],
    teachers: list[tuple[int, int]],
    office: list[tuple[int, int]],
) -> Job:
    kg = school.kind == "kindergarten"
    if kg:
        purpose = rng.choices(("lesson", "notice", "other"), weights=(5, 3, 2))[0]
    else:
        weights = (6, 3, 1, 0.6) if exam_time else (2.5, 5, 1.3, 0.8)
        purpose = rng.choices(PURPOSES, weights=weights)[0]
    pool = teachers if purpose in ("exam", "lesson") else office
    # The school's first teacher (the persona of "my jobs") asks for a share of them.
    requester, department = pool[0] if rng.random() < 0.08 else rng.choice(pool)
    index = school.departments.index(department)
    grade = DEPARTMENTS[index][0][:-1] if index >= 8 else rng.choice(DEPARTMENTS[8:])[0][:-1]
    title = rng.choice(d.PRINT_TITLES[purpose]).format(grade=grade, subject=rng.choice(d.SUBJECTS))
    size, duplex, colour = "A4", True, False
    if kg:
        pages, copies = rng.randint(1, 4), rng.choice((30, 35, 120))
        duplex, colour = rng.random() < 0.5, rng.random() < 0.05
    elif purpose == "exam":
        size = rng.choices(("A3", "A4", "B5"), weights=(6, 3.5, 0.5))[0]
        pages = rng.randint(2, 4) if size == "A3" else rng.randint(4, 8)
        copies = rng.choice((240, 300, 310, 45, 48, 100))
    elif purpose == "lesson":
        size = rng.choices(("A4", "B5"), weights=(8, 2))[0]
        pages, copies = rng.randint(1, 6), rng.choice((45, 48, 100, 150, 300))
        duplex = rng.random() < 0.7
    elif purpose == "notice":
        pages, copies = rng.randint(1, 2), rng.choice((300, 900, 45))
        duplex = rng.random() < 0.6
    else:
        pages, copies = rng.randint(2, 20), rng.choice((10, 20, 30, 60))
        duplex, colour = rng.random() < 0.7, rng.random() < 0.08
    needed, reason, sheets, amount = policy.decide(purpose, pages, copies, duplex, colour)
    age = ctx.now - created
    keys, cumulative = STATES[0 if age < 2 * DAY else 1 if age < 14 * DAY else 2]
    status = rng.choices(keys, cum_weights=cumulative)[0]
    if age < 2 * DAY:  # the first of the last days' jobs in every state, then by share
        status = keys[n] if (n := next(fresh)) < len(keys) else status
    if not needed:
        status = WITHOUT_APPROVAL.get(status, status)
    return Job(
        id=0,
        number="",
        created=created,
        status=status,
        purpose=purpose,
        department=department,
        requester=requester,
        title=title,
        pages=pages,
        copies=copies,
        duplex=duplex,
        size=size,
        colour=colour,
        sheets=sheets,
        needs=needed,
        reason=reason,
        amount=amount,
        spoiled=rng.choice((0, 0, 0, 2, 5, 10)) if sheets > 100 else 0,
    )


class _Policy:
    """The school's policy applied by ``approval_decision``, remembered per kind of job."""

    def __init__(self, config: PrintSettings) -> None:
        self.config = config
        self.known: dict[tuple[Any, ...], tuple[bool, str, int, Decimal]] = {}

    def decide(
        self, purpose: str, pages: int, copies: int, duplex: bool, colour: bool
    ) -> tuple[bool, str, int, Decimal]:
        """(needs approval, why, sheets, estimated cost)."""
        key = (purpose, pages, copies, duplex, colour)
        found = self.known.get(key)
        if found is None:
            facts = SimpleNamespace(
                pages=pages, copies=copies, duplex=duplex, colour=colour, purpose=purpose
            )
            decision = approval_decision(facts, self.config)  # type: ignore[arg-type]
            sheets = sheets_for(pages=pages, copies=copies, duplex=duplex)
            found = (decision.needed, decision.reason, sheets, estimated_cost(sheets, self.config))
            self.known[key] = found
        return found


def _times(ctx: Ctx, rng: random.Random, job: Job, operator: int) -> None:
    """Submission, decision, printing, collection or cancellation, in order and before now."""

    def later(moment: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return min(moment + datetime.timedelta(hours=rng.uniform(low, high)), ctx.now)

    if job.status == "draft":
        return
    job.submitted = later(job.created, 0.02, 0.3)
    if job.needs and job.status != "pending":
        job.decided = later(job.submitted, 0.3, 26)
    queued = job.decided or job.submitted
    if job.status == "cancelled":
        job.ended = later(queued, 0.5, 30)
    if job.status == "printing" or (job.status in ("done", "collected") and rng.random() < 0.3):
        job.started, job.operator = later(queued, 0.2, 12), operator
    if job.status in ("done", "collected"):
        job.done, job.operator = later(job.started or queued, 0.3, 20), operator
        if job.status == "collected":
            job.ended = later(job.done, 0.3, 30)


def paper_out(job: Job, per_unit: int) -> tuple[Decimal, str]:
    """The units of paper a finished job takes and the reason, as the paper service words
    them (``paper_deduct``)."""
    units = units_for(job.paper_sheets, SimpleNamespace(sheets_per_unit=per_unit))  # type: ignore[arg-type]
    with translation.override("zh-hans"):
        reason = _("Print job %(number)s: %(sheets)s sheets") % {
            "number": job.number,
            "sheets": job.paper_sheets,
        }
    return units, reason


# -- writing -----------------------------------------------------------------------------------


def generate(ctx: Ctx) -> None:
    content_type = ContentType.objects.get_for_model(PrintJob).pk
    opened = datetime.datetime.combine(ctx.start, datetime.time(9), TZ)
    ctx.insert(
        PrintSettings,
        ({**_settings_row(settings_of(school)), "created_at": opened} for school in ctx.schools),
    )
    reserved: dict[int, int] = ctx.shared.get("print_jobs", {})
    paper: dict[int, dict[str, tuple[int, int]]] = ctx.shared.get("paper", {})
    photos: list[tuple[int, int, int, datetime.datetime]] = []
    for school, count in zip(ctx.schools, ctx.spread(ctx.preset.print_jobs), strict=True):
        if not count:
            continue
        first = reserved.get(school.id) or ctx.ids(PrintJob, count).start
        jobs = plan(ctx, school, first, count)
        items = paper.get(school.id, {})
        ctx.insert(PrintJob, (_row(ctx, school, job, items) for job in jobs))
        ctx.insert(StatusChange, _changes(school, jobs, content_type))
        approvals.add(ctx, "print_job", PrintJob, _subjects(school, jobs))
        photos += [
            (job.id, school.id, job.requester, job.created) for job in jobs if job.id % 20 == 0
        ]
    # One call: the attachment keys come from one generator per model.
    files.add(ctx, PrintJob, photos)


def _settings_row(config: PrintSettings) -> dict[str, Any]:
    return {
        "school_id": config.school_id,
        "approval_rule": config.approval_rule,
        "approval_sheets": config.approval_sheets,
        "colour_needs_approval": config.colour_needs_approval,
        "sheet_cost": config.sheet_cost,
    }


def _row(
    ctx: Ctx, school: SchoolWorld, job: Job, paper: dict[str, tuple[int, int]]
) -> dict[str, Any]:
    number = ctx.number(school.id, "WY", job.created.date())
    if number != job.number:
        raise RuntimeError(f"print job numbers out of step: {number} != {job.number}")
    item = paper.get(job.size)
    finished = job.done is not None
    return {
        "id": job.id,
        "created_at": job.created,
        "updated_at": job.ended
        or job.done
        or job.started
        or job.decided
        or job.submitted
        or job.created,
        "school_id": school.id,
        "number": job.number,
        "title": job.title,
        "description": "请按考场分装，每袋 30 份。" if job.purpose == "exam" else "",
        "department_id": job.department,
        "requester_id": job.requester,
        "purpose": job.purpose,
        "pages": job.pages,
        "copies": job.copies,
        "duplex": job.duplex,
        "paper_size": job.size,
        "colour": job.colour,
        "needed_by": job.created + datetime.timedelta(hours=24 + 24 * (job.id % 3)),
        "sheets_estimated": job.sheets,
        "sheets_used": job.sheets if finished else None,
        "spoiled_sheets": job.spoiled if finished else 0,
        "status": job.status,
        "needs_approval": job.needs if job.submitted is not None else False,
        "operator_id": job.operator,
        "paper_item_id": item[0] if finished and item else None,
        "submitted_at": job.submitted,
        "done_at": job.done,
    }


def _changes(school: SchoolWorld, jobs: list[Job], content_type: int) -> Iterator[dict[str, Any]]:
    def change(
        job: Job, old: str, new: str, actor: int | None, at: datetime.datetime, why: str = ""
    ) -> dict[str, Any]:
        return {
            "created_at": at,
            "content_type_id": content_type,
            "object_id": str(job.id),
            "school_id": school.id,
            "field": "status",
            "from_status": old,
            "to_status": new,
            "actor_id": actor,
            "reason": why,
        }

    approver = school.person("director", random.Random(school.index))
    for job in jobs:
        if job.submitted is None:
            continue
        state = "queued"
        if job.needs:
            yield change(job, "draft", "pending", job.requester, job.submitted)
            if job.decided is None:
                continue
            if job.approval != "approved":
                actor = job.requester if job.status == "withdrawn" else approver
                yield change(job, "pending", job.status, actor, job.decided, REASONS[job.status])
                continue
            yield change(job, "pending", "queued", approver, job.decided)
        else:
            yield change(job, "draft", "queued", job.requester, job.submitted, job.reason)
        if job.started is not None:
            yield change(job, state, "printing", job.operator, job.started)
            state = "printing"
        if job.done is not None:
            yield change(job, state, "done", job.operator, job.done)
            state = "done"
        if job.ended is not None:
            to = "cancelled" if job.status == "cancelled" else "collected"
            why = REASONS["cancelled"] if to == "cancelled" else ""
            yield change(job, state, to, job.requester, job.ended, why)


def _subjects(school: SchoolWorld, jobs: list[Job]) -> Iterator[dict[str, Any]]:
    for job in jobs:
        status = job.approval
        if not status:
            continue
        yield {
            "object_id": job.id,
            "school": school,
            "title": f"{job.number} {job.title}",
            "amount": job.amount,
            "category": job.purpose,
            "department_id": job.department,
            "requester_id": job.requester,
            "status": status,
            "submitted_at": job.submitted,
            "decided_at": job.decided,
        }
