"""Budget adjustment pages (预算调整): list, detail with the approval panel, create/edit by
the requester, submit (or resubmit) and withdraw."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.tables import display
from houqin.core.views import ObjectActionView, ObjectDetailView, ObjectEditView, ObjectListView
from houqin.core.workflow import TransitionError

from .filters_budgets import AdjustmentFilter
from .forms_budgets import AdjustmentForm
from .models import BudgetAdjustment
from .services import adjustments as services
from .tables_budgets import AdjustmentTable


def _crumbs(response: HttpResponse, *rest: tuple[Any, str | None]) -> HttpResponse:
    crumbs = [(_("Budget adjustments"), reverse("finance:adjustment_list")), *rest]
    response.context_data["breadcrumbs"] = crumbs  # type: ignore[attr-defined]
    return response


class AdjustmentListView(ObjectListView):
    model = BudgetAdjustment
    table_class = AdjustmentTable
    filterset_class = AdjustmentFilter
    search_fields = ("number", "reason", "line__department__name")
    default_sort = "-number"

    def base_queryset(self) -> QuerySet[Any]:
        return BudgetAdjustment.objects.select_related(
            "line__school_year", "line__department", "requester"
        )

    def add_url(self) -> str | None:
        return reverse("finance:adjustment_add") if self.allowed_add() else None

    def import_url(self) -> str | None:
        return None


class AdjustmentDetailView(RequestSubjectMixin, ObjectDetailView):
    model = BudgetAdjustment
    edit_url_name = "finance:adjustment_edit"
    template_name = "finance/adjustment_detail.html"
    detail_fields: tuple[Any, ...] = (
        "number",
        (gettext_lazy("budget line"), lambda a: a.line),
        "delta",
        "reason",
        "requester",
        "status",
        "decided_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return BudgetAdjustment.objects.select_related(
            "line__school_year", "line__department", "requester", "school"
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        adjustment = response.context_data["object"]  # type: ignore[attr-defined]
        extra = self.approval_context(adjustment)
        line = adjustment.line
        extra["line"] = line
        extra["line_url"] = line.get_absolute_url()
        extra["money"] = [
            (_("Budget now"), display(line.amount)),
            (_("Committed and spent"), display(line.committed + line.spent)),
            (
                _("Budget after this change")
                if adjustment.status != "approved"
                else _("Change applied"),
                display(line.amount + adjustment.delta)
                if adjustment.status != "approved"
                else display(adjustment.delta),
            ),
        ]
        extra["too_low"] = (
            adjustment.status != "approved"
            and line.amount + adjustment.delta < line.committed + line.spent
        )
        response.context_data.update(extra)  # type: ignore[attr-defined]
        return _crumbs(response, (str(adjustment.number), None))


class AdjustmentEditView(ObjectEditView):
    model = BudgetAdjustment
    form_class = AdjustmentForm

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and (obj.requester_id != self.request.user.pk or not obj.is_editable):
            raise PermissionDenied
        return obj

    def save(self, form: Any) -> Any:
        return services.adjustment_save(actor=self.request.user, adjustment=form.instance)

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        if obj is None:
            context["title"] = _("New budget adjustment")
            context["cancel_url"] = reverse("finance:adjustment_list")
            return _crumbs(response, (_("Add"), None))
        return _crumbs(response, (obj.number, obj.get_absolute_url()), (_("Edit"), None))


class AdjustmentActionView(ObjectActionView):
    """POST submit (or resubmit) and withdraw, by the requester."""

    model = BudgetAdjustment
    permission_required = "finance.view_budgetadjustment"
    refusals = (ApprovalError, TransitionError)

    def do_submit(self, request: HttpRequest, adjustment: BudgetAdjustment) -> str:
        services.adjustment_submit(actor=request.user, adjustment=adjustment)
        return _("Submitted for approval.")

    def do_withdraw(self, request: HttpRequest, adjustment: BudgetAdjustment) -> str:
        services.adjustment_withdraw(
            actor=request.user, adjustment=adjustment, reason=request.POST.get("reason", "")
        )
        return _("The adjustment was withdrawn.")
