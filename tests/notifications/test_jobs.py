from __future__ import annotations

import datetime
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from houqin.core import jobs
from houqin.notifications import services, tasks
from houqin.notifications.models import Delivery, JobRun, Notification
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_purge_job_is_registered_daily_at_half_past_three() -> None:
    registry = jobs.autodiscover()
    job = registry["notifications.purge"]
    assert job.schedule == "30 3 * * *"
    assert job.task is tasks.purge_old_notifications


def test_schedules_are_in_local_time() -> None:
    schedule = jobs.crontab(minute="30", hour="3")
    # The queue's clock is UTC: 19:30 UTC is 03:30 in Asia/Shanghai.
    assert schedule(datetime.datetime(2026, 3, 1, 19, 30))
    assert not schedule(datetime.datetime(2026, 3, 1, 3, 30))


def test_a_run_is_recorded_with_its_message() -> None:
    assert jobs.run_recorded("test.ok", lambda: "12 work orders") == "12 work orders"
    run = JobRun.objects.get(name="test.ok")
    assert run.ok and run.message == "12 work orders" and run.finished_at is not None


def test_a_failing_run_is_recorded_and_raised() -> None:
    def broken() -> None:
        raise ValueError("no database")

    with pytest.raises(ValueError):
        jobs.run_recorded("test.broken", broken)
    run = JobRun.objects.get(name="test.broken")
    assert run.ok is False and "no database" in run.message


def test_purge_keeps_what_is_recent_or_unread(teacher: Any) -> None:
    old = timezone.now() - timedelta(days=181)
    for title, created, read in [
        ("old read", old, old),
        ("old unread", old, None),
        ("new read", timezone.now(), timezone.now()),
    ]:
        Notification.objects.create(
            recipient=teacher, event="system.test", title=title, created_at=created, read_at=read
        )
    Delivery.objects.create(channel="email", target="a@b.cn", event="e", created_at=old)
    Delivery.objects.create(channel="email", target="c@d.cn", event="e")
    JobRun.objects.create(name="x", started_at=old)
    tasks.purge_old_notifications.call_local()
    assert sorted(Notification.objects.values_list("title", flat=True)) == [
        "new read",
        "old unread",
    ]
    assert list(Delivery.objects.values_list("target", flat=True)) == ["c@d.cn"]
    run = JobRun.objects.get(name="notifications.purge")
    assert run.ok and "1" in run.message
    assert not JobRun.objects.filter(name="x").exists()


def test_the_purge_counts(teacher: Any) -> None:
    assert services.purge_old() == {"notifications": 0, "deliveries": 0, "job_runs": 0}


def test_the_jobs_page_shows_the_last_run(admin_user: Any, director: Any) -> None:
    jobs.run_recorded("notifications.purge", lambda: "deleted 3")
    page = login(admin_user).get("/notifications/jobs/").content.decode()
    assert "notifications.purge" in page and "30 3 * * *" in page and "deleted 3" in page
    assert login(director).get("/notifications/jobs/").status_code == 403
