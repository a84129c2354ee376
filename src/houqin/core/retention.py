"""How long audit rows are kept: at least 180 days (等保 2.0), longer by configuration."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import AuditEntry

MINIMUM_DAYS = 180


def purge_audit(*, days: int, dry_run: bool = False, batch: int = 5000) -> int:
    days = max(days, MINIMUM_DAYS)
    cutoff = timezone.now() - datetime.timedelta(days=days)
    old = AuditEntry.objects.filter(created_at__lt=cutoff)
    if dry_run:
        return int(old.count())
    total = 0
    while True:
        ids = list(old.values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        total += AuditEntry.objects.filter(pk__in=ids).delete()[0]
