"""The demo shows transfers and loans in every state (loading it twice: tests/test_demo.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from houqin.assets.models import AssetLoan, AssetTransfer
from houqin.org.models import School

pytestmark = pytest.mark.django_db


def test_the_demo_has_transfers_and_loans(demo_data: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    statuses = sorted(AssetTransfer.objects.filter(school=school).values_list("status", flat=True))
    assert statuses == ["completed", "pending"]
    loans = AssetLoan.objects.filter(school=school)
    assert loans.filter(status="out").count() == 2
    assert loans.filter(status="out", due_date__lt=timezone.localdate()).count() == 1
    assert loans.filter(status="returned").count() == 1
