"""Department quotas: used and remaining computed in SQL, the list, add, edit and delete."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.inventory.choices import MovementKind
from houqin.inventory.models import DepartmentQuota
from houqin.inventory.services.quotas import (
    QuotaError,
    department_used,
    quota_for,
    quota_save,
    with_usage,
)
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def setup(school: Any) -> dict[str, Any]:
    year = supplies.school_year(school, datetime.date(2026, 9, 1))
    autumn = f.TermFactory(
        school_year=year, start=datetime.date(2026, 9, 1), end=datetime.date(2027, 1, 20)
    )
    spring = f.TermFactory(
        school_year=year,
        kind="spring",
        start=datetime.date(2027, 2, 20),
        end=datetime.date(2027, 7, 10),
    )
    maths = f.DepartmentFactory(school=school, name="数学组")
    office = f.DepartmentFactory(school=school, name="总务处")
    item = supplies.stock_item(school)
    supplies.receive(item, 100, "3")
    keeper = f.member(school, "storekeeper")

    def issue(
        qty: int, department: Any, day: datetime.date, kind: str = MovementKind.ISSUE
    ) -> None:
        stock_move(
            item=item,
            kind=kind,
            quantity=qty,
            actor=keeper,
            reason="领用",
            department=department,
            at=moment(day),
            source_type="requisition",
        )

    issue(10, maths, datetime.date(2026, 9, 1))  # 30 yuan, first day of autumn
    issue(5, maths, datetime.date(2027, 1, 20))  # 15, last day of autumn
    issue(2, maths, datetime.date(2027, 1, 21))  # 6, after autumn
    issue(3, maths, datetime.date(2026, 10, 8), MovementKind.RETURN)  # −9 back
    issue(4, office, datetime.date(2026, 10, 1))  # 12 for another department
    issue(7, maths, datetime.date(2027, 3, 1))  # 21 in spring
    return {"school": school, "autumn": autumn, "spring": spring, "maths": maths, "office": office}


def test_used_and_remaining_are_computed_per_term(setup: dict[str, Any]) -> None:
    for term, department, amount in (
        (setup["autumn"], setup["maths"], "100"),
        (setup["autumn"], setup["office"], "10"),
        (setup["spring"], setup["maths"], "50"),
    ):
        DepartmentQuota.objects.create(
            school=setup["school"], term=term, department=department, amount=Decimal(amount)
        )
    rows = {
        (q.term_id, q.department_id): (q.used, q.remaining)
        for q in with_usage(DepartmentQuota.objects.all())
    }
    assert rows[(setup["autumn"].pk, setup["maths"].pk)] == (Decimal("36"), Decimal("64"))
    assert rows[(setup["autumn"].pk, setup["office"].pk)] == (Decimal("12"), Decimal("-2"))
    assert rows[(setup["spring"].pk, setup["maths"].pk)] == (Decimal("21"), Decimal("29"))
    autumn = setup["autumn"]
    assert department_used(setup["maths"].pk, autumn.start, autumn.end) == Decimal("36")


def test_the_quota_of_the_current_term(setup: dict[str, Any]) -> None:
    quota = DepartmentQuota.objects.create(
        school=setup["school"], term=setup["spring"], department=setup["maths"], amount=1
    )
    assert quota_for(setup["school"].pk, setup["maths"].pk, datetime.date(2027, 3, 3)) == quota
    assert quota_for(setup["school"].pk, setup["maths"].pk, datetime.date(2027, 2, 1)) is None


def test_one_quota_per_term_and_department(setup: dict[str, Any]) -> None:
    made = DepartmentQuota(term=setup["spring"], department=setup["maths"], amount=Decimal("5"))
    quota_save(actor=None, quota=made)
    with pytest.raises(QuotaError):
        quota_save(
            actor=None,
            quota=DepartmentQuota(term=setup["spring"], department=setup["maths"], amount=1),
        )


def test_the_office_adds_edits_and_deletes_quotas(setup: dict[str, Any]) -> None:
    director = login(f.member(setup["school"], "director"))
    response = director.post(
        reverse("inventory:quota_add"),
        {"term": setup["autumn"].pk, "department": setup["maths"].pk, "amount": "120"},
    )
    assert response.status_code == 302
    quota = DepartmentQuota.objects.get()
    assert quota.school_id == setup["school"].pk
    again = director.post(
        reverse("inventory:quota_add"),
        {"term": setup["autumn"].pk, "department": setup["maths"].pk, "amount": "1"},
    )
    assert again.status_code == 422
    listed = director.get(reverse("inventory:quota_list")).content.decode()
    assert "120" in listed and "84" in listed  # 120 − 36 remaining
    assert reverse("inventory:quota_edit", args=[quota.pk]) in listed
    director.post(
        reverse("inventory:quota_edit", args=[quota.pk]),
        {"term": setup["autumn"].pk, "department": setup["maths"].pk, "amount": "90"},
    )
    quota.refresh_from_db()
    assert quota.amount == Decimal("90")
    director.post(reverse("inventory:quota_delete", args=[quota.pk]))
    assert not DepartmentQuota.objects.exists()


def test_the_storekeeper_reads_but_does_not_change(setup: dict[str, Any]) -> None:
    keeper = login(f.member(setup["school"], "storekeeper"))
    assert keeper.get(reverse("inventory:quota_list")).status_code == 200
    assert keeper.get(reverse("inventory:quota_add")).status_code == 403


def test_the_quota_list_keeps_a_constant_number_of_queries(setup: dict[str, Any]) -> None:
    client = login(f.member(setup["school"], "director"))
    url = reverse("inventory:quota_list")
    DepartmentQuota.objects.create(
        school=setup["school"], term=setup["autumn"], department=setup["maths"], amount=1
    )
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(5):
        department = f.DepartmentFactory(school=setup["school"])
        DepartmentQuota.objects.create(
            school=setup["school"], term=setup["spring"], department=department, amount=n
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_used_counts_whole_local_days_at_the_edges_of_the_term(setup: dict[str, Any]) -> None:
    """Movements just after local midnight of the first day and just before midnight of the
    last day count; those a few minutes outside the term do not (UTC is 8 hours behind)."""
    item = supplies.stock_item(setup["school"], name="签字笔")
    supplies.receive(item, 100, "1")
    autumn = setup["autumn"]
    edges = (
        (autumn.start - datetime.timedelta(days=1), datetime.time(23, 55)),  # outside
        (autumn.start, datetime.time(0, 5)),  # inside
        (autumn.end, datetime.time(23, 55)),  # inside
        (autumn.end + datetime.timedelta(days=1), datetime.time(0, 5)),  # outside
    )
    for day, at in edges:
        stock_move(
            item=item,
            kind=MovementKind.ISSUE,
            quantity=1,
            actor=None,
            reason="领用",
            department=setup["office"],
            at=timezone.make_aware(datetime.datetime.combine(day, at)),
            source_type="requisition",
        )
    DepartmentQuota.objects.create(
        school=setup["school"], term=autumn, department=setup["office"], amount=Decimal("100")
    )
    quota = with_usage(DepartmentQuota.objects.filter(term=autumn, department=setup["office"]))
    # 12 yuan issued inside on 1 October (the fixture) plus the two edge pens at 1 yuan.
    assert quota.get().used == Decimal("14")
    assert department_used(setup["office"].pk, autumn.start, autumn.end) == Decimal("14")
