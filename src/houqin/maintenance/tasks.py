"""Scheduled jobs of maintenance: escalation, automatic verification, preventive plans."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.jobs import crontab, periodic

from .services import notices  # noqa: F401 - registers the notice types


@periodic(
    "maintenance.auto_verify",
    crontab(minute="20", hour="*"),
    _("Close repairs the requester did not verify in time"),
)
def auto_verify() -> str:
    from .services.closing import work_order_auto_verify

    return f"{work_order_auto_verify()} orders closed"


@periodic(
    "maintenance.plan_generate",
    crontab(minute="30", hour="1"),
    _("Create the work orders of due preventive maintenance plans"),
)
def plan_generate() -> str:
    from .services.plans import generate_due_orders

    return generate_due_orders()


@periodic(
    "maintenance.escalate",
    crontab(minute="*/5"),
    _("Escalate overdue work orders to the director"),
)
def escalate() -> str:
    from .services.escalation import escalate_overdue

    return f"{escalate_overdue()} orders escalated"


@periodic(
    "maintenance.stats_refresh",
    crontab(minute="10", hour="2"),
    _("Check the maintenance statistics against the work orders"),
)
def stats_refresh() -> str:
    from .stats_refresh import refresh_all

    return f"{refresh_all()} statistics rows written"
