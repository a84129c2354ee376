"""The monthly consumption tables always equal the ledger's own sums: after the stock
service, a posted count, bulk writes that bypass the service, a month boundary in local
time, a deletion, and a refill; the report's figures read from them equal a plain sum."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.core.dbfunctions import LocalMonth
from houqin.inventory import consumption_sql
from houqin.inventory import figures as store_figures
from houqin.inventory.choices import MovementKind
from houqin.inventory.consumption import summed
from houqin.inventory.models import (
    DepartmentConsumption,
    ItemConsumption,
    PersonConsumption,
    StockMovement,
)
from houqin.inventory.services import counts as count_services
from houqin.inventory.services.counts import Entry
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies

pytestmark = pytest.mark.django_db
KINDS = ("issue", "print", "repair", "return")
D = Decimal


def ledger_sums(key: str | None) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    """Sums of the ledger per school, local month, kind, department (and ``key``: then of
    the consumption kinds only)."""
    fields = ["school_id", "month", "kind", "department_id"] + ([key] if key else [])
    rows = (
        StockMovement.objects.filter(
            kind__in=KINDS if key else [k for k, _n in MovementKind.choices]
        )
        .annotate(month=LocalMonth("at"))
        .values(*fields)
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"), n=Count("pk"))
        .order_by()
    )
    return {
        tuple(r[name] or 0 for name in fields): (
            D(r["amount"]).quantize(D("0.01")),
            D(r["quantity"]).quantize(D("0.001")),
            r["n"],
        )
        for r in rows
    }


def table_sums(model: Any, key: str | None) -> dict[tuple[Any, ...], tuple[Decimal, Decimal, int]]:
    fields = ["school_id", "month", "kind", "department_key"] + ([key] if key else [])
    found = {}
    for row in model.objects.values(*fields, "amount", "quantity", "movements"):
        if not row["movements"]:
            continue
        month = row["month"]
        key_values = [row[name] for name in fields]
        key_values[1] = f"{month.year:04d}-{month.month:02d}"
        found[tuple(key_values)] = (
            D(row["amount"]).quantize(D("0.01")),
            D(row["quantity"]).quantize(D("0.001")),
            row["movements"],
        )
    return found


def assert_tables_match() -> None:
    assert table_sums(DepartmentConsumption, None) == ledger_sums(None)
    assert table_sums(PersonConsumption, "person_key") == ledger_sums("person_id")
    assert table_sums(ItemConsumption, "item_id") == ledger_sums("item_id")


@pytest.fixture
def store(school: Any) -> Any:
    keeper = f.member(school, "storekeeper")
    director = f.member(school, "director")
    maths = f.DepartmentFactory(school=school, name="数学组")
    wang = f.member(school, "teacher", real_name="王老师", department=maths)
    supplies.chain(school, "stock_count", ("role", "director"))
    paper = supplies.stock_item(school, name="复印纸", unit="包", category="paper")
    pens = supplies.stock_item(school, name="签字笔", unit="支", category="office")
    supplies.receive(paper, 100, "20", keeper)
    supplies.receive(pens, 300, "1.5", keeper)
    return type(
        "Store",
        (),
        {
            "school": school,
            "keeper": keeper,
            "director": director,
            "maths": maths,
            "wang": wang,
            "paper": paper,
            "pens": pens,
        },
    )


def local(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_the_stock_service_keeps_the_months(store: Any) -> None:
    for day, kind, qty, item in (
        (datetime.date(2026, 3, 2), MovementKind.ISSUE, 3, store.pens),
        (datetime.date(2026, 3, 31), MovementKind.PRINT, 2, store.paper),
        (datetime.date(2026, 4, 1), MovementKind.REPAIR, "1.5", store.pens),
        (datetime.date(2026, 4, 2), MovementKind.RETURN, 1, store.pens),
        (datetime.date(2026, 4, 3), MovementKind.SCRAP, 1, store.pens),
    ):
        stock_move(
            item=item,
            kind=kind,
            quantity=qty,
            actor=store.keeper,
            reason="x",
            department=store.maths if kind != MovementKind.REPAIR else None,
            person=store.wang if kind != MovementKind.REPAIR else None,
            at=local(day),
        )
    # Just after local midnight on 1 April is still 31 March in UTC: April locally.
    stock_move(
        item=store.pens,
        kind=MovementKind.ISSUE,
        quantity=2,
        actor=store.keeper,
        reason="x",
        department=store.maths,
        at=local(datetime.date(2026, 4, 1), 0, 5),
    )
    assert_tables_match()
    april = DepartmentConsumption.objects.get(
        month=datetime.date(2026, 4, 1), kind="issue", department_key=store.maths.pk
    )
    assert (april.amount, april.movements) == (D("-3.00"), 1)
    assert not PersonConsumption.objects.filter(kind="scrap").exists()
    assert DepartmentConsumption.objects.filter(kind="scrap").exists()


def test_a_posted_count_and_bulk_writes_keep_the_months(store: Any) -> None:
    stock_move(
        item=store.paper,
        kind="issue",
        quantity=5,
        actor=store.keeper,
        reason="x",
        department=store.maths,
        person=store.wang,
    )
    count = count_services.count_start(
        actor=store.keeper, school=store.school, title="x", categories=["paper", "office"]
    )
    lines = {line.item_id: line.pk for line in count.lines.all()}
    count_services.count_enter(
        actor=store.keeper,
        count=count,
        entries={lines[store.paper.pk]: Entry(D("90")), lines[store.pens.pk]: Entry(D("301"))},
    )
    count_services.count_submit(actor=store.keeper, count=count)
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    approval_act(request=request, actor=store.director, action="approve")
    assert StockMovement.objects.filter(source_type="stock_count").count() == 2
    # Rows written around the stock service (an import, a bulk load).
    template = StockMovement.objects.filter(kind="issue").first()
    assert template is not None
    bulk = []
    for n in range(30):
        bulk.append(
            StockMovement(
                school_id=store.school.pk,
                item_id=store.pens.pk if n % 2 else store.paper.pk,
                kind=("issue", "print", "return", "receipt")[n % 4],
                quantity=D(-1 if n % 4 in (0, 1) else 1),
                unit_cost=D("1.5"),
                amount=D("-1.50") if n % 4 in (0, 1) else D("1.50"),
                balance=D(5),
                department=store.maths if n % 3 else None,
                person=store.wang if n % 5 else None,
                reason="bulk",
                at=local(datetime.date(2025, 1 + n % 12, 1 + n % 27), n % 24),
            )
        )
    StockMovement.objects.bulk_create(bulk)
    assert_tables_match()
    StockMovement.objects.filter(reason="bulk", kind="print").delete()
    assert_tables_match()
    consumption_sql.refill()
    assert_tables_match()


def test_the_sums_equal_the_ledger_over_any_period(store: Any) -> None:
    for n in range(40):
        day = datetime.date(2025, 9, 1) + datetime.timedelta(days=n * 9)
        stock_move(
            item=store.pens if n % 2 else store.paper,
            kind=("issue", "print", "repair")[n % 3],
            quantity=1 + n % 3,
            actor=store.keeper,
            reason="x",
            department=store.maths if n % 4 else None,
            person=store.wang if n % 3 else None,
            at=local(day, 8 + n % 10),
        )
    schools = [store.school.pk]
    for start, end in (
        (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31)),
        (datetime.date(2025, 9, 17), datetime.date(2026, 1, 20)),
        (datetime.date(2025, 10, 3), datetime.date(2025, 10, 28)),
    ):
        low = local(start, 0)
        high = local(end + datetime.timedelta(days=1), 0)
        rows = StockMovement.objects.filter(
            school_id__in=schools, kind__in=KINDS, at__gte=low, at__lt=high
        )
        expected = D(rows.aggregate(s=Sum("amount"))["s"] or 0).quantize(D("0.01"))
        for group in (("month",), ("school_id", "department_id", "month"), ("person_id",)):
            found = summed(schools, KINDS, start, end, group)
            assert sum((r["amount"] for r in found), D(0)) == expected
        months = store_figures.monthly(schools, start, end)
        assert -sum(months.values(), D(0)) == expected
        by_item = {
            r["item_id"]: r["amount"] for r in summed(schools, KINDS, start, end, ("item_id",))
        }
        for item in (store.pens, store.paper):
            own = rows.filter(item=item).aggregate(s=Sum("amount"))["s"] or 0
            assert by_item.get(item.pk, D(0)) == D(own).quantize(D("0.01"))
