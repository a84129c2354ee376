"""Document numbers per school, type and year: BX-2026-000001, without gaps or duplicates.

The number is taken inside the caller's transaction with the sequence row locked, so a
rolled-back document gives its number back and two concurrent documents never share one.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DocumentSequence


@transaction.atomic
def next_number(school_id: int, prefix: str, on: datetime.date | None = None) -> str:
    year = (on or timezone.localdate()).year
    for _attempt in range(3):
        sequence = (
            DocumentSequence.objects.select_for_update()
            .filter(school_id=school_id, prefix=prefix, year=year)
            .first()
        )
        if sequence is None:
            try:
                with transaction.atomic():
                    sequence = DocumentSequence.objects.create(
                        school_id=school_id, prefix=prefix, year=year, last_number=0
                    )
            except IntegrityError:
                continue  # created by a concurrent caller: lock theirs and go on
            sequence = DocumentSequence.objects.select_for_update().get(pk=sequence.pk)
        sequence.last_number += 1
        sequence.save(update_fields=["last_number"])
        return f"{prefix}-{year}-{sequence.last_number:06d}"
    raise RuntimeError("could not allocate a document number")  # pragma: no cover
