"""Preventive plan pages: list (next due, compliance over 12 months), add, edit, detail (the
generated occurrences and their state) and the POST actions generate / pause / resume."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.scoping import has_perm_in_school
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)

from ..filters_plans import PlanFilter
from ..forms_plans import PlanForm
from ..models import MaintenancePlan
from ..services import plans as services
from ..services.orders import WorkOrderError
from ..services.people import holders
from ..tables_plans import PlanTable

VIEW = "maintenance.view_maintenanceplan"
CHANGE = "maintenance.change_maintenanceplan"
RELATED = ("category", "assignee", "team", "asset_category", "school")


def crumbs(*tail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
    return [(MaintenancePlan._meta.verbose_name_plural, reverse("maintenance:plan_list")), *tail]


class PlanMixin(ScopedViewMixin):
    model = MaintenancePlan

    def base_queryset(self) -> QuerySet[Any]:
        return MaintenancePlan.objects.select_related(*RELATED)


class PlanListView(PlanMixin, ObjectListView):
    table_class = PlanTable
    filterset_class = PlanFilter
    search_fields = ("name", "description")
    default_sort = "name"
    title = ""

    def get_queryset(self) -> QuerySet[Any]:
        return services.with_compliance(super().get_queryset())

    def add_url(self) -> str | None:
        return reverse("maintenance:plan_add") if self.allowed_add() else None


def _scope_label(plan: MaintenancePlan, targets: int) -> str:
    if plan.asset_category_id:
        return _("%(count)s assets of %(category)s") % {
            "count": targets,
            "category": plan.asset_category,
        }
    if targets and plan.rooms.exists():
        return _("%(count)s rooms") % {"count": targets}
    return _("The whole school (one order)")


def _recurrence_label(plan: MaintenancePlan) -> str:
    label = plan.get_recurrence_display()
    if plan.recurrence == "dates":
        return f"{label}: {'、'.join(str(d) for d in plan.dates)}"
    if plan.interval > 1:
        return _("%(recurrence)s, every %(n)s") % {"recurrence": label, "n": plan.interval}
    return str(label)


class PlanDetailView(PlanMixin, ObjectDetailView):
    template_name = "maintenance/plan_detail.html"
    show_attachments = False
    detail_fields = (
        "category",
        (_("recurrence"), _recurrence_label),
        "start_date",
        "end_date",
        "lead_days",
        "next_due",
        "last_generated",
        "urgency",
        "assignee",
        "team",
        "description",
        "is_active",
        "school",
    )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        if not has_perm_in_school(self.request.user, CHANGE, obj.school_id):
            return []
        url = reverse("maintenance:plan_edit", args=[obj.pk])
        return [{"label": _("Edit"), "url": url, "style": "primary"}]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        plan: MaintenancePlan = context["object"]
        context["breadcrumbs"] = crumbs((str(plan), None))
        if context["tab"] != "history":
            context.update(plan_context(request, plan))
        return response


def plan_context(request: HttpRequest, plan: MaintenancePlan) -> dict[str, Any]:
    today = timezone.localdate()
    targets = services.plan_targets(plan)
    page = Paginator(services.occurrences(plan, today), 25).get_page(request.GET.get("page"))
    upcoming = services.plan_due_dates(plan, today, today + datetime.timedelta(days=400))[:5]
    return {
        "figures": services.plan_figures(plan, today),
        "occurrences": page,
        "states": services.STATES,
        "scope_label": _scope_label(plan, len(targets)),
        "checklist": plan.checklist,
        "upcoming": upcoming,
        "can_change": has_perm_in_school(request.user, CHANGE, plan.school_id),
    }


class PlanEditView(PlanMixin, ObjectEditView):
    form_class = PlanForm
    unscoped_choice_fields = ("category", "asset_category")

    def get_form(self, obj: Any, data: Any = None) -> ModelForm[Any]:
        form = super().get_form(obj, data)
        condition = Q(pk__in=[])
        for school_id in self.allowed_school_ids():
            condition |= Q(pk__in=holders(school_id, services.WORK).values("pk"))
        users = get_user_model().objects.filter(condition).order_by("real_name", "pk")
        form.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        return form

    def save(self, form: ModelForm[Any]) -> Any:
        plan = form.save()
        services.plan_refresh(plan=plan)
        return plan

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        tail: list[tuple[Any, str | None]] = []
        if obj is not None:
            tail.append((str(obj), obj.get_absolute_url()))
        tail.append((_("Add") if obj is None else _("Edit"), None))
        context["breadcrumbs"] = crumbs(*tail)
        context["cancel_url"] = obj.get_absolute_url() if obj else reverse("maintenance:plan_list")
        return response


class PlanActionView(PlanMixin, ObjectActionView):
    """POST generate (create the due orders now), pause, resume."""

    permission_required = CHANGE
    refusals = (services.PlanError, WorkOrderError)

    def do_generate(self, request: HttpRequest, plan: MaintenancePlan) -> str:
        count = services.plan_generate_now(actor=request.user, plan=plan)
        if count:
            return _("%(count)s work orders were created.") % {"count": count}
        return _("No orders were due: nothing was created.")

    def do_pause(self, request: HttpRequest, plan: MaintenancePlan) -> str:
        services.plan_pause(actor=request.user, plan=plan)
        return _("The plan is paused.")

    def do_resume(self, request: HttpRequest, plan: MaintenancePlan) -> str:
        services.plan_resume(actor=request.user, plan=plan)
        return _("The plan is active again.")
