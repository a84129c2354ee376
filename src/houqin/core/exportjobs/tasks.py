"""Background jobs of exports (imported by the job consumer through ``houqin.core.tasks``)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from huey.contrib.djhuey import db_task

from houqin.notifications import events

from ..jobs import crontab, periodic
from . import services

events.register(
    services.EXPORT_READY,
    _("An export you asked for is ready"),
    _("Long exports are prepared in the background; this tells you when to download them."),
    default_channels=("in_app",),
)


@db_task()
def build_export(pk: int) -> None:
    services.build(pk)


@periodic(
    "core.purge_exports",
    crontab(minute="20", hour="3"),
    _("Delete exports past their keeping period"),
)
def purge_old_exports() -> str:
    deleted, failed = services.purge_old()
    return gettext("Deleted %(deleted)d exports; %(failed)d interrupted ones marked failed.") % {
        "deleted": deleted,
        "failed": failed,
    }
