"""The no-login pages: the QR portal of a room or an asset (扫码报修), the tracking page of a
request (status, verify and rate), and the room posters that carry the QR codes.

The portal refuses with a clear message and HTTP 400 (429 for the rate limits), and saves
nothing, when: the school closed it, the hidden honeypot field is filled, the form comes
back faster than a person fills it in or after two hours, a field is missing or wrong, a
file is not a photo or too large, there are too many photos, or this address or room sent
too many reports in the last hour.
"""

from __future__ import annotations

import ipaddress
from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.models import StatusChange
from houqin.core.pdf import pdf_response, render_pdf
from houqin.core.schools import active_school_id
from houqin.core.scoping import all_permissions, school_ids
from houqin.core.views import ScopedViewMixin
from houqin.org.models import Building, Room

from ..choices import Channel, OrderStatus, RequestStatus
from ..forms_requests import PortalForm, RateForm, VerifyForm
from ..models import RepairRequest, WorkOrder
from ..services import closing, orders, posters
from ..services import requests as services
from ..services.sla import settings_for

CLOCK_TEMPLATE = "maintenance/_clock.html"
POSTER_PERMS = ("org.change_room", "maintenance.change_workorder")


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or the last X-Forwarded-For hop when the
    deployment says its proxy sets it (``HOUQIN_TRUST_X_FORWARDED_FOR``)."""
    if getattr(settings, "HOUQIN_TRUST_X_FORWARDED_FOR", False):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        candidate = hops[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    address = request.META.get("REMOTE_ADDR") or None
    return str(address) if address else None


def clock_context(order: WorkOrder) -> dict[str, Any]:
    """The SLA clock include when it exists (else the page shows the due times itself)."""
    try:
        get_template(CLOCK_TEMPLATE)
    except TemplateDoesNotExist:
        return {"clock_template": None}
    return {"clock_template": CLOCK_TEMPLATE}


def timeline(item: RepairRequest) -> list[dict[str, Any]]:
    """Reported, then every status change of the request and of its work order."""
    kinds = ContentType.objects.get_for_models(RepairRequest, WorkOrder)
    condition = Q(content_type=kinds[RepairRequest], object_id=str(item.pk))
    if item.work_order_id:
        condition |= Q(content_type=kinds[WorkOrder], object_id=str(item.work_order_id))
    labels = {
        kinds[RepairRequest].pk: dict(RequestStatus.choices),
        kinds[WorkOrder].pk: dict(OrderStatus.choices),
    }
    events = [{"at": item.created_at, "label": _("Reported"), "reason": "", "icon": "megaphone"}]
    for change in StatusChange.objects.filter(condition).order_by("created_at", "pk"):
        label = labels[change.content_type_id].get(change.to_status, change.to_status)
        if change.from_status == change.to_status == OrderStatus.ASSIGNED:
            label = _("Accepted by the worker")
        events.append(
            {"at": change.created_at, "label": label, "reason": change.reason, "icon": "circle"}
        )
    events[-1]["icon"] = "record-circle"
    return events


def _no_robots(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


class PortalView(View, ABC):
    """Public: GET shows the form, POST reports. Subclasses find the room (and asset)."""

    template_name = "maintenance/portal_form.html"

    @abstractmethod
    def place(self, code: str) -> tuple[Room, Any]:
        """The room (and asset) a public code names; 404 when none."""

    def render(
        self, form: PortalForm, room: Room, asset: Any, status: int = 200, error: str = ""
    ) -> HttpResponse:
        config = settings_for(room.school_id)
        context = {
            "form": form,
            "room": room,
            "asset": asset,
            "school_name": room.school.name,
            "open": config.portal_enabled,
            "error": error,
            "title": _("Report a fault"),
        }
        response = TemplateResponse(self.request, self.template_name, context, status=status)
        return _no_robots(response)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        room, asset = self.place(code)
        return self.render(PortalForm(code=code), room, asset)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        room, asset = self.place(code)
        form = PortalForm(request.POST, request.FILES, code=code)
        if not settings_for(room.school_id).portal_enabled:
            message = _("Reporting by QR code is closed at this school.")
            return self.render(form, room, asset, 400, message)
        spam = form.spam_reason()
        if spam:
            return self.render(PortalForm(code=code), room, asset, 400, spam)
        if not form.is_valid():
            return self.render(form, room, asset, 400, _("Please correct the errors below."))
        data = form.cleaned_data
        try:
            saved = services.repair_request_submit(
                actor=request.user,
                school_id=room.school_id,
                room=room,
                asset=asset,
                category=data["category"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_unit=data.get("reporter_unit", ""),
                phone=data.get("phone", ""),
                photos=request.FILES.getlist("photos"),
                channel=Channel.PORTAL,
                source_address=client_address(request),
            )
        except services.RequestError as exc:
            status = 429 if exc.code == "rate_limited" else 400
            return self.render(form, room, asset, status, str(exc))
        return HttpResponseRedirect(f"{saved.get_tracking_url()}?new=1")


class PortalRoomView(PortalView):
    def place(self, code: str) -> tuple[Room, Any]:
        room = (
            Room.objects.filter(public_code=code.upper(), is_active=True)
            .select_related("school", "building")
            .first()
        )
        if room is None:
            raise Http404
        return room, None


class PortalAssetView(PortalView):
    def place(self, code: str) -> tuple[Room, Any]:
        from houqin.assets.models import Asset

        asset = (
            Asset.objects.filter(public_code=code.upper(), room__isnull=False)
            .select_related("school", "room__building", "room__school")
            .first()
        )
        if asset is None or asset.room is None:
            raise Http404
        return asset.room, asset


class TrackView(View):
    """Public by its unguessable code: where the request stands; verify and rate."""

    template_name = "maintenance/track.html"

    def item(self, code: str) -> RepairRequest:
        found: RepairRequest = get_object_or_404(
            RepairRequest.objects.select_related(
                "school", "room__building", "category", "work_order__assignee", "asset"
            ),
            tracking_code=code.upper(),
        )
        return found

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        item = self.item(code)
        order = item.work_order
        context: dict[str, Any] = {
            "item": item,
            "order": order,
            "title": item.number,
            "new": request.GET.get("new") == "1",
            "timeline": timeline(item),
            "track_url": request.build_absolute_uri(item.get_tracking_url()),
        }
        if order is not None:
            context.update(clock_context(order))
            context["can_verify"] = order.status == OrderStatus.AWAITING_VERIFICATION
            context["can_rate"] = order.status in (
                OrderStatus.AWAITING_VERIFICATION,
                OrderStatus.COMPLETED,
            )
        return _no_robots(TemplateResponse(request, self.template_name, context))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        item = self.item(code)
        order = item.work_order
        if order is None:
            raise Http404
        action = request.POST.get("action")
        try:
            if action == "verify":
                form = VerifyForm(request.POST)
                if not form.is_valid():
                    raise orders.WorkOrderError(_("Say whether it is fixed."))
                accepted = bool(form.cleaned_data["accepted"])
                closing.work_order_verify(
                    actor=request.user,
                    order=order,
                    accepted=accepted,
                    comment=form.cleaned_data.get("comment", ""),
                    via=item,
                )
                done = (
                    _("Thank you: the repair is closed.")
                    if accepted
                    else _("Sent back to the worker.")
                )
            elif action == "rate":
                rate = RateForm(request.POST)
                if not rate.is_valid():
                    raise orders.WorkOrderError(_("Give 1 to 5 stars."))
                closing.work_order_rate(
                    actor=request.user,
                    order=order,
                    rating=rate.cleaned_data["rating"],
                    comment=rate.cleaned_data.get("comment", ""),
                    via=item,
                )
                done = _("Thank you for your rating.")
            else:
                raise orders.WorkOrderError(_("Unknown action."))
        except orders.WorkOrderError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(item.get_tracking_url())


class RoomPostersView(ScopedViewMixin, View):
    """Choose a building (or all rooms), then get the A4 PDF of room QR posters."""

    model = Room
    permission_required = POSTER_PERMS[0]

    def has_permission(self) -> bool:
        perms = all_permissions(self.request.user)
        return "*" in perms or any(perm in perms for perm in POSTER_PERMS)

    def school_id(self) -> int | None:
        allowed = sorted(
            {pk for perm in POSTER_PERMS for pk in school_ids(self.request.user, perm)}
        )
        active = active_school_id(self.request)
        if active in allowed:
            return active
        return allowed[0] if allowed else None

    def get(self, request: HttpRequest) -> HttpResponse:
        school_id = self.school_id()
        if school_id is None:
            raise Http404
        buildings = Building.objects.filter(school_id=school_id).order_by("name")
        choice = request.GET.get("building", "")
        if choice:
            building_id = None
            if choice != "all":
                if not choice.isdigit():
                    raise Http404
                building = get_object_or_404(buildings, pk=choice)
                building_id = building.pk
            try:
                rows = posters.poster_rows(posters.poster_rooms(school_id, building_id), request)
            except services.RequestError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(reverse("maintenance:room_posters"))
            pdf = render_pdf("maintenance/posters_pdf.html", {"posters": rows}, request=request)
            return pdf_response(pdf, _("Repair QR posters") + ".pdf")
        context = {
            "title": _("Room QR posters"),
            "buildings": buildings,
            "max_posters": posters.MAX_POSTERS,
            "breadcrumbs": [
                (_("Repair requests"), reverse("maintenance:request_list")),
                (_("Room QR posters"), None),
            ],
        }
        return TemplateResponse(request, "maintenance/posters_choose.html", context)
