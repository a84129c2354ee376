"""The demo consumables store: items, per-term quotas, requisitions in every state, parts
taken by repairs, scrap and stock counts, as demand for the ledger."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.inventory.models import (
    DepartmentQuota,
    Requisition,
    RequisitionLine,
    StockItem,
)
from houqin.maintenance.models import WorkOrder, WorkOrderPart
from houqin.org.models import Term

from . import supplies_data as d
from .maintenance_story import fast_insert, reserve_keys
from .supplies_common import DAY, Approval, Approvals, Clock, H, People, in_term, money, number
from .supplies_ledger import Count, Out

# Per-term quota of a department (yuan); departments not named get DEFAULT_QUOTA.
QUOTAS = {
    "总务处": 6000,
    "教务处": 4000,
    "政教处": 2500,
    "高一年级组": 3000,
    "高二年级组": 3000,
    "高三年级组": 3200,
    "食堂": 3000,
    "校长室": 1500,
    "后勤处": 3000,
    "保教处": 3000,
}
DEFAULT_QUOTA = 1200
# department kind -> {store category: weight} of what it asks for
ASKS: dict[str, dict[str, float]] = {
    "grade": {"office": 5, "teaching": 3, "paper": 1.5, "cleaning": 2, "printing": 0.6},
    "academic": {"office": 4, "teaching": 3, "paper": 1.5, "printing": 1, "sports": 0.3},
    "student": {"office": 3, "sports": 2, "cleaning": 1.5, "medical": 1, "protective": 0.5},
    "logistics": {"cleaning": 4, "office": 2, "protective": 2, "repair": 1, "electrical": 1},
    "leadership": {"office": 4, "paper": 1, "printing": 0.5},
    "finance": {"office": 4, "paper": 1, "printing": 0.5},
    "canteen": {"cleaning": 4, "protective": 3},
    "safety": {"protective": 3, "office": 1, "medical": 1},
    "health": {"medical": 5, "protective": 2},
}


@dataclass
class Store:
    items: dict[int, dict[str, Any]]  # id -> row
    by_name: dict[str, int]  # "name|spec" -> id
    paper: dict[str, int]  # paper size -> id
    outs: list[Out] = field(default_factory=list)
    requisitions: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    counts: list[tuple[dict[str, Any], Count | None]] = field(default_factory=list)


def items(school: Any, kg: bool) -> Store:
    rows: list[dict[str, Any]] = []
    shelf_numbers: dict[str, int] = {}
    catalogue = [i for i in d.STORE if not kg or (i[3] in d.KG_CATEGORIES and i[7] > 0)]
    for n, (
        name,
        spec,
        unit,
        category,
        price,
        low,
        high,
        weight,
        per_line,
        restricted,
        group,
    ) in enumerate(catalogue, start=1):
        size = d.PAPER.get(f"{name}|{spec}", "")
        scale = Decimal("0.25") if kg else Decimal("1")
        letter = d.SHELVES[category]
        shelf_numbers[letter] = shelf_numbers.get(letter, 0) + 1
        position = shelf_numbers[letter]
        minimum = max(Decimal(1), (low * scale).to_integral_value())
        rows.append(
            {
                "school_id": school.pk,
                "code": f"HC-{n:05d}",
                "name": name,
                "specification": spec,
                "unit": unit,
                "category": category,
                "min_stock": minimum,
                "max_stock": max(minimum + 1, (high * scale).to_integral_value()),
                "shelf": f"{letter}-{(position - 1) // 8 + 1:02d}-{(position - 1) % 8 + 1:02d}",
                "is_restricted": restricted,
                "paper_size": size,
                "sheets_per_unit": 500 if size else None,
                "is_active": True,
                "notes": "",
                "quantity": Decimal("0"),
                "value": Decimal("0"),
                "average_cost": Decimal("0"),
                "created_at": timezone.make_aware(datetime.datetime(2025, 8, 20, 9, 0)),
                "updated_at": timezone.make_aware(datetime.datetime(2025, 8, 20, 9, 0)),
                # demo-only keys (not columns)
                "price": Decimal(price),
                "weight": weight,
                "per_line": per_line,
                "group": group,
            }
        )
    reserve_keys(StockItem, rows)
    fast_insert(StockItem, rows)
    return Store(
        items={r["id"]: r for r in rows},
        by_name={f"{r['name']}|{r['specification']}": r["id"] for r in rows},
        paper={r["paper_size"]: r["id"] for r in rows if r["paper_size"]},
    )


def quotas(school: Any, people: People, terms: list[Term], clock: Clock) -> dict[Any, Decimal]:
    found: dict[Any, Decimal] = {}
    rows = []
    for term in terms:
        if term.start > clock.today + datetime.timedelta(days=60):
            continue
        for name, department in people.departments.items():
            amount = Decimal(QUOTAS.get(name, DEFAULT_QUOTA))
            if school.kind == "kindergarten":
                amount = (amount / 2).quantize(Decimal("1"))
            found[(term.pk, department.pk)] = amount
            at = timezone.make_aware(datetime.datetime.combine(term.start, datetime.time(9)))
            rows.append(
                {
                    "school_id": school.pk,
                    "term_id": term.pk,
                    "department_id": department.pk,
                    "amount": amount,
                    "created_at": at - 7 * DAY,
                    "updated_at": at - 7 * DAY,
                }
            )
    fast_insert(DepartmentQuota, rows)
    return found


# Today's requisitions of 示范中学: (state, requester, department, category, lines, hours ago)
TODAY = [
    ("issued", "teacher", "高一年级组", "office", 3, 20),
    ("issued", "t0016", "高二年级组", "teaching", 1, 26),
    ("issued", "t0005", "政教处", "sports", 2, 30),
    ("approved", "t0006", "教务处", "office", 2, 3),
    ("approved", "teacher", "高一年级组", "cleaning", 2, 2),
    ("approved", "canteen", "食堂", "protective", 2, 5),
    ("approved", "t0020", "高三年级组", "paper", 1, 1),
    ("partial", "t0007", "教务处", "teaching", 2, 28),
    ("pending:0", "teacher", "高一年级组", "printing", 1, 4),
    ("pending:0", "t0017", "高二年级组", "office", 2, 6),
    ("pending:1", "t0013", "食堂", "cleaning", 3, 22),
    ("pending:0", "t0022", "高三年级组", "teaching", 2, 2),
    ("draft", "teacher", "高一年级组", "office", 2, 1),
    ("returned", "t0018", "高三年级组", "printing", 1, 48),
    ("withdrawn", "t0019", "高一年级组", "office", 1, 70),
]
KG_TODAY = [
    ("issued", "kg-teacher", "保教处", "teaching", 2, 20),
    ("approved", "k0003", "保教处", "office", 2, 4),
    ("pending:0", "k0004", "保教处", "cleaning", 1, 3),
]


class Requisitions:
    """Requisitions over the school's terms and today's in every state."""

    def __init__(
        self,
        school: Any,
        store: Store,
        people: People,
        terms: list[Term],
        quota: dict[Any, Decimal],
        approvals: Approvals,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.school, self.store, self.people, self.terms = school, store, people, terms
        self.quota, self.approvals, self.clock, self.rng = quota, approvals, clock, rng
        self.used: dict[Any, Decimal] = {}
        self.storekeeper = people.any_of("storekeeper", "kg-director")
        by_category: dict[str, list[dict[str, Any]]] = {}
        for item in store.items.values():
            if item["weight"] > 0:
                by_category.setdefault(item["category"], []).append(item)
        self.by_category = by_category
        probe: dict[str, Any] = {}
        reserve_keys(Requisition, [probe])
        self.next_id = probe["id"]

    def history(self, per_day: float, start: datetime.date) -> None:
        day = start
        end = self.clock.today - 4 * DAY
        while day <= end:
            term = in_term(self.terms, day)
            if day.isoweekday() < 6:
                rate = per_day if term else per_day * 0.08
                if term is not None and (day - term.start).days < 14:
                    rate *= 1.8
                count = int(rate) + (1 if self.rng.random() < rate - int(rate) else 0)
                for _n in range(count):
                    self._one(self.clock.at(day, 8, 17), None)
            day += DAY

    def today(self, kg: bool) -> None:
        for state, who, department, category, lines, hours in KG_TODAY if kg else TODAY:
            requester = self.people.users.get(who)
            if requester is None or department not in self.people.departments:
                continue
            self._one(
                self.clock.now - hours * H,
                state,
                requester=requester,
                department=self.people.departments[department],
                category=category,
                lines=lines,
            )

    def _pick_department(self) -> Any:
        names = [n for n in self.people.staff_by_department if n in self.people.departments]
        weights = [3 if "年级" in n or n in ("教务处", "保教处") else 1 for n in names]
        return self.people.departments[self.rng.choices(names, weights=weights)[0]]

    def _one(
        self,
        created: datetime.datetime,
        state: str | None,
        *,
        requester: Any = None,
        department: Any = None,
        category: str | None = None,
        lines: int | None = None,
    ) -> None:
        rng = self.rng
        department = department or self._pick_department()
        staff = self.people.staff_by_department.get(department.name) or [self.storekeeper]
        requester = requester or rng.choice(staff)
        asks = ASKS.get(department.kind, ASKS["academic"])
        codes = [c for c in asks if c in self.by_category]
        category = category if category in self.by_category else None
        category = category or rng.choices(codes, weights=[asks[c] for c in codes])[0]
        pool = self.by_category[category]
        count = min(lines or rng.choice((1, 1, 2, 2, 3)), len(pool))
        chosen: list[dict[str, Any]] = []
        while len(chosen) < count:
            item = rng.choices(pool, weights=[i["weight"] for i in pool])[0]
            if item not in chosen:
                chosen.append(item)
        kg = self.school.kind == "kindergarten"
        rows = []
        for item in chosen:
            factor = rng.choice((0.5, 1, 1, 1, 2))
            qty = max(1, round(item["per_line"] * factor * (0.5 if kg else 1)))
            rows.append({"item_id": item["id"], "quantity": Decimal(qty), "issued": Decimal(0)})
        estimate = money(sum(self.store.items[r["item_id"]]["price"] * r["quantity"] for r in rows))
        term = in_term(self.terms, timezone.localdate(created))
        key = (term.pk if term else None, department.pk)
        quota = self.quota.get(key)
        restricted = [self.store.items[r["item_id"]] for r in rows]
        restricted = [i for i in restricted if i["is_restricted"]]
        reason = ""
        if restricted:
            reason = "含限领物品：" + "、".join(i["name"] for i in restricted)
        elif quota is not None and self.used.get(key, Decimal(0)) + estimate > quota:
            reason = f"本学期部门领用将超出限额 {quota:,.0f} 元"
        needs = bool(reason)
        purpose = rng.choice(d.REQUISITION_PURPOSES[category])
        if state is None:
            state = self._history_state(needs)
        row: dict[str, Any] = {
            "school_id": self.school.pk,
            "department_id": department.pk,
            "requester_id": requester.pk,
            "purpose": purpose,
            "needed_by": timezone.localdate(created) + 3 * DAY,
            "needs_approval": needs,
            "approval_reason": reason,
            "estimated_amount": estimate,
            "created_at": created,
            "updated_at": created,
            "submitted_at": None,
            "issued_at": None,
            "received_at": None,
        }
        row["id"] = self.next_id
        self.next_id += 1
        status = self._approval(row, state, needs, requester, department, created)
        row["status"] = status
        self.store.requisitions.append(row)
        for line in rows:
            line["requisition_id"] = row["id"]
            line["note"] = ""
            self.store.lines.append(line)
        if status not in ("approved", "partial", "issued", "received"):
            return
        if status == "approved":
            for line in rows:
                self._room_for(line)
            return
        self.used[key] = self.used.get(key, Decimal(0)) + estimate
        decided = row["_decided"]
        issued = decided + datetime.timedelta(hours=rng.uniform(0.5, 20))
        if issued >= self.clock.now:
            issued = self.clock.now - datetime.timedelta(minutes=rng.randrange(10, 50))
        row["issued_at"] = issued
        if status == "received":
            row["received_at"] = min(
                issued + datetime.timedelta(hours=rng.uniform(0.2, 30)),
                self.clock.now - datetime.timedelta(minutes=5),
            )
        for n, line in enumerate(rows):
            want = line["quantity"]
            if status == "partial" and n == 0:
                want = max(Decimal(1), (want / 2).to_integral_value())
            self.store.outs.append(
                Out(
                    at=issued,
                    item_id=line["item_id"],
                    kind="issue",
                    quantity=want,
                    reason=purpose,
                    department_id=department.pk,
                    person_id=requester.pk,
                    source_type="requisition",
                    source_id=row["id"],
                    actor_id=self.storekeeper.pk,
                    done=_issued(line),
                )
            )
            if status == "partial" and n > 0:
                line["quantity"] = want  # fully issued

    def _room_for(self, line: dict[str, Any]) -> None:
        """Lines waiting to be issued today ask no more than the store will hold."""
        item = self.store.items[line["item_id"]]
        line["quantity"] = min(line["quantity"], max(Decimal(1), item["min_stock"]))

    def _history_state(self, needs: bool) -> str:
        roll = self.rng.random()
        if needs:
            if roll < 0.1:
                return "rejected"
            if roll < 0.13:
                return "withdrawn"
        if roll < 0.02:
            return "cancelled"
        if roll < 0.05:
            return "issued" if self.rng.random() < 0.2 else "received"
        return "received"

    def _approval(
        self,
        row: dict[str, Any],
        state: str,
        needs: bool,
        requester: Any,
        department: Any,
        created: datetime.datetime,
    ) -> str:
        """Write the approval (when one is needed) and return the requisition's status."""
        if state == "draft":
            return "draft"
        row["submitted_at"] = created
        if not needs and state in ("approved", "partial", "issued", "received", "cancelled"):
            row["_decided"] = created
            return state
        if not needs:
            row["needs_approval"] = True
            row["approval_reason"] = "本学期部门领用将超出限额"
        approval = self.approvals.add(
            Approval(
                request_type="requisition",
                model=Requisition,
                object_id=row["id"],
                title=row["purpose"],
                amount=row["estimated_amount"],
                category="",
                department=department,
                requester=requester,
                submitted=created,
                step_gap=datetime.timedelta(hours=1.5),
            )
        )
        row["_approval"] = approval
        steps = self.approvals.deciding(approval)
        if state.startswith("pending"):
            outcome = ["approve"] * min(int(state.split(":")[1]), max(steps - 1, 0))
        elif state == "rejected":
            outcome, approval.reason = ["reject"], "本学期已超限额，请下学期再领"
        elif state == "returned":
            outcome, approval.reason = ["return"], "数量偏多，请核减后再提交"
        elif state == "withdrawn":
            outcome, approval.withdrawn, approval.reason = [], created + 2 * H, "暂时不需要了"
        else:
            outcome = ["approve"] * steps
        approval.outcome = outcome
        row["_decided"] = approval.decided_at(len(outcome) - 1) if outcome else created
        return "pending" if state.startswith("pending") else state


def _issued(line: dict[str, Any]) -> Any:
    def done(qty: Decimal) -> None:
        line["issued"] = qty

    return done


def number_requisitions(store: Store, people: People) -> None:
    """Number the requisitions and name them in their approvals and stock movements."""
    number(store.requisitions, "LY", people.school.pk)
    numbers = {}
    for row in store.requisitions:
        numbers[row["id"]] = row["number"]
        approval = row.pop("_approval", None)
        row.pop("_decided", None)
        if approval is not None:
            approval.title = f"{row['number']} {row['purpose']}"
    for out in store.outs:
        if out.source_type == "requisition":
            out.reference = numbers[out.source_id]


def write_requisitions(store: Store) -> None:
    fast_insert(Requisition, store.requisitions)
    fast_insert(RequisitionLine, store.lines)


def repairs(school: Any, store: Store, people: People) -> int:
    """Parts the repairs took from the store: the maintenance demo's parts of the same name."""
    wanted = {
        item["name"]: pk
        for pk, item in store.items.items()
        if item["category"] in ("repair", "electrical")
    }
    department = people.departments.get("总务处") or people.departments.get("后勤处")
    parts = (
        WorkOrderPart.objects.filter(
            school=school, name__in=list(wanted), work_order__finished_at__isnull=False
        )
        .select_related("work_order")
        .order_by("work_order__finished_at", "pk")
    )
    linked: dict[int, list[int]] = {}
    for part in parts:
        order: WorkOrder = part.work_order
        item_id = wanted[part.name]
        spec = store.items[item_id]["specification"]
        if part.specification and part.specification != spec:
            continue
        linked.setdefault(item_id, []).append(part.pk)
        store.outs.append(
            Out(
                at=order.finished_at or order.reported_at,
                item_id=item_id,
                kind="repair",
                quantity=Decimal(part.quantity),
                reason=f"维修领用：{order.title}"[:300],
                department_id=department.pk if department else None,
                person_id=order.assignee_id,
                source_type="work_order",
                source_id=order.pk,
                reference=order.number,
                actor_id=order.assignee_id,
            )
        )
    for item_id, pks in linked.items():
        WorkOrderPart.objects.filter(pk__in=pks).update(stock_item_id=item_id)
    return sum(len(p) for p in linked.values())
