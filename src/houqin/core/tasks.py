"""Periodic jobs of the core: keep the audit trail within its retention period."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .jobs import crontab, periodic
from .retention import purge_audit


@periodic(
    "core.purge_audit",
    crontab(minute="10", hour="3"),
    _("Delete audit rows older than the retention period (at least 180 days)"),
)
def purge_old_audit_rows() -> str:
    count = purge_audit(days=settings.HOUQIN_AUDIT_RETENTION_DAYS)
    return f"{count} audit rows deleted"


from .exportjobs import tasks as export_tasks  # noqa: E402, F401 - registers its jobs
