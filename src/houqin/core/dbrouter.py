"""Report reads on a PostgreSQL replica.

When ``HOUQIN_REPLICA_DATABASE_URL`` names a replica, the settings add it as the database
alias ``reports``. Only the reads of report pages go there, and only where a view says so:

    class StatisticsView(ReportReadsMixin, …): …     # every read of the request's view code
    with report_reads(): rows = list(queryset)         # or one block of code

A replica lags its primary by a moment, which reports tolerate; everything else (lists, detail
pages, forms, the checks before a write, every write) stays on ``default``, so a user always
sees their own changes. Without a replica the router changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

REPORTS = "reports"
_reading_reports: ContextVar[bool] = ContextVar("houqin_reading_reports", default=False)


def replica_configured() -> bool:
    return REPORTS in settings.DATABASES


def reports_alias() -> str:
    """The alias report reads use: the replica when configured, else ``default``."""
    return REPORTS if replica_configured() else "default"


@contextmanager
def report_reads() -> Iterator[None]:
    """Within the block, reads go to the replica (when one is configured)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportReadsMixin:
    """For report views: the view's reads go to the replica."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with report_reads():
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()  # templates evaluate querysets lazily: inside the block
            return response


class ReportsRouter:
    """Reads inside ``report_reads()`` go to ``reports``; writes and migrations to ``default``."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _reading_reports.get() and replica_configured():
            return REPORTS
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPORTS:
            return "default"  # a row read in a report is written to the primary
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: objects from both may be related.
        if REPORTS in (obj1._state.db, obj2._state.db):
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPORTS else None
