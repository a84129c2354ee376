"""Demo purchasing: requests by departments and by the store, consolidated by the purchaser
into orders per supplier in monthly rounds (三方比价 above the threshold), accepted by two
people, with the budget money committed, spent and released as the services would."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from houqin.assets.models import AssetSettings
from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    Quotation,
    QuotationLine,
)

from . import supplies_data as d
from .maintenance_story import fast_insert, reserve_keys
from .supplies_budget import Book
from .supplies_common import DAY, Approval, Approvals, Clock, H, People, money, number
from .supplies_ledger import Round
from .supplies_receiving import Receiving
from .supplies_store import Store

CATEGORY_TITLE = {"office": "办公用品", "repair": "维修材料", "teaching": "教学体育用品"}
# Recent department requests in every state: (state, template title, department, requester)
CURRENT = [
    ("draft", "办公家具", "教务处", "t0006"),
    ("draft", "活动展板横幅", "高二年级组", "t0016"),
    ("draft", "图书室新书", "教务处", "t0006"),
    ("pending:0", "教室投影设备更换", "教务处", "t0006"),
    ("pending:0", "运动会奖品", "高一年级组", "teacher"),
    ("pending:0", "激光打印机", "教务处", "t0007"),
    ("pending:1", "实验室器材补充", "教务处", "t0007"),
    ("pending:1", "维修材料", "安全办", "t0011"),
    ("pending:1", "活动展板横幅", "高一年级组", "teacher"),
    ("pending:2", "交互式智能平板", "教务处", "depthead"),
    ("pending:2", "办公电脑更新", "总务处", "storekeeper"),
    ("pending:2", "年级组复印机", "教务处", "t0006"),
    ("returned", "办公室空调", "总务处", "t0010"),
    ("returned", "运动会奖品", "高二年级组", "t0016"),
    ("withdrawn", "化学试剂", "教务处", "t0007"),
    ("cancelled", "教学挂图与教具", "高二年级组", "t0016"),
    ("rejected", "学生课桌椅补充", "总务处", "worker"),
    ("approved", "消防器材更新", "安全办", "safety"),
    ("approved", "化学试剂", "教务处", "t0007"),
    ("approved", "教学挂图与教具", "高一年级组", "t0002"),
    ("approved", "办公室空调", "食堂", "canteen"),
    ("ordered", "办公电脑更新", "教务处", "depthead"),
    ("ordered", "激光打印机", "总务处", "director"),
    ("ordered", "维修材料", "总务处", "worker"),
    ("ordered", "活动展板横幅", "政教处", "t0005"),
    ("ordered", "食堂餐具", "食堂", "canteen"),
    ("ordering", "办公家具", "教务处", "t0006"),
    ("ordering", "体育器材补充", "政教处", "t0001"),
]
KG_CURRENT = [
    ("pending:0", "激光打印机", "保教处", "k0002"),
    ("approved", "图书室新书", "保教处", "k0001"),
    ("draft", "办公室空调", "园长室", "kg-principal"),
]
REASONS = {
    "equipment": "现有设备老化，影响正常教学办公，申请更新。",
    "teaching": "教学需要，按学期计划采购。",
    "event": "学校活动需要。",
    "repair": "校舍日常维修需要。",
    "canteen": "食堂日常运营需要。",
    "office": "日常办公需要。",
}


@dataclass
class Request:
    row: dict[str, Any]
    lines: list[dict[str, Any]]
    group: str
    department: Any
    state: str
    approved: datetime.datetime | None = None
    round: int | None = None  # the round that orders it
    store_items: dict[int, dict[str, Any]] = field(default_factory=dict)
    current: bool = False  # one of today's requests: not ordered in a past round


class Purchasing(Receiving):
    def __init__(
        self,
        school: Any,
        people: People,
        store: Store,
        book: Book,
        suppliers: dict[str, list[dict[str, Any]]],
        approvals: Approvals,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.school, self.people, self.store, self.book = school, people, store, book
        self.suppliers, self.approvals, self.clock, self.rng = suppliers, approvals, clock, rng
        self.kg = school.kind == "kindergarten"
        self.threshold = AssetSettings.for_school(school.pk).capitalisation_threshold
        from houqin.procurement.models import ProcurementSettings

        self.config, _created = ProcurementSettings.objects.get_or_create(school=school)
        self.requests: list[Request] = []
        self.orders: list[dict[str, Any]] = []
        self.order_lines: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.quote_lines: list[dict[str, Any]] = []
        self.acceptances: list[dict[str, Any]] = []
        self.acceptance_lines: list[dict[str, Any]] = []
        self.acceptors: list[tuple[int, int]] = []
        self.evaluators: list[tuple[int, int]] = []
        self.accepted_assets: list[tuple[dict[str, Any], dict[str, Any], Request]] = []
        self.ids = {
            m: _first_id(m)
            for m in (
                PurchaseRequest,
                PurchaseRequestLine,
                PurchaseOrder,
                PurchaseOrderLine,
                Quotation,
                QuotationLine,
                Acceptance,
                AcceptanceLine,
            )
        }
        self.purchaser = people.users.get("purchaser") or people.users.get("kg-director")
        self.keeper = people.users.get("storekeeper") or people.users.get("kg-director")
        self.director = people.users.get("director") or people.users.get("kg-director")
        self.accountant = people.users.get("accountant") or people.users.get("kg-principal")
        self.assetkeeper = people.users.get("assetkeeper") or people.users.get("kg-director")

    def _id(self, model: type[Any]) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    # -- requests ------------------------------------------------------------------------

    def _request(
        self,
        *,
        title: str,
        department: Any,
        requester: Any,
        category: str,
        created: datetime.datetime,
        lines: list[tuple[Any, ...]],
        group: str,
        state: str,
        reason: str,
    ) -> Request | None:
        line = self.book.line(department.name, category, timezone.localdate(created))
        if line is None:
            return None
        pk = self._id(PurchaseRequest)
        rows: list[dict[str, Any]] = []
        for name, spec, unit, qty, price, item_id in lines:
            rows.append(
                {
                    "id": self._id(PurchaseRequestLine),
                    "request_id": pk,
                    "item_name": name,
                    "specification": spec,
                    "quantity": qty,
                    "unit": unit,
                    "estimated_price": price,
                    "stock_item_id": item_id,
                    "status": "open",
                    "order_line_id": None,
                    "received": Decimal(0),
                }
            )
        total = sum((money(r["quantity"] * r["estimated_price"]) for r in rows), Decimal(0))
        row = {
            "id": pk,
            "school_id": self.school.pk,
            "title": title,
            "department_id": department.pk,
            "requester_id": requester.pk,
            "category": category,
            "budget_line_id": line.row["id"],
            "reason": reason,
            "needed_by": timezone.localdate(created) + 30 * DAY,
            "status": "draft",
            "estimated_total": total,
            "committed": Decimal(0),
            "submitted_at": None,
            "approved_at": None,
            "created_at": created,
            "updated_at": created,
            "_line": line,
            "_requester": requester,
        }
        request = Request(row, rows, group, department, state)
        self.requests.append(request)
        self._approve(request)
        return request

    def _approve(self, request: Request) -> None:
        row, state = request.row, request.state
        if state == "draft":
            return
        created = row["created_at"]
        row["submitted_at"] = created
        approval = Approval(
            request_type="purchase_request",
            model=PurchaseRequest,
            object_id=row["id"],
            title=row["title"],
            amount=row["estimated_total"],
            category=row["category"],
            department=request.department,
            requester=row["_requester"],
            submitted=created,
            step_gap=datetime.timedelta(hours=self.rng.uniform(3, 20)),
        )
        steps = self.approvals.deciding(approval)
        if state.startswith("pending"):
            approval.outcome = ["approve"] * min(int(state.split(":")[1]), max(steps - 1, 0))
        elif state == "rejected":
            approval.outcome = ["approve"] * min(1, steps - 1) + ["reject"]
            approval.reason = "预算紧张，本学期暂缓采购。"
        elif state == "returned":
            approval.outcome, approval.reason = ["return"], "请补充三家询价记录和详细规格。"
        elif state == "withdrawn":
            approval.withdrawn, approval.reason = created + 3 * H, "规格需要重新确认"
        else:
            approval.outcome = ["approve"] * steps
        self.approvals.add(approval)
        row["_approval"] = approval
        row["status"] = "pending" if state.startswith("pending") else state
        if (
            approval.outcome
            and approval.outcome[-1] == "approve"
            and len(approval.outcome) == steps
        ):
            approved = approval.decided_at(steps - 1) if steps else created
            row["approved_at"] = request.approved = approved
            row["status"] = "approved"
            row["committed"] = row["estimated_total"]
            self.book.add(
                row["_line"],
                approved,
                "commit",
                row["estimated_total"],
                source_type="purchase_request",
                source_id=row["id"],
                _request=row,
                actor_id=None,
            )

    def department_history(self, count: int, start: datetime.date, end: datetime.date) -> None:
        templates = [t for t in d.PURCHASES if any(n in self.people.departments for n in t[4])]
        span = (end - start).days
        for _n in range(count):
            group, category, title, lines, names = self.rng.choice(templates)
            day = self.clock.workday(start + datetime.timedelta(days=self.rng.randrange(span)))
            if day.month in (7, 8) and self.rng.random() < 0.7:
                continue
            name = self.rng.choice([n for n in names if n in self.people.departments])
            roll = self.rng.random()
            state = (
                "rejected"
                if roll < 0.06
                else "withdrawn"
                if roll < 0.08
                else "cancelled"
                if roll < 0.1
                else "approved"
            )
            self._department(group, category, title, lines, name, None, self.clock.at(day), state)

    def department_current(self) -> None:
        templates = {t[2]: t for t in d.PURCHASES}
        for n, (state, title, name, who) in enumerate(KG_CURRENT if self.kg else CURRENT):
            group, category, _title, lines, _names = templates[title]
            if name not in self.people.departments or who not in self.people.users:
                continue
            hours = 6 + n * 13
            if state in ("ordered", "ordering"):
                hours = 24 * 14 + n * 5
            created = self.clock.now - hours * H
            before = len(self.requests)
            self._department(
                group, category, title, lines, name, self.people.users[who], created, state
            )
            if len(self.requests) > before:
                self.requests[-1].current = True

    def _department(
        self,
        group: str,
        category: str,
        title: str,
        lines: list[d.Line],
        name: str,
        requester: Any,
        created: datetime.datetime,
        state: str,
    ) -> None:
        department = self.people.departments[name]
        if requester is None:
            staff = self.people.staff_by_department.get(name) or [self.director]
            requester = self.rng.choice(staff)
        # A request being ordered shows a line still waiting: it needs two lines at least.
        least = min(2 if state == "ordering" else 1, len(lines))
        chosen = (
            lines
            if len(lines) == 1
            else self.rng.sample(lines, max(least, self.rng.randint(1, len(lines))))
        )
        items = []
        for item, spec, unit, price, low, high in chosen:
            qty = self.rng.randint(low, high)
            if self.kg:
                qty = max(1, qty // 3)
            items.append((item, spec, unit, Decimal(qty), Decimal(price), None))
        tag = f"{department.name}{title}" if not title.startswith(department.name) else title
        request = self._request(
            title=tag,
            department=department,
            requester=requester,
            category=category,
            created=created,
            lines=items,
            group=group,
            state=state if state != "cancelled" else "approved",
            reason=REASONS.get(category, "工作需要。"),
        )
        if request is not None and state == "cancelled":
            request.state = "cancelled"

    def store_round(self, n: int, r: Round, items: dict[int, dict[str, Any]]) -> None:
        """The storekeeper's replenishment requests for one round, one per budget category."""
        by_category: dict[str, list[tuple[int, Decimal, Decimal]]] = {}
        for item_id, (qty, cost) in sorted(r.needs.items()):
            category = d.BUDGET_OF[items[item_id]["category"]]
            by_category.setdefault(category, []).append((item_id, qty, cost))
        department = self.people.departments.get("总务处") or self.people.departments["后勤处"]
        created = r.at - 16 * DAY if not r.future else self.clock.now - 30 * H
        for category, needs in by_category.items():
            lines = []
            for item_id, qty, _cost in needs:
                item = items[item_id]
                estimate = money(item["price"] * Decimal("1.08"))
                lines.append(
                    (item["name"], item["specification"], item["unit"], qty, estimate, item_id)
                )
            month = timezone.localtime(r.at).strftime("%Y年%m月")
            request = self._request(
                title=f"库存物资补货（{CATEGORY_TITLE.get(category, category)}）{month}",
                department=department,
                requester=self.keeper,
                category=category,
                created=created,
                lines=lines,
                group="store",
                state=("draft" if self.kg else "pending:1") if r.future else "approved",
                reason="库存低于最低库存，按下次补货前的预计领用量补足。",
            )
            if request is not None and not r.future:
                request.round = n
                request.store_items = {i: {"cost": c, "qty": q} for i, q, c in needs}

    # -- orders --------------------------------------------------------------------------

    def consolidate(self, rounds: list[Round]) -> None:
        """Give every approved request to the round that orders it and write the orders."""
        past = [(n, r) for n, r in enumerate(rounds) if not r.future and not r.opening]
        for request in self.requests:
            if request.state not in ("approved", "cancelled") or request.group == "store":
                continue
            assert request.approved is not None
            ready = request.approved + 5 * DAY
            if not request.current:
                request.round = next((n for n, r in past if r.at >= ready), None)
            if request.round is None and request.state == "cancelled":
                self._cancel_request(request, min(ready, self.clock.now - H))
        for n, r in past:
            batch = [q for q in self.requests if q.round == n]
            self._round_orders(r, batch)
        self._current_orders([q for q in self.requests if q.round is None])

    def _split(self, batch: list[Request]) -> dict[str, list[tuple[Request, dict[str, Any]]]]:
        groups: dict[str, list[tuple[Request, dict[str, Any]]]] = {}
        for request in batch:
            for line in request.lines:
                if request.group == "store":
                    group = self.store.items[line["stock_item_id"]]["group"]
                else:
                    group = request.group
                groups.setdefault(group, []).append((request, line))
        return groups

    def _round_orders(self, r: Round, batch: list[Request]) -> None:
        for request in batch:
            if request.state == "cancelled":
                self._cancel_request(request, r.at - 10 * DAY)
        live = [q for q in batch if q.state != "cancelled"]
        for group, lines in sorted(self._split(live).items()):
            order = self._order(group, lines, r.at, "received", r)
            if order is not None and self.rng.random() < 0.02:
                self._cancelled_copy(group, lines, r.at)

    def _current_orders(self, waiting: list[Request]) -> None:
        ordered = [q for q in waiting if q.state in ("ordered", "ordering")]
        for request in ordered:
            request.approved = request.approved or request.row["approved_at"]
        states = ["placed", "partial", "quoting", "placed", "draft", "placed"]
        for n, (group, lines) in enumerate(sorted(self._split(ordered).items())):
            keep = [
                (q, line)
                for q, line in lines
                if not (q.state == "ordering" and line is q.lines[-1] and len(q.lines) > 1)
            ]
            if not keep:
                continue
            at = self.clock.now + datetime.timedelta(days=8)
            self._order(group, keep, at, states[n % len(states)], None)

    def _supplier(self, group: str) -> dict[str, Any]:
        pool = self.suppliers.get(group) or self.suppliers.get("office") or []
        chosen: dict[str, Any] = self.rng.choice(pool)
        return chosen

    def _order(
        self,
        group: str,
        lines: list[tuple[Request, dict[str, Any]]],
        due: datetime.datetime,
        state: str,
        r: Round | None,
    ) -> dict[str, Any] | None:
        if not lines:
            return None
        supplier = self._supplier(group)
        pk = self._id(PurchaseOrder)
        created = due - 12 * DAY if state == "received" else self.clock.now - 9 * DAY
        latest = max((q.approved for q, _x in lines if q.approved is not None), default=None)
        if latest is not None:
            created = max(created, latest + 2 * H)
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        for request, line in lines:
            key = (line["item_name"], line["specification"], line["unit"], line["stock_item_id"])
            target = merged.get(key)
            if target is None:
                target = merged[key] = {
                    "id": self._id(PurchaseOrderLine),
                    "order_id": pk,
                    "item_name": line["item_name"],
                    "specification": line["specification"],
                    "unit": line["unit"],
                    "quantity": Decimal(0),
                    "stock_item_id": line["stock_item_id"],
                    "received": Decimal(0),
                    "returned": Decimal(0),
                    "_estimate": Decimal(0),
                    "_requests": [],
                }
            target["quantity"] += line["quantity"]
            target["_estimate"] += line["quantity"] * line["estimated_price"]
            target["_requests"].append((request, line))
            line["order_line_id"] = target["id"]
            line["status"] = "ordered"
        for target in merged.values():
            target["estimated_price"] = money(target["_estimate"] / target["quantity"])
            item_id = target["stock_item_id"]
            if item_id is not None and r is not None and item_id in r.needs:
                price = money(r.needs[item_id][1])
            else:
                price = money(target["estimated_price"] * Decimal(self.rng.uniform(0.9, 0.96)))
            target["unit_price"] = price
            target["is_asset"] = price >= self.threshold
        order_lines = list(merged.values())
        total = sum((money(x["quantity"] * x["unit_price"]) for x in order_lines), Decimal(0))
        estimate = sum(
            (money(x["quantity"] * x["estimated_price"]) for x in order_lines), Decimal(0)
        )
        names = "、".join(dict.fromkeys(x["item_name"] for x in order_lines))
        title = names if len(names) <= 30 else names[:28] + "等"
        if state == "quoting" and estimate < self.config.quote_threshold:
            state = "placed"  # small orders go straight to a supplier
        lead = min(4 * DAY, (due - created) / 4) if due > created else H
        placed = created + lead if state not in ("draft", "quoting") else None
        order = {
            "id": pk,
            "school_id": self.school.pk,
            "title": f"{title}采购",
            "supplier_id": supplier["id"] if state not in ("draft", "quoting") else None,
            "purchaser_id": self.purchaser.pk,
            "status": state,
            "total": total,
            "estimated_total": estimate,
            "line_count": len(order_lines),
            "merged_count": sum(len(x["_requests"]) for x in order_lines),
            "expected_on": timezone.localdate(due),
            "delivery_address": "学校总务处仓库" if not self.kg else "幼儿园后勤仓库",
            "choice_reason": "",
            "intention_published_on": None,
            "intention_url": "",
            "placed_at": placed,
            "notes": "",
            "created_at": created,
            "updated_at": placed or created,
        }
        self.orders.append(order)
        self.order_lines.extend(order_lines)
        if estimate >= self.config.quote_threshold:
            self._quotes(order, order_lines, group, supplier, created, state)
        if state == "received":
            if due < self.clock.now - 90 * DAY:
                order["status"] = "closed"
            self._accept(order, order_lines, due, full=True)
        elif state == "partial":
            self._accept(order, order_lines, self.clock.now - 2 * DAY, full=False)
        return order

    # -- writing -------------------------------------------------------------------------

    def finish(self, rounds: list[Round]) -> None:
        """Statuses of the open requests, numbers, links of the receipts to acceptances."""
        for request in self.requests:
            row = request.row
            if row["status"] in ("approved",) and request.state in ("ordered", "ordering"):
                statuses = {x["status"] for x in request.lines}
                row["status"] = "ordered" if statuses <= {"ordered", "received"} else "ordering"
                if "received" in statuses and statuses == {"received"}:
                    row["status"] = "received"
        requests = [q.row for q in self.requests]
        number(requests, "CG", self.school.pk)
        number(self.orders, "DD", self.school.pk)
        number(self.acceptances, "YS", self.school.pk)
        numbers = {a["id"]: a["number"] for a in self.acceptances}
        for request in self.requests:
            approval = request.row.pop("_approval", None)
            if approval is not None:
                approval.title = f"{request.row['number']} {request.row['title']}"
        for line in self.book.lines.values():
            line.events = [
                (at, s, kind, amount, _reference(extra, numbers))
                for at, s, kind, amount, extra in line.events
            ]
        by_line = {x["id"]: x for x in self.order_lines}
        acceptances = {a["id"]: a for a in self.acceptances}
        for acceptance_line in self.acceptance_lines:
            order_line = by_line[acceptance_line["order_line_id"]]
            item_id = order_line["stock_item_id"]
            if item_id is None:
                continue
            acceptance = acceptances[acceptance_line["acceptance_id"]]
            for r in rounds:
                receipt = r.receipts.get(item_id)
                if receipt is not None and receipt["at"] == acceptance["confirmed_at"]:
                    receipt.update(
                        source_type="acceptance",
                        source_id=acceptance["id"],
                        reference=acceptance["number"],
                        actor_id=self.keeper.pk,
                    )

    def write(self) -> None:
        fast_insert(PurchaseRequest, [q.row for q in self.requests])
        fast_insert(PurchaseOrder, self.orders)
        fast_insert(PurchaseOrderLine, self.order_lines)
        fast_insert(PurchaseRequestLine, [x for q in self.requests for x in q.lines])
        fast_insert(Quotation, self.quotes)
        fast_insert(QuotationLine, self.quote_lines)
        fast_insert(Acceptance, self.acceptances)
        fast_insert(AcceptanceLine, self.acceptance_lines)
        m2m = Acceptance.acceptors.through
        m2m.objects.bulk_create([m2m(acceptance_id=a, user_id=u) for a, u in self.acceptors])
        by = PurchaseOrder.evaluators.through
        by.objects.bulk_create([by(purchaseorder_id=o, user_id=u) for o, u in self.evaluators])


def _reference(extra: dict[str, Any], numbers: dict[int, str]) -> dict[str, Any]:
    if "_request" in extra:
        return {**extra, "reference": extra["_request"]["number"]}
    if "_acceptance" in extra:
        return {**extra, "reference": numbers[extra["_acceptance"]]}
    return extra


def _first_id(model: type[Any]) -> int:
    probe: dict[str, Any] = {}
    reserve_keys(model, [probe])
    return int(probe["id"])
