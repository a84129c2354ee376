"""Purchasing: suppliers, purchase requests (CG-…), orders (DD-…) with quotes, acceptances
(YS-…), assets waiting for their cards, and the budget money of every step.

Per school: about 30 suppliers with their 统一社会信用代码, contacts and qualifications (some
expiring or expired); requests with lines (``ctx.spread(preset.purchase_lines)`` lines per
school) by the departments and, where the store part left its items
(``ctx.shared["stock_items"]``), restocking requests of the store, through their approvals.
Approved lines are consolidated in a monthly round into one order per supplier; orders from
the quote threshold get three quotes, a choice and its evaluators; placed orders are
delivered, some in parts, some closed short or cancelled (their lines go to the next round),
and each delivery is accepted (验收) with its lines; fixed-asset lines become asset intakes
waiting for the asset keeper. They are left in ``ctx.shared["asset_intakes"]`` =
``{school_id: [(intake id, acceptance number, name, specification, unit, quantity, unit
price, supplier name, department id, received on)]}`` for a later part that registers cards
(it then sets the intake's ``status`` to placed and its ``asset_id``).

The money follows the services: the request's estimated total is committed on its budget line
when approved, each accepted share turns its estimate into spending, and what is left is
released when the request is settled or cancelled. The events go into the finance part's book,
and the ledger with the lines' totals is written again at the end. Store goods received are
not put into stock here (the store part owns that ledger).
"""

from __future__ import annotations

import datetime
import heapq
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from houqin.demo import supplies_data as demo
from houqin.inventory.models import StockItem
from houqin.procurement.models import PurchaseRequest, PurchaseRequestLine
from houqin.procurement.services.requests import _path, _status_from_lines

from . import approvals
from .base import TZ, Ctx, SchoolWorld, money
from .finance import Changes, busy_day, later, members, plan_of, write_photos
from .finance_ledger import Book, write_ledger
from .procurement_orders import Round, order_story
from .procurement_suppliers import add_suppliers

CENT = Decimal("0.01")
SETTLED = "申请已办结"

EXTRA_PURCHASES: list[tuple[str, str, str, list[demo.Line], tuple[str, ...]]] = [
    (
        "medical",
        "equipment",
        "卫生室器械",
        [("电子血压计", "上臂式", "台", "280", 1, 3), ("身高体重秤", "机械式", "台", "650", 1, 2)],
        ("卫生室",),
    ),
    (
        "medical",
        "other",
        "卫生室防疫用品",
        [
            ("医用口罩", "一次性 50 只", "盒", "25", 10, 40),
            ("碘伏消毒液", "500 ml", "瓶", "12", 5, 20),
        ],
        ("卫生室",),
    ),
    (
        "office",
        "office",
        "部门办公用品",
        [
            ("签字笔", "0.5 mm 黑色", "支", "2", 20, 100),
            ("文件盒", "A4 55 mm", "个", "8", 10, 40),
            ("笔记本", "B5 60 页", "本", "4", 20, 60),
        ],
        ("校长室", "教务处", "政教处", "财务室", "安全办", "卫生室", "高一年级组"),
    ),
    (
        "it",
        "equipment",
        "笔记本电脑",
        [("笔记本电脑", "i5/16G/512G 14 英寸", "台", "5200", 1, 3)],
        ("校长室", "财务室", "教务处"),
    ),
    (
        "hardware",
        "repair",
        "门窗维修材料",
        [
            ("门锁", "球形 不锈钢", "把", "45", 5, 20),
            ("合页", "4 寸 不锈钢", "副", "8", 10, 40),
            ("玻璃胶", "透明 300 ml", "支", "12", 10, 30),
        ],
        ("总务处", "食堂", "安全办"),
    ),
    (
        "electrical",
        "repair",
        "照明维修材料",
        [
            ("LED 灯管", "T8 1.2 m 18 W", "支", "18", 20, 80),
            ("空气开关", "C16 2P", "个", "35", 5, 20),
        ],
        ("总务处", "安全办"),
    ),
]
# Department names of the demo's purchases -> places in the bench schools' department list.
GRADES = -1
DEPARTMENT_OF = {
    "校长室": 0,
    "园长室": 0,
    "总务处": 1,
    "后勤处": 1,
    "教务处": 2,
    "保教处": 2,
    "政教处": 3,
    "财务室": 4,
    "食堂": 5,
    "安全办": 6,
    "卫生室": 7,
    "保健室": 7,
    "高一年级组": GRADES,
    "高二年级组": GRADES,
    "高三年级组": GRADES,
}
STORE_GROUP = {"repair": "hardware", "other": "office"}
REASONS = (
    "现有设备老化，影响正常使用。",
    "新学期教学工作需要。",
    "按学期工作计划采购。",
    "原有物品损坏，需要补充。",
    "迎接督导检查，完善配套。",
)
APPROVED_SHARE = 0.88
REFUSALS = {"rejected": "本学期预算已安排其他项目", "returned": "请补充规格型号及询价依据"}
POSTPONED = "预算调整，本学期暂缓采购"
MONTH = datetime.timedelta(days=30)
# Every school's first request: computers for the academic office (quoted, fixed assets).
SURE = next(
    (group, category, title, items)
    for group, category, title, items, _names in demo.PURCHASES
    if title == "办公电脑更新"
)


class ReqLine:
    """A request line and what happened to it."""

    __slots__ = ("group", "id", "name", "order_line", "price", "quantity", "received", "request")
    __slots__ += ("spec", "status", "stock_item", "unit")

    def __init__(
        self, pk: int, request: Req, item: tuple[str, str, str, Decimal, Decimal, int | None, str]
    ) -> None:
        self.id, self.request = pk, request
        self.name, self.spec, self.unit, self.quantity, self.price, self.stock_item, self.group = (
            item
        )
        self.status, self.order_line, self.received = "open", None, Decimal("0")


class Req:
    """A purchase request while its story is told; ``events`` are replayed in time order."""

    __slots__ = ("approval", "approved", "budget_line", "category", "committed", "created")
    __slots__ += ("decided", "department", "events", "id", "lines", "moves", "number")
    __slots__ += ("requester", "status", "submitted", "sure", "title", "total", "updated")

    def __init__(self, pk: int, number: str, created: datetime.datetime) -> None:
        self.id, self.number, self.created, self.updated = pk, number, created, created
        self.status, self.committed = "draft", Decimal("0")
        self.approval = ""  # the approval request's status once submitted
        self.sure = False  # approved, quoted, delivered in full: every page has its object
        self.submitted: datetime.datetime | None = None
        self.decided: datetime.datetime | None = None
        self.approved: datetime.datetime | None = None
        self.lines: list[ReqLine] = []
        self.moves: list[tuple[str, str, int | None, datetime.datetime, str]] = []
        self.events: list[tuple[datetime.datetime, int, str, Any]] = []

    def move(self, to: str, actor: int | None, at: datetime.datetime, reason: str = "") -> None:
        self.moves.append((self.status, to, actor, at, reason))
        self.status, self.updated = to, at

    def cancel(self, actor: int | None, at: datetime.datetime, reason: str = "") -> None:
        for line in self.lines:
            line.status = "cancelled"
        self.move("cancelled", actor, at, reason)


def generate(ctx: Ctx) -> None:
    book: Book | None = ctx.shared.get("budget_book")
    lines_of = ctx.spread(ctx.preset.purchase_lines)
    stock = ctx.shared.get("stock_items") or {}
    intakes: dict[int, list[tuple[Any, ...]]] = {}
    for school, count in zip(ctx.schools, lines_of, strict=True):
        suppliers = add_suppliers(ctx, school, min(30, max(12, count // 50)))
        requests = _requests(ctx, school, count, stock.get(school.id, []))
        intakes[school.id] = _purchasing(ctx, school, requests, suppliers, book)
    ctx.shared["asset_intakes"] = intakes
    if book is not None:
        write_ledger(ctx)
    write_photos(ctx)


# -- requests ----------------------------------------------------------------------------------


def _templates(index: int, plan: dict[str, int]) -> list[tuple[str, str, str, list[demo.Line]]]:
    found = []
    for group, category, title, items, names in [*demo.PURCHASES, *EXTRA_PURCHASES]:
        places = {DEPARTMENT_OF.get(name) for name in names}
        if (index in places or (index >= 8 and GRADES in places)) and category in plan:
            found.append((group, category, title, items))
    return found


def _requests(ctx: Ctx, school: SchoolWorld, count: int, stock: list[tuple[Any, ...]]) -> list[Req]:
    """Requests with ``count`` lines in all, each with its story up to its approval."""
    rng = ctx.rng(f"procurement:requests:{school.index}")
    people = members(school)
    templates = {n: _templates(n, plan_of(school, n)) for n in range(len(school.departments))}
    weights = [6 if n == 1 else (3 if n in (2, 5) else 1) for n in range(len(school.departments))]
    by_category: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for item in stock:
        by_category[item[4]].append(item)
    specs = dict(
        StockItem.objects.filter(school_id=school.id).values_list("pk", "specification")
        if stock
        else ()
    )
    budget = ctx.shared.get("budget_lines", {}).get(school.id, {})
    drafts: list[tuple[datetime.date, int, str, str, int, list[Any], bool]] = []
    made = 0
    while made < count:
        sure = not drafts
        day = busy_day(ctx, rng) if not sure else ctx.day(rng, ctx.start, ctx.start + MONTH)
        if by_category and not sure and rng.random() < 0.35:
            code = rng.choice(sorted(by_category))
            items = rng.sample(by_category[code], min(len(by_category[code]), rng.randint(3, 8)))
            lines = [_store_line(rng, item, specs) for item in items]
            names = "、".join(list(dict.fromkeys(line[0] for line in lines))[:3])
            title = f"补货：{names}" + (
                f" 等（另有 {len(lines) - 3} 项）" if len(lines) > 3 else ""
            )
            index, category = 1, demo.BUDGET_OF.get(code, "office")
            requester = school.person("storekeeper", rng)
        else:
            index = rng.choices(range(len(school.departments)), weights)[0] if not sure else 2
            if not templates[index]:
                continue
            group, category, title, items = rng.choice(templates[index]) if not sure else SURE
            lines = [
                (name, spec, unit, Decimal(rng.randint(low, high)), _price(rng, price), None, group)
                for name, spec, unit, price, low, high in items
            ]
            department = school.departments[index]
            requester = rng.choice(people.get(department) or [school.person("director", rng)])
        lines = lines[: count - made]
        drafts.append((day, index, category, title, requester, lines, sure))
        made += len(lines)
    drafts.sort(key=lambda draft: draft[0])
    requests = []
    ids = iter(ctx.ids(PurchaseRequest, len(drafts)))
    line_ids = iter(ctx.ids(PurchaseRequestLine, count))
    for day, index, category, title, requester, lines, sure in drafts:
        created = ctx.moment(day, rng)
        request = Req(next(ids), ctx.number(school.id, "CG", created.date()), created)
        request.department, request.requester = school.departments[index], requester
        request.category, request.title, request.sure = category, title, sure
        year = school.year_of(day)
        request.budget_line = budget.get((year, request.department, category)) if year else None
        request.lines = [ReqLine(next(line_ids), request, line) for line in lines]
        request.total = sum((money(line.quantity * line.price) for line in request.lines), CENT * 0)
        _decide(ctx, rng, school, request)
        requests.append(request)
    return requests


def _price(rng: random.Random, price: str) -> Decimal:
    return money(Decimal(price) * Decimal(str(round(rng.uniform(0.9, 1.15), 2))))


def _store_line(
    rng: random.Random, item: tuple[Any, ...], specs: dict[int, str]
) -> tuple[Any, ...]:
    item_id, name, unit, cost, code = item
    cost = money(Decimal(cost) or Decimal("1"))
    many = 200 if cost < 5 else (50 if cost < 50 else 10)
    group = STORE_GROUP.get(code, code)
    return (
        name[:100],
        specs.get(item_id, "")[:200],
        unit,
        Decimal(rng.randint(max(1, many // 10), many)),
        cost,
        item_id,
        group,
    )


def _decide(ctx: Ctx, rng: random.Random, school: SchoolWorld, request: Req) -> None:
    """Submission and the approval's outcome (or the draft, pending, cancelled state now)."""
    created, requester = request.created, request.requester
    recent = created.date() >= ctx.today - datetime.timedelta(days=20)
    if recent and rng.random() < 0.25 and not request.sure:
        return
    if rng.random() < 0.02 and not request.sure:
        at = later(ctx, created, rng, 1, 10)
        if at is not None:
            request.cancel(requester, at, "不再需要")
        return
    submitted = later(ctx, created, rng, 0, 2)
    if submitted is None:
        return
    request.submitted, request.approval = submitted, "pending"
    request.move("pending", requester, submitted)
    decided = later(ctx, submitted, rng, 1, 8)
    if decided is None:
        request.events.append((submitted, 0, "check", None))
        return
    request.decided = decided
    roll = 0.0 if request.sure else rng.random()
    if roll < APPROVED_SHARE:
        last = school.person("principal" if request.total >= 5000 else "vp", rng)
        request.approved, request.approval = decided, "approved"
        request.move("approved", last, decided)
        request.events.append((decided, 0, "commit", last))
        if rng.random() < 0.03 and not request.sure:
            # Cancelled by the purchasing office before the next round takes its lines.
            cancelled = later(ctx, decided, rng, 0.1, 0.4)
            if cancelled is not None:
                request.events.append((cancelled, 1, "cancel", school.person("purchaser", rng)))
        return
    outcome = "rejected" if roll < 0.92 else ("returned" if roll < 0.96 else "withdrawn")
    head = school.department_heads.get(request.department) or school.person("director", rng)
    actor = requester if outcome == "withdrawn" else head
    request.approval = outcome
    request.move(outcome, actor, decided, REFUSALS.get(outcome, ""))
    if outcome != "rejected" and rng.random() < 0.7:
        at = later(ctx, decided, rng, 3, 20)
        if at is not None:
            request.cancel(requester, at)


# -- purchasing and its replay -----------------------------------------------------------------


def _purchasing(
    ctx: Ctx,
    school: SchoolWorld,
    requests: list[Req],
    suppliers: dict[str, list[tuple[int, str]]],
    book: Book | None,
) -> list[tuple[Any, ...]]:
    rng = ctx.rng(f"procurement:orders:{school.index}")
    waiting: list[tuple[datetime.datetime, int, ReqLine]] = []
    for request in requests:
        if request.approved is None:
            continue
        cancel = next((event for event in request.events if event[2] == "cancel"), None)
        for line in request.lines:
            if cancel is None:
                heapq.heappush(waiting, (request.approved, line.id, line))
    state = Round(ctx, school, suppliers)
    for moment in _rounds(ctx, rng):
        ready: list[ReqLine] = []
        while waiting and waiting[0][0] <= moment - datetime.timedelta(hours=12):
            ready.append(heapq.heappop(waiting)[2])
        if not ready:
            continue
        groups: dict[str, list[ReqLine]] = defaultdict(list)
        for line in ready:
            groups[line.group].append(line)
        latest = moment >= ctx.now - datetime.timedelta(days=10)
        for group in sorted(groups):
            if latest and rng.random() < 0.25:
                continue  # not consolidated yet: these lines wait to be ordered
            # A few lines wait for the next round (the price is still being asked).
            later_share = 0.1 if latest else 0.02
            lines, waits = [], []
            for line in groups[group]:
                (waits if rng.random() < later_share else lines).append(line)
            for line in waits if lines else groups[group]:
                heapq.heappush(waiting, (moment, line.id, line))
            if not lines:
                continue
            for back_at, line in order_story(state, rng, moment, group, lines):
                heapq.heappush(waiting, (back_at, line.id, line))
    state.write()
    _replay(ctx, school, requests, book)
    return state.intakes


def _rounds(ctx: Ctx, rng: random.Random) -> list[datetime.datetime]:
    """The monthly consolidation rounds (the 10th, or the next weekday), and one this week."""
    found = []
    year, month = ctx.start.year, ctx.start.month
    while datetime.date(year, month, 1) <= ctx.today:
        day = datetime.date(year, month, 10)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        at = datetime.datetime.combine(day, datetime.time(9, rng.randrange(60)), TZ)
        if at <= ctx.now - datetime.timedelta(days=3):
            found.append(at)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    recent = ctx.today - datetime.timedelta(days=2)
    while recent.weekday() >= 5:
        recent -= datetime.timedelta(days=1)
    if not found or found[-1].date() < recent - datetime.timedelta(days=7):
        found.append(min(ctx.now, datetime.datetime.combine(recent, datetime.time(10), TZ)))
    return found


def _replay(ctx: Ctx, school: SchoolWorld, requests: list[Req], book: Book | None) -> None:
    """Each request's purchasing events in time order: line statuses, status moves, money."""
    for request in requests:
        line = request.budget_line if book is not None else None
        for at, _n, kind, data in sorted(request.events, key=lambda event: event[:2]):
            if kind in ("check", "commit"):
                if book is not None and line:
                    source = ("purchase_request", request.id, request.number)
                    if kind == "check":
                        book.add(line, at, "check", Decimal("0"), headroom=request.total)
                    else:
                        book.add(line, at, "commit", request.total, actor=data, source=source)
                if kind == "commit":
                    request.committed = request.total
                continue
            if kind == "cancel":
                _release(book, request, at, data, POSTPONED)
                request.cancel(data, at, POSTPONED)
                continue
            actor = data[0]
            if kind == "order":
                for item in data[1]:
                    item.status, item.order_line = "ordered", data[2][item.id]
            elif kind == "unorder":
                for item in data[1]:
                    item.status, item.order_line = "open", None
            elif kind == "receive":
                _receive(book, request, at, data)
            elif kind == "close":
                for item in data[1]:
                    if item.status == "ordered":
                        item.status = "received" if item.received > 0 else "cancelled"
            _settle(book, request, at, actor, data[-1] if kind in ("unorder", "close") else "")
    _write_requests(ctx, school, requests)


def _receive(book: Book | None, request: Req, at: datetime.datetime, data: Any) -> None:
    actor, item, share, price, acceptance, number = data
    item.received += share
    if item.received >= item.quantity:
        item.status = "received"
    release = min(money(share * item.price), request.committed)
    request.committed -= release
    if book is not None and request.budget_line:
        source = ("acceptance", acceptance, number)
        book.add(
            request.budget_line,
            at,
            "release",
            release,
            actor=actor,
            source=source,
            note=request.number,
        )
        book.add(
            request.budget_line,
            at,
            "spend",
            money(share * price),
            actor=actor,
            source=source,
            note=request.number,
        )


def _release(book: Book | None, request: Req, at: datetime.datetime, actor: int, note: str) -> None:
    if request.committed > 0 and book is not None and request.budget_line:
        source = ("purchase_request", request.id, request.number)
        book.add(
            request.budget_line,
            at,
            "release",
            request.committed,
            actor=actor,
            source=source,
            note=note,
        )
    request.committed = Decimal("0")


def _settle(
    book: Book | None, request: Req, at: datetime.datetime, actor: int, reason: str
) -> None:
    """``purchase_request_settle``: the status the lines give, and the rest released."""
    if request.status not in ("approved", "ordering", "ordered"):
        return
    target = _status_from_lines(request.lines)  # type: ignore[arg-type]
    if target in ("received", "cancelled"):
        _release(book, request, at, actor, SETTLED)
    if target != request.status:
        for step in _path(request.status, target):
            request.move(step, actor, at, reason)


def _write_requests(ctx: Ctx, school: SchoolWorld, requests: list[Req]) -> None:
    changes = Changes(PurchaseRequest)
    reasons = ctx.rng(f"procurement:reasons:{school.index}")
    subjects = []
    rows = []
    for request in requests:
        changes.add(request.id, school.id, request.moves)
        if request.submitted is not None:
            subjects.append(
                {
                    "object_id": request.id,
                    "school": school,
                    "title": f"{request.number} {request.title}",
                    "amount": request.total,
                    "category": request.category,
                    "department_id": request.department,
                    "requester_id": request.requester,
                    "status": request.approval,
                    "submitted_at": request.submitted,
                    "decided_at": request.decided,
                }
            )
        rows.append(
            {
                "id": request.id,
                "created_at": request.created,
                "updated_at": request.updated,
                "school_id": school.id,
                "number": request.number,
                "title": request.title[:200],
                "department_id": request.department,
                "requester_id": request.requester,
                "category": request.category,
                "budget_line_id": request.budget_line,
                "reason": "仓库中这些物品已达到或低于最低库存。"
                if request.title.startswith("补货")
                else reasons.choice(REASONS),
                "needed_by": request.created.date()
                + datetime.timedelta(days=reasons.randrange(14, 60)),
                "status": request.status,
                "estimated_total": request.total,
                "committed": request.committed,
                "submitted_at": request.submitted,
                "approved_at": request.approved,
            }
        )
    ctx.insert(PurchaseRequest, rows)
    ctx.insert(
        PurchaseRequestLine,
        (
            {
                "id": line.id,
                "request_id": request.id,
                "item_name": line.name,
                "specification": line.spec,
                "quantity": line.quantity,
                "unit": line.unit,
                "estimated_price": line.price,
                "stock_item_id": line.stock_item,
                "status": line.status,
                "order_line_id": line.order_line,
                "received": line.received,
            }
            for request in requests
            for line in request.lines
        ),
    )
    approvals.add(ctx, "purchase_request", PurchaseRequest, subjects)
    changes.write(ctx)
