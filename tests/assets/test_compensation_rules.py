"""The compensation rules, table-driven with the examples of DOMAIN.md "Damage compensation"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from houqin.assets.choices import CompensationMethod
from houqin.assets.services import compensation as rules

D = Decimal
POLICY = rules.Policy()  # the defaults: 2×, residual 5 %, remaining life, 85/70/40 %
STRICT = rules.Policy(deliberate_multiplier=D(3), residual_rate=D(3))
BY_AGE = rules.Policy(equipment_method=rules.AGE)


@pytest.mark.parametrize(
    ("name", "unit", "price", "quantity", "deliberate", "policy", "expected"),
    [
        ("玻璃", "m²", "60", "1.5", False, POLICY, "90.00"),
        ("玻璃", "m²", "60", "1.5", True, POLICY, "180.00"),
        ("玻璃", "m²", "50", "2", False, POLICY, "100.00"),
        ("玻璃", "m²", "70", "0.8", False, POLICY, "56.00"),
        ("灯管", "支", "20", "1", False, POLICY, "20.00"),
        ("灯管", "支", "20", "3", True, STRICT, "180.00"),
        ("桌面板", "块", "15", "1", False, POLICY, "15.00"),
        ("桌面板", "块", "100", "1", False, POLICY, "100.00"),
        ("课桌椅", "套", "120", "1", False, POLICY, "120.00"),
        ("课桌椅", "套", "120", "2", True, POLICY, "480.00"),
        # half up to the cent: 33.33 × 0.5 = 16.665
        ("窗帘", "m", "33.33", "0.5", False, POLICY, "16.67"),
    ],
)
def test_it_prices_list_items(
    name: str,
    unit: str,
    price: str,
    quantity: str,
    deliberate: bool,
    policy: rules.Policy,
    expected: str,
) -> None:
    result = rules.by_price_list(
        name=name,
        unit=unit,
        price=D(price),
        quantity=D(quantity),
        deliberate=deliberate,
        policy=policy,
    )
    assert result.amount == D(expected)
    assert result.method == CompensationMethod.PRICE_LIST
    assert f"{D(expected):,.2f} yuan" in result.explanation


def test_it_shows_the_rule_and_the_numbers() -> None:
    result = rules.by_price_list(
        name="玻璃", unit="m²", price=D(60), quantity=D("1.5"), deliberate=True, policy=POLICY
    )
    assert result.explanation == (
        "玻璃 60.00 yuan/m² × 1.5 m² × deliberate damage 2× = 180.00 yuan"
    )


@pytest.mark.parametrize(
    ("value", "quantity", "life", "used", "deliberate", "policy", "expected"),
    [
        # (3000 − 150) × 24/72 + 150
        ("3000", "1", 72, 48, False, POLICY, "1100.00"),
        ("3000", "1", 72, 48, True, POLICY, "2200.00"),
        # new: the whole value
        ("3000", "1", 72, 0, False, POLICY, "3000.00"),
        # used up (and beyond): the residual
        ("3000", "1", 72, 72, False, POLICY, "150.00"),
        ("3000", "1", 72, 100, False, POLICY, "150.00"),
        ("3000", "1", 72, 100, True, POLICY, "300.00"),
        # residual 3 %: (5000 − 150) × 30/60 + 150
        ("5000", "1", 60, 30, False, STRICT, "2575.00"),
        # two chairs of a batch card at 200 each, 5 years, 1 year used: (400 − 20) × 48/60 + 20
        ("200", "2", 60, 12, False, POLICY, "324.00"),
        # rounding: (1000 − 50) × 1/7 + 50 = 185.714…
        ("1000", "1", 7, 6, False, POLICY, "185.71"),
    ],
)
def test_it_charges_equipment_by_remaining_life(
    value: str,
    quantity: str,
    life: int,
    used: int,
    deliberate: bool,
    policy: rules.Policy,
    expected: str,
) -> None:
    result = rules.by_remaining_life(
        name="投影仪",
        unit_value=D(value),
        quantity=D(quantity),
        life_months=life,
        months_used=used,
        deliberate=deliberate,
        policy=policy,
    )
    assert result.amount == D(expected)
    assert result.method == CompensationMethod.REMAINING_LIFE


@pytest.mark.parametrize(
    ("age_months", "deliberate", "expected"),
    [
        (0, False, "2550.00"),  # ≤ 1 year: 85 %
        (12, False, "2550.00"),
        (13, False, "2100.00"),  # 2–5 years: 70 %
        (60, False, "2100.00"),
        (61, False, "1200.00"),  # > 5 years: 40 %
        (120, True, "2400.00"),
    ],
)
def test_it_charges_a_share_by_age(age_months: int, deliberate: bool, expected: str) -> None:
    result = rules.by_age(
        name="电脑",
        unit_value=D(3000),
        quantity=D(1),
        age_months=age_months,
        deliberate=deliberate,
        policy=POLICY,
    )
    assert result.amount == D(expected)
    assert result.method == CompensationMethod.AGE


@pytest.mark.parametrize(
    ("life", "depreciable", "policy", "method", "expected"),
    [
        (72, True, POLICY, CompensationMethod.REMAINING_LIFE, "1100.00"),
        (72, True, BY_AGE, CompensationMethod.AGE, "2100.00"),
        # a low-value item (not depreciated, no life): by age even under remaining life
        (None, False, POLICY, CompensationMethod.AGE, "2100.00"),
        (None, True, POLICY, CompensationMethod.AGE, "2100.00"),
    ],
)
def test_it_chooses_the_rule_of_a_registered_item(
    life: int | None, depreciable: bool, policy: rules.Policy, method: str, expected: str
) -> None:
    result = rules.for_registered_item(
        name="电脑",
        unit_value=D(3000),
        quantity=D(1),
        life_months=life,
        depreciable=depreciable,
        months_used=48,
        age_months=47,
        deliberate=False,
        policy=policy,
    )
    assert (result.method, result.amount) == (method, D(expected))


def test_natural_wear_costs_nothing() -> None:
    result = rules.natural_wear()
    assert result.amount == 0
    assert result.method == CompensationMethod.NONE
    assert "school repairs" in result.explanation


@pytest.mark.parametrize(
    ("start", "end", "life_used", "age"),
    [
        (datetime.date(2026, 3, 15), datetime.date(2026, 3, 20), 1, 0),
        (datetime.date(2024, 3, 15), datetime.date(2026, 2, 10), 24, 22),
        (datetime.date(2025, 11, 15), datetime.date(2026, 11, 15), 13, 12),
        (datetime.date(2026, 5, 1), datetime.date(2026, 4, 1), 0, 0),
    ],
)
def test_it_counts_months(
    start: datetime.date, end: datetime.date, life_used: int, age: int
) -> None:
    assert rules.months_of_life_used(start, end) == life_used
    assert rules.age_in_months(start, end) == age


def test_it_takes_the_policy_of_the_school_settings() -> None:
    class Settings:
        deliberate_multiplier = D(3)
        residual_rate = D(4)
        equipment_method = "age"
        age_rate_1y = D(90)
        age_rate_5y = D(60)
        age_rate_older = D(20)

    policy = rules.Policy.of(Settings())
    assert policy == rules.Policy(D(3), D(4), "age", D(90), D(60), D(20))
