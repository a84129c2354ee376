"""Acceptance pages: the list, a new acceptance from a placed order, its edit page while
draft, and the acceptance page with photos, confirm, cancel and returns to the supplier."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.scoping import has_perm_in_school
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.core.views.actions import ObjectActionView
from houqin.core.workflow import TransitionError

from ..choices import AcceptanceStatus
from ..filters_orders import AcceptanceFilter
from ..forms_acceptance import AcceptanceForm, ReturnForm
from ..models import Acceptance, PurchaseOrder
from ..services.acceptance import (
    acceptance_cancel,
    acceptance_confirm,
    acceptance_return,
    acceptance_save,
    confirm_problems,
    delivered_value,
)
from ..services.orders import OrderError, money, settings_for
from ..tables_orders import AcceptanceTable

VIEW = "procurement.view_acceptance"
ADD = "procurement.add_acceptance"
CHANGE = "procurement.change_acceptance"
CONFIRM = "procurement.accept_purchaseorder"
ACCEPTANCES = gettext_lazy("Acceptances")
STATUS_STYLE: dict[str, str] = {
    AcceptanceStatus.DRAFT: "secondary",
    AcceptanceStatus.CONFIRMED: "success",
    AcceptanceStatus.CANCELLED: "light",
}


class AcceptanceListView(ObjectListView):
    model = Acceptance
    permission_required = VIEW
    table_class = AcceptanceTable
    filterset_class = AcceptanceFilter
    search_fields = ("number", "order__number", "order__supplier__name", "delivery_note")
    default_sort = "-delivered"
    title = ACCEPTANCES  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("order__supplier")

    def add_url(self) -> str | None:
        return None  # an acceptance starts from its order's page


class AcceptanceFormView(ScopedViewMixin, View):
    """A new acceptance of a placed order (``pk`` is the order's)."""

    model: Any = PurchaseOrder
    permission_required = ADD
    template_name = "procurement/acceptance_edit.html"

    def get_queryset(self) -> QuerySet[Any]:
        return PurchaseOrder.objects.visible_to(self.request.user, ADD).select_related("supplier")

    def target(self, pk: int) -> tuple[PurchaseOrder, Acceptance | None]:
        order: PurchaseOrder = get_object_or_404(self.get_queryset(), pk=pk)
        return order, None

    def render(
        self, order: PurchaseOrder, form: AcceptanceForm, acceptance: Acceptance | None
    ) -> HttpResponse:
        title = _("Accept a delivery") if acceptance is None else str(acceptance)
        context = {
            "title": f"{title} · {order.number}",
            "form": form,
            "order": order,
            "policy": settings_for(order.school_id),
            "cancel_url": (acceptance or order).get_absolute_url(),
            "breadcrumbs": [
                (ACCEPTANCES, reverse("procurement:acceptance_list")),
                (order.number, order.get_absolute_url()),
                (title, None),
            ],
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order, acceptance = self.target(pk)
        initial = {"delivered_on": timezone.localdate(), "acceptors": [request.user.pk]}
        if acceptance is not None:
            initial = {}
        form = AcceptanceForm(instance=acceptance, order=order, initial=initial)
        return self.render(order, form, acceptance)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order, acceptance = self.target(pk)
        form = AcceptanceForm(request.POST, instance=acceptance, order=order)
        if not form.is_valid():
            return self.render(order, form, acceptance)
        data = form.cleaned_data
        try:
            saved = acceptance_save(
                actor=request.user,
                order=order,
                delivered_on=data["delivered_on"],
                delivery_note=data["delivery_note"],
                quality_score=data["quality_score"],
                notes=data["notes"],
                acceptors=data["acceptors"],
                lines=form.line_inputs(),
                acceptance=acceptance,
            )
        except OrderError as exc:
            form.add_error(None, str(exc))
            return self.render(order, form, acceptance)
        messages.success(
            request,
            _("Acceptance %(number)s recorded: add photos, then confirm it.")
            % {"number": saved.number},
        )
        return HttpResponseRedirect(saved.get_absolute_url())


class AcceptanceEditView(AcceptanceFormView):
    model = Acceptance
    permission_required = CHANGE

    def get_queryset(self) -> QuerySet[Any]:
        return Acceptance.objects.visible_to(self.request.user, CHANGE).select_related(
            "order__supplier"
        )

    def target(self, pk: int) -> tuple[PurchaseOrder, Acceptance | None]:
        acceptance: Acceptance = get_object_or_404(self.get_queryset(), pk=pk)
        return acceptance.order, acceptance

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _order, acceptance = self.target(pk)
        if acceptance is not None and acceptance.status != AcceptanceStatus.DRAFT:
            messages.error(request, _("Only a draft acceptance can be changed."))
            return HttpResponseRedirect(acceptance.get_absolute_url())
        return super().get(request, pk)


class AcceptanceDetailView(ObjectDetailView):
    model = Acceptance
    permission_required = VIEW
    template_name = "procurement/acceptance_detail.html"

    def base_queryset(self) -> QuerySet[Any]:
        return Acceptance.objects.select_related("order__supplier", "recorded_by", "school")

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context: dict[str, Any] = response.context_data  # type: ignore[attr-defined]
        acceptance: Acceptance = context["object"]
        user = request.user
        draft = acceptance.status == AcceptanceStatus.DRAFT
        confirmed = acceptance.status == AcceptanceStatus.CONFIRMED
        may_confirm = has_perm_in_school(user, CONFIRM, acceptance.school_id)
        lines = list(acceptance.lines.select_related("order_line__stock_item"))
        for line in lines:
            line.value = money(line.accepted * line.order_line.unit_price)  # type: ignore[attr-defined]
        context.update(
            {
                "acceptance": acceptance,
                "order": acceptance.order,
                "status_style": STATUS_STYLE.get(acceptance.status, "secondary"),
                "lines": lines,
                "acceptors": list(acceptance.acceptors.all()),
                "delivered_value": delivered_value(acceptance),
                "problems": confirm_problems(acceptance) if draft else [],
                "can_edit": draft and has_perm_in_school(user, CHANGE, acceptance.school_id),
                "can_confirm": draft and may_confirm,
                "can_return": confirmed and may_confirm,
                "return_form": ReturnForm(acceptance=acceptance) if confirmed else None,
                "breadcrumbs": [
                    (ACCEPTANCES, reverse("procurement:acceptance_list")),
                    (acceptance.order.number, acceptance.order.get_absolute_url()),
                    (acceptance.number, None),
                ],
            }
        )
        return response


class AcceptanceActionView(ObjectActionView):
    """confirm, cancel (a draft) and return (accepted goods to the supplier)."""

    model = Acceptance
    permission_required = CONFIRM
    refusals = (TransitionError, OrderError)

    def do_confirm(self, request: HttpRequest, acceptance: Acceptance) -> str:
        acceptance_confirm(actor=request.user, acceptance=acceptance)
        return _("Acceptance %(number)s confirmed: goods received.") % {"number": acceptance.number}

    def do_cancel(self, request: HttpRequest, acceptance: Acceptance) -> str:
        acceptance_cancel(
            actor=request.user, acceptance=acceptance, reason=request.POST.get("reason", "")
        )
        return _("Acceptance cancelled.")

    def do_return(self, request: HttpRequest, acceptance: Acceptance) -> str:
        form = ReturnForm(request.POST, acceptance=acceptance)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            raise OrderError(" ".join(problems))
        data = form.cleaned_data
        acceptance_return(
            actor=request.user, line=data["line"], quantity=data["quantity"], reason=data["reason"]
        )
        return _("Returned to the supplier; stock and budget were updated.")
