"""Queue an export that is too big to wait for, build it in the job consumer, clean up."""

from __future__ import annotations

import datetime
import logging
import tempfile
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect, QueryDict
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from ..schools import SESSION_KEY, active_school_id
from .models import ExportFile

logger = logging.getLogger(__name__)

#: Set on the request the job consumer replays, so the view builds the file itself.
IN_BACKGROUND = "houqin_export_in_background"

Status = ExportFile.Status
#: The notification event sent to the owner when the file is ready.
EXPORT_READY = "export.ready"


def bounded_count(queryset: QuerySet[Any], limit: int) -> int:
    """The number of rows, counting no further than ``limit + 1`` (enough to decide)."""
    return int(queryset.order_by()[: limit + 1].count())


def in_background(request: HttpRequest) -> bool:
    return bool(getattr(request, IN_BACKGROUND, False))


def offload(request: HttpRequest, title: str, rows: int) -> HttpResponseBase | None:
    """Queue the export the request asks for when it has more rows than are built inline.

    Returns the redirect to the export's page, or ``None`` to let the view build the file now.
    The same export still waiting for the same person is not queued twice.
    """
    if rows <= settings.HOUQIN_EXPORT_INLINE_ROWS or in_background(request):
        return None
    mine = ExportFile.objects.filter(owner_id=request.user.pk)
    query = request.GET.urlencode()
    pending = mine.filter(status__in=(Status.QUEUED, Status.RUNNING))
    same = pending.filter(path=request.path, query=query).first()
    if same is not None:
        messages.info(request, _("This export is already being prepared."))
        return HttpResponseRedirect(same.get_absolute_url())
    if pending.count() >= settings.HOUQIN_EXPORT_MAX_PENDING:
        messages.warning(
            request,
            _(
                "You already have %(count)d exports being prepared. "
                "Please wait until one of them is ready."
            )
            % {"count": settings.HOUQIN_EXPORT_MAX_PENDING},
        )
        return HttpResponseRedirect(reverse("core:export_list"))
    choice = request.session.get(SESSION_KEY, "")
    export = ExportFile.objects.create(
        owner_id=int(request.user.pk or 0),
        school_id=active_school_id(request),
        title=title[:200],
        path=request.path,
        query=query,
        school_choice=str(choice) if choice else "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows=rows,
    )
    transaction.on_commit(lambda: _enqueue(export.pk), robust=True)
    messages.info(
        request,
        _(
            "The export has more than %(rows)s rows, so it is being prepared in the background. "
            "It will download here when it is ready, and stays in “My exports” for %(days)d days."
        )
        % {
            "rows": f"{settings.HOUQIN_EXPORT_INLINE_ROWS:,}",
            "days": settings.HOUQIN_EXPORT_KEEP_DAYS,
        },
    )
    return HttpResponseRedirect(export.get_absolute_url())


def _enqueue(pk: int) -> None:
    from .tasks import build_export

    build_export(pk)


def _claim(pk: int) -> ExportFile | None:
    """Mark a waiting export as started; ``None`` if another worker has it or it is gone."""
    claimed = ExportFile.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    return ExportFile.objects.select_related("owner").get(pk=pk)


def _site_host() -> str:
    """The site's own host name, so that a view building an absolute address gets the site's."""
    host = urlsplit(getattr(settings, "HOUQIN_BASE_URL", "") or "").hostname
    named = [name for name in settings.ALLOWED_HOSTS if name and "*" not in name]
    return host or (named[0].lstrip(".") if named else "localhost")


def _replayed_request(export: ExportFile) -> HttpRequest:
    request = RequestFactory(SERVER_NAME=_site_host()).get(export.path, QueryDict(export.query))
    request.user = export.owner
    session = SessionStore()
    if export.school_choice:
        choice = export.school_choice
        session[SESSION_KEY] = int(choice) if choice.isdigit() else choice
    request.session = session
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    setattr(request, IN_BACKGROUND, True)
    return request


def _fail(export: ExportFile, message: str) -> ExportFile:
    export.status = Status.FAILED
    export.error = message
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "error", "finished_at"])
    return export


def build(pk: int) -> ExportFile | None:
    """Build a waiting export as its owner, with the page's filters and school; store the file."""
    export = _claim(pk)
    if export is None:
        return None
    language = export.language or settings.LANGUAGE_CODE
    with translation.override(language):
        if not export.owner.is_active:
            return _fail(export, _("The account that asked for this export is disabled."))
        try:
            match = resolve(export.path)
            response = match.func(_replayed_request(export), *match.args, **match.kwargs)
        except (PermissionDenied, Http404):
            return _fail(export, _("You no longer have access to this page."))
        except Exception:
            logger.exception("export %s failed", export.pk)
            return _fail(export, _("The export could not be prepared. Please try again later."))
        if response.status_code != 200 or "attachment" not in response.get(
            "Content-Disposition", ""
        ):
            return _fail(
                export, _("The page did not give a file. Its filters may no longer apply.")
            )
        _store(export, response)
    _tell_owner(export)
    return export


def _store(export: ExportFile, response: HttpResponseBase) -> None:
    name = getattr(response, "filename", "") or f"{export.title}.xlsx"
    with tempfile.TemporaryFile() as handle:
        chunks = response.streaming_content if response.streaming else [response.content]  # type: ignore[attr-defined]
        for chunk in chunks:
            handle.write(chunk)
        # The view's file is closed here, not by ``response.close()``: that announces the end
        # of a request, and Django then closes the job's database connection.
        source = getattr(response, "file_to_stream", None)
        if source is not None:
            source.close()
        export.size = handle.tell()
        handle.seek(0)
        export.file.save(name, File(handle), save=False)
    export.filename = name[:255]
    export.status = Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "filename", "size", "status", "finished_at"])


def _tell_owner(export: ExportFile) -> None:
    from houqin.notifications import services as notifications

    notifications.notify(
        recipients=[export.owner],
        event=EXPORT_READY,
        title=_("Your export “%(title)s” is ready") % {"title": export.title},
        body=_("%(name)s, %(size)s. It is kept until %(date)s.")
        % {
            "name": export.filename,
            "size": str(filesizeformat(export.size)),
            "date": timezone.localtime(export.expires_at).strftime("%Y-%m-%d"),
        },
        url=export.get_absolute_url(),
        obj=export,
    )


def delete(export: ExportFile) -> None:
    """Remove an export and its file (the row first, so a failed file removal leaves no row)."""
    name = export.file.name if export.file else ""
    storage = export.file.storage
    export.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


def purge_old(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete exports past their keeping period; fail the ones a lost job left waiting a day.

    Returns (deleted, failed)."""
    now = now or timezone.now()
    kept = now - datetime.timedelta(days=settings.HOUQIN_EXPORT_KEEP_DAYS)
    stuck = ExportFile.objects.filter(
        status__in=(Status.QUEUED, Status.RUNNING),
        created_at__lt=now - datetime.timedelta(days=1),
    )
    failed = stuck.update(
        status=Status.FAILED,
        finished_at=now,
        error=_("The export was interrupted. Please ask for it again."),
    )
    old = list(ExportFile.objects.filter(created_at__lt=kept))
    for export in old:
        with transaction.atomic():
            delete(export)
    return len(old), int(failed)
