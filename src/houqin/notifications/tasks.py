"""Background jobs of the notifications app (imported by the job consumer)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from huey.contrib.djhuey import db_task
from huey.exceptions import RetryTask

from houqin.core.jobs import crontab, periodic

from . import services


@db_task()
def deliver(delivery_id: int) -> None:
    """Send one e-mail or webhook message; a failure is retried 3 times with longer pauses.

    The delivery row counts the attempts and holds the last error, so the retries survive a
    restart of the consumer and the log shows what happened.
    """
    delivery = services.attempt(delivery_id)
    delay = services.retry_delay(delivery)
    if delay is not None:
        raise RetryTask(f"delivery {delivery_id} failed, retrying in {delay} s", delay=delay)


@periodic(
    "notifications.purge",
    crontab(minute="30", hour="3"),
    _("Delete read notifications, delivery log rows and job runs older than 180 days"),
)
def purge_old_notifications() -> str:
    counts = services.purge_old()
    return (
        gettext(
            "Deleted %(notifications)d notifications, %(deliveries)d delivery log rows "
            "and %(job_runs)d job runs."
        )
        % counts
    )
