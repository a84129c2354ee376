"""Everyone's own exports: the list, one export's progress, its download (login needed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View

from ..views import ScopedViewMixin
from . import services
from .models import ExportFile


class OwnExportsMixin(ScopedViewMixin):
    """A person's own exports: every logged-in person has them, nobody sees another's (404)."""

    model = ExportFile
    permission_required = ""

    def get_queryset(self) -> QuerySet[Any]:
        return ExportFile.objects.filter(owner_id=self.request.user.pk)

    def get_export(self, pk: int) -> ExportFile:
        export: ExportFile = get_object_or_404(self.get_queryset(), pk=pk)
        return export


class ExportListView(OwnExportsMixin, View):
    page_size = 20

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.get_queryset().select_related("school").order_by("-created_at", "-id")
        page = Paginator(queryset, self.page_size).get_page(request.GET.get("page"))
        context = {
            "title": _("My exports"),
            "page": page,
            "keep_days": settings.HOUQIN_EXPORT_KEEP_DAYS,
            "pending": any(export.is_pending for export in page.object_list),
            "breadcrumbs": [(_("My exports"), None)],
        }
        template = "core/export_list.html"
        if request.headers.get("HX-Request"):
            template = "core/_export_rows.html"
        return TemplateResponse(request, template, context)


class ExportDetailView(OwnExportsMixin, View):
    """The export's progress; the page asks again every two seconds until it is ready."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        export = self.get_export(pk)
        context = {
            "title": export.title,
            "export": export,
            "polled": bool(request.headers.get("HX-Request")),
            "breadcrumbs": [
                (_("My exports"), reverse("core:export_list")),
                (export.title, None),
            ],
        }
        template = "core/_export_status.html" if context["polled"] else "core/export_detail.html"
        response = TemplateResponse(request, template, context)
        patch_cache_control(response, no_store=True)
        return response


class ExportDownloadView(OwnExportsMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        export = self.get_export(pk)
        if export.status != ExportFile.Status.DONE or not export.file:
            raise Http404
        try:
            handle = export.file.storage.open(export.file.name or "", "rb")
        except OSError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=export.filename)
        response["X-Content-Type-Options"] = "nosniff"
        patch_cache_control(response, private=True, no_store=True)
        return response


class ExportDeleteView(OwnExportsMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        """Deleting is a POST from "My exports"; the address alone leads there."""
        self.get_export(pk)
        return HttpResponseRedirect(reverse("core:export_list"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseRedirect:
        export = self.get_export(pk)
        if export.status == ExportFile.Status.RUNNING:
            messages.warning(
                request, _("This export is being prepared; delete it once it is ready.")
            )
            return HttpResponseRedirect(export.get_absolute_url())
        with transaction.atomic():
            services.delete(export)
        messages.success(request, _("The export “%(title)s” was deleted.") % {"title": export})
        return HttpResponseRedirect(reverse("core:export_list"))
