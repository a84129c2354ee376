"""Management pages: the school's webhook endpoints, the delivery log, periodic jobs."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core import jobs
from houqin.core.scoping import has_perm_in_school
from houqin.core.tables import display
from houqin.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)

from . import filters, forms, services, tables
from .models import Delivery, JobRun, WebhookEndpoint

RECENT_DELIVERIES = 10


class WebhookEndpointListView(ObjectListView):
    model = WebhookEndpoint
    title = gettext_lazy("Group robots")
    table_class = tables.WebhookEndpointTable
    search_fields = ("name",)
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return WebhookEndpoint.objects.select_related("school")


class WebhookEndpointDetailView(ObjectDetailView):
    model = WebhookEndpoint
    template_name = "notifications/webhookendpoint_detail.html"
    detail_fields = (
        "name",
        "kind",
        "school",
        (gettext_lazy("webhook address"), lambda o: o.masked_url),
        (
            gettext_lazy("signing secret"),
            lambda o: _("Set") if o.secret else _("Not set"),
        ),
        (gettext_lazy("events"), lambda o: o.events_display()),
        "is_active",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return WebhookEndpoint.objects.select_related("school")

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        self.can_test = has_perm_in_school(
            self.request.user, "notifications.change_webhookendpoint", obj.school_id
        )
        return super().actions(obj)

    def related(self, obj: Any) -> list[dict[str, Any]]:
        deliveries = Delivery.objects.filter(endpoint=obj).order_by("-created_at", "-id")
        total = deliveries.count()
        rows = list(deliveries[:RECENT_DELIVERIES])
        return [
            {
                "title": _("Recent deliveries"),
                "table": tables.DeliveryTable(rows),
                "total": total,
                "more_url": f"{reverse('notifications:delivery_list')}?endpoint={obj.pk}",
                "truncated": total > len(rows),
            }
        ]


class WebhookEndpointEditView(ObjectEditView):
    model = WebhookEndpoint
    form_class = forms.WebhookEndpointForm


class WebhookEndpointDeleteView(ObjectDeleteView):
    model = WebhookEndpoint


class WebhookEndpointTestView(ScopedViewMixin, View):
    """Send a test message now and show what the robot answered."""

    model = WebhookEndpoint
    permission_required = "notifications.change_webhookendpoint"

    def get_object(self, pk: int) -> WebhookEndpoint:
        endpoint: WebhookEndpoint = get_object_or_404(self.get_queryset(), pk=pk)
        return endpoint

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponseRedirect(self.get_object(pk).get_absolute_url())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        endpoint = self.get_object(pk)
        delivery = services.send_test(endpoint, actor=request.user)
        if delivery.status == Delivery.Status.SENT:
            messages.success(
                request,
                _("The test message was delivered to %(name)s.") % {"name": endpoint},
            )
        else:
            messages.error(
                request,
                _("The test message to %(name)s failed: %(error)s")
                % {"name": endpoint, "error": delivery.last_error},
            )
        return HttpResponseRedirect(endpoint.get_absolute_url())


class DeliveryListView(ObjectListView):
    model = Delivery
    title = gettext_lazy("Delivery log")
    table_class = tables.DeliveryTable
    filterset_class = filters.DeliveryFilter
    search_fields = ("target", "last_error")
    default_sort = "-created_at"

    def base_queryset(self) -> QuerySet[Any]:
        return Delivery.objects.all()


class DeliveryDetailView(ObjectDetailView):
    model = Delivery
    detail_fields = (
        "created_at",
        "channel",
        "status",
        (gettext_lazy("event"), lambda o: o.event_label),
        "target",
        "endpoint",
        "recipient",
        "school",
        "attempts",
        "response_status",
        "sent_at",
        "last_error",
        (
            gettext_lazy("payload"),
            lambda o: json.dumps(o.payload, ensure_ascii=False, indent=2),
        ),
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Delivery.objects.select_related("endpoint", "recipient", "school")


class JobListView(ScopedViewMixin, View):
    """The registered periodic jobs with their schedule and last run."""

    model = JobRun
    permission_required = "notifications.view_jobrun"

    def get(self, request: HttpRequest) -> HttpResponse:
        registry = jobs.autodiscover()
        last = jobs.last_runs()
        rows = [
            {
                "name": job.name,
                "description": job.description,
                "schedule": job.schedule or "—",
                "last": last.get(job.name),
            }
            for job in sorted(registry.values(), key=lambda j: j.name)
        ]
        for row in rows:
            run = row["last"]
            row["started"] = display(run.started_at) if run else "—"
        context = {
            "title": _("Background jobs"),
            "rows": rows,
            "breadcrumbs": [(_("Background jobs"), None)],
        }
        return TemplateResponse(request, "notifications/jobs.html", context)
