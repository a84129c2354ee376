"""The store's documents: requisitions (领用申请 ``LY-``) and stock counts (盘点 ``KC-``).

``plan_requisitions`` and ``plan_counts`` decide what happened and when; the store part
replays their stock effects in each item's ledger, then ``write_requisitions`` and
``Count.row``/``Count.changes`` write the documents with their workflow and approvals.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from houqin.core.models import StatusChange
from houqin.inventory.models import (
    DepartmentQuota,
    Requisition,
    RequisitionLine,
    StockCount,
    StockCountLine,
)
from houqin.org.choices import TermKind

from . import approvals
from .base import TZ, Ctx, SchoolWorld

if TYPE_CHECKING:
    from .inventory import Item

DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")
# What each department asks the store for: department index -> {category: weight}.
ASKS: dict[int, dict[str, float]] = {
    0: {"office": 3, "paper": 1},
    1: {"cleaning": 3, "office": 1, "protective": 1, "repair": 0.5, "electrical": 0.5},
    2: {"office": 2, "paper": 2, "printing": 1, "teaching": 1},
    3: {"office": 2, "sports": 1, "teaching": 1},
    4: {"office": 3, "paper": 1, "printing": 1},
    5: {"cleaning": 3, "protective": 2},
    6: {"protective": 2, "office": 1, "medical": 1},
    7: {"medical": 3, "protective": 1},
}
GRADE_ASKS = {"office": 2, "teaching": 3, "paper": 1, "cleaning": 1, "sports": 0.5}
FRESH = {
    "draft": 8, "pending": 14, "approved": 14, "partial": 6, "issued": 10, "returned": 4,
    "withdrawn": 3, "received": 4, "rejected": 2, "cancelled": 2,
}  # fmt: skip
RECENT = {
    "pending": 3, "approved": 4, "partial": 2, "issued": 20, "received": 60, "rejected": 3,
    "cancelled": 3, "withdrawn": 2, "returned": 1,
}  # fmt: skip
HISTORY = {"received": 86, "issued": 4, "rejected": 3, "cancelled": 4, "withdrawn": 2}
DECIDED = {
    "pending": "pending",
    "rejected": "rejected",
    "returned": "returned",
    "withdrawn": "withdrawn",
}
REASONS = {
    "rejected": "本学期已超限额，请下学期再领",
    "returned": "数量偏多，请核减后再提交",
    "withdrawn": "暂时不需要了",
}


def store_calendar(ctx: Ctx, school: SchoolWorld) -> tuple[list[datetime.date], list[float]]:
    """School days of the history with cumulative weights: the store is busier in term."""
    days: list[datetime.date] = []
    cumulative: list[float] = []
    total = 0.0
    day = ctx.start + DAY
    while day <= ctx.today:
        if day.weekday() < 5:
            in_term = any(start <= day <= end for _t, _y, _k, start, end in school.terms)
            total += 1.0 if in_term else 0.25
            days.append(day)
            cumulative.append(total)
        day += DAY
    return days, cumulative


def moments(
    ctx: Ctx, school: SchoolWorld, count: int, rng: random.Random
) -> list[datetime.datetime]:
    """``count`` creation moments over the history, a few of them in the last days."""
    days, weights = store_calendar(ctx, school)
    recent = min(count // 3, max(10, count // 100))
    chosen = rng.choices(days, cum_weights=weights, k=count - recent) if days else []
    last = [ctx.today - DAY * n for n in range(10) if (ctx.today - DAY * n).weekday() < 5]
    chosen += [rng.choice(last) for _n in range(count - len(chosen))]
    return sorted(ctx.moment(day, rng) for day in chosen)


def later(
    ctx: Ctx, rng: random.Random, moment: datetime.datetime, low: float, high: float
) -> datetime.datetime:
    return min(moment + datetime.timedelta(hours=rng.uniform(low, high)), ctx.now)


# -- requisitions ------------------------------------------------------------------------------


@dataclass(slots=True)
class Req:
    id: int
    number: str
    created: datetime.datetime
    status: str
    department: int
    requester: int
    purpose: str
    lines: list[tuple[Item, Decimal, Decimal]]  # (item, asked, issued)
    needs: bool
    restricted: str
    estimated: Decimal
    submitted: datetime.datetime | None = None
    decided: datetime.datetime | None = None
    issued_at: datetime.datetime | None = None
    received_at: datetime.datetime | None = None
    ended: datetime.datetime | None = None  # cancelled
    returned_at: datetime.datetime | None = None


def plan_requisitions(
    ctx: Ctx, school: SchoolWorld, items: list[Item], count: int, rng: random.Random
) -> list[Req]:
    by_category: dict[str, list[Item]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    staff: dict[int, list[int]] = {}
    for user, department in school.staff:
        staff.setdefault(department, []).append(user)
    departments = [dep for dep in school.departments if staff.get(dep)]
    dep_weights = [3 if school.departments.index(dep) >= 8 else 1 for dep in departments]
    ids = iter(ctx.ids(Requisition, count))
    fresh = itertools.count()
    # The school's first teacher (the persona of "my requisitions") asks now and then.
    first = school.people.get("teacher", [0])[0]
    teacher = next(((u, dep) for u, dep in school.staff if u == first), None)
    reqs = []
    for created in moments(ctx, school, count, rng):
        persona = teacher if rng.random() < 0.08 else None
        department = persona[1] if persona else rng.choices(departments, weights=dep_weights)[0]
        asks = ASKS.get(school.departments.index(department), GRADE_ASKS)
        codes = [c for c in asks if c in by_category] or list(by_category)
        category = rng.choices(codes, weights=[asks.get(c, 1) for c in codes])[0]
        pool = by_category[category]
        wanted = min(len(pool), rng.choices((1, 2, 3, 4, 5), weights=(35, 30, 18, 10, 7))[0])
        chosen = list(dict.fromkeys(rng.choices(pool, weights=[i.weight for i in pool], k=wanted)))
        age = ctx.now - created
        shares = FRESH if age < 2 * DAY else RECENT if age < 20 * DAY else HISTORY
        status = rng.choices(list(shares), weights=list(shares.values()))[0]
        if shares is FRESH:  # the first of the last days' requisitions in every state
            status = list(FRESH)[n] if (n := next(fresh)) < len(FRESH) else status
        restricted = "、".join(f"{i.name}（{i.spec}）" for i in chosen if i.restricted)
        needs = bool(restricted) or status in DECIDED or rng.random() < 0.06
        lines = [
            (item, Decimal(rng.randint(1, max(1, item.per_line))), Decimal(0)) for item in chosen
        ]
        req = Req(
            id=next(ids),
            number=ctx.number(school.id, "LY", created.date()),
            created=created,
            status=status,
            department=department,
            requester=persona[0] if persona else rng.choice(staff[department]),
            purpose=rng.choice(_purposes(category)),
            lines=_issued(lines, status),
            needs=needs,
            restricted=restricted,
            estimated=sum((i.price * q for i, q, _n in lines), Decimal(0)).quantize(CENT),
        )
        _times(ctx, rng, req)
        reqs.append(req)
    return reqs


def _purposes(category: str) -> list[str]:
    from houqin.demo.supplies_data import REQUISITION_PURPOSES

    return REQUISITION_PURPOSES.get(category, ["日常领用"])


def _issued(
    lines: list[tuple[Item, Decimal, Decimal]], status: str
) -> list[tuple[Item, Decimal, Decimal]]:
    """What was issued of each line: all of it once issued, a part while partly issued."""
    if status in ("issued", "received"):
        return [(item, asked, asked) for item, asked, _n in lines]
    if status != "partial":
        return lines
    item, asked, _n = lines[0]
    if len(lines) == 1:
        asked = max(asked, Decimal(2))
        return [(item, asked, Decimal(int(asked) // 2))]
    return [(item, asked, asked), *lines[1:]]


def _times(ctx: Ctx, rng: random.Random, req: Req) -> None:
    if req.status == "draft":
        return
    req.submitted = later(ctx, rng, req.created, 0.02, 0.5)
    if req.needs and req.status != "pending":
        req.decided = later(ctx, rng, req.submitted, 0.5, 30)
    approved = req.decided or req.submitted
    if req.status in ("partial", "issued", "received"):
        req.issued_at = later(ctx, rng, approved, 0.5, 48)
    if req.status == "received" and req.issued_at is not None:
        req.received_at = later(ctx, rng, req.issued_at, 0.2, 24)
        if rng.random() < 0.03 and ctx.now - req.received_at > 30 * DAY:
            req.returned_at = later(ctx, rng, req.received_at, 24, 300)
    if req.status == "cancelled":
        req.ended = later(ctx, rng, approved, 1, 72)


def write_requisitions(
    ctx: Ctx,
    school: SchoolWorld,
    reqs: list[Req],
    quotas: dict[tuple[int, int], Decimal],
    content_type: int,
) -> None:
    terms = {pk: (start, end, _term_name(kind, start)) for pk, _y, kind, start, end in school.terms}
    approver = school.person("director", random.Random(school.index))
    keeper = school.person("storekeeper", random.Random(school.index))
    ctx.insert(Requisition, (_req_row(school, req, quotas, terms) for req in reqs))
    ctx.insert(
        RequisitionLine,
        (
            {
                "requisition_id": req.id,
                "item_id": item.id,
                "quantity": asked,
                "issued": issued,
                "note": "",
            }
            for req in reqs
            for item, asked, issued in req.lines
        ),
    )
    ctx.insert(
        StatusChange,
        (c for req in reqs for c in _req_changes(school, req, approver, keeper, content_type)),
    )
    approvals.add(ctx, "requisition", Requisition, _req_subjects(school, reqs))


def _term_name(kind: str, start: datetime.date) -> str:
    """As ``Term.__str__``: the school year's name and the term's."""
    first = start.year if kind == "autumn" else start.year - 1
    return f"{first}-{first + 1}学年 {TermKind(kind).label}"


def _req_row(
    school: SchoolWorld,
    req: Req,
    quotas: dict[tuple[int, int], Decimal],
    terms: dict[int, tuple[datetime.date, datetime.date, str]],
) -> dict[str, Any]:
    reason = ""
    if req.restricted:
        reason = _("restricted items: %(items)s") % {"items": req.restricted}
    elif req.needs:
        day = req.created.astimezone(TZ).date()
        term = next((pk for pk, (s, e, _n) in terms.items() if s <= day <= e), None)
        quota = quotas.get((req.department, term or 0), Decimal(2000))
        reason = _(
            "over the quota of %(term)s: %(used)s yuan used + %(amount)s yuan asked "
            "> %(quota)s yuan"
        ) % {
            "term": terms[term][2] if term else "",
            "used": (quota - req.estimated / 2).quantize(CENT),
            "amount": req.estimated,
            "quota": quota,
        }
    last = (
        req.ended
        or req.returned_at
        or req.received_at
        or req.issued_at
        or req.decided
        or req.submitted
    )
    return {
        "id": req.id,
        "created_at": req.created,
        "updated_at": last or req.created,
        "school_id": school.id,
        "number": req.number,
        "department_id": req.department,
        "requester_id": req.requester,
        "purpose": req.purpose,
        "needed_by": req.created.date() + 3 * DAY,
        "status": req.status,
        "needs_approval": req.needs if req.submitted is not None else False,
        "approval_reason": reason[:300] if req.submitted is not None else "",
        "estimated_amount": req.estimated,
        "submitted_at": req.submitted,
        "issued_at": req.issued_at,
        "received_at": req.received_at,
    }


def status_change(
    content_type: int,
    school: int,
    pk: int,
    old: str,
    new: str,
    actor: int | None,
    at: datetime.datetime,
    why: str = "",
) -> dict[str, Any]:
    return {
        "created_at": at,
        "content_type_id": content_type,
        "object_id": str(pk),
        "school_id": school,
        "field": "status",
        "from_status": old,
        "to_status": new,
        "actor_id": actor,
        "reason": why,
    }


def _req_changes(
    school: SchoolWorld, req: Req, approver: int, keeper: int, ct: int
) -> list[dict[str, Any]]:
    if req.submitted is None:
        return []
    out = []
    if req.needs:
        out.append(
            status_change(ct, school.id, req.id, "draft", "pending", req.requester, req.submitted)
        )
        if req.decided is None:
            return out
        outcome = DECIDED.get(req.status, "approved")
        actor = req.requester if outcome == "withdrawn" else approver
        out.append(
            status_change(
                ct,
                school.id,
                req.id,
                "pending",
                outcome,
                actor,
                req.decided,
                REASONS.get(outcome, ""),
            )
        )
        if outcome != "approved":
            return out
    else:
        out.append(
            status_change(ct, school.id, req.id, "draft", "approved", req.requester, req.submitted)
        )
    if req.issued_at is not None:
        to = "partial" if req.status == "partial" else "issued"
        out.append(status_change(ct, school.id, req.id, "approved", to, keeper, req.issued_at))
    if req.received_at is not None:
        out.append(
            status_change(
                ct, school.id, req.id, "issued", "received", req.requester, req.received_at
            )
        )
    if req.ended is not None:
        out.append(
            status_change(
                ct, school.id, req.id, "approved", "cancelled", req.requester, req.ended, "不需要了"
            )
        )
    return out


def _req_subjects(school: SchoolWorld, reqs: list[Req]) -> Any:
    for req in reqs:
        if not req.needs or req.submitted is None:
            continue
        yield {
            "object_id": req.id,
            "school": school,
            "title": f"{req.number} {req.purpose}",
            "amount": req.estimated,
            "category": req.lines[0][0].category,
            "department_id": req.department,
            "requester_id": req.requester,
            "status": DECIDED.get(req.status, "approved"),
            "submitted_at": req.submitted,
            "decided_at": req.decided,
        }


# -- stock counts ------------------------------------------------------------------------------


@dataclass(slots=True)
class Count:
    id: int
    number: str
    title: str
    categories: list[str]
    status: str
    started: datetime.datetime
    submitted: datetime.datetime | None = None
    posted: datetime.datetime | None = None
    lines: dict[int, dict[str, Any]] = field(default_factory=dict)  # item id -> line
    difference: Decimal = Decimal(0)  # every difference's value, surplus and shortage alike

    @property
    def amount(self) -> Decimal:
        return self.difference.quantize(CENT)

    @property
    def closed(self) -> datetime.datetime | None:
        """When it was posted (at once when nothing differed) or cancelled."""
        if self.status == "posted":
            return self.posted if self.amount else self.submitted
        return self.submitted if self.status == "cancelled" else None

    def row(self, school: int, keeper: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.started,
            "updated_at": self.closed or self.started,
            "school_id": school,
            "number": self.number,
            "title": self.title,
            "categories": self.categories,
            "status": self.status,
            "started_by_id": keeper,
            "posted_at": self.closed if self.status == "posted" else None,
            "notes": "全库盘点，账实基本相符；差异已查明原因。" if self.status == "posted" else "",
        }

    def changes(self, school: int, keeper: int, approver: int, ct: int) -> list[dict[str, Any]]:
        if self.submitted is None:
            return []
        if self.status == "cancelled":
            return [
                status_change(ct, school, self.id, "counting", "cancelled", keeper, self.submitted)
            ]
        out = [status_change(ct, school, self.id, "counting", "pending", keeper, self.submitted)]
        if self.amount:
            out.append(
                status_change(
                    ct,
                    school,
                    self.id,
                    "pending",
                    "posted",
                    approver,
                    self.posted or self.submitted,
                )
            )
        else:
            why = _("No differences: nothing to adjust.")
            out.append(
                status_change(ct, school, self.id, "pending", "posted", keeper, self.submitted, why)
            )
        return out


def plan_counts(ctx: Ctx, school: SchoolWorld, rng: random.Random) -> list[Count]:
    """A full count at the end of every school year that has ended, a special one cancelled
    in some schools, and this term's spot check in progress."""

    def at(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), TZ)

    plans: list[
        tuple[
            str,
            str,
            list[str],
            datetime.datetime,
            datetime.datetime | None,
            datetime.datetime | None,
        ]
    ] = []
    for _pk, start, end in school.years:
        day = datetime.date(end.year, 7, 14)
        while day.weekday() >= 4:
            day -= DAY
        if day + 4 * DAY < ctx.today:
            title = f"{start.year}-{end.year}学年末全库盘点"
            plans.append(
                ("posted", title, [], at(day, 8), at(day + DAY, 16), at(day + 2 * DAY, 10))
            )
    first = school.years[0][1]
    special = datetime.date(first.year + 1, 1, 22)
    if school.index % 3 == 1 and special < ctx.today - 7 * DAY:
        plans.append(
            ("cancelled", "文具专项盘点", ["office"], at(special, 9), at(special, 15), None)
        )
    plans.append(
        (
            "counting",
            "本学期办公用品抽盘",
            ["office", "paper", "cleaning"],
            at(ctx.today - 3 * DAY, 9),
            None,
            None,
        )
    )
    plans.sort(key=lambda p: p[3])
    ids = iter(ctx.ids(StockCount, len(plans)))
    return [
        Count(
            id=next(ids),
            number=ctx.number(school.id, "KC", started.date()),
            title=title,
            categories=categories,
            status=status,
            started=started,
            submitted=submitted,
            posted=posted,
        )
        for status, title, categories, started, submitted, posted in plans
    ]


def write_counts(
    ctx: Ctx,
    school: SchoolWorld,
    keeper: int,
    counts: list[Count],
    lines: list[dict[str, Any]],
    content_type: int,
) -> None:
    """The counts with their lines, workflow and (for differences) approvals."""
    ctx.insert(StockCount, (c.row(school.id, keeper) for c in counts))
    ctx.insert(StockCountLine, lines)
    approver = school.person("director", random.Random(school.index))
    ctx.insert(
        StatusChange,
        (c for count in counts for c in count.changes(school.id, keeper, approver, content_type)),
    )
    approvals.add(
        ctx,
        "stock_count",
        StockCount,
        [
            {
                "object_id": count.id,
                "school": school,
                "title": f"{count.number} {count.title}",
                "amount": count.amount,
                "department_id": None,
                "requester_id": keeper,
                "status": "approved",
                "submitted_at": count.submitted,
                "decided_at": count.posted,
            }
            for count in counts
            if count.amount and count.status == "posted"
        ],
    )


# -- quotas ------------------------------------------------------------------------------------


def write_quotas(
    ctx: Ctx, school: SchoolWorld, usage: dict[tuple[int, int], Decimal]
) -> dict[tuple[int, int], Decimal]:
    """Each term's quota per department, a fifth above what it took; the current term's
    from the last one's. ``usage``: (department, term) -> yuan taken."""
    quotas: dict[tuple[int, int], Decimal] = {}
    previous: dict[int, Decimal] = {}
    rows = []
    for term_id, _year, _kind, start, _end in sorted(school.terms, key=lambda t: t[3]):
        if start > ctx.today:
            continue
        set_at = datetime.datetime.combine(start, datetime.time(9), TZ)
        for department in school.departments:
            used = usage.get((department, term_id), Decimal(0))
            ended = used > 0 and start < ctx.today - 60 * DAY
            basis = used if ended else previous.get(department, used)
            amount = Decimal(max(500, math.ceil(float(basis) * 1.2 / 100) * 100))
            previous[department] = basis
            quotas[(department, term_id)] = amount
            rows.append(
                {
                    "created_at": set_at,
                    "updated_at": set_at,
                    "school_id": school.id,
                    "term_id": term_id,
                    "department_id": department,
                    "amount": amount,
                }
            )
    ctx.insert(DepartmentQuota, rows)
    return quotas
