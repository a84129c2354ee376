"""Repair request pages for members: report (报修), my requests, the office's list with
the triage queue, one request, and the POST actions (triage, verify, rate)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.schools import active_school_id
from houqin.core.scoping import all_permissions, has_perm_in_school, school_ids
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.org.models import Room

from ..choices import DONE_STATUSES, Channel, OrderStatus, RequestStatus
from ..filters_requests import RepairRequestFilter
from ..forms_requests import RateForm, RequestForm, TriageJoinForm, TriageRejectForm, VerifyForm
from ..models import RepairRequest, WorkOrder
from ..services import closing, orders
from ..services import requests as services
from ..tables_requests import RepairRequestTable
from .portal import clock_context, timeline

R = RequestStatus
RELATED = ("category", "room__building", "work_order", "work_order__assignee")
REQUEST_STYLE = {R.TRIAGE: "warning", R.OPEN: "info", R.JOINED: "info", R.REJECTED: "secondary"}
ORDER_STYLE = {
    OrderStatus.NEW: "warning",
    OrderStatus.ASSIGNED: "info",
    OrderStatus.IN_PROGRESS: "primary",
    OrderStatus.ON_HOLD: "secondary",
    OrderStatus.RETURNED: "warning",
    OrderStatus.AWAITING_VERIFICATION: "success",
    OrderStatus.COMPLETED: "success",
    OrderStatus.RATED: "success",
    OrderStatus.CANCELLED: "light",
}


def badge(request: RepairRequest) -> tuple[str, str]:
    """(label, bootstrap colour) of where a request stands: its order's status once it has one."""
    order = request.work_order
    if order is not None and request.status != R.REJECTED:
        return order.get_status_display(), ORDER_STYLE.get(order.status, "secondary")
    return request.get_status_display(), REQUEST_STYLE.get(request.status, "secondary")


def requests_visible_to(user: Any) -> QuerySet[RepairRequest]:
    """Requests of the schools where the user holds view_repairrequest, and their own."""
    if not getattr(user, "is_authenticated", False):
        return RepairRequest.objects.none()
    return RepairRequest.objects.filter(
        Q(school_id__in=school_ids(user, services.VIEW)) | Q(reporter=user)
    )


class RequestScopeMixin(ScopedViewMixin):
    """Reporters see their own requests; holders of view_repairrequest all of the school's."""

    model = RepairRequest

    def has_permission(self) -> bool:
        perms = all_permissions(self.request.user)
        return bool({services.ADD, services.VIEW, "*"} & perms)

    def get_queryset(self) -> QuerySet[Any]:
        return requests_visible_to(self.request.user).select_related(*RELATED)


def _school_for(request: HttpRequest, room: Room | None) -> int | None:
    allowed = school_ids(request.user, services.ADD)
    if room is not None:
        return room.school_id if room.school_id in allowed else None
    active = active_school_id(request)
    if active in allowed:
        return active
    return allowed[0] if allowed else None


class RequestAddView(ScopedViewMixin, View):
    """The staff form (phone-friendly); ``?room=<id>&asset=<id>`` preselect, ``?room_code=``
    comes from scanning a room's QR code. ``?part=assets`` and ``?part=duplicates`` answer
    the small fragments the page swaps in while the form is filled in."""

    model = RepairRequest
    permission_required = services.ADD
    template_name = "maintenance/request_add.html"

    def _room(self, data: Any) -> Room | None:
        allowed = school_ids(self.request.user, services.ADD)
        rooms = Room.objects.filter(school_id__in=allowed).select_related("building")
        code = (data.get("room_code") or "").strip().rstrip("/").rsplit("/", 1)[-1].upper()
        if code:
            return get_object_or_404(rooms, public_code=code)
        pk = data.get("room")
        if pk and str(pk).isdigit():
            return rooms.filter(pk=pk).first()
        asset = data.get("asset")
        if asset and str(asset).isdigit():
            from houqin.assets.models import Asset

            found = Asset.objects.filter(
                school_id__in=allowed, pk=asset, room__isnull=False
            ).first()
            return rooms.filter(pk=found.room_id).first() if found else None
        return None

    def _form(self, room: Room | None, data: Any = None, files: Any = None) -> RequestForm:
        user = self.request.user
        initial: dict[str, Any] = {
            "reporter_name": str(user),
            "phone": getattr(user, "phone", "") or "",
        }
        if room is not None:
            initial["room"] = room.pk
        asset = self.request.GET.get("asset")
        if asset and str(asset).isdigit():
            initial["asset"] = int(asset)
        return RequestForm(
            data, files, initial=initial, school_id=_school_for(self.request, room), room=room
        )

    def _duplicates(self, data: Any) -> list[WorkOrder]:
        room, category = data.get("room"), data.get("category")
        school_id = _school_for(self.request, self._room(data))
        if not (room and category and str(room).isdigit() and str(category).isdigit()):
            return []
        if school_id is None:
            return []
        return orders.open_duplicates(
            school_id=school_id, room_id=int(room), category_id=int(category)
        )

    def render(
        self, form: RequestForm, room: Room | None, duplicates: Any = (), status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "room": room,
            "title": _("Report a repair"),
            "duplicates": duplicates,
            "breadcrumbs": [
                (_("My repair requests"), reverse("maintenance:request_mine")),
                (_("Report a repair"), None),
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        part = request.GET.get("part")
        if part == "duplicates":
            context = {"duplicates": self._duplicates(request.GET), "live": True}
            return TemplateResponse(request, "maintenance/request_form_duplicates.html", context)
        room = self._room(request.GET)
        form = self._form(room)
        if part == "assets":
            return TemplateResponse(request, "maintenance/request_form_assets.html", {"form": form})
        return self.render(form, room)

    def post(self, request: HttpRequest) -> HttpResponse:
        room = self._room(request.POST)
        form = self._form(room, request.POST, request.FILES)
        school_id = _school_for(request, room)
        if school_id is None or not form.is_valid():
            return self.render(form, room, status=422)
        join = request.POST.get("join", "")
        join_order = int(join) if join.isdigit() else None
        if join_order is None and not request.POST.get("duplicates_seen"):
            duplicates = self._duplicates(request.POST)
            if duplicates:
                form.add_error(
                    None,
                    _(
                        "Somebody has already reported this. Join their report, or send "
                        "yours anyway (choose the photos again)."
                    ),
                )
                return self.render(form, room, duplicates, status=409)
        data = form.cleaned_data
        try:
            saved = services.repair_request_submit(
                actor=request.user,
                school_id=school_id,
                room=data["room"],
                asset=data.get("asset"),
                category=data["category"],
                description=data["description"],
                urgency=data["urgency"],
                reporter_name=data["reporter_name"],
                phone=data.get("phone", ""),
                photos=request.FILES.getlist("photos"),
                channel=Channel.STAFF,
                source_address=request.META.get("REMOTE_ADDR"),
                join_order=join_order,
            )
        except services.RequestError as exc:
            form.add_error(None, str(exc))
            return self.render(form, room, status=422)
        if saved.status == R.JOINED:
            messages.success(
                request,
                _("You joined %(order)s: you will be told when it moves on.")
                % {"order": saved.work_order},
            )
        else:
            messages.success(request, _("Reported: %(number)s") % {"number": saved.number})
        return HttpResponseRedirect(saved.get_absolute_url())


class RequestMineView(ScopedViewMixin, View):
    """My requests, newest first, with where each stands."""

    model = RepairRequest
    permission_required = services.ADD
    page_size = 20

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = (
            RepairRequest.objects.filter(reporter=request.user)
            .select_related(*RELATED)
            .order_by("-created_at", "-pk")
        )
        page = Paginator(queryset, self.page_size).get_page(request.GET.get("page"))
        rows = [(item, *badge(item)) for item in page.object_list]
        context = {
            "title": _("My repair requests"),
            "page": page,
            "rows": rows,
            "base_params": "",
            "breadcrumbs": [(_("My repair requests"), None)],
        }
        return TemplateResponse(request, "maintenance/request_mine.html", context)


class RequestListView(ObjectListView):
    """All requests of the school for the office, with the triage queue."""

    model = RepairRequest
    permission_required = services.VIEW
    table_class = RepairRequestTable
    filterset_class = RepairRequestFilter
    template_name = "maintenance/request_list.html"
    search_fields = ("number", "description", "reporter_name", "phone", "room__number")
    default_sort = "-created_at"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related(*RELATED)

    def get_title(self) -> str:
        return _("Repair requests")

    def add_url(self) -> str | None:
        return (
            reverse("maintenance:request_add")
            if school_ids(self.request.user, services.ADD)
            else None
        )

    def extra_context(self) -> dict[str, Any]:
        queryset = self.narrow_to_active_school(self.get_queryset())
        user = self.request.user
        return {
            "triage_count": queryset.filter(status=R.TRIAGE).count(),
            "can_print_posters": bool(
                school_ids(user, "org.change_room")
                or school_ids(user, "maintenance.change_workorder")
            ),
        }


def detail_context(request: HttpRequest, item: RepairRequest) -> dict[str, Any]:
    user = request.user
    order = item.work_order
    is_reporter = item.reporter_id == user.pk
    extra: dict[str, Any] = {
        "badge": badge(item),
        "order": order,
        "is_reporter": is_reporter,
        "timeline": timeline(item),
        "can_triage": item.status == R.TRIAGE
        and has_perm_in_school(user, services.TRIAGE, item.school_id),
        "reject_form": TriageRejectForm(),
        "join_form": TriageJoinForm(school_id=item.school_id) if item.status == R.TRIAGE else None,
        "can_see_order": order is not None
        and has_perm_in_school(user, "maintenance.view_workorder", item.school_id),
    }
    if order is not None:
        extra.update(clock_context(order))
        follower = is_reporter or orders.is_follower(user, order)
        extra["can_verify"] = follower and order.status == OrderStatus.AWAITING_VERIFICATION
        extra["can_rate"] = follower and order.status in (
            OrderStatus.AWAITING_VERIFICATION,
            OrderStatus.COMPLETED,
        )
        extra["done"] = order.status in DONE_STATUSES
    return extra


class RequestDetailView(RequestScopeMixin, ObjectDetailView):
    template_name = "maintenance/request_detail.html"
    detail_fields = (
        "number",
        "status",
        "channel",
        "created_at",
        "room",
        "asset",
        "category",
        "urgency",
        "description",
        "reporter_name",
        "reporter_unit",
        "phone",
        "reject_reason",
    )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def attachments_panel(self, obj: Any) -> dict[str, Any]:
        """Photos and comments for the office; the reporter sees the photos they sent
        (``RepairRequest.personal_for`` opens them to the reporter)."""
        if has_perm_in_school(self.request.user, services.VIEW, obj.school_id):
            return super().attachments_panel(obj)
        from houqin.core.attachments.models import Attachment

        photos = Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(RepairRequest), object_id=obj.pk
        ).order_by("created_at")
        return {"reporter_photos": list(photos)}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        item = context["object"]
        context["fields"] = [(label, value) for label, value in context["fields"] if value != "—"]
        list_url = (
            reverse("maintenance:request_list")
            if has_perm_in_school(request.user, services.VIEW, item.school_id)
            else reverse("maintenance:request_mine")
        )
        context["breadcrumbs"] = [(_("Repair requests"), list_url), (str(item), None)]
        context.update(detail_context(request, item))
        return response


class RequestActionView(RequestScopeMixin, View):
    """POST accept / reject / join (triage, by the office) and verify / rate (the reporter)."""

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        get_object_or_404(self.get_queryset(), pk=pk)
        return HttpResponse(status=405, headers={"Allow": "POST"})

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        item = get_object_or_404(self.get_queryset(), pk=pk)
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            done = handler(request, item)
        except (services.RequestError, orders.WorkOrderError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(item.get_absolute_url())

    def do_accept(self, request: HttpRequest, item: RepairRequest) -> str:
        moved = services.repair_request_triage(actor=request.user, request=item, decision="accept")
        return _("Accepted: work order %(order)s was opened.") % {"order": moved.work_order}

    def do_reject(self, request: HttpRequest, item: RepairRequest) -> str:
        form = TriageRejectForm(request.POST)
        reason = form.data.get("reason", "")
        services.repair_request_triage(
            actor=request.user, request=item, decision="reject", reason=str(reason)
        )
        return _("Rejected.")

    def do_join(self, request: HttpRequest, item: RepairRequest) -> str:
        form = TriageJoinForm(request.POST, school_id=item.school_id)
        if not form.is_valid():
            raise services.RequestError(_("Choose the work order to join."))
        moved = services.repair_request_triage(
            actor=request.user, request=item, decision="join", order=form.cleaned_data["order"]
        )
        return _("Joined to %(order)s.") % {"order": moved.work_order}

    def _order(self, item: RepairRequest) -> WorkOrder:
        if item.work_order_id is None or item.reporter_id != self.request.user.pk:
            raise orders.WorkOrderError(_("Only the person who reported it can do this."))
        assert item.work_order is not None
        return item.work_order

    def do_verify(self, request: HttpRequest, item: RepairRequest) -> str:
        form = VerifyForm(request.POST)
        if not form.is_valid():
            raise orders.WorkOrderError(_("Say whether it is fixed."))
        accepted = bool(form.cleaned_data["accepted"])
        closing.work_order_verify(
            actor=request.user,
            order=self._order(item),
            accepted=accepted,
            comment=form.cleaned_data.get("comment", ""),
            via=item,
        )
        return _("Thank you: the repair is closed.") if accepted else _("Sent back to the worker.")

    def do_rate(self, request: HttpRequest, item: RepairRequest) -> str:
        form = RateForm(request.POST)
        if not form.is_valid():
            raise orders.WorkOrderError(_("Give 1 to 5 stars."))
        closing.work_order_rate(
            actor=request.user,
            order=self._order(item),
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment", ""),
            via=item,
        )
        return _("Thank you for your rating.")
