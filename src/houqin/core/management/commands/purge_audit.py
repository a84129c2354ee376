"""Delete audit rows older than the retention period (never less than 180 days)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from houqin.core.retention import MINIMUM_DAYS, purge_audit


class Command(BaseCommand):
    help = "Delete audit rows older than the retention period (at least 180 days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.HOUQIN_AUDIT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < MINIMUM_DAYS:
            raise CommandError(
                _("Audit rows are kept at least %(days)s days.") % {"days": MINIMUM_DAYS}
            )
        count = purge_audit(days=days, dry_run=dry_run)
        message = _("%(count)s audit rows older than %(days)s days %(what)s.") % {
            "count": count,
            "days": days,
            "what": _("would be deleted") if dry_run else _("deleted"),
        }
        self.stdout.write(message)
