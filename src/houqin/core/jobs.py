"""Periodic jobs: a registry that every module adds to, each run recorded.

A module declares its jobs in its ``tasks.py`` (which the job consumer imports)::

    from houqin.core.jobs import crontab, periodic

    @periodic("maintenance.pm_generate", crontab(minute="0", hour="2"),
              _("Create the work orders of due preventive maintenance plans"))
    def generate_pm_orders() -> str:
        ...
        return "12 work orders"  # shown as the run's message

Schedules are in the site's time zone (``TIME_ZONE``, Asia/Shanghai), whatever the job
queue keeps its own clock in. Each run is recorded as a ``notifications.JobRun`` row (start,
end, success or the error, and the returned message) and listed at ``/notifications/jobs/``.
The jobs run in the consumer: ``./houqin serve`` starts it beside the web server,
``./houqin worker`` runs it alone.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)

Schedule = Callable[[datetime.datetime], bool]


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    schedule: str
    description: Any
    task: Any


#: name -> job, filled as the modules declaring jobs are imported.
REGISTRY: dict[str, PeriodicJob] = {}


def _queue_uses_utc() -> bool:
    config = getattr(settings, "HUEY", {})
    return bool(config.get("utc", True)) if isinstance(config, dict) else True


def crontab(
    minute: str = "*",
    hour: str = "*",
    day: str = "*",
    month: str = "*",
    day_of_week: str = "*",
) -> Schedule:
    """A crontab schedule in the site's local time (huey's own ``crontab`` reads its clock)."""
    from huey import crontab as huey_crontab

    check = huey_crontab(minute, hour, day, month, day_of_week, strict=True)

    def validate(timestamp: datetime.datetime) -> bool:
        if _queue_uses_utc():
            aware = timestamp.replace(tzinfo=datetime.UTC)
            timestamp = timezone.localtime(aware).replace(tzinfo=None)
        return bool(check(timestamp))

    validate.spec = f"{minute} {hour} {day} {month} {day_of_week}"  # type: ignore[attr-defined]
    return validate


def run_recorded(name: str, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` and record the run (start, end, success, message) as a ``JobRun``."""
    job_run = apps.get_model("notifications", "JobRun")
    run = job_run.objects.create(name=name)
    try:
        result = fn()
    except Exception as exc:
        run.finished_at = timezone.now()
        run.ok = False
        run.message = f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}"[:5000]
        run.save(update_fields=["finished_at", "ok", "message"])
        logger.exception("periodic job %s failed", name)
        raise
    run.finished_at = timezone.now()
    run.ok = True
    run.message = "" if result is None else str(result)[:5000]
    run.save(update_fields=["finished_at", "ok", "message"])
    return result


def periodic(
    name: str, schedule: Schedule, description: Any = ""
) -> Callable[[Callable[[], Any]], Any]:
    """Declare ``fn`` a periodic job named ``name`` (unique, "app.what") run on ``schedule``."""

    def decorator(fn: Callable[[], Any]) -> Any:
        from huey.contrib.djhuey import db_periodic_task

        def run() -> Any:
            return run_recorded(name, fn)

        run.__name__ = fn.__name__
        run.__module__ = fn.__module__
        run.__doc__ = fn.__doc__
        task = db_periodic_task(schedule, name=name)(run)
        task.run_now = fn  # call the job inline (tests, a management shell) without recording
        REGISTRY[name] = PeriodicJob(
            name=name,
            schedule=str(getattr(schedule, "spec", "")),
            description=description,
            task=task,
        )
        return task

    return decorator


def autodiscover() -> dict[str, PeriodicJob]:
    """Import every app's ``tasks`` module (as the consumer does) and return the registry."""
    autodiscover_modules("tasks")
    return REGISTRY


def last_runs() -> dict[str, Any]:
    """name -> the latest ``JobRun`` of each job, in two queries."""
    from django.db.models import Max

    job_run = apps.get_model("notifications", "JobRun")
    latest = job_run.objects.values("name").annotate(last=Max("id")).values_list("last", flat=True)
    return {run.name: run for run in job_run.objects.filter(pk__in=list(latest))}
