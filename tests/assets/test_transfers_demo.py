"""The demo shows transfers and loans in every state, and loading twice adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from houqin.assets.models import AssetLoan, AssetTransfer
from houqin.demo.loader import load_demo
from houqin.org.models import School
from tests.conftest import ensure_roles

pytestmark = pytest.mark.django_db


def test_the_demo_has_transfers_and_loans(db: Any) -> None:
    ensure_roles()
    load_demo()
    school = School.objects.get(name="示范中学")
    statuses = sorted(AssetTransfer.objects.filter(school=school).values_list("status", flat=True))
    assert statuses == ["completed", "pending"]
    loans = AssetLoan.objects.filter(school=school)
    assert loans.filter(status="out").count() == 2
    assert loans.filter(status="out", due_date__lt=timezone.localdate()).count() == 1
    assert loans.filter(status="returned").count() == 1
    counts = (AssetTransfer.objects.count(), AssetLoan.objects.count())
    load_demo()
    assert (AssetTransfer.objects.count(), AssetLoan.objects.count()) == counts
