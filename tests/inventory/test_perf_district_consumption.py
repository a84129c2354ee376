"""The district's consumption report: schools compared, one school opened to its departments,
people and items ranked by the database; every figure equals a plain sum over the ledger, and
the page does not grow with the district's departments and people."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.inventory.models import StockMovement
from houqin.inventory.reports import ConsumptionScope, figures, school_departments
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = Decimal
KINDS = ("issue", "print", "repair", "return")
#: A term that starts and ends inside months: whole months and edge days both count.
TERM = (datetime.date(2025, 9, 17), datetime.date(2026, 1, 20))
BEFORE = (datetime.date(2024, 9, 17), datetime.date(2025, 1, 20))


def local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_school(district: Any, name: str, departments: int, rng: random.Random) -> Any:
    school = f.SchoolFactory(name=name, district=district)
    keeper = f.member(school, "storekeeper")
    groups = [f.DepartmentFactory(school=school, name=f"组{n}") for n in range(departments)]
    people = [
        f.member(school, "teacher", real_name=f"{name}老师{n}", department=groups[n % departments])
        for n in range(departments * 2)
    ]
    items = [supplies.stock_item(school, name=f"耗材{n}", unit="个") for n in range(4)]
    rows = []
    for _n in range(60):
        day = datetime.date(2024, 9, 1) + datetime.timedelta(days=rng.randrange(0, 540))
        kind = rng.choice(("issue", "issue", "print", "repair", "return", "receipt"))
        quantity = D(rng.randrange(1, 6))
        sign = 1 if kind in ("return", "receipt") else -1
        cost = D(rng.choice(("1.5", "2", "12.25", "0.33")))
        person = rng.choice([*people, None])
        rows.append(
            StockMovement(
                school=school,
                item=rng.choice(items),
                kind=kind,
                quantity=sign * quantity,
                unit_cost=cost,
                amount=(sign * quantity * cost).quantize(D("0.01")),
                balance=D(100),
                department=rng.choice([*groups, None]),
                person=person,
                reason="x",
                actor=keeper,
                at=local(day, rng.choice((0, 7, 12, 23))),
            )
        )
    StockMovement.objects.bulk_create(rows)
    return school


@pytest.fixture
def district(school: Any) -> Any:
    rng = random.Random(7)
    district = school.district
    schools = [build_school(district, f"区属{n}校", 3 + n, rng) for n in range(3)]
    return type("World", (), {"district": district, "schools": schools})


def ledger(schools: list[Any], period: tuple[datetime.date, datetime.date]) -> Any:
    low = local(period[0], 0)
    high = local(period[1] + datetime.timedelta(days=1), 0)
    return StockMovement.objects.filter(
        school__in=schools, kind__in=KINDS, at__gte=low, at__lt=high
    ).order_by()


def consumed(rows: Any, key: str) -> dict[Any, tuple[Decimal, Decimal, int]]:
    """Per ``key``: consumption (positive), quantity and times (returns are not times)."""
    found = rows.values(key).annotate(
        a=Sum("amount"), q=Sum("quantity"), n=Count("pk", filter=~Q(kind="return"))
    )
    return {
        r[key]: (-D(r["a"]).quantize(D("0.01")), -D(r["q"]).quantize(D("0.001")), r["n"])
        for r in found
    }


def scope(schools: list[Any]) -> ConsumptionScope:
    return ConsumptionScope(tuple(s.pk for s in schools), *TERM, *BEFORE)


def test_the_district_figures_equal_the_ledger(district: Any) -> None:
    schools = district.schools
    found = figures(scope(schools), schools=True)
    now, before = ledger(schools, TERM), ledger(schools, BEFORE)
    total = sum((v[0] for v in consumed(now, "school_id").values()), D(0))
    assert found["totals"]["amount"] == total
    assert found["totals"]["count"] == sum(v[2] for v in consumed(now, "school_id").values())
    assert found["totals"]["previous"] == sum(
        (v[0] for v in consumed(before, "school_id").values()), D(0)
    )
    per_school = consumed(now, "school_id")
    earlier = consumed(before, "school_id")
    assert {r["id"]: (r["amount"], r["quantity"], r["count"]) for r in found["schools"]} == (
        per_school
    )
    assert {r["id"]: r["previous"] for r in found["schools"]} == {
        k: earlier.get(k, (D(0),))[0] for k in per_school
    }
    assert found["departments"] == []  # the district compares schools, not departments
    assert sum(found["months"]["amount"], D(0)) == total


def test_people_and_items_are_ranked_exactly(district: Any) -> None:
    schools = district.schools
    found = figures(scope(schools), schools=True)
    now, before = ledger(schools, TERM), ledger(schools, BEFORE)
    people = consumed(now, "person_id")
    expected = sorted(people.items(), key=lambda kv: (-kv[1][0], kv[0] is None, kv[0] or 0))
    assert [r["amount"] for r in found["people"]] == [v[0] for _k, v in expected][:30]
    earlier = consumed(before, "person_id")
    for row in found["people"]:
        assert row["amount"] == people[row["id"]][0]
        assert row["previous"] == earlier.get(row["id"], (D(0),))[0]
    items = consumed(now, "item_id")
    top = sorted(items.values(), key=lambda v: -v[0])[:20]
    assert [r["amount"] for r in found["items"]] == [v[0] for v in top]
    assert all(items[r["id"]][:2] == (r["amount"], r["quantity"]) for r in found["items"])


def test_one_school_shows_its_departments(district: Any) -> None:
    school = district.schools[2]
    found = figures(scope([school]))
    departments = consumed(ledger([school], TERM), "department_id")
    assert {r["id"]: (r["amount"], r["quantity"], r["count"]) for r in found["departments"]} == (
        departments
    )
    assert found["schools"] == []


def test_the_export_lists_every_department_of_every_school(district: Any) -> None:
    schools = district.schools
    rows = school_departments(scope(schools))
    now = ledger(schools, TERM)
    expected = {
        (r["school_id"], r["department_id"] or 0): -D(r["a"]).quantize(D("0.01"))
        for r in now.values("school_id", "department_id").annotate(a=Sum("amount"))
    }
    assert {r["id"]: r["amount"] for r in rows} == expected
    assert all(" · " in r["label"] for r in rows)


def test_the_district_page_opens_a_school(district: Any) -> None:
    official = login(f.district_member(district.district))
    url = reverse("inventory:consumption_report")
    page = official.get(url, {"period": "c2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="schools"' in html and 'data-testid="departments"' not in html
    school = district.schools[1]
    assert f"school={school.pk}" in html
    opened = official.get(url, {"period": "c2025", "school": school.pk})
    assert opened.status_code == 200
    assert not opened.context["several"]
    labels = {r["label"] for r in opened.context["figures"]["departments"]}
    assert labels <= {"组0", "组1", "组2", "组3", "—"}
    assert 'data-testid="departments"' in opened.content.decode()
    other = f.SchoolFactory(name="别区学校")
    ignored = official.get(url, {"school": other.pk})
    assert ignored.context["several"]  # a school outside the district is not opened


def test_the_page_does_not_grow_with_departments(district: Any) -> None:
    official = login(f.district_member(district.district))
    url = reverse("inventory:consumption_report")
    official.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        official.get(url)
    build_school(district.district, "区属9校", 12, random.Random(9))
    cache.clear()
    with CaptureQueriesContext(connection) as second:
        page = official.get(url)
    assert len(second) == len(first)
    assert len(page.context["figures"]["people"]) <= 30
