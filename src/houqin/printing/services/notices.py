"""Notices of printing: the requester hears when the job is printed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.notifications import events

DONE = "printing.done"

events.register(DONE, gettext_lazy("Your print job is ready to collect"))


def _send(*, recipients: list[Any], event: str, title: str, job: Any, actor: Any) -> None:
    from houqin.notifications.services import notify

    actor = actor if getattr(actor, "is_authenticated", False) else None
    transaction.on_commit(
        lambda: notify(
            recipients=recipients,
            event=event,
            title=title,
            url=job.get_absolute_url(),
            obj=job,
            school=job.school_id,
            actor=actor,
        )
    )


def job_done(job: Any, actor: Any) -> None:
    _send(
        recipients=[job.requester],
        event=DONE,
        title=_("%(number)s %(title)s is printed: please collect it.")
        % {"number": job.number, "title": job.title},
        job=job,
        actor=actor,
    )
