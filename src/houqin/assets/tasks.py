"""Scheduled jobs of the asset register."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from houqin.core.jobs import crontab, periodic

from . import tasks_loans  # noqa: F401 - the daily loan reminders

logger = logging.getLogger(__name__)


def catch_up_every_school() -> str:
    """Post every school's missing months of depreciation; one failing school stops no other."""
    from houqin.org.models import School

    from .models import Asset, period_label
    from .services.depreciation import DepreciationError, depreciation_catch_up

    posted: list[str] = []
    failed: list[str] = []
    with_assets = Asset.objects.values("school_id").distinct()
    for school in School.objects.filter(is_active=True, pk__in=with_assets).order_by("pk"):
        try:
            runs = depreciation_catch_up(school_id=school.pk)
        except DepreciationError as exc:
            failed.append(f"{school}: {exc}")
            continue
        except Exception as exc:
            logger.exception("depreciation of school %s failed", school.pk)
            failed.append(f"{school}: {type(exc).__name__}: {exc}")
            continue
        posted += [f"{school} {period_label(run.period)} ¥{run.amount}" for run in runs]
    message = f"{len(posted)} months posted" + "".join(f"\n{line}" for line in posted)
    if failed:
        raise RuntimeError(message + "\nFailed:\n" + "\n".join(failed))
    return message


@periodic(
    "assets.depreciation",
    crontab(minute="0", hour="2", day="1"),
    _("Post the monthly depreciation of every school (all missing months)"),
)
def post_monthly_depreciation() -> str:
    return catch_up_every_school()
