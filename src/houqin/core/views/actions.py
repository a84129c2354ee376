"""Workflow buttons: a POST that moves one object and sends the user back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.workflow import TransitionError

from .mixins import ScopedViewMixin


class ObjectActionView(ScopedViewMixin, View):
    """``POST <pk>/<action>/`` runs the view's ``do_<action>(request, obj)``.

    The object is looked up in the user's scope first (404 outside it; GET answers 405 once it
    is found). The handler calls one service and returns the success message; a refusal the
    services raise (``refusals``) becomes an error message, so nothing half-done is left and
    the user is sent back to the object either way.
    """

    refusals: ClassVar[tuple[type[Exception], ...]] = (TransitionError,)

    def get(self, request: HttpRequest, pk: int, action: str = "") -> HttpResponse:
        get_object_or_404(self.get_queryset(), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int, action: str = "") -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        handler: Callable[[HttpRequest, Any], str] | None = getattr(self, f"do_{action}", None)
        if handler is None:
            messages.error(request, _("Unknown action."))
        else:
            try:
                done = handler(request, obj)
            except self.refusals as exc:
                messages.error(request, str(exc))
            else:
                if done:
                    messages.success(request, done)
        return HttpResponseRedirect(obj.get_absolute_url())
