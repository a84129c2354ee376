"""Workflow steps of a work order: ``<pk>/<action>/`` (GET shows the step's small form, POST
calls one service) and the worker's phone-first finish page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..forms_orders import (
    AssignForm,
    FinishForm,
    HoldForm,
    RateForm,
    ReasonForm,
    StartForm,
    Styled,
    VerifyForm,
)
from ..models import WorkOrder
from ..services import closing, orders
from ..services.orders import WorkOrderError
from ..services.parts_store import store_items
from .orders import WORK_ORDERS, OrderScopeMixin, order_or_404

LABOUR_PRESETS = (15, 30, 60)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the form carried, if it points into this site; else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class Step:
    """One workflow step: its title, its form and the service call."""

    def __init__(
        self,
        title: Any,
        form: Callable[..., Styled] | None,
        run: Callable[[HttpRequest, WorkOrder, dict[str, Any]], Any],
        done: Any,
        files: bool = False,
    ) -> None:
        self.title, self.form, self.run, self.done, self.files = title, form, run, done, files


def _assign(request: HttpRequest, order: WorkOrder, data: dict[str, Any]) -> Any:
    return orders.work_order_assign(
        actor=request.user,
        order=order,
        assignee=data.get("assignee"),
        team=data.get("team"),
        reason=data.get("reason", ""),
    )


STEPS: dict[str, Step] = {
    "assign": Step(
        gettext_lazy("Dispatch"),
        AssignForm,
        _assign,
        gettext_lazy("Dispatched to %(who)s."),
    ),
    "accept": Step(
        gettext_lazy("Accept the order"),
        None,
        lambda r, o, d: orders.work_order_accept(actor=r.user, order=o),
        gettext_lazy("Accepted. The requester was told."),
    ),
    "start": Step(
        gettext_lazy("Start the repair"),
        StartForm,
        lambda r, o, d: orders.work_order_start(actor=r.user, order=o, photos=d.get("photos", [])),
        gettext_lazy("Repair started."),
        files=True,
    ),
    "hold": Step(
        gettext_lazy("Put on hold"),
        HoldForm,
        lambda r, o, d: orders.work_order_hold(
            actor=r.user, order=o, reason=d["reason"], note=d.get("note", "")
        ),
        gettext_lazy("On hold: the repair clock is paused."),
    ),
    "return": Step(
        gettext_lazy("Return to the dispatcher"),
        ReasonForm,
        lambda r, o, d: orders.work_order_return(actor=r.user, order=o, reason=d["reason"]),
        gettext_lazy("Returned to the dispatcher."),
    ),
    "verify": Step(
        gettext_lazy("Verify the repair"),
        VerifyForm,
        lambda r, o, d: closing.work_order_verify(
            actor=r.user, order=o, accepted=d["accepted"], comment=d.get("comment", "")
        ),
        gettext_lazy("Thank you: your verification was recorded."),
    ),
    "rate": Step(
        gettext_lazy("Rate the repair"),
        RateForm,
        lambda r, o, d: closing.work_order_rate(
            actor=r.user, order=o, rating=d["rating"], comment=d.get("comment", "")
        ),
        gettext_lazy("Thank you for rating the repair."),
    ),
    "cancel": Step(
        gettext_lazy("Cancel the order"),
        ReasonForm,
        lambda r, o, d: closing.work_order_cancel(actor=r.user, order=o, reason=d["reason"]),
        gettext_lazy("The order was cancelled."),
    ),
}


class WorkOrderActionView(OrderScopeMixin, View):
    """GET: the step's form on its own page (phones); POST: one service call. A refusal is
    shown as an error and leaves the order as it was."""

    template_name = "maintenance/workorder_action.html"

    def step(self, action: str) -> Step:
        if action == "finish":
            raise Http404  # served by WorkOrderFinishView at the same address
        found = STEPS.get(action)
        if found is None:
            raise Http404
        return found

    def make_form(self, step: Step, order: WorkOrder, bound: bool) -> Styled | None:
        if step.form is None:
            return None
        kwargs: dict[str, Any] = {}
        if step.form is AssignForm:
            kwargs["school_id"] = order.school_id
            if not bound:
                kwargs["initial"] = {"assignee": order.assignee_id, "team": order.team_id}
        if bound:
            files = self.request.FILES if step.files else None
            return step.form(self.request.POST, files, **kwargs)
        return step.form(**kwargs)

    def render(
        self, order: WorkOrder, action: str, step: Step, form: Styled | None, error: str = ""
    ) -> HttpResponse:
        context = {
            "order": order,
            "object": order,
            "action": action,
            "step": step,
            "form": form,
            "error": error,
            "title": f"{step.title} · {order.number}",
            "next": safe_next(self.request, ""),
            "breadcrumbs": [
                (WORK_ORDERS, reverse("maintenance:workorder_list")),
                (order.number, order.get_absolute_url()),
                (step.title, None),
            ],
        }
        status = 422 if error or (form is not None and form.is_bound and form.errors) else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        order = order_or_404(self, pk)
        step = self.step(action)
        return self.render(order, action, step, self.make_form(step, order, bound=False))

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        order = order_or_404(self, pk)
        step = self.step(action)
        form = self.make_form(step, order, bound=True)
        if form is not None and not form.is_valid():
            return self.render(order, action, step, form)
        data = form.cleaned_data if form is not None else {}
        try:
            moved = step.run(request, order, data)
        except WorkOrderError as exc:
            if form is None:
                messages.error(request, str(exc))
                return HttpResponseRedirect(safe_next(request, order.get_absolute_url()))
            return self.render(order, action, step, form, error=str(exc))
        who = moved.assignee or moved.team or "—" if action == "assign" else ""
        messages.success(request, str(step.done) % {"who": who} if who else str(step.done))
        return HttpResponseRedirect(safe_next(request, order.get_absolute_url()))


class WorkOrderFinishView(OrderScopeMixin, View):
    """Phone-first: work notes, labour, parts rows, contractor, after photos, checklist."""

    template_name = "maintenance/workorder_finish.html"

    def render(self, order: WorkOrder, form: FinishForm, error: str = "") -> HttpResponse:
        rows = form.part_rows if form.is_bound else []
        checklist = form.checklist if form.is_bound and form.checklist else order.checklist
        context = {
            "order": order,
            "object": order,
            "form": form,
            "error": error,
            "part_rows": rows or [{"name": "", "quantity": "1", "unit": "", "unit_price": ""}],
            "store_items": list(store_items(order.school_id)),
            "checklist": list(enumerate(checklist or [])),
            "presets": LABOUR_PRESETS,
            "title": _("Finish %(number)s") % {"number": order.number},
            "next": safe_next(self.request, ""),
            "breadcrumbs": [
                (WORK_ORDERS, reverse("maintenance:workorder_list")),
                (order.number, order.get_absolute_url()),
                (_("Finish"), None),
            ],
        }
        status = 422 if error or (form.is_bound and form.errors) else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = order_or_404(self, pk)
        initial = {
            "work_notes": order.work_notes,
            "labour_minutes": order.labour_minutes,
            "contractor": order.contractor,
            "contractor_cost": order.contractor_cost,
        }
        return self.render(order, FinishForm(initial=initial, checklist=order.checklist))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = order_or_404(self, pk)
        form = FinishForm(request.POST, request.FILES, checklist=order.checklist)
        if not form.is_valid():
            return self.render(order, form)
        data = form.cleaned_data
        try:
            orders.work_order_finish(
                actor=request.user,
                order=order,
                work_notes=data["work_notes"],
                labour_minutes=data["labour_minutes"],
                parts=form.parts,
                contractor=data["contractor"],
                contractor_cost=data["contractor_cost"],
                photos=data["photos"],
                checklist=form.checklist,
            )
        except WorkOrderError as exc:
            return self.render(order, form, error=str(exc))
        messages.success(request, _("Finished: %(number)s") % {"number": order.number})
        return HttpResponseRedirect(safe_next(request, order.get_absolute_url()))
