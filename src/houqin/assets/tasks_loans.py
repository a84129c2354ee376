"""Daily loan reminders: before the due date to the borrower, when overdue also to the keepers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from houqin.core.jobs import crontab, periodic
from houqin.notifications import events

from .services.movements import LOAN_DUE_EVENT, LOAN_OVERDUE_EVENT, loan_send_reminders

events.register(LOAN_DUE_EVENT, _("An asset you borrowed is due soon"))
events.register(LOAN_OVERDUE_EVENT, _("An asset loan is overdue"))


@periodic(
    "assets.loan_reminders",
    crontab(minute="0", hour="8"),
    _("Remind borrowers of asset loans due soon and report overdue loans"),
)
def send_loan_reminders() -> str:
    due, overdue = loan_send_reminders()
    return f"{due} due-soon reminders, {overdue} overdue notices"
