"""Work order pages: the list (filters, clock, export), the office's direct order and the
detail page with the clock, the work record, the timeline and the buttons the user may use."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.assets.actions import asset_action, damage_action
from houqin.core.schools import active_school_id
from houqin.core.scoping import all_permissions, has_perm_in_school, school_ids
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin

from ..choices import OPEN_STATUSES, OrderSource, OrderStatus, Urgency
from ..filters_orders import WorkOrderFilter
from ..forms_orders import WorkOrderAddForm
from ..models import RepairCategory, RepairRequest, WorkOrder
from ..selectors import (
    DETAIL_RELATED,
    STATUS_STYLE,
    URGENCY_STYLE,
    clock_panel,
    rows,
    timeline,
    work_order_list,
)
from ..services.closing import may_verify
from ..services.orders import DISPATCH, WorkOrderError, is_follower, is_on_order, work_order_open
from ..tables_orders import WorkOrderTable

S = OrderStatus
WORK_ORDERS = gettext_lazy("Work orders")
VIEW = "maintenance.view_workorder"
ADD = "maintenance.add_workorder"
URGENCY_RANK = Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.NORMAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class OrderScopeMixin(ScopedViewMixin):
    """Holders of ``view_workorder`` see their schools' orders; a requester (or a reporter of
    a joined request) sees the orders they follow, even without the permission."""

    model = WorkOrder
    permission_required = VIEW
    kwargs: dict[str, Any]

    def followed(self) -> Q:
        user: Any = self.request.user
        joined = RepairRequest.objects.filter(reporter=user).values("work_order_id")
        return Q(requester=user) | Q(pk__in=joined)

    def has_permission(self) -> bool:
        if super().has_permission():
            return True
        pk = self.kwargs.get("pk")
        return pk is not None and WorkOrder.objects.filter(self.followed(), pk=pk).exists()

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        scope = Q(school_id__in=school_ids(user, VIEW)) | self.followed()
        return WorkOrder.objects.filter(scope).select_related(*DETAIL_RELATED)


class WorkOrderListView(ObjectListView):
    model = WorkOrder
    permission_required = VIEW
    table_class = WorkOrderTable
    filterset_class = WorkOrderFilter
    search_fields = ("number", "title", "room__number", "room__name")
    default_sort = "-reported"
    template_name = "maintenance/workorder_list.html"
    partial_template_name = "maintenance/_workorder_table.html"
    page_size = 30
    title = WORK_ORDERS  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return work_order_list(super().get_queryset()).annotate(urgency_rank=URGENCY_RANK)

    def add_url(self) -> str | None:
        return reverse("maintenance:workorder_add") if school_ids(self.request.user, ADD) else None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            context["rows"] = rows(context["page"])
            params = context["base_params"]
            export = reverse("maintenance:workorder_export")
            context["export_url"] = f"{export}?{params}&sort={context['sort']}".replace("?&", "?")
            context["more_filters"] = MORE_FILTERS
            context["more_open"] = any(request.GET.get(name) for name in MORE_FILTERS)
            # the room choices follow the building chosen (htmx swaps them in beside the table)
            context["room_oob"] = bool(request.headers.get("HX-Request"))
        return response


#: Filters folded under "More filters" (the first ones stay visible on a phone).
MORE_FILTERS = (
    "room",
    "assignee",
    "team",
    "source",
    "overdue",
    "escalated",
    "repeat",
    "reported_from",
    "reported_to",
    "campaign",
    "plan",
)


class WorkOrderExportView(WorkOrderListView):
    """The filtered list as a streamed xlsx file (the list page's columns)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset, _filters = self.filtered()
        queryset, _sort = self.sorted(queryset)
        return self.export(queryset)


@asset_action
def new_order_button(request: Any, asset: Any) -> list[dict[str, Any]]:
    """“New work order” on the asset page, for the office."""
    if not asset.is_active or not has_perm_in_school(request.user, ADD, asset.school_id):
        return []
    return [
        {
            "label": _("New work order"),
            "url": f"{reverse('maintenance:workorder_add')}?asset={asset.pk}",
            "icon": "tools",
        }
    ]


@damage_action
def repair_damage_button(request: Any, report: Any) -> list[dict[str, Any]]:
    """“Repair it” on a damage report's page, for the office."""
    if not has_perm_in_school(request.user, ADD, report.school_id):
        return []
    return [
        {
            "label": _("Open a repair order"),
            "url": f"{reverse('maintenance:workorder_add')}?damage={report.pk}",
            "icon": "tools",
        }
    ]


def damage_initial(school_id: int, pk: int) -> dict[str, Any]:
    """The new order's fields from a damage report of the school (nothing if not found)."""
    from houqin.assets.models import DamageReport

    report = DamageReport.objects.filter(school_id=school_id, pk=pk).select_related("asset").first()
    if report is None:
        return {}
    what = report.asset.name if report.asset_id else report.item_name
    initial: dict[str, Any] = {
        "title": _("Repair: %(what)s") % {"what": what},
        "description": _("Damage report %(number)s: %(description)s")
        % {"number": report.number, "description": report.description},
        "category": RepairCategory.objects.filter(code="other")
        .values_list("pk", flat=True)
        .first(),
    }
    if report.asset_id:
        initial["asset"] = report.asset.code
    if report.room_id:
        initial["room"] = report.room_id
    elif report.asset_id and report.asset.room_id:
        initial["room"] = report.asset.room_id
    return initial


def _school_for_add(request: HttpRequest) -> int | None:
    allowed = school_ids(request.user, ADD)
    active = active_school_id(request)
    if active in allowed:
        return active
    return allowed[0] if len(allowed) == 1 else None


class WorkOrderAddView(ScopedViewMixin, View):
    """The office enters an order directly (a phone call): dispatched at once to the chosen
    worker or team, or by the school's rules."""

    model = WorkOrder
    permission_required = ADD
    template_name = "maintenance/workorder_add.html"

    def form(self, school_id: int, data: Any = None) -> WorkOrderAddForm:
        initial: dict[str, Any] = {"urgency": Urgency.NORMAL}
        for key in ("room", "category", "urgency"):
            if self.request.GET.get(key, "").isalnum():
                initial[key] = self.request.GET[key]
        asset = self.request.GET.get("asset", "")
        if asset.isdigit():  # from an asset page: the form asks for the label's code
            from houqin.assets.models import Asset

            found = Asset.objects.filter(school_id=school_id, pk=asset).first()
            if found is not None:
                initial.update(asset=found.code, room=found.room_id)
        damage = self.request.GET.get("damage", "")
        if damage.isdigit():  # from a damage report: repair what was broken
            initial.update(damage_initial(school_id, int(damage)))
        return WorkOrderAddForm(data, initial=initial, school_id=school_id)

    def render(self, form: WorkOrderAddForm | None) -> HttpResponse:
        title = _("New work order")
        context = {
            "form": form,
            "title": title,
            "breadcrumbs": [
                (WORK_ORDERS, reverse("maintenance:workorder_list")),
                (title, None),
            ],
            "cancel_url": reverse("maintenance:workorder_list"),
        }
        status = 422 if form is not None and form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        school_id = _school_for_add(request)
        return self.render(self.form(school_id) if school_id else None)

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = _school_for_add(request)
        if school_id is None:
            return self.render(None)
        form = self.form(school_id, request.POST)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            order = work_order_open(
                actor=request.user,
                school_id=school_id,
                category=data["category"],
                title=data["title"],
                urgency=data["urgency"],
                description=data["description"],
                room=data["room"],
                asset=data["asset"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                source=OrderSource.DIRECT,
                assignee=data["assignee"],
                team=data["team"],
            )
        except WorkOrderError as exc:
            form.add_error(None, str(exc))
            return self.render(form)
        messages.success(
            request,
            _("Work order %(number)s opened: %(status)s")
            % {"number": order.number, "status": order.get_status_display()},
        )
        return HttpResponseRedirect(order.get_absolute_url())


# -- the detail page -------------------------------------------------------------------------


def available_actions(user: Any, order: WorkOrder) -> list[dict[str, Any]]:
    """The steps ``user`` may take on ``order`` now (the services check again)."""
    status = order.status
    dispatcher = has_perm_in_school(user, DISPATCH, order.school_id)
    on_order = is_on_order(user, order)
    worker = on_order or dispatcher
    follower = is_follower(user, order)
    found: list[tuple[str, str, str, str, bool]] = []

    def add(action: str, label: str, icon: str, style: str, form: bool = True) -> None:
        found.append((action, label, icon, style, form))

    if status == S.ASSIGNED and on_order and not order.accepted_at:
        add("accept", _("Accept"), "hand-thumbs-up", "primary", False)
    if status == S.ASSIGNED and worker:
        add("start", _("Start"), "play-fill", "primary" if order.accepted_at else "outline-primary")
    if status == S.ON_HOLD and worker:
        add("start", _("Resume"), "play-fill", "primary")
    if status == S.IN_PROGRESS and worker:
        add("finish", _("Finish"), "check2-circle", "success")
    if status in (S.ASSIGNED, S.IN_PROGRESS) and worker:
        add("hold", _("Put on hold"), "pause-fill", "outline-secondary")
        add("return", _("Return"), "arrow-return-left", "outline-secondary")
    if dispatcher and status in OPEN_STATUSES:
        label = _("Dispatch") if status in (S.NEW, S.RETURNED) else _("Reassign")
        add(
            "assign",
            label,
            "send",
            "primary" if status in (S.NEW, S.RETURNED) else "outline-primary",
        )
    if status == S.AWAITING_VERIFICATION and may_verify(user, order):
        add("verify", _("Verify"), "clipboard-check", "success")
    if status in (S.AWAITING_VERIFICATION, S.COMPLETED) and follower:
        add("rate", _("Rate"), "star", "outline-warning")
    own = follower and status in (S.NEW, S.ASSIGNED, S.RETURNED)
    if status in OPEN_STATUSES and (dispatcher or own):
        add("cancel", _("Cancel order"), "x-circle", "outline-danger")
    result = []
    for action, label, icon, style, form in found:
        if action == "finish":
            url = reverse("maintenance:workorder_finish", args=[order.pk])
        else:
            url = reverse("maintenance:workorder_action", args=[order.pk, action])
        result.append(
            {
                "action": action,
                "label": label,
                "icon": icon,
                "style": style,
                "url": url,
                "form": form,
            }
        )
    return result


class WorkOrderDetailView(OrderScopeMixin, ObjectDetailView):
    template_name = "maintenance/workorder_detail.html"

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return available_actions(self.request.user, obj)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context: dict[str, Any] = response.context_data  # type: ignore[attr-defined]
        order: WorkOrder = context["object"]
        context.update(detail_context(request, order))
        return response


def reported_photos(request: HttpRequest, order: WorkOrder) -> list[Any]:
    """The photos the reporters attached to their requests (one query), for people who may
    open those requests."""
    from django.contrib.contenttypes.models import ContentType

    from houqin.core.attachments.models import Attachment

    if not has_perm_in_school(request.user, "maintenance.view_repairrequest", order.school_id):
        return []
    return list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(RepairRequest),
            object_id__in=order.requests.values("pk"),
            mime__startswith="image/",
        ).order_by("created_at")[:27]
    )


def detail_context(request: HttpRequest, order: WorkOrder) -> dict[str, Any]:
    can_see_list = VIEW in all_permissions(request.user) or "*" in all_permissions(request.user)
    requests = list(order.requests.select_related("reporter").order_by("created_at"))
    for found in requests:
        found.url = _url(found.get_absolute_url)  # type: ignore[attr-defined]
    return {
        "reported_photos": reported_photos(request, order),
        "order": order,
        "clock": clock_panel(order),
        "status_style": STATUS_STYLE.get(order.status, "secondary"),
        "urgency_style": URGENCY_STYLE.get(order.urgency, "secondary"),
        "parts": list(order.parts.all()),
        "linked_requests": requests,
        "repeats": list(order.repeats.select_related("category").order_by("-reported_at")[:10]),
        "steps": timeline(order),
        "plan_url": _url(order.plan.get_absolute_url) if order.plan else None,
        "campaign_url": _url(order.campaign.get_absolute_url) if order.campaign else None,
        "stars": range(1, 6),
        "show_cost": order.total_cost or order.labour_minutes or order.contractor,
        "is_done": order.status not in OPEN_STATUSES,
        "list_url": reverse("maintenance:workorder_list") if can_see_list else None,
        "breadcrumbs": [
            (
                WORK_ORDERS,
                reverse("maintenance:workorder_list") if can_see_list else None,
            ),
            (order.number, None),
        ],
    }


def _url(getter: Any) -> str | None:
    """A link to a page another area provides, if it exists yet."""
    try:
        return str(getter())
    except NoReverseMatch:
        return None


def order_or_404(view: OrderScopeMixin, pk: int) -> WorkOrder:
    order: WorkOrder = get_object_or_404(view.get_queryset(), pk=pk)
    return order
