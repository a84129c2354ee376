"""Posting a month: the SQL formula, what is and is not depreciated, refusals, catch-up."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum

from houqin.assets.models import Asset, DepreciationLine, DepreciationRun, period_label
from houqin.assets.services.depreciation import (
    CentsToYuan,
    DepreciationError,
    accumulated_cents_at,
    depreciation_catch_up,
    depreciation_post,
)
from houqin.assets.services.depreciation_math import accumulated, months_elapsed
from houqin.assets.services.register import last_closed_period
from houqin.core.models import AuditEntry
from tests import factories as f

from .objects_depreciation import card, category

pytestmark = pytest.mark.django_db

LAST = last_closed_period()


def day_of(period: int, day: int = 10) -> datetime.date:
    return datetime.date(period // 12, period % 12 + 1, day)


def random_cards(school: Any, count: int, period: int) -> list[Asset]:
    """Cards with random values (0.01 … 10,000,000), lives (1 … 600) and first months."""
    rng = random.Random(20261124)
    kind = category("台式计算机")
    cards = []
    for n in range(count):
        cents = rng.choice((1, 2, 99, 101, 1_000_000_000, rng.randrange(1, 1_000_000_001)))
        value = Decimal(cents) / 100
        life = rng.choice((1, 2, 7, 600, rng.randrange(1, 601)))
        start = period - rng.randrange(-3, life + 5)
        cards.append(
            Asset(
                school=school,
                code=f"R-{n:05d}",
                name="随机",
                category=kind,
                unit_price=value,
                original_value=value,
                purchase_date=day_of(start),
                depreciable=True,
                life_months=life,
                start_period=start,
            )
        )
    return Asset.objects.bulk_create(cards)


def expected(asset: Asset, period: int) -> Decimal:
    assert asset.life_months and asset.start_period is not None
    return accumulated(
        asset.original_value, asset.life_months, months_elapsed(asset.start_period, period)
    )


def test_the_sql_formula_equals_the_python_formula_for_many_random_cards(school: Any) -> None:
    random_cards(school, 400, LAST)
    cards = Asset.objects.filter(school=school).annotate(
        at_last=CentsToYuan(accumulated_cents_at(LAST)),
        at_before=CentsToYuan(accumulated_cents_at(LAST - 1)),
    )
    for asset in cards:
        assert asset.at_last == expected(asset, LAST), (asset.original_value, asset.life_months)
        assert asset.at_before == expected(asset, LAST - 1)


def test_the_posting_update_writes_the_python_formula_for_many_random_cards(school: Any) -> None:
    random_cards(school, 400, LAST)
    run = depreciation_post(school_id=school.pk, period=LAST)
    in_service = 0
    for asset in Asset.objects.filter(school=school):
        if asset.start_period is not None and asset.start_period <= LAST:
            in_service += 1
            assert asset.accumulated_depreciation == expected(asset, LAST)
            assert asset.depreciated_through == LAST
    month = sum(
        (expected(a, LAST) - expected(a, LAST - 1) for a in Asset.objects.filter(school=school)),
        Decimal(0),
    )
    assert run.asset_count == in_service
    assert run.amount == month
    assert DepreciationRun.objects.get(pk=run.pk).amount == month


@pytest.mark.parametrize(
    ("case", "kwargs", "accumulated_after", "counted"),
    [
        ("desktop bought 3 months before", {"months_ago": 2}, Decimal("250.00"), True),
        ("non-depreciable category", {"category_name": "图书和档案"}, Decimal("0"), False),
        ("low-value item", {"price": "800"}, Decimal("0"), False),
        ("disposed card stays frozen", {"status": "disposed"}, None, False),
        ("lost card stays frozen", {"status": "lost"}, None, False),
        ("idle card depreciates", {"status": "idle", "months_ago": 2}, Decimal("250.00"), True),
        ("fully depreciated stays at original", {"months_ago": 100}, Decimal("6000.00"), True),
        ("bought after the month", {"months_ago": -1}, Decimal("0"), False),
    ],
)
def test_posting_a_month(
    school: Any, case: str, kwargs: dict[str, Any], accumulated_after: Any, counted: bool
) -> None:
    months_ago = kwargs.pop("months_ago", 2)
    asset = card(school, bought=day_of(LAST - months_ago), **kwargs)
    if months_ago < 0:  # registered this month: not in the posted month
        asset.accumulated_depreciation = Decimal(0)
    before = Asset.objects.get(pk=asset.pk).accumulated_depreciation
    run = depreciation_post(school_id=school.pk, period=LAST)
    asset.refresh_from_db()
    wanted = before if accumulated_after is None else accumulated_after
    assert asset.accumulated_depreciation == wanted, case
    assert run.asset_count == (1 if counted else 0), case
    if accumulated_after is None or not counted:
        assert asset.depreciated_through != LAST or not counted


def test_a_frozen_card_keeps_its_value_while_others_move(school: Any) -> None:
    frozen = card(school, bought=day_of(LAST - 10))
    Asset.objects.filter(pk=frozen.pk).update(
        status="disposed", accumulated_depreciation=Decimal("123.45"), depreciated_through=LAST - 5
    )
    moving = card(school, bought=day_of(LAST - 10))
    depreciation_post(school_id=school.pk, period=LAST)
    frozen.refresh_from_db()
    moving.refresh_from_db()
    assert frozen.accumulated_depreciation == Decimal("123.45")
    assert frozen.depreciated_through == LAST - 5
    assert moving.accumulated_depreciation == Decimal("916.66")  # 600000 × 11 // 72 cents


def test_a_month_is_posted_once(school: Any) -> None:
    card(school)
    depreciation_post(school_id=school.pk, period=LAST)
    with pytest.raises(DepreciationError, match="already posted"):
        depreciation_post(school_id=school.pk, period=LAST)
    assert DepreciationRun.objects.filter(school=school).count() == 1
    assert depreciation_catch_up(school_id=school.pk) == []


def test_a_month_that_is_not_over_is_refused(school: Any) -> None:
    with pytest.raises(DepreciationError, match="not over yet"):
        depreciation_post(school_id=school.pk, period=LAST + 1)
    with pytest.raises(DepreciationError, match="not over yet"):
        depreciation_catch_up(school_id=school.pk, through=LAST + 1)
    assert not DepreciationRun.objects.exists()


def test_an_earlier_month_after_a_later_one_is_refused(school: Any) -> None:
    depreciation_post(school_id=school.pk, period=LAST)
    with pytest.raises(DepreciationError, match="in order"):
        depreciation_post(school_id=school.pk, period=LAST - 2)


def test_a_refused_post_leaves_the_register_as_it_was(school: Any) -> None:
    asset = card(school, bought=day_of(LAST - 30))
    depreciation_post(school_id=school.pk, period=LAST)
    Asset.objects.filter(pk=asset.pk).update(accumulated_depreciation=Decimal("1.00"))
    with pytest.raises(DepreciationError):
        depreciation_post(school_id=school.pk, period=LAST)
    asset.refresh_from_db()
    assert asset.accumulated_depreciation == Decimal("1.00")


def test_lines_by_category_and_department_and_one_audit_row(school: Any) -> None:
    office, grade = f.DepartmentFactory(school=school), f.DepartmentFactory(school=school)
    for department in (office, office, grade):
        card(school, bought=day_of(LAST - 2), department=department)
    card(school, "空调", "4800", day_of(LAST - 12), department=grade)
    card(school, "空调", "4800", day_of(LAST - 12))
    keeper = f.member(school, "assetkeeper")
    run = depreciation_post(school_id=school.pk, period=LAST, actor=keeper)
    lines = {
        (line.category.name, line.department_id): line
        for line in DepreciationLine.objects.filter(run=run).select_related("category")
    }
    assert set(lines) == {
        ("台式计算机", office.pk),
        ("台式计算机", grade.pk),
        ("空调", grade.pk),
        ("空调", None),
    }
    desktops = lines[("台式计算机", office.pk)]
    assert (desktops.asset_count, desktops.original_value) == (2, Decimal("12000.00"))
    assert desktops.amount == Decimal("166.68")  # 2 × (250.00 − 166.66)
    assert desktops.accumulated == Decimal("500.00")
    assert lines[("空调", None)].amount == Decimal("80.00")  # 4800 / 60
    assert lines[("空调", None)].accumulated == Decimal("1040.00")  # 4800 × 13 / 60
    assert run.asset_count == 5
    assert run.amount == sum((line.amount for line in lines.values()), Decimal(0))
    assert run.posted_by == keeper
    entries = AuditEntry.objects.filter(
        object_id=str(run.pk), content_type__model="depreciationrun"
    )
    assert entries.count() == 1
    assert entries.get().actor == keeper
    assert entries.get().changes["period"] == [None, period_label(LAST)]
    assert not AuditEntry.objects.filter(content_type__model="asset", action="update").exists()


def test_catch_up_over_three_missed_months_equals_three_single_posts(
    school: Any, other_school: Any
) -> None:
    for target in (school, other_school):
        for months_ago, price in ((40, "6000"), (5, "7300.33"), (1, "15000"), (0, "2999.99")):
            card(target, bought=day_of(LAST - months_ago), price=price)
        card(target, "空调", "4800", day_of(LAST - 3))
        depreciation_post(school_id=target.pk, period=LAST - 3)
    runs = depreciation_catch_up(school_id=school.pk)
    assert [run.period for run in runs] == [LAST - 2, LAST - 1, LAST]
    singles = [
        depreciation_post(school_id=other_school.pk, period=p) for p in range(LAST - 2, LAST + 1)
    ]
    for caught, single in zip(runs, singles, strict=True):
        assert (caught.asset_count, caught.amount) == (single.asset_count, single.amount)
        assert list(lines_of(caught)) == list(lines_of(single))
    values = lambda school: sorted(  # noqa: E731
        Asset.objects.filter(school=school).values_list(
            "original_value", "accumulated_depreciation"
        )
    )
    assert values(school) == values(other_school)


def lines_of(run: DepreciationRun) -> Any:
    return run.lines.order_by("category_id", "original_value").values_list(
        "category_id", "asset_count", "original_value", "amount", "accumulated"
    )


def test_catch_up_of_a_school_without_runs_posts_the_last_closed_month(school: Any) -> None:
    card(school)
    runs = depreciation_catch_up(school_id=school.pk)
    assert [run.period for run in runs] == [LAST]
    assert depreciation_catch_up(school_id=school.pk) == []


def test_the_months_of_a_run_add_up_to_the_accumulated_depreciation(school: Any) -> None:
    for months_ago in (0, 1, 7, 30, 80):
        card(school, bought=day_of(LAST - 8 - months_ago), price="1234.56")
    depreciation_post(school_id=school.pk, period=LAST - 8)
    before = Asset.objects.aggregate(total=Sum("accumulated_depreciation"))["total"]
    runs = depreciation_catch_up(school_id=school.pk)
    assert len(runs) == 8
    after = Asset.objects.aggregate(total=Sum("accumulated_depreciation"))["total"]
    assert after - before == sum((run.amount for run in runs), Decimal(0))
