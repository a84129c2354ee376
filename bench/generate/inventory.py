"""The store (耗材库) over the history: items, their ledger, requisitions, quotas and counts.

Per school: up to 200 items (the demo's catalogue, with second brands of the most used ones;
kindergartens keep a small store), and its share of the preset's movements — an opening
balance per item, receipts, direct issues, returns, scrap, requisition issues (and a few
returns of them), the paper that finished print jobs took (``printing.plan``) and the
adjustments of the yearly stock counts. Each item's movements are replayed in time order
with the stock service's own arithmetic (moving average cost, the last unit taking what
value is left, never below zero), so every balance, amount and running total is what
``stock_move`` and ``count_post`` would have written.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.translation import gettext as _

from houqin.core.models import DocumentSequence
from houqin.demo import supplies_data as d
from houqin.inventory.choices import INCOMING
from houqin.inventory.models import (
    Requisition,
    StockCount,
    StockItem,
    StockMovement,
)
from houqin.printing.models import PrintJob

from . import printing
from .base import TZ, Ctx, SchoolWorld
from .inventory_docs import (
    Count,
    Req,
    plan_counts,
    plan_requisitions,
    store_calendar,
    write_counts,
    write_quotas,
    write_requisitions,
)

CENT, COST, QTY = Decimal("0.01"), Decimal("0.0001"), Decimal("0.001")
ZERO = Decimal("0")
BRANDS = ("得力", "晨光", "齐心", "广博")
SUPPLIER = {group: name for name, _what, group, _contact in d.SUPPLIERS}
DIRECT_REASON = "日常领用"


@dataclass(slots=True, eq=False)
class Item:
    id: int
    code: str
    name: str
    spec: str
    unit: str
    category: str
    price: Decimal
    min_stock: int
    max_stock: int
    weight: float
    per_line: int
    restricted: bool
    group: str
    paper_size: str = ""
    sheets: int | None = None
    quantity: Decimal = ZERO
    value: Decimal = ZERO
    average: Decimal = ZERO
    last: datetime.datetime | None = None

    def move(
        self, kind: str, qty: Decimal, cost: Decimal | None = None
    ) -> tuple[Decimal, Decimal, Decimal]:
        """Apply a movement as ``stock_move`` does: (signed quantity, unit cost, signed amount)."""
        if kind in INCOMING:
            used = self.average if cost is None else cost
            amount = (qty * used).quantize(CENT, rounding=ROUND_HALF_UP)
            self.quantity += qty
            self.value += amount
            signed_qty, signed_amount = qty, amount
        else:
            used = self.average
            self.quantity -= qty
            if self.quantity == 0:
                amount = self.value
            else:
                amount = min((qty * used).quantize(CENT, rounding=ROUND_HALF_UP), self.value)
            self.value -= amount
            signed_qty, signed_amount = -qty, -amount
        if self.quantity > 0:
            self.average = (self.value / self.quantity).quantize(COST, rounding=ROUND_HALF_UP)
        elif kind in INCOMING:
            self.average = used
        return signed_qty, used.quantize(COST, rounding=ROUND_HALF_UP), signed_amount


@dataclass
class Store:
    """One school's store while it is generated."""

    school: SchoolWorld
    items: list[Item]
    keeper: int
    events: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    usage: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (dept, term) -> yuan
    lines: list[dict[str, Any]] = field(default_factory=list)  # stock count lines
    # (requisition, item) -> (quantity, value) issued, for the value of a return
    issued: dict[tuple[int, int], tuple[Decimal, Decimal]] = field(default_factory=dict)
    terms: list[tuple[datetime.date, datetime.date, int]] = field(default_factory=list)
    workers: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.terms = sorted((start, end, pk) for pk, _y, _k, start, end in self.school.terms)
        self.workers = self.school.people.get("worker") or [self.keeper]
        self.events = {item.id: [] for item in self.items}


def generate(ctx: Ctx) -> None:
    types = {m: ContentType.objects.get_for_model(m).pk for m in (Requisition, StockCount)}
    # For the later parts: the items (procurement buys them), the paper item of each size and
    # the keys of the print jobs whose paper the ledger holds (printing writes those jobs).
    ctx.shared["stock_items"] = {}
    ctx.shared["paper"] = {}
    ctx.shared["print_jobs"] = {}
    movements = ctx.spread(ctx.preset.movements)
    jobs = ctx.spread(ctx.preset.print_jobs)
    with translation.override("zh-hans"):
        for school, target, job_count in zip(ctx.schools, movements, jobs, strict=True):
            _school(ctx, school, target, job_count, types)


def _school(
    ctx: Ctx, school: SchoolWorld, target: int, job_count: int, types: dict[Any, int]
) -> None:
    rng = ctx.rng(f"inventory:{school.index}")
    items = _items(ctx, school, target)
    store = Store(school, items, school.person("storekeeper", rng))
    paper = {i.paper_size: (i.id, i.sheets or 500) for i in items if i.paper_size}
    ctx.shared["paper"][school.id] = paper
    ctx.shared["stock_items"][school.id] = [
        (i.id, i.name, i.unit, i.price, i.category) for i in items
    ]
    fixed = _print_events(ctx, store, job_count, paper)
    reqs = plan_requisitions(ctx, school, items, max(10, target // 12), rng)
    fixed += _requisition_events(store, reqs)
    counts = plan_counts(ctx, school, rng)
    for count in counts:
        for item in items:
            if not count.categories or item.category in count.categories:
                store.events[item.id].append((count.started, 0, "count", count))
                if count.status == "posted":
                    store.events[item.id].append((count.posted, 0, "post", count))
    posted = sum(1 for c in counts if c.status == "posted")
    free = max(0, target - len(items) - fixed - round(0.08 * posted * len(items)))
    _free_slots(ctx, store, free, rng)
    ctx.insert(StockMovement, _ledger(ctx, store, rng))
    ctx.insert(StockItem, (_item_row(ctx, school, item) for item in items))
    # Item codes continue after the generated ones (a row of its own, through the ORM so that
    # the key sequence stays right on PostgreSQL).
    DocumentSequence.objects.update_or_create(
        school_id=school.id, prefix="HC", year=0, defaults={"last_number": len(items)}
    )
    write_counts(ctx, school, store.keeper, counts, store.lines, types[StockCount])
    quotas = write_quotas(ctx, school, store.usage)
    write_requisitions(ctx, school, reqs, quotas, types[Requisition])


def _opened(ctx: Ctx) -> datetime.datetime:
    """When the store's items were set up with their opening balances."""
    return datetime.datetime.combine(ctx.start, datetime.time(7), TZ)


# -- items -------------------------------------------------------------------------------------


def _items(ctx: Ctx, school: SchoolWorld, target: int) -> list[Item]:
    kg = school.kind == "kindergarten"
    catalogue = [i for i in d.STORE if not kg or (i[3] in d.KG_CATEGORIES and i[7] > 0)]
    paper = [i for i in catalogue if f"{i[0]}|{i[1]}" in d.PAPER]
    rest = sorted((i for i in catalogue if i not in paper), key=lambda i: -i[7])
    wanted = min(90 if kg else 200, max(8, target // 40))
    chosen: list[tuple[Any, str]] = [(i, "") for i in (paper + rest)[:wanted]]
    popular = [i for i in rest if i[7] >= 1]
    n = 0
    while len(chosen) < wanted and popular:
        chosen.append((popular[n % len(popular)], BRANDS[(n // len(popular)) % len(BRANDS)]))
        n += 1
    ids = ctx.ids(StockItem, len(chosen))
    items = []
    for pk, (
        (name, spec, unit, category, price, low, high, weight, per_line, restricted, group),
        brand,
    ) in zip(ids, chosen, strict=True):
        size = d.PAPER.get(f"{name}|{spec}", "")
        items.append(
            Item(
                id=pk,
                code=f"HC-{pk - ids.start + 1:05d}",
                name=name,
                spec=f"{spec} {brand}" if brand else spec,
                unit=unit,
                category=category,
                price=Decimal(price),
                min_stock=max(1, low // (2 if kg else 1)),
                max_stock=max(2, high // (2 if kg else 1)),
                weight=weight or 0.3,
                per_line=per_line,
                restricted=restricted,
                group=group,
                paper_size=size,
                sheets=500 if size else None,
            )
        )
    return items


def _item_row(ctx: Ctx, school: SchoolWorld, item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "created_at": _opened(ctx),
        "updated_at": item.last or ctx.now,
        "school_id": school.id,
        "code": item.code,
        "name": item.name,
        "specification": item.spec,
        "unit": item.unit,
        "category": item.category,
        "min_stock": Decimal(item.min_stock),
        "max_stock": Decimal(item.max_stock),
        "shelf": f"{d.SHELVES.get(item.category, 'H')}-{item.id % 40 + 1:02d}",
        "is_restricted": item.restricted,
        "paper_size": item.paper_size,
        "sheets_per_unit": item.sheets,
        "is_active": True,
        "notes": "",
        "quantity": item.quantity,
        "value": item.value,
        "average_cost": item.average,
    }


# -- events ------------------------------------------------------------------------------------


def _print_events(ctx: Ctx, store: Store, count: int, paper: dict[str, tuple[int, int]]) -> int:
    """The paper of every finished job of a size the store keeps (the print jobs' keys are
    reserved here, for the printing part to write the same jobs)."""
    if not count:
        return 0
    first = ctx.ids(PrintJob, count).start
    ctx.shared["print_jobs"][store.school.id] = first
    made = 0
    for job in printing.plan(ctx, store.school, first, count):
        found = paper.get(job.size)
        if job.done is None or found is None:
            continue
        units, reason = printing.paper_out(job, found[1])
        payload = (units, job.department, job.requester, job.operator, reason, job.id, job.number)
        store.events[found[0]].append((job.done, 1, "print", payload))
        made += 1
    return made


def _requisition_events(store: Store, reqs: list[Req]) -> int:
    made = 0
    for req in reqs:
        if req.issued_at is None:
            continue
        for item, _asked, issued in req.lines:
            if issued > 0:
                store.events[item.id].append((req.issued_at, 1, "req", (req, issued)))
                made += 1
        if req.returned_at is not None:
            item, _quantity, issued = req.lines[0]
            back = Decimal(max(1, int(issued) // 3))
            store.events[item.id].append((req.returned_at, 1, "back", (req, back)))
            made += 1
    return made


def _free_slots(ctx: Ctx, store: Store, total: int, rng: random.Random) -> None:
    """Receipts, direct issues, returns and scrap, shared among the items by how much they
    are used, on school days (term time more than holidays)."""
    days, weights = store_calendar(ctx, store.school)
    if not days or not total:
        return
    weight = sum(item.weight for item in store.items)
    shares = [total * item.weight / weight for item in store.items]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: total - sum(counts)]:
        counts[i] += 1
    for item, many in zip(store.items, counts, strict=True):
        for day in rng.choices(days, cum_weights=weights, k=many):
            store.events[item.id].append((ctx.moment(day, rng), 2, "free", None))


# -- the ledger --------------------------------------------------------------------------------


def _ledger(ctx: Ctx, store: Store, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Every item's movements in time order, with the service's arithmetic."""
    opened = _opened(ctx)
    for item in store.items:
        events = store.events.pop(item.id)
        events.sort(key=lambda e: (e[0], e[1]))
        item.max_stock = max(item.max_stock, _paper_need(item, events))
        item.min_stock = min(item.min_stock, item.max_stock // 3) or 1
        opening = Decimal(max(1, round(item.max_stock * rng.uniform(0.5, 0.9))))
        yield _row(store, item, opened, "opening", opening, item.price, "期初库存")
        debt = 0
        for at, _order, kind, payload in events:
            if kind == "free":
                if debt:
                    debt -= 1
                    continue
                yield from _free(store, item, at, rng)
            elif kind == "count":
                _snapshot(store, item, payload, rng)
            elif kind == "post":
                row = _adjust(store, item, payload, at)
                if row is not None:
                    yield row
            else:
                quantity = payload[1] if kind in ("req", "back") else payload[0]
                if kind != "back" and quantity > item.quantity:
                    debt += 1
                    yield _receipt(store, item, at, quantity, rng)
                yield _forced(store, item, at, kind, payload)
        item.last = events[-1][0] if events else opened


def _paper_need(item: Item, events: list[tuple[Any, ...]]) -> int:
    """Paper is kept for about six weeks of printing (the store's reorder level)."""
    printed = [e[3][0] for e in events if e[2] == "print"]
    if not printed:
        return 0
    span = max(1.0, (events[-1][0] - events[0][0]).days / 45)
    return math.ceil(float(sum(printed)) / span)


def _row(
    store: Store,
    item: Item,
    at: datetime.datetime,
    kind: str,
    quantity: Decimal,
    cost: Decimal | None,
    reason: str,
    **extra: Any,
) -> dict[str, Any]:
    signed, unit_cost, amount = item.move(kind, quantity, cost)
    return {
        "school_id": store.school.id,
        "item_id": item.id,
        "kind": kind,
        "quantity": signed,
        "unit_cost": unit_cost,
        "amount": amount,
        "balance": item.quantity,
        "department_id": extra.get("department"),
        "person_id": extra.get("person"),
        "reason": reason[:300],
        "source_type": extra.get("source_type", ""),
        "source_id": extra.get("source_id"),
        "reference": extra.get("reference", "")[:60],
        "actor_id": extra.get("actor", store.keeper),
        "at": at,
    }


def _receipt(
    store: Store, item: Item, at: datetime.datetime, need: Decimal, rng: random.Random
) -> dict[str, Any]:
    """Goods bought in (without an order: the storekeeper's manual receipt)."""
    years = (at.date() - store.school.years[0][1]).days / 365
    cost = (
        item.price * Decimal(str(round(1 + 0.03 * years + rng.uniform(-0.03, 0.03), 3)))
    ).quantize(CENT)
    quantity = Decimal(max(math.ceil(need - item.quantity), item.max_stock - int(item.quantity), 1))
    supplier = SUPPLIER.get(item.group, "")
    return _row(
        store,
        item,
        at,
        "receipt",
        quantity,
        cost,
        f"零星采购入库（{supplier}）",
        reference=supplier,
    )


def _free(
    store: Store, item: Item, at: datetime.datetime, rng: random.Random
) -> Iterator[dict[str, Any]]:
    """A movement the storekeeper records by hand: a receipt when the stock runs low, else
    mostly a direct issue, sometimes a return or a scrap."""
    low = item.quantity <= item.min_stock or item.quantity < item.per_line
    roll = rng.random()
    if low or (roll < 0.04 and item.quantity < item.max_stock * 0.7):
        yield _receipt(store, item, at, ZERO, rng)
        return
    if roll < 0.06:
        person, department = rng.choice(store.school.staff)
        quantity = Decimal(rng.randint(1, max(1, item.per_line // 4)))
        row = _row(
            store,
            item,
            at,
            "return",
            quantity,
            None,
            "领用退回：未用完",
            department=department,
            person=person,
        )
        _use(store, department, at, row["amount"])
        yield row
        return
    if roll < 0.075:
        quantity = min(
            Decimal(rng.randint(1, 2)), item.quantity.to_integral_value(rounding="ROUND_FLOOR")
        )
        if quantity > 0:
            yield _row(
                store, item, at, "scrap", quantity, None, rng.choice(("破损报废", "过期报废"))
            )
        return
    quantity = min(Decimal(rng.randint(1, max(1, item.per_line))), item.quantity)
    if item.paper_size:
        quantity = min(Decimal(rng.randint(1, 5)), item.quantity)
    if quantity <= 0:
        return
    if item.category in ("repair", "electrical"):
        person, department = rng.choice(store.workers), store.school.departments[1]
        reason = "维修领用"
    else:
        person, department = rng.choice(store.school.staff)
        reason = rng.choice(d.REQUISITION_PURPOSES.get(item.category, [DIRECT_REASON]))
    row = _row(
        store, item, at, "issue", quantity, None, reason, department=department, person=person
    )
    _use(store, department, at, row["amount"])
    yield row


def _forced(
    store: Store,
    item: Item,
    at: datetime.datetime,
    kind: str,
    payload: tuple[Any, ...],
) -> dict[str, Any]:
    """A movement a document asks for: a print job's paper, a requisition's issue or return."""
    if kind == "print":
        units, department, person, actor, reason, job_id, number = payload
        return _row(
            store, item, at, "print", units, None, reason,
            department=department, person=person, actor=actor,
            source_type="print_job", source_id=job_id, reference=number,
        )  # fmt: skip
    req, quantity = payload
    extra = {
        "department": req.department,
        "person": req.requester,
        "source_type": "requisition",
        "source_id": req.id,
        "reference": req.number,
    }
    if kind == "req":
        reason = _("Requisition %(number)s: %(purpose)s") % {
            "number": req.number,
            "purpose": req.purpose,
        }
        row = _row(store, item, at, "issue", quantity, None, reason, **extra)
        store.issued[(req.id, item.id)] = (quantity, -row["amount"])
    else:
        issued_qty, issued_amount = store.issued.get(
            (req.id, item.id), (quantity, quantity * item.average)
        )
        cost = (issued_amount / issued_qty).quantize(COST)
        reason = _("Returned from %(number)s: %(reason)s") % {
            "number": req.number,
            "reason": "多领未用",
        }
        row = _row(store, item, at, "return", quantity, cost, reason, **extra)
    _use(store, req.department, at, row["amount"])
    return row


def _use(store: Store, department: int, at: datetime.datetime, amount: Decimal) -> None:
    """What a department took (issues less returns) per term, for its quotas."""
    day = at.astimezone(TZ).date()
    for start, end, pk in store.terms:
        if start <= day <= end:
            key = (department, pk)
            store.usage[key] = store.usage.get(key, ZERO) - amount
            return


# -- stock counts ------------------------------------------------------------------------------


def _snapshot(store: Store, item: Item, count: Count, rng: random.Random) -> None:
    """The count's line of ``item``: the book at the start, and what was counted."""
    counted: Decimal | None = item.quantity
    roll = rng.random()
    if count.status == "posted":
        if roll < 0.08:
            whole = int(item.quantity)
            counted = (
                item.quantity + rng.choice((1, 2, -1, -1, -2, -3))
                if whole >= 3
                else item.quantity + 1
            )
    elif count.status in ("counting", "cancelled"):
        counted = None if roll < 0.4 else item.quantity + (1 if roll > 0.97 else 0)
    line = {
        "count_id": count.id,
        "item_id": item.id,
        "book_quantity": item.quantity,
        "unit_cost": item.average,
        "counted_quantity": counted,
        "note": "" if counted is None or counted == item.quantity else "账实不符，已查明原因",
        "counted_by_id": store.keeper if counted is not None else None,
    }
    store.lines.append(line)
    count.lines[item.id] = line


def _adjust(store: Store, item: Item, count: Count, at: datetime.datetime) -> dict[str, Any] | None:
    """The count's adjustment of ``item`` when posted, as ``count_post`` writes it."""
    line = count.lines.get(item.id)
    if line is None or line["counted_quantity"] is None:
        return None
    delta = line["counted_quantity"] - line["book_quantity"]
    if delta < 0 and -delta > item.quantity:  # the stock moved since: counted again
        delta = -item.quantity
        line["book_quantity"] = item.quantity
        line["counted_quantity"] = ZERO
    if delta == 0:
        return None
    count.difference += abs(delta * line["unit_cost"])
    reason = _("Stock count %(number)s") % {"number": count.number}
    extra = {"source_type": "stock_count", "source_id": count.id, "reference": count.number}
    if delta > 0:
        cost = line["unit_cost"] if line["unit_cost"] > 0 else item.average
        return _row(store, item, at, "adjust_up", delta, cost, reason, **extra)
    return _row(store, item, at, "adjust_down", -delta, None, reason, **extra)
