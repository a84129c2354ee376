"""The generator writes the same district whatever keys the database hands out.

Schools, years, terms and departments are created through the ORM, so their keys come from
the database's sequences, which a rolled-back test does not rewind on PostgreSQL. Every random
choice must follow the school's place in the district, never its key: a generator seeded by
keys wrote another store, other orders and other statuses after an earlier test, and the
tests that expect every state in the data failed now and then.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction

from bench.generate import generate, rows_preset
from bench.generate.base import TZ
from houqin.core.models import AuditEntry
from tests.factories import SchoolFactory

# Columns that say what a row is without naming another row's key.
DESCRIBING = ("status", "number", "kind", "code", "name", "amount", "total", "quantity")


def _district() -> dict[str, tuple[int, list[tuple[str, int]]]]:
    """Every Houqin table: its rows, and how often each value of its describing columns occurs."""
    seen: dict[str, tuple[int, list[tuple[str, int]]]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("houqin."):
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        columns = [name for name in DESCRIBING if name in fields]
        values = model.objects.values_list(*columns) if columns else []
        seen[model._meta.label] = (
            model.objects.count(),
            sorted(Counter(map(str, values)).items()),
        )
    return seen


def _generated(shift_keys: bool) -> dict[str, Any]:
    now = datetime.datetime(2026, 11, 25, 23, 6, tzinfo=TZ)
    savepoint = transaction.savepoint_create()
    try:
        if shift_keys:  # the next school (and its calendar) gets other keys than in a fresh base
            before = AuditEntry.objects.order_by("pk").values_list("pk", flat=True).last() or 0
            school = SchoolFactory(name="临时学校")
            school.delete()
            school.district.delete()
            AuditEntry.objects.filter(pk__gt=before).delete()
        generate(rows_preset(10), now=now)
        return _district()
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
def test_the_same_district_whatever_the_keys() -> None:
    first = _generated(shift_keys=False)
    again = _generated(shift_keys=True)
    assert first["org.School"][0] == 1
    assert first["maintenance.WorkOrder"][0] > 0
    assert [label for label in first if first[label] != again[label]] == []
