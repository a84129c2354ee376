"""One purchase order's story, from its consolidation to its last acceptance.

``order_story`` turns the approved request lines of one supplier group in one monthly round
into an order (DD-…) with its lines, its quotes when the amount needs them, its placing, its
deliveries and their acceptances (YS-…), or its cancellation. It writes nothing itself: the
rows go into the school's ``Round`` (written at once) and what the requests must know —
ordered, back to be ordered, received, closed short — into each request's events, which the
purchasing part replays in time order.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection

from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    AssetIntake,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    QuotationLine,
    Supplier,
)

from .base import Ctx, SchoolWorld, money
from .finance import Changes, later, photo

if TYPE_CHECKING:
    from .procurement import ReqLine

QUOTE_THRESHOLD = Decimal("5000")
INTENTION_THRESHOLD = Decimal("1000000")
TWO_ACCEPTORS = Decimal("2000")
CAPITALISATION = Decimal("1000")
GROUP_LABELS = {
    "office": "办公用品",
    "paper": "纸张",
    "printing": "打印耗材",
    "cleaning": "清洁用品",
    "hardware": "五金建材",
    "electrical": "电工器材",
    "lab": "实验器材",
    "teaching": "文教用品",
    "sports": "体育器材",
    "medical": "医疗用品",
    "protective": "劳保用品",
    "it": "信息化设备",
    "aircon": "空调",
    "furniture": "家具",
    "av": "多媒体设备",
    "signage": "宣传制作",
    "books": "图书",
    "safety": "消防器材",
    "canteen": "食堂用品",
}
CHOICES = ("报价最低，质量和售后满足要求。", "综合比较价格、交货期和售后服务，选择该供应商。")


class OrderLine:
    __slots__ = ("estimate", "id", "key", "members", "price", "quantity", "received")

    def __init__(self, pk: int, key: tuple[Any, ...], members: list[ReqLine]) -> None:
        self.id, self.key, self.members = pk, key, members
        self.quantity = sum((line.quantity for line in members), Decimal("0"))
        weighted = sum((line.quantity * line.price for line in members), Decimal("0"))
        self.estimate = money(weighted / self.quantity)
        self.price = self.estimate
        self.received = Decimal("0")

    @property
    def is_asset(self) -> bool:
        return self.price >= CAPITALISATION and self.key[3] is None


class Order:
    __slots__ = ("id", "lines", "moves", "number", "purchaser", "status", "supplier")

    def __init__(self, pk: int, number: str, purchaser: int, supplier: int | None) -> None:
        self.id, self.number, self.purchaser, self.supplier = pk, number, purchaser, supplier
        self.status = "draft"
        self.lines: list[OrderLine] = []
        self.moves: list[tuple[str, str, int | None, datetime.datetime, str]] = []

    def move(self, to: str, actor: int, at: datetime.datetime, reason: str = "") -> None:
        self.moves.append((self.status, to, actor, at, reason))
        self.status = to


class Round:
    """The purchasing rows of one school, collected while the stories are told."""

    def __init__(
        self, ctx: Ctx, school: SchoolWorld, suppliers: dict[str, list[tuple[int, str]]]
    ) -> None:
        self.ctx, self.school, self.suppliers = ctx, school, suppliers
        self.everyone = [entry for group in sorted(suppliers) for entry in suppliers[group]]
        self.rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.evaluators: list[tuple[int, int]] = []
        self.acceptors: list[tuple[int, int]] = []
        self.order_changes = Changes(PurchaseOrder)
        self.acceptance_changes = Changes(Acceptance)
        self.scores: dict[int, list[int]] = defaultdict(list)
        self.intakes: list[tuple[Any, ...]] = []
        self.serial = itertools.count(10)

    def key(self, model: type) -> int:
        return self.ctx.ids(model, 1).start

    def event(self, line: ReqLine, at: datetime.datetime, kind: str, data: Any) -> None:
        line.request.events.append((at, next(self.serial), kind, data))

    def write(self) -> None:
        ctx = self.ctx
        for model in (
            PurchaseOrder,
            PurchaseOrderLine,
            Quotation,
            QuotationLine,
            Acceptance,
            AcceptanceLine,
            AssetIntake,
        ):
            ctx.insert(model, self.rows.pop(model, []))
        for model, pairs, name in (
            (PurchaseOrder.evaluators.through, self.evaluators, "purchaseorder_id"),
            (Acceptance.acceptors.through, self.acceptors, "acceptance_id"),
        ):
            ctx.insert(model, ({name: owner, "user_id": user} for owner, user in pairs))
        self.order_changes.write(ctx)
        self.acceptance_changes.write(ctx)
        ratings = [
            (
                money(Decimal(sum(scores)) / len(scores)),
                len(scores),
                supplier,
            )
            for supplier, scores in self.scores.items()
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Supplier._meta.db_table} SET rating = %s, rated_deliveries = %s "
                "WHERE id = %s",
                ratings,
            )


def order_story(
    state: Round, rng: random.Random, at: datetime.datetime, group: str, lines: list[ReqLine]
) -> list[tuple[datetime.datetime, ReqLine]]:
    """One order of ``lines`` consolidated at ``at``; returns the lines that go back to be
    ordered (when the order is cancelled) with the moment they do."""
    ctx, school = state.ctx, state.school
    purchaser = school.person("purchaser", rng)
    candidates = state.suppliers.get(group) or state.everyone
    supplier, supplier_name = rng.choice(candidates)
    order = Order(
        state.key(PurchaseOrder), ctx.number(school.id, "DD", at.date()), purchaser, supplier
    )
    keyed: dict[tuple[Any, ...], list[ReqLine]] = {}
    for line in sorted(lines, key=lambda line: line.id):
        keyed.setdefault((line.name, line.spec, line.unit, line.stock_item), []).append(line)
    order.lines = [
        OrderLine(state.key(PurchaseOrderLine), key, members) for key, members in keyed.items()
    ]
    _announce(state, order, at, "order", purchaser)
    agreed = {
        line.id: money(line.estimate * Decimal(str(round(rng.uniform(0.85, 1.05), 2))))
        for line in order.lines
    }
    estimated = sum((money(line.quantity * line.estimate) for line in order.lines), Decimal("0"))
    value = max(
        estimated,
        sum((money(line.quantity * agreed[line.id]) for line in order.lines), Decimal("0")),
    )
    quoted = value >= QUOTE_THRESHOLD
    placed = later(ctx, at, rng, *((6, 12) if quoted else (1, 4)))
    if quoted:
        _quotes(state, rng, order, at, placed, agreed, candidates)
    if placed is not None:
        for line in order.lines:
            line.price = agreed[line.id]
        order.move("placed", purchaser, placed)
    elif quoted:
        order.supplier = None
    back: list[tuple[datetime.datetime, ReqLine]] = []
    sure = any(line.request.sure for line in lines)
    if placed is not None:
        cancelled = later(ctx, placed, rng, 1, 5) if rng.random() < 0.02 and not sure else None
        if cancelled is not None:
            order.move("cancelled", purchaser, cancelled, "供应商无法按期供货，取消订单")
            _announce(state, order, cancelled, "unorder", purchaser, "供应商无法按期供货，取消订单")
            back = [(cancelled, member) for line in order.lines for member in line.members]
        else:
            _deliveries(state, rng, order, placed, supplier_name, sure)
    total = sum((money(line.quantity * line.price) for line in order.lines), Decimal("0"))
    state.rows[PurchaseOrder].append(
        {
            "id": order.id,
            "created_at": at,
            "updated_at": order.moves[-1][3] if order.moves else at,
            "school_id": school.id,
            "number": order.number,
            "title": f"{at.year}年{at.month}月统一采购（{GROUP_LABELS.get(group, group)}）",
            "supplier_id": order.supplier,
            "purchaser_id": purchaser,
            "status": order.status,
            "total": total,
            "estimated_total": estimated,
            "line_count": len(order.lines),
            "merged_count": 0
            if order.status == "cancelled"
            else sum(len(line.members) for line in order.lines),
            "expected_on": (placed + datetime.timedelta(days=rng.randrange(7, 15))).date()
            if placed
            else None,
            "delivery_address": "",
            "choice_reason": rng.choice(CHOICES) if quoted and placed else "",
            "intention_published_on": (placed - datetime.timedelta(days=35)).date()
            if placed and value >= INTENTION_THRESHOLD
            else None,
            "intention_url": "",
            "placed_at": placed,
            "notes": "",
        }
    )
    state.rows[PurchaseOrderLine].extend(
        {
            "id": line.id,
            "order_id": order.id,
            "item_name": line.key[0],
            "specification": line.key[1],
            "unit": line.key[2],
            "quantity": line.quantity,
            "unit_price": line.price,
            "estimated_price": line.estimate,
            "stock_item_id": line.key[3],
            "is_asset": line.is_asset,
            "received": line.received,
            "returned": Decimal("0"),
        }
        for line in order.lines
    )
    state.order_changes.add(order.id, school.id, order.moves)
    return back


def _announce(
    state: Round, order: Order, at: datetime.datetime, kind: str, actor: int, reason: str = ""
) -> None:
    """Tell each request of the order that its lines were ordered, given back or closed."""
    by_request: dict[int, list[ReqLine]] = defaultdict(list)
    owner: dict[int, int] = {}
    for line in order.lines:
        for member in line.members:
            by_request[member.request.id].append(member)
            owner[member.id] = line.id
    for members in by_request.values():
        data = (actor, members, owner) if kind == "order" else (actor, members, reason)
        state.event(members[0], at, kind, data)


def _quotes(
    state: Round,
    rng: random.Random,
    order: Order,
    at: datetime.datetime,
    placed: datetime.datetime | None,
    agreed: dict[int, Decimal],
    candidates: list[tuple[int, str]],
) -> None:
    """Three quotes (the chosen supplier's is the lowest); only those given by now while the
    order is still being priced."""
    ctx, school = state.ctx, state.school
    others = [entry[0] for entry in candidates if entry[0] != order.supplier]
    others += [
        entry[0]
        for entry in state.everyone
        if entry[0] != order.supplier and entry[0] not in others
    ]
    quoters = [order.supplier, *rng.sample(others, min(2, len(others)))]
    moments = sorted(at + datetime.timedelta(days=rng.uniform(0.5, 5)) for _ in quoters)
    first = True
    for supplier, moment in zip(quoters, moments, strict=True):
        if moment > (placed or ctx.now):
            continue
        chosen = supplier == order.supplier and placed is not None
        factor = (
            Decimal("1")
            if supplier == order.supplier
            else Decimal(str(round(rng.uniform(1.02, 1.2), 2)))
        )
        prices = {line.id: money(agreed[line.id] * factor) for line in order.lines}
        pk = state.key(Quotation)
        state.rows[Quotation].append(
            {
                "id": pk,
                "order_id": order.id,
                "supplier_id": supplier,
                "total": sum(
                    (money(line.quantity * prices[line.id]) for line in order.lines), Decimal("0")
                ),
                "quoted_on": moment.date(),
                "valid_until": moment.date() + datetime.timedelta(days=30),
                "delivery_days": rng.randrange(3, 16),
                "notes": "",
                "is_chosen": chosen,
                "created_at": moment,
            }
        )
        state.rows[QuotationLine].extend(
            {"quotation_id": pk, "order_line_id": line.id, "unit_price": prices[line.id]}
            for line in order.lines
        )
        if first:
            order.move("quoting", order.purchaser, moment)
            first = False
    if placed is not None:
        people = {order.purchaser, school.person("director", rng), school.person("accountant", rng)}
        state.evaluators.extend((order.id, person) for person in sorted(people))


def _deliveries(
    state: Round,
    rng: random.Random,
    order: Order,
    placed: datetime.datetime,
    supplier_name: str,
    sure: bool,
) -> None:
    """Deliveries until everything is received, the order is closed short, or now."""
    roll = 0.0 if sure else rng.random()
    kind = "full" if roll < 0.8 else ("partial" if roll < 0.95 else "short")
    moment = later(state.ctx, placed, rng, 3, 15)
    delivery = 0
    while moment is not None and any(line.received < line.quantity for line in order.lines):
        delivery += 1
        parts = kind != "full" and delivery == 1
        if not _accept(state, rng, order, moment, parts, supplier_name):
            return
        if all(line.received >= line.quantity for line in order.lines):
            return
        if kind == "short":
            closed = later(state.ctx, moment, rng, 20, 40)
            if closed is not None:
                reason = "剩余货物供应商缺货，不再供货"
                order.move("closed", order.purchaser, closed, reason)
                _announce(state, order, closed, "close", order.purchaser, reason)
            return
        moment = later(state.ctx, moment, rng, 5, 20)


def _accept(
    state: Round,
    rng: random.Random,
    order: Order,
    moment: datetime.datetime,
    parts: bool,
    supplier_name: str,
) -> bool:
    """One delivery and its acceptance; False when the acceptance is still a draft."""
    ctx, school = state.ctx, state.school
    day = moment.date()
    store = any(line.key[3] is not None for line in order.lines)
    recorder = school.person("storekeeper" if store else "purchaser", rng)
    given: list[tuple[OrderLine, Decimal, Decimal]] = []
    for line in order.lines:
        due = line.quantity - line.received
        if due <= 0:
            continue
        if parts and rng.random() < 0.5:
            due = Decimal(int(due * Decimal(str(round(rng.uniform(0.3, 0.8), 2)))))
        rejected = (
            Decimal(max(1, int(due) // 10)) if due >= 2 and rng.random() < 0.04 else Decimal("0")
        )
        if due > 0:
            given.append((line, due, rejected))
    if not given:
        line = next(line for line in order.lines if line.received < line.quantity)
        given.append((line, line.quantity - line.received, Decimal("0")))
    draft = day >= ctx.today - datetime.timedelta(days=2) and rng.random() < 0.5
    if rng.random() < 0.01 and not draft:
        _acceptance(state, rng, order, moment, given, recorder, "cancelled", supplier_name)
    _acceptance(
        state, rng, order, moment, given, recorder, "draft" if draft else "confirmed", supplier_name
    )
    return not draft


def _acceptance(
    state: Round,
    rng: random.Random,
    order: Order,
    moment: datetime.datetime,
    given: list[tuple[OrderLine, Decimal, Decimal]],
    recorder: int,
    status: str,
    supplier_name: str,
) -> None:
    ctx, school = state.ctx, state.school
    pk = state.key(Acceptance)
    day = moment.date()
    number = ctx.number(school.id, "YS", day)
    confirmed = min(ctx.now, moment + datetime.timedelta(minutes=rng.randrange(20, 90)))
    value = sum((money(due * line.price) for line, due, _r in given), Decimal("0"))
    rejected_any = any(rejected for _l, _d, rejected in given)
    score = rng.choices((5, 4, 3, 2), (60, 30, 8, 2))[0] - (1 if rejected_any else 0)
    amount = Decimal("0")
    first_department = order.lines[0].members[0].request.department
    for line, due, rejected in given:
        accepted = due - rejected
        line_pk = state.key(AcceptanceLine)
        state.rows[AcceptanceLine].append(
            {
                "id": line_pk,
                "acceptance_id": pk,
                "order_line_id": line.id,
                "delivered": due,
                "accepted": accepted,
                "rejected": rejected,
                "note": "外包装破损，退回供应商" if rejected else "",
                "returned_later": Decimal("0"),
            }
        )
        if status != "confirmed" or accepted == 0:
            continue
        amount += money(accepted * line.price)
        line.received += accepted
        _shares(state, line, accepted, confirmed, recorder, pk, number)
        if line.is_asset and int(accepted) >= 1:
            _intake(state, line, line_pk, int(accepted), day, confirmed, supplier_name, number)
    people = {recorder}
    if value >= TWO_ACCEPTORS or rng.random() < 0.3:
        people.add(school.department_heads.get(first_department) or school.person("director", rng))
        if len(people) < 2:
            people.add(school.person("director", rng))
    state.acceptors.extend((pk, person) for person in sorted(people))
    result = "accepted" if not rejected_any else "partly"
    if status == "confirmed":
        state.scores[order.supplier or 0].append(score)
        state.acceptance_changes.add(
            pk, school.id, [("draft", "confirmed", recorder, confirmed, "")]
        )
        target = (
            "received" if all(line.received >= line.quantity for line in order.lines) else "partial"
        )
        if target != order.status:
            order.move(target, recorder, confirmed)
        if rng.random() < 0.05:
            photo(ctx, Acceptance, (pk, school.id, recorder, moment))
    elif status == "cancelled":
        state.acceptance_changes.add(
            pk, school.id, [("draft", "cancelled", recorder, confirmed, "重复录入")]
        )
    state.rows[Acceptance].append(
        {
            "id": pk,
            "created_at": moment,
            "updated_at": confirmed if status != "draft" else moment,
            "school_id": school.id,
            "number": number,
            "order_id": order.id,
            "delivered_on": day,
            "delivery_note": f"SH{day:%Y%m%d}{pk % 1000:03d}",
            "result": result if status == "confirmed" else "accepted",
            "quality_score": max(1, score),
            "notes": "部分货物外包装破损，已退回供应商。" if rejected_any else "",
            "status": status,
            "amount": amount,
            "confirmed_at": confirmed if status == "confirmed" else None,
            "recorded_by_id": recorder,
        }
    )


def _shares(
    state: Round,
    line: OrderLine,
    accepted: Decimal,
    at: datetime.datetime,
    actor: int,
    acceptance: int,
    number: str,
) -> None:
    """The accepted quantity fills the order line's request lines in id order."""
    before = line.received - accepted  # accepted by earlier deliveries, in the same order
    left = accepted
    for member in line.members:
        filled = min(member.quantity, max(Decimal("0"), before))
        before -= member.quantity
        share = min(left, member.quantity - filled)
        if share > 0:
            left -= share
            state.event(
                member, at, "receive", (actor, member, share, line.price, acceptance, number)
            )
        if left <= 0:
            break


def _intake(
    state: Round,
    line: OrderLine,
    acceptance_line: int,
    quantity: int,
    day: datetime.date,
    at: datetime.datetime,
    supplier_name: str,
    number: str,
) -> None:
    pk = state.key(AssetIntake)
    department = line.members[0].request.department
    state.rows[AssetIntake].append(
        {
            "id": pk,
            "created_at": at,
            "updated_at": at,
            "school_id": state.school.id,
            "acceptance_line_id": acceptance_line,
            "name": line.key[0],
            "specification": line.key[1],
            "unit": line.key[2][:20],
            "quantity": quantity,
            "unit_price": line.price,
            "supplier_name": supplier_name,
            "department_id": department,
            "received_on": day,
            "status": "waiting",
            "asset_id": None,
        }
    )
    state.intakes.append(
        (
            pk,
            number,
            line.key[0],
            line.key[1],
            line.key[2],
            quantity,
            line.price,
            supplier_name,
            department,
            day,
        )
    )
