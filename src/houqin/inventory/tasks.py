"""Scheduled jobs of the store: the daily reorder alert."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.jobs import crontab, periodic

from .services import reorder

REORDER_ALERT = "inventory.reorder_alert"


def last_success() -> datetime.datetime | None:
    """When the last successful alert run started (the alerts since then are new)."""
    from houqin.notifications.models import JobRun

    run = JobRun.objects.filter(name=REORDER_ALERT, ok=True).order_by("-started_at").first()
    return run.started_at if run is not None else None


@periodic(
    REORDER_ALERT,
    crontab(minute="10", hour="7"),
    _("Tell the storekeepers which items ran low"),
)
def reorder_alert() -> str:
    since = last_success()
    now = timezone.now()
    if since is None or now - since > datetime.timedelta(days=7):
        since = now - datetime.timedelta(days=1)
    return f"{reorder.alert_low_stock(since=since, now=now)} items ran low"
