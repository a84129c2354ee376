"""Demo print and copy jobs (文印): two school years with exam-week peaks, paper use down
about a fifth in the second year, and today's print room queue."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone

from houqin.printing.models import PrintJob, PrintSettings

from . import supplies_data as d
from .maintenance_story import fast_insert, reserve_keys
from .supplies_common import DAY, Approval, Approvals, Clock, H, People, in_term, number
from .supplies_ledger import Out
from .supplies_store import Store

QTY = Decimal("0.001")
# Exam weeks (start, days): mid-terms, finals, and monthly tests.
EXAMS = [
    (datetime.date(2025, 10, 9), 3),
    (datetime.date(2025, 11, 10), 5),
    (datetime.date(2025, 12, 11), 3),
    (datetime.date(2026, 1, 12), 7),
    (datetime.date(2026, 3, 26), 3),
    (datetime.date(2026, 4, 20), 5),
    (datetime.date(2026, 5, 21), 3),
    (datetime.date(2026, 6, 29), 7),
    (datetime.date(2026, 10, 8), 3),
    (datetime.date(2026, 11, 9), 5),
]
SECOND_YEAR = datetime.date(2026, 9, 1)
# Today's queue: (state, requester, purpose, hours ago)
TODAY = [
    ("printing", "t0016", "exam", 5),
    ("queued", "teacher", "lesson", 3),
    ("queued", "t0017", "exam", 2.5),
    ("queued", "t0021", "lesson", 1.5),
    ("queued", "t0005", "notice", 1),
    ("done", "t0022", "lesson", 9),
    ("done", "teacher", "exam", 22),
    ("pending", "teacher", "notice", 2),
    ("pending", "t0018", "lesson", 3),
    ("pending", "t0023", "other", 1),
    ("pending", "t0006", "other", 4),
    ("draft", "teacher", "lesson", 0.5),
    ("returned", "t0019", "lesson", 26),
]
KG_TODAY = [
    ("queued", "kg-teacher", "notice", 2),
    ("pending", "k0005", "lesson", 3),
    ("done", "k0002", "lesson", 20),
]


class Jobs:
    def __init__(
        self,
        school: Any,
        store: Store,
        people: People,
        terms: list[Any],
        approvals: Approvals,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.school, self.store, self.people, self.terms = school, store, people, terms
        self.approvals, self.clock, self.rng = approvals, clock, rng
        self.kg = school.kind == "kindergarten"
        self.settings, _created = PrintSettings.objects.get_or_create(school=school)
        self.operator = people.any_of("storekeeper", "kg-director")
        self.rows: list[dict[str, Any]] = []
        probe: dict[str, Any] = {}
        reserve_keys(PrintJob, [probe])
        self.next_id: int = probe["id"]
        teaching = [n for n in people.staff_by_department if "年级" in n or n == "保教处"]
        self.teachers = [u for n in teaching for u in people.staff_by_department[n]]
        self.office = [
            u for n, staff in people.staff_by_department.items() if n not in teaching for u in staff
        ]

    def history(self, per_day: float) -> None:
        day = self.terms[0].start if self.terms else self.clock.today
        while day < self.clock.today - DAY:
            term = in_term(self.terms, day)
            if term is not None and day.isoweekday() < 6:
                exam = any(s <= day < s + datetime.timedelta(days=n) for s, n in EXAMS)
                rate = per_day * (2.2 if exam else 1.0)
                if day >= SECOND_YEAR:
                    rate *= 0.87
                count = int(rate) + (1 if self.rng.random() < rate - int(rate) else 0)
                for _n in range(count):
                    purpose = self._purpose(exam)
                    self._one(self.clock.at(day, 7, 17), None, purpose)
            day += DAY

    def today(self) -> None:
        for state, who, purpose, hours in KG_TODAY if self.kg else TODAY:
            user = self.people.users.get(who)
            if user is not None:
                self._one(self.clock.now - hours * H, state, purpose, requester=user)

    def _purpose(self, exam: bool) -> str:
        if self.kg:
            return self.rng.choices(("lesson", "notice", "other"), weights=(5, 3, 2))[0]
        weights = (6, 3, 1, 0.6) if exam else (2.5, 5, 1.3, 0.8)
        return self.rng.choices(("exam", "lesson", "notice", "other"), weights=weights)[0]

    def _one(
        self, created: datetime.datetime, state: str | None, purpose: str, requester: Any = None
    ) -> None:
        rng = self.rng
        second = timezone.localdate(created) >= SECOND_YEAR
        if requester is None:
            pool = (
                self.teachers if purpose in ("exam", "lesson") or not self.office else self.office
            )
            requester = rng.choice(pool or self.teachers)
        department = self.people.department_of[requester.pk]
        grade = d.GRADES.get(department.name, rng.choice(list(d.GRADES.values())))
        subject = rng.choice(d.SUBJECTS)
        title = rng.choice(d.PRINT_TITLES[purpose]).format(grade=grade, subject=subject)
        size, duplex, colour = "A4", True, False
        if self.kg:
            pages, copies = rng.randint(1, 4), rng.choice((30, 35, 300))
            duplex = rng.random() < 0.5
            colour = rng.random() < 0.05
        elif purpose == "exam":
            size = rng.choices(("A3", "A4", "B5"), weights=(6, 3.5, 0.5))[0]
            pages = rng.randint(2, 4) if size == "A3" else rng.randint(4, 8)
            copies = rng.choice((600, 600, 610, 50, 52, 100))
        elif purpose == "lesson":
            size = rng.choices(("A4", "B5"), weights=(8, 2))[0]
            pages = rng.randint(1, 6)
            copies = rng.choice((50, 52, 100, 150, 600))
            duplex = rng.random() < (0.8 if second else 0.6)
        elif purpose == "notice":
            pages, copies = rng.randint(1, 2), rng.choice((600, 1800, 50))
            duplex = rng.random() < (0.7 if second else 0.5)
        else:
            pages, copies = rng.randint(2, 20), rng.choice((10, 20, 30, 60))
            duplex = rng.random() < 0.7
            colour = rng.random() < 0.1
        if second:
            copies = max(1, round(copies * 0.95))
        per_copy = (pages + 1) // 2 if duplex else pages
        sheets = per_copy * copies
        needs = self._needs(purpose, sheets, colour)
        if state is None:
            roll = rng.random()
            state = (
                "rejected"
                if needs and roll < 0.025
                else "cancelled"
                if roll < 0.035
                else "withdrawn"
                if needs and roll < 0.04
                else "collected"
            )
        pk = self.next_id
        self.next_id += 1
        row: dict[str, Any] = {
            "id": pk,
            "school_id": self.school.pk,
            "title": title,
            "description": "" if purpose != "exam" else "请按考场数分装，每袋 30 份。",
            "department_id": department.pk,
            "requester_id": requester.pk,
            "purpose": purpose,
            "pages": pages,
            "copies": copies,
            "duplex": duplex,
            "paper_size": size,
            "colour": colour,
            "needed_by": created + datetime.timedelta(hours=rng.choice((4, 20, 24, 44, 48))),
            "sheets_estimated": sheets,
            "sheets_used": None,
            "spoiled_sheets": 0,
            "status": state,
            "needs_approval": needs,
            "operator_id": None,
            "paper_item_id": None,
            "submitted_at": None if state == "draft" else created,
            "done_at": None,
            "created_at": created,
            "updated_at": created,
        }
        self.rows.append(row)
        decided = created
        if needs and state != "draft":
            decided = self._approval(row, state, department, requester, created)
        if state in ("done", "collected"):
            lead = datetime.timedelta(hours=rng.uniform(1, 20))
            done = max(decided, created) + lead
            if done >= self.clock.now:
                done = self.clock.now - datetime.timedelta(minutes=rng.randrange(5, 60))
            spoiled = rng.choice((0, 0, 2, 5, 10)) if sheets > 100 else 0
            row.update(
                sheets_used=sheets,
                spoiled_sheets=spoiled,
                operator_id=self.operator.pk,
                done_at=done,
                updated_at=done,
            )
            item_id = self.store.paper.get(size)
            if item_id is not None:
                row["paper_item_id"] = item_id
                self.store.outs.append(
                    Out(
                        at=done,
                        item_id=item_id,
                        kind="print",
                        quantity=(Decimal(sheets + spoiled) / 500).quantize(
                            QTY, rounding=ROUND_HALF_UP
                        ),
                        reason=f"文印用纸：{title}"[:300],
                        department_id=department.pk,
                        person_id=requester.pk,
                        source_type="print_job",
                        source_id=pk,
                        actor_id=self.operator.pk,
                    )
                )
        elif state == "printing":
            row["operator_id"] = self.operator.pk

    def _needs(self, purpose: str, sheets: int, colour: bool) -> bool:
        rule = self.settings.approval_rule
        if colour and self.settings.colour_needs_approval:
            return True
        above = sheets > self.settings.approval_sheets
        return {
            "never": False,
            "above_sheets": above,
            "non_exam": purpose != "exam",
            "non_exam_or_above": purpose != "exam" or above,
            "always": True,
        }.get(rule, False)

    def _approval(
        self,
        row: dict[str, Any],
        state: str,
        department: Any,
        requester: Any,
        created: datetime.datetime,
    ) -> datetime.datetime:
        approval = Approval(
            request_type="print_job",
            model=PrintJob,
            object_id=row["id"],
            title=row["title"],
            amount=Decimal(row["sheets_estimated"]),
            category=row["purpose"],
            department=department,
            requester=requester,
            submitted=created,
            step_gap=datetime.timedelta(minutes=self.rng.randrange(20, 180)),
        )
        steps = self.approvals.deciding(approval)
        if state == "pending":
            approval.outcome = []
        elif state == "rejected":
            approval.outcome, approval.reason = ["reject"], "与上周材料重复，请合并后再印"
        elif state == "returned":
            approval.outcome, approval.reason = ["return"], "请改为双面印刷，减少用纸"
        elif state == "withdrawn":
            approval.withdrawn, approval.reason = created + H, "材料需要修改"
        else:
            approval.outcome = ["approve"] * steps
        if steps == 0 and state in ("pending", "rejected", "returned"):
            row["needs_approval"] = False
            row["status"] = "queued" if state == "pending" else "cancelled"
            return created
        self.approvals.add(approval)
        row["_approval"] = approval
        return approval.decided_at(len(approval.outcome) - 1) if approval.outcome else created

    def finish(self) -> None:
        """Number the jobs (and their approvals and paper movements)."""
        number(self.rows, "WY", self.school.pk)
        numbers = {}
        for row in self.rows:
            numbers[row["id"]] = row["number"]
            approval = row.pop("_approval", None)
            if approval is not None:
                approval.title = f"{row['number']} {row['title']}"
        for out in self.store.outs:
            if out.source_type == "print_job":
                out.reference = numbers[out.source_id]

    def write(self) -> None:
        fast_insert(PrintJob, self.rows)
