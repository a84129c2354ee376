"""Scheduled jobs of this module."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.jobs import crontab, periodic

from .services import suppliers  # noqa: F401 - registers the notice type


@periodic(
    "procurement.qualification_reminders",
    crontab(minute="10", hour="7"),
    _("Warn the purchasing office of supplier qualifications that expire soon or expired"),
)
def qualification_reminders() -> str:
    from .services.suppliers import qualifications_remind

    return f"{qualifications_remind()} reminders sent"
