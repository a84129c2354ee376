"""The monthly job: on the 1st at 02:00 every school's missing months are posted."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from houqin.assets import tasks
from houqin.assets.models import DepreciationRun
from houqin.assets.services.depreciation import depreciation_post
from houqin.assets.services.register import last_closed_period
from houqin.core import jobs
from houqin.notifications.models import JobRun

from .objects_depreciation import card

pytestmark = pytest.mark.django_db

LAST = last_closed_period()


def test_the_job_is_registered_on_the_first_of_the_month_at_two() -> None:
    job = jobs.autodiscover()["assets.depreciation"]
    assert job.schedule == "0 2 1 * *"
    assert job.task is tasks.post_monthly_depreciation
    schedule = jobs.crontab(minute="0", hour="2", day="1")
    # The queue's clock is UTC: 18:00 UTC on the last day is 02:00 on the 1st in Shanghai.
    assert schedule(datetime.datetime(2026, 11, 30, 18, 0))
    assert not schedule(datetime.datetime(2026, 12, 1, 2, 0))


def test_the_job_catches_up_every_school_and_runs_twice_harmlessly(
    school: Any, other_school: Any
) -> None:
    card(school)
    card(other_school)
    depreciation_post(school_id=other_school.pk, period=LAST - 3)
    tasks.post_monthly_depreciation.call_local()
    assert sorted(DepreciationRun.objects.filter(school=school).values_list("period", flat=True))
    assert list(DepreciationRun.objects.filter(school=school).values_list("period", flat=True)) == [
        LAST
    ]
    assert sorted(
        DepreciationRun.objects.filter(school=other_school).values_list("period", flat=True)
    ) == [LAST - 3, LAST - 2, LAST - 1, LAST]
    run = JobRun.objects.get(name="assets.depreciation")
    assert run.ok and run.message.startswith("4 months posted")

    tasks.post_monthly_depreciation.call_local()
    assert DepreciationRun.objects.count() == 5
    last = JobRun.objects.filter(name="assets.depreciation").latest("pk")
    assert last.ok and last.message.startswith("0 months posted")
    assert all(r.posted_by is None for r in DepreciationRun.objects.all())


def test_a_school_without_assets_gets_no_run(school: Any) -> None:
    assert tasks.catch_up_every_school() == "0 months posted"
    assert not DepreciationRun.objects.exists()


def test_the_demo_posts_the_last_three_months_once(school: Any) -> None:
    from houqin.demo import assets_depreciation

    asset = card(school)
    before = asset.accumulated_depreciation
    assets_depreciation.load(school)
    assets_depreciation.load(school)
    periods = list(
        DepreciationRun.objects.filter(school=school)
        .order_by("period")
        .values_list("period", flat=True)
    )
    assert periods == [LAST - 2, LAST - 1, LAST]
    asset.refresh_from_db()
    assert asset.accumulated_depreciation == before
