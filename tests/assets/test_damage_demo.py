"""The demo's damage reports: every state, a price list, loaded once."""

from __future__ import annotations

import pytest

from houqin.assets.models import CompensationPriceItem, DamageReport
from houqin.demo import assets_damage
from houqin.org.models import School

pytestmark = pytest.mark.django_db


def test_the_demo_has_damage_in_every_state(demo_data: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    reports = DamageReport.objects.filter(school=school)
    states = set(reports.values_list("status", flat=True))
    assert states == {
        "reported",
        "assessed",
        "waiver_pending",
        "notified",
        "paid",
        "waived",
        "no_charge",
    }
    paid = reports.get(status="paid")
    assert paid.receipt_number and paid.paid_amount == paid.assessed_amount
    assert reports.filter(student_class__endswith="班").exists()
    prices = dict(CompensationPriceItem.objects.filter(school=school).values_list("name", "price"))
    assert prices["玻璃"] == 60 and prices["课桌椅"] == 120
    kindergarten = School.objects.get(name="阳光幼儿园")
    assert DamageReport.objects.filter(school=kindergarten).exists()
    count = DamageReport.objects.count()
    assets_damage.load(school)
    assert DamageReport.objects.count() == count
