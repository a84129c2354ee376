"""Everyone's own notification centre and channel preferences (login needed, no permission)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.views import ScopedViewMixin

from . import events, services
from .models import Notification


class OwnNotificationsMixin(ScopedViewMixin):
    """The user's own notifications: every logged-in person has them, nobody sees others'."""

    model = Notification
    permission_required = ""

    def get_queryset(self) -> QuerySet[Any]:
        return Notification.objects.filter(recipient_id=self.request.user.pk)


class NotificationCentreView(OwnNotificationsMixin, View):
    page_size = 30

    def get(self, request: HttpRequest) -> HttpResponse:
        show = "unread" if request.GET.get("show") == "unread" else "all"
        queryset = self.get_queryset()
        unread = services.unread_count(request.user)
        if show == "unread":
            queryset = queryset.filter(read_at__isnull=True).order_by("-created_at", "-id")
        else:
            queryset = queryset.annotate(
                unread=Case(
                    When(read_at__isnull=True, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            ).order_by("-unread", "-created_at", "-id")
        page = Paginator(queryset, self.page_size).get_page(request.GET.get("page"))
        context = {
            "title": _("Notifications"),
            "page": page,
            "show": show,
            "unread": unread,
            "breadcrumbs": [(_("Notifications"), None)],
        }
        return TemplateResponse(request, "notifications/centre.html", context)


class NotificationOpenView(OwnNotificationsMixin, View):
    """Opening a notification marks it read and follows its link."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_object_or_404(self.get_queryset(), pk=pk)
        services.mark_read(request.user, [notification.pk])
        target = notification.url
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("notifications:centre")
        return HttpResponseRedirect(target)


class MarkReadView(OwnNotificationsMixin, View):
    """POST ``all`` to mark every notification read, or one or more ``id``."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("all"):
            count = services.mark_read(request.user, "all")
        else:
            ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
            count = services.mark_read(request.user, ids)
        if count:
            messages.success(request, _("Marked as read: %(count)d") % {"count": count})
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:centre")
        return HttpResponseRedirect(target)


class PreferencesView(OwnNotificationsMixin, View):
    """A table of event types × channels."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(services.preferences(request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        chosen = {
            code: {channel: f"{code}:{channel}" in request.POST for channel in events.CHANNEL_CODES}
            for code in services.preferences(request.user)
        }
        services.set_preferences(request.user, chosen)
        messages.success(request, _("Your notification settings were saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))

    def render(self, current: dict[str, dict[str, bool]]) -> HttpResponse:
        rows = [
            {
                "code": code,
                "label": event.label,
                "description": event.description,
                "cells": [
                    {
                        "name": f"{code}:{channel}",
                        "label": label,
                        "checked": current[code][channel],
                    }
                    for channel, label in events.CHANNELS
                ],
            }
            for code, event in events.EVENTS.items()
            if code in current
        ]
        context = {
            "title": _("Notification settings"),
            "rows": rows,
            "channels": events.CHANNELS,
            "breadcrumbs": [
                (_("Notifications"), reverse("notifications:centre")),
                (_("Notification settings"), None),
            ],
        }
        return TemplateResponse(self.request, "notifications/preferences.html", context)
