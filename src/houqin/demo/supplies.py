"""Demo budgets, suppliers, purchasing, the consumables store and print jobs (开源节流).

Two school years of 示范中学 (2025-2026 and 2026-2027 up to today) and a smaller set in
阳光幼儿园. The history is computed in memory (the stock ledger exactly as ``stock_move``
would write it, the budget entries as ``finance.services.budgets`` would) and written in
bulk; today's objects sit in every state, with real approval requests in the approvers'
inboxes. A school that already has a store is left alone: loading twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, Value, When
from django.utils import timezone

from houqin.assets.models import Asset, AssetCategory
from houqin.assets.services.register import AssetError, asset_register
from houqin.inventory.models import StockItem, StockMovement
from houqin.org.models import Room, School, SchoolYear
from houqin.procurement.credit_code import ALPHABET, check_character
from houqin.procurement.models import (
    AssetIntake,
    ProcurementSettings,
    Supplier,
    SupplierQualification,
)

from . import supplies_counts
from . import supplies_data as d
from . import supplies_store as store_module
from .maintenance_story import fast_insert
from .supplies_budget import Book
from .supplies_common import DAY, Approvals, Clock, money, people_of, terms_of
from .supplies_ledger import Ledger, Round
from .supplies_printing import Jobs
from .supplies_purchasing import Purchasing

FIRST_DAY = datetime.date(2025, 9, 1)
OPENING = datetime.date(2025, 8, 25)
# Asset category (by name) of the goods that become asset cards.
ASSET_CATEGORY = {
    "台式计算机": "计算机设备",
    "激光打印机": "打印机",
    "数码复合机": "打印机",
    "挂壁式空调": "空调",
    "交互式智能平板": "交互式智能平板",
    "办公桌": "办公桌椅",
}


def load(schools: list[School]) -> None:
    """Two school years of 开源节流 in 示范中学, a smaller set in 阳光幼儿园."""
    for school in schools:
        _load(school)


def _load(school: School) -> None:
    kg = school.kind == "kindergarten"
    ProcurementSettings.objects.get_or_create(school=school)
    suppliers = _suppliers(school, kg)
    if StockItem.objects.filter(school=school).exists():
        return
    rng = random.Random(f"houqin-demo-supplies-{school.code}")  # noqa: S311 - demo data
    clock = Clock(rng)
    people = people_of(school)
    terms = terms_of(school)
    years = list(SchoolYear.objects.filter(school=school).order_by("start"))
    approvals = Approvals(school, people)

    store = store_module.items(school, kg)
    quota = store_module.quotas(school, people, terms, clock)
    requisitions = store_module.Requisitions(
        school, store, people, terms, quota, approvals, clock, rng
    )
    requisitions.history(0.6 if kg else 2.6, FIRST_DAY)
    requisitions.today(kg)
    store_module.number_requisitions(store, people)
    jobs = Jobs(school, store, people, terms, approvals, clock, rng)
    jobs.history(1.0 if kg else 10.0)
    jobs.today()
    jobs.finish()
    store_module.repairs(school, store, people)
    supplies_counts.scrap(store, people, clock)
    counts = supplies_counts.counts(school, store, people, approvals, clock, rng)

    rounds = _rounds(clock, 56 if kg else 28)
    ledger = Ledger(school.pk, store.items, _price(store.items))
    ledger.run(
        store.outs,
        rounds,
        counts,
        opening_reason="期初库存",
        receipt_reason="采购验收入库",
        low_wanted=2 if kg else 6,
    )
    ledger.ensure_low(2 if kg else 6)

    book = Book(school, people, years)
    purchasing = Purchasing(school, people, store, book, suppliers, approvals, clock, rng)
    for n, r in enumerate(rounds):
        if not r.opening:
            purchasing.store_round(n, r, store.items)
    purchasing.department_history(25 if kg else 240, FIRST_DAY, clock.today - 20 * DAY)
    purchasing.department_current()
    purchasing.consolidate(rounds)
    purchasing.finish(rounds)
    book.adjustments(approvals, clock)

    _write_store(store, ledger)
    store_module.write_requisitions(store)
    supplies_counts.write_counts(store, ledger.states, people, rng)
    jobs.write()
    purchasing.write()
    book.write()
    approvals.write()
    _intakes(school, purchasing, people, clock, rng)


def _suppliers(school: School, kg: bool) -> dict[str, list[dict[str, Any]]]:
    """About 25 suppliers with valid credit codes and qualifications (a few expiring soon,
    one expired); found again by credit code on a second load."""
    rng = random.Random(f"houqin-demo-suppliers-{school.code}")  # noqa: S311 - demo data
    today = timezone.localdate()
    chosen = (
        d.SUPPLIERS
        if not kg
        else [
            s
            for s in d.SUPPLIERS
            if s[2]
            in (
                "office",
                "paper",
                "printing",
                "cleaning",
                "medical",
                "protective",
                "teaching",
                "it",
                "books",
                "aircon",
            )
        ]
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    known = {s.credit_code: s for s in Supplier.objects.filter(school=school)}
    for n, (name, supplies, group, contact) in enumerate(chosen):
        digits = random.Random(f"{school.code}-{n}")  # noqa: S311 - demo data
        body = "91310101" + "".join(digits.choice(ALPHABET[:10] + "MA") for _i in range(8))
        body += ALPHABET[n % 31]
        code = body + check_character(body)
        supplier = known.get(code)
        if supplier is None:
            supplier = Supplier(
                school=school,
                name=name,
                credit_code=code,
                contact_person=contact,
                phone=f"0512-66{rng.randrange(100000, 999999)}",
                email=f"sales{n + 1:02d}@example.com",
                address=f"示范市示范区{rng.choice(('工业园路', '建设路', '开发区大道', '商贸街'))}"
                f" {rng.randrange(1, 300)} 号",
                bank_name=rng.choice(
                    (
                        "中国工商银行示范支行",
                        "中国建设银行示范分行",
                        "中国农业银行示范支行",
                        "示范农村商业银行",
                    )
                ),
                bank_account="6222" + "".join(str(rng.randrange(10)) for _i in range(15)),
                supplies=supplies,
                is_active=True,
            )
            supplier.full_clean()
            supplier.save()
            _qualifications(supplier, group, n, today)
        groups.setdefault(group, []).append({"id": supplier.pk, "name": supplier.name})
    return groups


def _qualifications(supplier: Supplier, group: str, n: int, today: datetime.date) -> None:
    rows = [
        SupplierQualification(
            school_id=supplier.school_id,
            supplier=supplier,
            kind="licence",
            number=supplier.credit_code,
            issued_by="示范市市场监督管理局",
            valid_until=None,
            notes="长期有效",
        )
    ]
    extra = d.QUALIFICATIONS.get(group)
    if extra is not None:
        if n in (2, 9, 14):
            until = today + datetime.timedelta(days=10 + n)  # expiring within 30 days
        elif n == 23:
            until = today - datetime.timedelta(days=12)  # expired
        else:
            until = today + datetime.timedelta(days=200 + 37 * n)
        rows.append(
            SupplierQualification(
                school_id=supplier.school_id,
                supplier=supplier,
                kind=extra[0],
                number=f"{extra[0][:2].upper()}{supplier.pk:04d}{n:02d}",
                issued_by=extra[1],
                valid_until=until,
            )
        )
    elif n in (2, 9, 14, 23):
        rows.append(
            SupplierQualification(
                school_id=supplier.school_id,
                supplier=supplier,
                kind="quality",
                number=f"QC{supplier.pk:04d}",
                issued_by="中国质量认证中心",
                valid_until=today + datetime.timedelta(days=(-12 if n == 23 else 10 + n)),
            )
        )
    SupplierQualification.objects.bulk_create(rows)


def _rounds(clock: Clock, every: int) -> list[Round]:
    """The opening balance, the purchasing rounds up to today and the order on its way."""
    at = timezone.make_aware(datetime.datetime.combine(OPENING, datetime.time(9)))
    rounds = [Round(at=at, opening=True)]
    day = datetime.date(2025, 9, 26)
    while day < clock.today - 2 * DAY:
        holiday = (day.month == 7 and day.day > 12) or (day.month == 8 and day.day < 20)
        if not holiday:
            moment = datetime.datetime.combine(clock.workday(day), datetime.time(10, 30))
            if timezone.make_aware(moment) < clock.now - DAY:
                rounds.append(Round(at=timezone.make_aware(moment)))
        day += datetime.timedelta(days=every)
    rounds.append(Round(at=clock.now + 10 * DAY, future=True))
    return rounds


def _price(items: dict[int, dict[str, Any]]) -> Any:
    def price(item_id: int, n: int) -> Decimal:
        item = items[item_id]
        if item["category"] in ("repair", "electrical") or n == 0:
            return money(item["price"])
        factor = random.Random(f"{item_id}-{n}").uniform(0.96, 1.03)  # noqa: S311
        return money(item["price"] * Decimal(str(round(factor, 3))))

    return price


def _write_store(store: store_module.Store, ledger: Ledger) -> None:
    fast_insert(StockMovement, ledger.rows)
    states = ledger.states
    pks = list(states)
    StockItem.objects.filter(pk__in=pks).update(
        quantity=Case(*[When(pk=pk, then=Value(states[pk].quantity)) for pk in pks]),
        value=Case(*[When(pk=pk, then=Value(states[pk].value)) for pk in pks]),
        average_cost=Case(*[When(pk=pk, then=Value(states[pk].average_cost)) for pk in pks]),
        updated_at=F("updated_at"),
    )
    raised = {pk: item for pk, item in ledger.items.items() if item.get("raised")}
    for pk, item in raised.items():  # minimums the storekeeper raised (``Ledger.ensure_low``)
        StockItem.objects.filter(pk=pk).update(
            min_stock=item["min_stock"], max_stock=item["max_stock"], updated_at=F("updated_at")
        )


def _intakes(
    school: School, purchasing: Purchasing, people: Any, clock: Clock, rng: random.Random
) -> None:
    """Accepted fixed assets: older ones placed as asset cards, recent ones waiting."""
    categories = {c.name: c for c in AssetCategory.objects.all()}
    rooms = list(Room.objects.filter(school=school, is_active=True).order_by("pk")[:200])
    suppliers = {s.pk: s.name for s in Supplier.objects.filter(school=school)}
    orders = {o["id"]: o for o in purchasing.orders}
    acceptances = {a["id"]: a for a in purchasing.acceptances}
    rows = []
    for line, accepted_row, request in purchasing.accepted_assets:
        acceptance = acceptances[accepted_row["acceptance_id"]]
        order = orders[line["order_id"]]
        rows.append(
            (
                AssetIntake(
                    school=school,
                    acceptance_line_id=accepted_row["id"],
                    name=line["item_name"],
                    specification=line["specification"],
                    unit=line["unit"],
                    quantity=int(accepted_row["accepted"]),
                    unit_price=line["unit_price"],
                    supplier_name=suppliers.get(order["supplier_id"], ""),
                    department=request.department,
                    received_on=acceptance["delivered_on"],
                ),
                acceptance,
                request,
            )
        )
    AssetIntake.objects.bulk_create([intake for intake, _a, _r in rows])
    keeper = people.users.get("assetkeeper") or people.users.get("kg-director")
    # What came in the last 20 days waits for its cards, and the last delivery of equipment
    # always does (purchasing rounds are four weeks apart, longer over the summer).
    latest = max(
        (i.received_on for i, _a, _r in rows if ASSET_CATEGORY.get(i.name) in categories),
        default=OPENING,
    )
    waiting_from = min(clock.today - 19 * DAY, latest)
    for intake, acceptance, request in rows:
        category = categories.get(ASSET_CATEGORY.get(intake.name, ""))
        if category is None or intake.received_on >= waiting_from or not rooms:
            continue
        asset = Asset(
            school=school,
            name=intake.name,
            category=category,
            specification=intake.specification,
            unit=intake.unit,
            unit_price=intake.unit_price,
            quantity=intake.quantity,
            purchase_date=intake.received_on,
            supplier_name=intake.supplier_name,
            room=rng.choice(rooms),
            custodian=request.row["_requester"],
            department=intake.department,
        )
        try:
            asset_register(actor=keeper, asset=asset, reference=acceptance["number"])
        except AssetError:
            continue
        AssetIntake.objects.filter(pk=intake.pk).update(asset=asset, status="placed")
