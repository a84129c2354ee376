"""Counting on a phone: one room's expected assets with big ticks, a scanner, surplus finds.

Each tick or scan updates its line in place (htmx for the ticks, ``assets-scan.js`` for scans);
without JavaScript the same forms post and come back to the room's page.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.scoping import school_ids
from houqin.core.views import ScopedViewMixin
from houqin.org.models import Room

from ..choices import CountResult, StocktakeStatus
from ..forms_stocktakes import SurplusForm
from ..models import Stocktake, StocktakeLine
from ..reports_stocktakes import room_tasks
from ..services import stocktakes as services
from .stocktakes import ERRORS, error_text

R = CountResult
COUNT_PERM = "assets.count_stocktake"
LINE_RELATED = ("asset__category", "expected_room__building", "found_room__building")
NO_ROOM = "none"


def count_url(stocktake_id: int, room_id: int | None) -> str:
    base = reverse("assets:stocktake_count", args=[stocktake_id])
    return f"{base}?{urlencode({'room': room_id if room_id else NO_ROOM})}"


def _room_of(stocktake: Stocktake, value: str | None) -> Room | None:
    """The room named by a form or query (``none``: the assets without a room)."""
    if not value or value == NO_ROOM:
        return None
    try:
        pk = int(value)
    except ValueError:
        raise Http404 from None
    room: Room = get_object_or_404(
        Room.objects.select_related("building"), pk=pk, school_id=stocktake.school_id
    )
    return room


def room_progress(stocktake: Stocktake, room: Room | None) -> dict[str, int]:
    return (
        StocktakeLine.objects.filter(stocktake_id=stocktake.pk, expected_room=room)
        .exclude(result=R.SURPLUS)
        .aggregate(
            expected=Count("pk"),
            counted=Count("pk", filter=~Q(result=R.PENDING)),
        )
    )


def room_lines(stocktake: Stocktake, room: Room | None) -> QuerySet[StocktakeLine]:
    """Lines expected in the room and lines found in it (scanned here from elsewhere)."""
    where = Q(expected_room=room) if room is not None else Q(expected_room__isnull=True)
    if room is not None:
        where |= Q(found_room=room)
    else:
        where &= ~Q(result=R.SURPLUS)
    return (
        StocktakeLine.objects.filter(where, stocktake_id=stocktake.pk)
        .select_related(*LINE_RELATED)
        .order_by("asset__code", "pk")
    )


class CountingMixin(ScopedViewMixin):
    model = Stocktake
    permission_required = COUNT_PERM

    def stocktake(self, pk: int) -> Stocktake:
        found: Stocktake = get_object_or_404(self.get_queryset().select_related("school"), pk=pk)
        return found


def render_count_page(
    request: HttpRequest,
    stocktake: Stocktake,
    room: Room | None,
    surplus_form: SurplusForm | None = None,
    status: int = 200,
) -> HttpResponse:
    counting = stocktake.status == StocktakeStatus.COUNTING
    context = {
        "object": stocktake,
        "room": room,
        "room_value": room.pk if room is not None else NO_ROOM,
        "title": str(room) if room is not None else _("No room on the register"),
        "lines": list(room_lines(stocktake, room)),
        "progress": room_progress(stocktake, room),
        "counting": counting,
        "surplus_form": surplus_form or SurplusForm(),
        "surplus_open": surplus_form is not None,
        "breadcrumbs": [
            (_("Stocktakes"), reverse("assets:stocktake_list")),
            (stocktake.number, stocktake.get_absolute_url()),
            (_("Count"), None),
        ],
    }
    return TemplateResponse(request, "assets/stocktake_count.html", context, status=status)


class StocktakeCountView(CountingMixin, View):
    """The phone page of one room (``?room=<id>``); without a room, the rooms to choose from."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = self.stocktake(pk)
        value = request.GET.get("room")
        if value is None:
            context = {
                "object": stocktake,
                "title": _("Choose a room to count"),
                "rooms": room_tasks(stocktake),
                "breadcrumbs": [
                    (_("Stocktakes"), reverse("assets:stocktake_list")),
                    (stocktake.number, stocktake.get_absolute_url()),
                    (_("Count"), None),
                ],
            }
            return TemplateResponse(request, "assets/stocktake_rooms.html", context)
        return render_count_page(request, stocktake, _room_of(stocktake, value))


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class StocktakeScanView(CountingMixin, View):
    """POST a scanned label (full URL or bare code) or a typed asset code, with the room."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.stocktake(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = self.stocktake(pk)
        room = _room_of(stocktake, request.POST.get("room"))
        code = request.POST.get("code", "")
        try:
            if room is None:
                raise services.StocktakeError(_("Open a room's page to scan in it."))
            line = services.stocktake_scan(
                actor=request.user, stocktake=stocktake, code=code, room=room
            )
        except ERRORS as exc:
            message = error_text(exc)
            if wants_json(request):
                return HttpResponse(
                    json.dumps({"ok": False, "message": message}),
                    content_type="application/json",
                    status=422,
                )
            messages.error(request, message)
            return HttpResponseRedirect(count_url(stocktake.pk, room.pk if room else None))
        line = StocktakeLine.objects.select_related(*LINE_RELATED).get(pk=line.pk)
        if line.result == R.WRONG_ROOM:
            message = _("%(asset)s: found here, but the register has it in %(room)s.") % {
                "asset": line.asset,
                "room": line.expected_room or _("no room"),
            }
        elif line.result == R.SURPLUS:
            message = _("%(asset)s was already recorded as a surplus find.") % {"asset": line.asset}
        else:
            message = _("%(asset)s: found.") % {"asset": line.asset}
        if not wants_json(request):
            messages.success(request, message)
            return HttpResponseRedirect(count_url(stocktake.pk, room.pk))
        context = {"line": line, "room": room, "counting": True, "room_value": room.pk}
        payload = {
            "ok": True,
            "message": message,
            "line_id": line.pk,
            "result": line.result,
            "html": render_to_string("assets/_stocktake_line.html", context, request=request),
            "progress": room_progress(stocktake, room),
        }
        return HttpResponse(json.dumps(payload), content_type="application/json")


class StocktakeCountRestView(CountingMixin, View):
    """POST: every asset of the room nobody has counted yet is here."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.stocktake(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = self.stocktake(pk)
        room = _room_of(stocktake, request.POST.get("room"))
        try:
            done = services.stocktake_count_room(actor=request.user, stocktake=stocktake, room=room)
            messages.success(request, _("%(count)s more marked as found.") % {"count": done})
        except ERRORS as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(count_url(stocktake.pk, room.pk if room else None))


class StocktakeSurplusView(CountingMixin, View):
    """POST an item found that is not on the register: it is registered at once (盘盈)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.stocktake(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = self.stocktake(pk)
        room = _room_of(stocktake, request.POST.get("room"))
        form = SurplusForm(request.POST)
        if room is None:
            form.add_error(None, _("Open a room's page to record a surplus find in it."))
        if not form.is_valid():
            return render_count_page(request, stocktake, room, form, status=422)
        assert room is not None
        data = form.cleaned_data
        try:
            line = services.stocktake_add_surplus(
                actor=request.user,
                stocktake=stocktake,
                room=room,
                name=data["name"],
                category=data["category"],
                unit_price=data["unit_price"],
                quantity=data["quantity"],
                specification=data.get("specification", ""),
                note=data.get("note", ""),
            )
        except ERRORS as exc:
            form.add_error(None, error_text(exc))
            return render_count_page(request, stocktake, room, form, status=422)
        messages.success(
            request,
            _("Surplus registered as %(code)s.") % {"code": line.asset.code if line.asset else ""},
        )
        return HttpResponseRedirect(count_url(stocktake.pk, room.pk))


class LineMixin(ScopedViewMixin):
    """A line of a stocktake of the user's schools (404 otherwise)."""

    model = StocktakeLine
    permission_required = COUNT_PERM

    def get_queryset(self) -> QuerySet[Any]:
        allowed = school_ids(self.request.user, self.get_permission_required())
        return StocktakeLine.objects.filter(stocktake__school_id__in=allowed)

    def line(self, pk: int) -> StocktakeLine:
        found: StocktakeLine = get_object_or_404(
            self.get_queryset().select_related("stocktake"), pk=pk
        )
        return found


class StocktakeLineCountView(LineMixin, View):
    """POST a tick: found, damaged, missing (or pending to undo) for one line."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.line(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = self.line(pk)
        stocktake = line.stocktake
        room = _room_of(stocktake, request.POST.get("room"))
        error = ""
        try:
            line = services.stocktake_count(
                actor=request.user,
                line=line,
                result=request.POST.get("result", ""),
                found_room=room,
                note=request.POST.get("note", ""),
            )
        except ERRORS as exc:
            error = error_text(exc)
        if not request.headers.get("HX-Request"):
            if error:
                messages.error(request, error)
            return HttpResponseRedirect(count_url(stocktake.pk, room.pk if room else None))
        line = StocktakeLine.objects.select_related(*LINE_RELATED).get(pk=line.pk)
        context = {
            "line": line,
            "room": room,
            "room_value": room.pk if room is not None else NO_ROOM,
            "counting": stocktake.status == StocktakeStatus.COUNTING,
            "error": error,
            "progress": room_progress(stocktake, room),
            "oob": True,
        }
        return TemplateResponse(request, "assets/_stocktake_line.html", context)


class StocktakeRepairedView(LineMixin, View):
    """POST: a repair task of a holiday campaign is done (or not done after all)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.line(pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        line = self.line(pk)
        try:
            services.stocktake_mark_repaired(
                actor=request.user, line=line, repaired=request.POST.get("repaired") != "0"
            )
            messages.success(request, _("Repair recorded."))
        except ERRORS as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(
            reverse("assets:stocktake_reconcile", args=[line.stocktake_id]) + "#repairs"
        )
