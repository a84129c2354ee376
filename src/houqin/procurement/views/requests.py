"""Purchase request pages: the form with its lines, my requests and the office's list, one
request with its progress, the POST actions, the reorder suggestion and purchase intentions."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from houqin.accounts.models import Membership
from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import ObjectActionView, ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.core.views.generic import optional_url
from houqin.core.workflow import TransitionError
from houqin.finance.models import BudgetLine
from houqin.inventory.models import StockItem
from houqin.org.models import Department

from ..choices import RequestStatus
from ..filters_requests import PurchaseRequestFilter
from ..forms_requests import CancelForm, LineFormSet, RequestForm
from ..models import (
    Acceptance,
    ProcurementSettings,
    PurchaseOrder,
    PurchaseRequest,
    PurchaseRequestLine,
)
from ..services import requests as services
from ..services.requests import LineInput, RequestError
from ..tables_requests import PurchaseRequestTable

VIEW = "procurement.view_purchaserequest"
ADD = "procurement.add_purchaserequest"
VIEW_ALL = "procurement.view_all_purchaserequest"
S = RequestStatus
BLANK_ROWS = 5
STATUS_STYLE: dict[str, str] = {
    S.DRAFT: "secondary",
    S.PENDING: "primary",
    S.APPROVED: "info",
    S.ORDERING: "info",
    S.ORDERED: "info",
    S.RECEIVED: "success",
    S.REJECTED: "danger",
    S.RETURNED: "warning",
    S.WITHDRAWN: "secondary",
    S.CANCELLED: "light",
}


def _tabs(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """My requests / all I may see: the second only for the office and department heads."""
    user = request.user
    sees_more = (
        bool(school_ids(user, VIEW_ALL)) or Department.objects.filter(head_id=user.pk).exists()
    )
    if not sees_more:
        return []
    return [
        {
            "label": _("My purchase requests"),
            "url": reverse("procurement:request_mine"),
            "active": current == "mine",
        },
        {
            "label": _("Purchase requests"),
            "url": reverse("procurement:request_list"),
            "active": current == "all",
        },
    ]


class RequestListView(ObjectListView):
    """采购申请: the whole school's for the purchasing office and the leaders, a department
    head's department, and what the user decides or asked for."""

    model = PurchaseRequest
    permission_required = VIEW
    table_class = PurchaseRequestTable
    filterset_class = PurchaseRequestFilter
    search_fields = ("number", "title")
    default_sort = "-created_at"
    template_name = "procurement/request_list.html"
    tab = "all"

    def get_title(self) -> str:
        return _("Purchase requests")

    def base_queryset(self) -> QuerySet[Any]:
        return PurchaseRequest.objects.select_related("department", "requester")

    def add_url(self) -> str | None:
        return reverse("procurement:request_add") if self.allowed_add() else None

    def import_url(self) -> str | None:
        return None

    def extra_context(self) -> dict[str, Any]:
        return {"tabs": _tabs(self.request, self.tab)}


class RequestMineView(RequestListView):
    """我的采购申请."""

    tab = "mine"

    def get_title(self) -> str:
        return _("My purchase requests")

    def base_queryset(self) -> QuerySet[Any]:
        return super().base_queryset().filter(requester=self.request.user)


def _line_initial(line: PurchaseRequestLine) -> dict[str, Any]:
    return {
        "stock_item": str(line.stock_item_id or ""),
        "item_name": line.item_name,
        "specification": line.specification,
        "quantity": line.quantity.normalize(),
        "unit": line.unit,
        "estimated_price": line.estimated_price,
    }


class RequestEditView(ScopedViewMixin, View):
    """New request or a change of one's own draft, returned or withdrawn request. "Save
    and submit" sends it on at once."""

    model = PurchaseRequest
    permission_required = ADD
    template_name = "procurement/request_form.html"

    def get_object(self) -> PurchaseRequest | None:
        if "pk" not in self.kwargs:
            return None
        obj: PurchaseRequest = get_object_or_404(
            self.get_queryset().select_related("department", "budget_line"), pk=self.kwargs["pk"]
        )
        if obj.requester_id != self.request.user.pk or not obj.is_editable:
            raise PermissionDenied
        return obj

    def schools(self, obj: PurchaseRequest | None) -> list[int]:
        if obj is not None:
            return [obj.school_id]
        allowed = self.allowed_school_ids()
        active = active_school_id(self.request)
        return [active] if active in allowed else allowed

    def own_department(self, schools: list[int]) -> int | None:
        membership = (
            Membership.objects.filter(
                user_id=self.request.user.pk,  # type: ignore[misc]
                is_active=True,
                department__isnull=False,
                school_id__in=schools,
            )
            .order_by("pk")
            .first()
        )
        return membership.department_id if membership else None

    def build(self, obj: PurchaseRequest | None, data: Any = None) -> tuple[RequestForm, Any]:
        schools = self.schools(obj)
        initial: dict[str, Any] = {}
        if obj is None:
            initial = {"department": self.own_department(schools), "category": "office"}
        form = RequestForm(data, instance=obj, initial=initial)
        self.narrow_form_choices(form)
        form.fields["department"].queryset = form.fields[  # type: ignore[attr-defined]
            "department"
        ].queryset.filter(school_id__in=schools)
        today = timezone.localdate()
        lines = list(
            BudgetLine.objects.filter(
                school_id__in=schools, school_year__start__lte=today, school_year__end__gte=today
            )
            .select_related("department", "school_year")
            .order_by("department__sort_order", "department__name", "category")
        )
        if obj is not None and obj.budget_line is not None and obj.budget_line not in lines:
            lines.append(obj.budget_line)
        form.set_budget_lines(lines)
        items = {
            str(item.pk): item
            for item in StockItem.objects.filter(school_id__in=schools, is_active=True).order_by(
                "category", "name", "pk"
            )
        }
        existing = [_line_initial(line) for line in obj.lines.all()] if obj is not None else []
        formset_class = type(
            "RequestLineFormSet",
            (LineFormSet,),
            {"extra": max(BLANK_ROWS - len(existing), 1)},
        )
        formset = formset_class(data, prefix="lines", items=items, initial=existing or None)
        return form, formset

    def render(self, form: RequestForm, formset: Any, obj: Any, status: int = 200) -> HttpResponse:
        mine = reverse("procurement:request_mine")
        crumbs: list[tuple[Any, str | None]] = [(_("My purchase requests"), mine)]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
        title = _("New purchase request") if obj is None else str(obj)
        crumbs.append((_("Add") if obj is None else _("Edit"), None))
        context = {
            "form": form,
            "formset": formset,
            "object": obj,
            "title": title,
            "breadcrumbs": crumbs,
            "cancel_url": obj.get_absolute_url() if obj is not None else mine,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form, formset = self.build(obj)
        return self.render(form, formset, obj)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form, formset = self.build(obj, request.POST)
        if not (form.is_valid() & formset.is_valid()):
            return self.render(form, formset, obj, status=422)
        lines = [
            LineInput(
                item_name=row["item_name"],
                specification=row.get("specification") or "",
                quantity=row["quantity"],
                unit=row["unit"],
                estimated_price=row["estimated_price"],
                stock_item=row.get("stock_item"),
            )
            for row in formset.filled()
        ]
        try:
            saved = services.purchase_request_save(
                actor=request.user, request=form.instance, lines=lines
            )
        except RequestError as exc:
            if obj is None:
                form.instance.pk = None
            form.add_error(None, str(exc))
            return self.render(form, formset, obj, status=422)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        if "submit" in request.POST:
            submit(request, saved)
        return HttpResponseRedirect(saved.get_absolute_url())


def submit(request: HttpRequest, purchase: PurchaseRequest) -> bool:
    """Submit and tell the user how it went (a budget warning stays visible)."""
    try:
        _saved, warning = services.purchase_request_submit(actor=request.user, request=purchase)
    except ApprovalError as exc:
        messages.error(request, str(exc))
        return False
    if warning:
        messages.warning(request, warning)
    messages.success(request, _("Submitted for approval."))
    return True


class RequestDetailView(RequestSubjectMixin, ObjectDetailView):
    model = PurchaseRequest
    permission_required = VIEW
    edit_url_name = "procurement:request_edit"
    template_name = "procurement/request_detail.html"
    detail_fields = (
        "department",
        "requester",
        "category",
        "reason",
        "needed_by",
        "submitted_at",
        "approved_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return PurchaseRequest.objects.select_related(
            "department", "requester", "school", "budget_line__department"
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        obj: PurchaseRequest = context["object"]
        context["breadcrumbs"][0] = _list_crumb(request)
        if context["tab"] != "history":
            context.update(self.approval_context(obj))
            context.update(progress(request, obj))
        context["status_style"] = STATUS_STYLE.get(obj.status, "secondary")
        context["can_cancel"] = _may_cancel(request, obj)
        context["can_cancel_rest"] = obj.status == S.ORDERING and has_perm_in_school(
            request.user, services.CANCEL_APPROVED, obj.school_id
        )
        context["cancel_form"] = CancelForm()
        return response


def _list_crumb(request: HttpRequest) -> tuple[str, str]:
    if _tabs(request, "all"):
        return _("Purchase requests"), reverse("procurement:request_list")
    return _("My purchase requests"), reverse("procurement:request_mine")


def _may_cancel(request: HttpRequest, obj: PurchaseRequest) -> bool:
    if obj.status in PurchaseRequest.EDITABLE:
        return obj.requester_id == request.user.pk
    return obj.status == S.APPROVED and has_perm_in_school(
        request.user, services.CANCEL_APPROVED, obj.school_id
    )


def progress(request: HttpRequest, obj: PurchaseRequest) -> dict[str, Any]:
    """The lines with their order and receipt, the budget line, the orders and acceptances."""
    lines = list(obj.lines.select_related("order_line__order", "stock_item").order_by("id"))
    user = request.user
    see_orders = has_perm_in_school(user, "procurement.view_purchaseorder", obj.school_id)
    see_acceptances = has_perm_in_school(user, "procurement.view_acceptance", obj.school_id)
    orders = list(
        PurchaseOrder.objects.filter(lines__request_lines__request=obj)
        .select_related("supplier")
        .distinct()
        .order_by("created_at")
    )
    acceptances = list(
        Acceptance.objects.filter(lines__order_line__request_lines__request=obj)
        .distinct()
        .order_by("delivered_on", "id")
    )
    for order in orders:
        order.link = optional_url("procurement:order_detail", order.pk) if see_orders else None
    for acceptance in acceptances:
        acceptance.link = (
            optional_url("procurement:acceptance_detail", acceptance.pk)
            if see_acceptances
            else None
        )
    budget = obj.budget_line
    return {
        "lines": lines,
        "orders": orders,
        "acceptances": acceptances,
        "budget": budget,
        "budget_url": optional_url("finance:budget_detail", budget.pk)
        if budget is not None and has_perm_in_school(user, "finance.view_budgetline", obj.school_id)
        else None,
    }


class RequestActionView(ObjectActionView):
    """POST submit (or resubmit) and withdraw by the requester; cancel by the requester or,
    once approved, by the purchasing office; cancel_rest (the lines not yet ordered of a
    partly ordered request) by the purchasing office."""

    model = PurchaseRequest
    permission_required = VIEW
    refusals = (ApprovalError, TransitionError, RequestError)

    def do_submit(self, request: HttpRequest, obj: PurchaseRequest) -> str:
        submit(request, obj)
        return ""

    def do_withdraw(self, request: HttpRequest, obj: PurchaseRequest) -> str:
        services.purchase_request_withdraw(
            actor=request.user, request=obj, reason=request.POST.get("reason", "")
        )
        return _("Withdrawn from approval.")

    def do_cancel(self, request: HttpRequest, obj: PurchaseRequest) -> str:
        services.purchase_request_cancel(
            actor=request.user, request=obj, reason=request.POST.get("reason", "")
        )
        return _("Request cancelled.")

    def do_cancel_rest(self, request: HttpRequest, obj: PurchaseRequest) -> str:
        services.purchase_request_cancel_rest(
            actor=request.user, request=obj, reason=request.POST.get("reason", "")
        )
        return _("The lines not yet ordered are cancelled; their budget is released.")


class RequestFromReorderView(ScopedViewMixin, View):
    """POST ``item`` (repeated) and optionally ``department``: a draft request for the low
    store items, opened for editing."""

    model = PurchaseRequest
    permission_required = ADD

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest) -> HttpResponse:
        allowed = self.allowed_school_ids()
        ids = [pk for pk in request.POST.getlist("item") if pk.isdigit()]
        items = list(StockItem.objects.filter(school_id__in=allowed, pk__in=ids).order_by("pk"))
        back = optional_url("inventory:reorder_list") or reverse("procurement:request_mine")
        if not items:
            messages.error(request, _("Choose at least one item."))
            return HttpResponseRedirect(back)
        school_id = items[0].school_id
        departments = Department.objects.filter(school_id=school_id)
        chosen = request.POST.get("department", "")
        department = departments.filter(pk=chosen).first() if chosen.isdigit() else None
        if department is None:
            membership = (
                Membership.objects.filter(
                    user_id=request.user.pk,  # type: ignore[misc]
                    school_id=school_id,
                    is_active=True,
                    department__isnull=False,
                )
                .select_related("department")
                .order_by("pk")
                .first()
            )
            department = membership.department if membership else None
        if department is None:
            messages.error(request, _("Choose the department the request is for."))
            return HttpResponseRedirect(back)
        try:
            draft = services.purchase_request_from_reorder(
                actor=request.user,
                department=department,
                items=[item for item in items if item.school_id == school_id],
            )
        except RequestError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(back)
        messages.success(
            request, _("A draft request was made: check the quantities and prices, then submit.")
        )
        return HttpResponseRedirect(reverse("procurement:request_edit", args=[draft.pk]))


class IntentionListView(ScopedViewMixin, View):
    """采购意向: approved requests and orders at or above the school's limit, which must be
    published at least ``intention_days`` before buying (财库〔2020〕10号)."""

    model = PurchaseRequest
    permission_required = VIEW_ALL
    template_name = "procurement/intention_list.html"
    page_size = 50

    def get(self, request: HttpRequest) -> HttpResponse:
        schools = self.allowed_school_ids()
        active = active_school_id(request)
        if active in schools:
            schools = [active]
        policies = {
            s.school_id: s for s in ProcurementSettings.objects.filter(school_id__in=schools)
        }
        for school_id in schools:
            policies.setdefault(school_id, ProcurementSettings(school_id=school_id))
        over_requests, over_orders = Q(pk__in=[]), Q(pk__in=[])
        for school_id, policy in policies.items():
            limit = policy.intention_threshold
            over_requests |= Q(school_id=school_id, estimated_total__gte=limit)
            over_orders |= Q(school_id=school_id) & (
                Q(total__gte=limit) | Q(estimated_total__gte=limit)
            )
        requests = (
            PurchaseRequest.objects.filter(over_requests, status__in=(S.APPROVED, S.ORDERING))
            .select_related("department", "requester")
            .order_by("approved_at", "pk")
        )
        orders = (
            PurchaseOrder.objects.filter(over_orders)
            .filter(status__in=("draft", "quoting", "placed", "partial"))
            .select_related("supplier")
            .order_by("intention_published_on", "created_at", "pk")
        )
        request_page = Paginator(requests, self.page_size).get_page(request.GET.get("page"))
        order_page = Paginator(orders, self.page_size).get_page(request.GET.get("orders"))
        today = timezone.localdate()
        for order in order_page.object_list:
            policy = policies[order.school_id]
            order.link = optional_url("procurement:order_detail", order.pk)
            order.earliest = None
            if order.intention_published_on is not None:
                order.earliest = order.intention_published_on + datetime.timedelta(
                    days=policy.intention_days
                )
            order.may_buy = order.earliest is not None and order.earliest <= today
        context = {
            "title": _("Purchase intentions"),
            "breadcrumbs": [(_("Purchase intentions"), None)],
            "request_page": request_page,
            "order_page": order_page,
            "policies": list(policies.values()),
            "single_policy": next(iter(policies.values())) if len(policies) == 1 else None,
            "today": today,
        }
        return TemplateResponse(request, self.template_name, context)


__all__ = [
    "IntentionListView",
    "RequestActionView",
    "RequestDetailView",
    "RequestEditView",
    "RequestFromReorderView",
    "RequestListView",
    "RequestMineView",
]
