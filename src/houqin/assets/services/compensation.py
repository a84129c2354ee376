"""How much a damaged item costs the responsible party (公物损坏赔偿), as pure rules.

Each rule returns the amount, the method and an explanation that shows the rule with its
numbers in the user's language, e.g. "Glass 60.00 yuan/m² × 1.5 m² × deliberate damage 2× =
180.00 yuan". No rule touches the database: the caller passes the school's policy
(``AssetSettings``) as a ``Policy`` and the item's figures.

School practice (DOMAIN.md "Damage compensation"):

- natural wear: the school repairs, nobody pays;
- an item of the price list: price × quantity;
- registered equipment by remaining life: (original − residual) × remaining months / life +
  residual, the residual being ``residual_rate`` % of the original value (a fully used-up
  item pays the residual), or by age: a share of the original value (≤ 1 year, 2–5 years,
  > 5 years);
- low-value or non-depreciated registered items without a life: by age;
- deliberate damage: × the multiplier.

Amounts are rounded to the cent, half up.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..choices import CompensationMethod

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
#: Age bands of the "share of original value by age" rule, in months of use.
ONE_YEAR = 12
FIVE_YEARS = 60
REMAINING_LIFE = "remaining_life"
AGE = "age"


@dataclass(frozen=True)
class Policy:
    """The figures of a school's asset policy that the rules use."""

    deliberate_multiplier: Decimal = Decimal(2)
    residual_rate: Decimal = Decimal(5)
    equipment_method: str = REMAINING_LIFE
    age_rate_1y: Decimal = Decimal(85)
    age_rate_5y: Decimal = Decimal(70)
    age_rate_older: Decimal = Decimal(40)

    @classmethod
    def of(cls, settings: Any) -> Policy:
        """The policy of an ``AssetSettings`` row."""
        return cls(
            deliberate_multiplier=settings.deliberate_multiplier,
            residual_rate=settings.residual_rate,
            equipment_method=settings.equipment_method,
            age_rate_1y=settings.age_rate_1y,
            age_rate_5y=settings.age_rate_5y,
            age_rate_older=settings.age_rate_older,
        )


@dataclass(frozen=True)
class Compensation:
    amount: Decimal
    method: str
    explanation: str


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    return f"{cents(value):,.2f}"


def number(value: Decimal) -> str:
    """1.50 → "1.5", 2.00 → "2", 12 → "12"."""
    text = f"{Decimal(value).normalize():f}"
    return text


def _deliberate(base: Decimal, steps: str, deliberate: bool, policy: Policy) -> tuple[Decimal, str]:
    """Apply the deliberate-damage multiplier to the (rounded) base amount."""
    if not deliberate:
        return base, _("%(steps)s = %(amount)s yuan") % {"steps": steps, "amount": money(base)}
    amount = cents(base * policy.deliberate_multiplier)
    text = _("%(steps)s × deliberate damage %(times)s× = %(amount)s yuan") % {
        "steps": steps,
        "times": number(policy.deliberate_multiplier),
        "amount": money(amount),
    }
    return amount, text


def natural_wear() -> Compensation:
    return Compensation(
        Decimal("0.00"),
        CompensationMethod.NONE,
        _("Natural wear: the school repairs it, nobody pays."),
    )


def by_price_list(
    *,
    name: str,
    unit: str,
    price: Decimal,
    quantity: Decimal,
    deliberate: bool,
    policy: Policy,
) -> Compensation:
    """An item of the school's price list: price × quantity (× multiplier if deliberate)."""
    base = cents(price * quantity)
    steps = _("%(item)s %(price)s yuan/%(unit)s × %(quantity)s %(unit)s") % {
        "item": name,
        "price": money(price),
        "unit": unit,
        "quantity": number(quantity),
    }
    amount, text = _deliberate(base, steps, deliberate, policy)
    return Compensation(amount, CompensationMethod.PRICE_LIST, text)


def _per_unit(unit_value: Decimal, quantity: Decimal) -> tuple[Decimal, str]:
    """The value of the damaged units and how it is written (only "× n" when n ≠ 1)."""
    if quantity == 1:
        return unit_value, money(unit_value)
    return unit_value * quantity, _("%(value)s × %(quantity)s") % {
        "value": money(unit_value),
        "quantity": number(quantity),
    }


def by_remaining_life(
    *,
    name: str,
    unit_value: Decimal,
    quantity: Decimal,
    life_months: int,
    months_used: int,
    deliberate: bool,
    policy: Policy,
) -> Compensation:
    """(original − residual) × remaining months / life + residual; used up → the residual."""
    original, original_text = _per_unit(unit_value, quantity)
    residual = cents(original * policy.residual_rate / HUNDRED)
    remaining = min(max(life_months - max(months_used, 0), 0), life_months)
    base = cents((original - residual) * remaining / life_months + residual)
    if remaining == 0:
        steps = _(
            "%(item)s: its %(life)s-month life is used up; the residual value "
            "%(original)s yuan × %(rate)s %% = %(residual)s yuan"
        ) % {
            "item": name,
            "life": life_months,
            "original": original_text,
            "rate": number(policy.residual_rate),
            "residual": money(residual),
        }
        # The residual is the whole amount: show it once, with the multiplier if any.
        amount, text = _deliberate(base, steps, deliberate, policy)
        if not deliberate:
            text = steps
        return Compensation(amount, CompensationMethod.REMAINING_LIFE, text)
    steps = _(
        "%(item)s: (original value %(original)s yuan − residual %(residual)s yuan) × "
        "%(remaining)s/%(life)s months of life remaining + residual %(residual)s yuan "
        "(residual = %(rate)s %% of the original value)"
    ) % {
        "item": name,
        "original": original_text,
        "residual": money(residual),
        "remaining": remaining,
        "life": life_months,
        "rate": number(policy.residual_rate),
    }
    amount, text = _deliberate(base, steps, deliberate, policy)
    return Compensation(amount, CompensationMethod.REMAINING_LIFE, text)


def age_rate(age_months: int, policy: Policy) -> tuple[Decimal, str]:
    """The share of the original value for an item used ``age_months`` months."""
    if age_months <= ONE_YEAR:
        return policy.age_rate_1y, _("up to 1 year old")
    if age_months <= FIVE_YEARS:
        return policy.age_rate_5y, _("2–5 years old")
    return policy.age_rate_older, _("over 5 years old")


def by_age(
    *,
    name: str,
    unit_value: Decimal,
    quantity: Decimal,
    age_months: int,
    deliberate: bool,
    policy: Policy,
) -> Compensation:
    """A share of the original value by age band (≤ 1 year, 2–5 years, > 5 years)."""
    original, original_text = _per_unit(unit_value, quantity)
    rate, band = age_rate(age_months, policy)
    base = cents(original * rate / HUNDRED)
    steps = _(
        "%(item)s (%(band)s, %(months)s months): original value %(original)s yuan × %(rate)s %%"
    ) % {
        "item": name,
        "band": band,
        "months": max(age_months, 0),
        "original": original_text,
        "rate": number(rate),
    }
    amount, text = _deliberate(base, steps, deliberate, policy)
    return Compensation(amount, CompensationMethod.AGE, text)


def for_registered_item(
    *,
    name: str,
    unit_value: Decimal,
    quantity: Decimal,
    life_months: int | None,
    depreciable: bool,
    months_used: int,
    age_months: int,
    deliberate: bool,
    policy: Policy,
) -> Compensation:
    """A card of the register: the policy's method; by age when it has no life.

    ``months_used`` counts the month of purchase (as depreciation does); ``age_months`` counts
    completed months of age (for the age bands)."""
    if depreciable and life_months and policy.equipment_method == REMAINING_LIFE:
        return by_remaining_life(
            name=name,
            unit_value=unit_value,
            quantity=quantity,
            life_months=life_months,
            months_used=months_used,
            deliberate=deliberate,
            policy=policy,
        )
    return by_age(
        name=name,
        unit_value=unit_value,
        quantity=quantity,
        age_months=age_months,
        deliberate=deliberate,
        policy=policy,
    )


def months_of_life_used(start: datetime.date, end: datetime.date) -> int:
    """Months of life used from the purchase ``start`` to the damage ``end``, counting the
    month of purchase as depreciation does (政府会计准则第3号); never negative."""
    return max((end.year - start.year) * 12 + end.month - start.month + 1, 0)


def age_in_months(start: datetime.date, end: datetime.date) -> int:
    """Completed months of age from ``start`` to ``end``; never negative."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)
