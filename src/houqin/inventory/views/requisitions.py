"""Requisition pages: lists, the phone form, the detail with its actions, the issue queue and
the issue page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.approvals.views import RequestSubjectMixin
from houqin.core.scoping import has_perm_in_school
from houqin.core.tables import Table
from houqin.core.views import ObjectActionView, ObjectDetailView, ObjectListView
from houqin.core.views.mixins import ScopedViewMixin

from ..filters_requisitions import RequisitionFilter
from ..forms_requisitions import ReasonForm, RequisitionForm, parse_quantities
from ..models import Requisition, StockItem
from ..services import requisitions as services
from ..services.stock import fmt
from ..tables_requisitions import IssueQueueTable, RequisitionTable

ADD = "inventory.add_requisition"
VIEW = "inventory.view_requisition"
MOVE = services.MOVE_STOCK


def list_url() -> str:
    return reverse("inventory:requisition_list")


class RequisitionListView(ObjectListView):
    model = Requisition
    table_class: type[Table] = RequisitionTable
    filterset_class: Any = RequisitionFilter
    search_fields = ("number", "purpose", "requester__real_name")
    default_sort = "-created"
    permission_required = VIEW

    def get_title(self) -> str:
        return _("Requisitions")

    def base_queryset(self) -> QuerySet[Any]:
        return Requisition.objects.select_related("department", "requester")

    def add_url(self) -> str | None:
        return reverse("inventory:requisition_add") if self.allowed_add() else None


class RequisitionMineView(RequisitionListView):
    def get_title(self) -> str:
        return _("My requisitions")

    def base_queryset(self) -> QuerySet[Any]:
        return super().base_queryset().filter(requester=self.request.user)


class IssueQueueView(RequisitionListView):
    """The storekeeper's queue: approved and partly issued requisitions, oldest first."""

    table_class = IssueQueueTable
    permission_required = MOVE
    default_sort = "submitted"
    filterset_class = None

    def get_title(self) -> str:
        return _("Issue queue")

    def base_queryset(self) -> QuerySet[Any]:
        queryset: QuerySet[Any] = (
            Requisition.objects.filter(status__in=Requisition.OPEN)
            .select_related("department", "requester")
            .annotate(line_count=Count("lines"))
        )
        return queryset

    def add_url(self) -> str | None:
        return None


def store_items(school_ids: list[int]) -> QuerySet[StockItem]:
    return StockItem.objects.filter(school_id__in=school_ids, is_active=True).order_by(
        "school_id", "category", "name", "pk"
    )


def item_options(items: QuerySet[StockItem]) -> list[dict[str, Any]]:
    """What the item pickers list: the name, the stock and unit, restricted or not."""
    return [
        {
            "pk": item.pk,
            "school": item.school_id,
            "label": str(item),
            "code": item.code,
            "stock": fmt(item.quantity),
            "unit": item.unit,
            "restricted": item.is_restricted,
            "category": item.get_category_display(),
        }
        for item in items
    ]


class RequisitionEditView(ScopedViewMixin, View):
    """New requisition (or a draft's changes) with its lines, made for a phone."""

    model = Requisition
    permission_required = ADD
    template_name = "inventory/requisition_edit.html"

    def get_object(self) -> Requisition | None:
        if "pk" not in self.kwargs:
            return None
        obj: Requisition = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if obj.requester_id != self.request.user.pk or not obj.is_editable:
            raise PermissionDenied
        return obj

    def default_department(self) -> int | None:
        from houqin.accounts.models import Membership

        department_id: int | None = (
            Membership.objects.filter(
                user=cast(Any, self.request.user),
                is_active=True,
                school_id__in=self.allowed_school_ids(),
            )
            .exclude(department=None)
            .order_by("pk")
            .values_list("department_id", flat=True)
            .first()
        )
        return department_id

    def make_form(self, obj: Requisition | None, data: Any = None) -> RequisitionForm:
        items = store_items(self.allowed_school_ids())
        initial = {}
        if obj is None:
            initial["department"] = self.request.GET.get("department") or self.default_department()
        form = RequisitionForm(data=data, instance=obj, initial=initial, items=items)
        self.narrow_form_choices(form)
        return form

    def rows(self, obj: Requisition | None, form: RequisitionForm) -> list[dict[str, str]]:
        if form.is_bound:
            rows = [row for row in form.line_rows if row.get("item")]
        elif obj is not None:
            rows = [
                {"item": str(line.item_id), "quantity": fmt(line.quantity), "note": line.note}
                for line in obj.lines.order_by("pk")
            ]
        else:
            rows = [
                {"item": value, "quantity": "1", "note": ""}
                for value in self.request.GET.getlist("item")
                if value.isdigit()
            ]
        return rows or [{"item": "", "quantity": "1", "note": ""}]

    def render(
        self, obj: Requisition | None, form: RequisitionForm, error: str = ""
    ) -> HttpResponse:
        title = (
            _("New requisition") if obj is None else _("Change %(number)s") % {"number": obj.number}
        )
        crumbs: list[tuple[Any, str | None]] = [
            (_("My requisitions"), reverse("inventory:requisition_mine"))
        ]
        if obj is not None:
            crumbs.append((obj.number, obj.get_absolute_url()))
        crumbs.append((title, None))
        context = {
            "form": form,
            "object": obj,
            "title": title,
            "error": error,
            "rows": self.rows(obj, form),
            "options": item_options(form.items),
            "breadcrumbs": crumbs,
            "cancel_url": obj.get_absolute_url() if obj else reverse("inventory:requisition_mine"),
        }
        status = 422 if error or (form.is_bound and form.errors) else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render(obj, self.make_form(obj))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.make_form(obj, request.POST)
        if not form.is_valid():
            return self.render(obj, form)
        submit = "submit" in request.POST
        try:
            with transaction.atomic():
                saved = services.requisition_save(
                    actor=request.user, requisition=form.instance, lines=form.lines, submit=submit
                )
        except services.REFUSALS as exc:
            if obj is None:
                form.instance.pk = None
            return self.render(obj, form, error=str(exc))
        if submit:
            messages.success(request, submitted_message(saved))
        else:
            messages.success(request, _("Saved: %(name)s") % {"name": saved.number})
        for warning in services.stock_warnings(saved):
            messages.warning(request, warning)
        return HttpResponseRedirect(saved.get_absolute_url())


def submitted_message(requisition: Requisition) -> str:
    if requisition.status == Requisition.S.APPROVED:
        return _("%(number)s was sent to the store.") % {"number": requisition.number}
    return _("%(number)s needs approval (%(reason)s) and was submitted.") % {
        "number": requisition.number,
        "reason": requisition.approval_reason,
    }


class RequisitionDetailView(RequestSubjectMixin, ObjectDetailView):
    model = Requisition
    permission_required = VIEW
    edit_url_name = "inventory:requisition_edit"
    template_name = "inventory/requisition_detail.html"
    detail_fields = (
        "number",
        "status",
        "department",
        "requester",
        "purpose",
        "needed_by",
        "estimated_amount",
        "needs_approval",
        "approval_reason",
        "submitted_at",
        "issued_at",
        "received_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Requisition.objects.select_related("department", "requester", "school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        requisition: Requisition = context["object"]
        user = request.user
        store = has_perm_in_school(user, MOVE, requisition.school_id)
        mine = requisition.requester_id == user.pk
        S = Requisition.S
        extra = self.approval_context(requisition)
        back = services.returnable(requisition) if store else {}
        lines = list(requisition.lines.select_related("item").order_by("pk"))
        for line in lines:
            line.returnable = back.get(line.item_id, Decimal("0"))  # type: ignore[attr-defined]
            line.short = line.outstanding > line.item.quantity  # type: ignore[attr-defined]
        extra.update(
            {
                "lines": lines,
                "store": store,
                "can_issue": store and requisition.status in Requisition.OPEN,
                "can_close": store and requisition.status == S.PARTIAL,
                "can_confirm": mine and requisition.status == S.ISSUED,
                "can_cancel": requisition.status != S.PENDING
                and services.can_cancel(requisition, user),
                "can_return": store and any(line.returnable for line in lines),  # type: ignore[attr-defined]
                "warnings": services.stock_warnings(requisition)
                if requisition.status in (*Requisition.EDITABLE, *Requisition.OPEN, S.PENDING)
                else [],
                "reason_form": ReasonForm(),
            }
        )
        context.update(extra)
        context["breadcrumbs"][0] = (_("Requisitions"), list_url())
        return response


class RequisitionActionView(ObjectActionView):
    """POST submit, cancel, confirm (receipt), close (a partial issue), return (goods back)."""

    model = Requisition
    permission_required = VIEW
    refusals = services.REFUSALS

    def do_submit(self, request: HttpRequest, requisition: Requisition) -> str:
        saved = services.requisition_submit(actor=request.user, requisition=requisition)
        for warning in services.stock_warnings(saved):
            messages.warning(request, warning)
        return submitted_message(saved)

    def do_cancel(self, request: HttpRequest, requisition: Requisition) -> str:
        services.requisition_cancel(
            actor=request.user, requisition=requisition, reason=request.POST.get("reason", "")
        )
        return _("Cancelled.")

    def do_confirm(self, request: HttpRequest, requisition: Requisition) -> str:
        services.requisition_confirm(actor=request.user, requisition=requisition)
        return _("Receipt confirmed. Thank you.")

    def do_close(self, request: HttpRequest, requisition: Requisition) -> str:
        services.requisition_close(
            actor=request.user, requisition=requisition, reason=request.POST.get("reason", "")
        )
        return _("Closed: the rest will not be issued.")

    def do_return(self, request: HttpRequest, requisition: Requisition) -> str:
        services.requisition_return(
            actor=request.user,
            requisition=requisition,
            quantities=parse_quantities(request.POST, "back"),
            reason=request.POST.get("reason", ""),
        )
        return _("The goods are back in the store.")


class RequisitionIssueView(ScopedViewMixin, View):
    """出库: per line the quantity to issue now, by default what is outstanding capped by the
    stock."""

    model = Requisition
    permission_required = MOVE
    template_name = "inventory/issue_form.html"

    def get_object(self) -> Requisition:
        found: Requisition = get_object_or_404(
            self.get_queryset().select_related("department", "requester"), pk=self.kwargs["pk"]
        )
        return found

    def render(
        self, requisition: Requisition, values: dict[int, str], error: str = ""
    ) -> HttpResponse:
        lines = list(requisition.lines.select_related("item").order_by("pk"))
        for line in lines:
            default = max(min(line.outstanding, line.item.quantity), Decimal("0"))
            line.value = values.get(line.pk, fmt(default))  # type: ignore[attr-defined]
            line.short = line.outstanding > line.item.quantity  # type: ignore[attr-defined]
        title = _("Issue %(number)s") % {"number": requisition.number}
        context = {
            "object": requisition,
            "requisition": requisition,
            "lines": lines,
            "error": error,
            "is_open": requisition.status in Requisition.OPEN,
            "title": title,
            "breadcrumbs": [
                (_("Issue queue"), reverse("inventory:issue_queue")),
                (requisition.number, requisition.get_absolute_url()),
                (_("Issue"), None),
            ],
        }
        return TemplateResponse(
            self.request, self.template_name, context, status=422 if error else 200
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.get_object(), {})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        requisition = self.get_object()
        values = parse_quantities(request.POST, "issue")
        try:
            issued = services.requisition_issue(
                actor=request.user, requisition=requisition, quantities=values
            )
        except services.REFUSALS as exc:
            return self.render(requisition, values, error=str(exc))
        if issued.status == Requisition.S.ISSUED:
            messages.success(request, _("%(number)s is fully issued.") % {"number": issued.number})
        else:
            messages.success(request, _("%(number)s is partly issued.") % {"number": issued.number})
        return HttpResponseRedirect(reverse("inventory:issue_queue"))
