"""Expense claim pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.scoping import has_perm_in_school
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from houqin.core.workflow import TransitionError

from . import services
from .filters import ExpenseFilter
from .forms import ExpenseForm
from .models import Expense, ExpenseStatus
from .tables import ExpenseTable


class ExpenseListView(ObjectListView):
    model = Expense
    table_class = ExpenseTable
    filterset_class = ExpenseFilter
    search_fields = ("number", "title")
    default_sort = "-number"

    def base_queryset(self) -> QuerySet[Any]:
        return Expense.objects.select_related("department", "requester")


class ExpenseDetailView(RequestSubjectMixin, ObjectDetailView):
    model = Expense
    edit_url_name = "finance:expense_edit"
    template_name = "finance/expense_detail.html"
    detail_fields = (
        "number",
        "title",
        "department",
        "requester",
        "category",
        "amount",
        "description",
        "needed_by",
        "status",
        "paid_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Expense.objects.select_related("department", "requester", "school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        expense = response.context_data["object"]  # type: ignore[attr-defined]
        extra = self.approval_context(expense)
        extra["can_pay"] = expense.status == ExpenseStatus.APPROVED and has_perm_in_school(
            request.user, "finance.pay_expense", expense.school_id
        )
        response.context_data.update(extra)  # type: ignore[attr-defined]
        return response


class ExpenseEditView(ObjectEditView):
    model = Expense
    form_class = ExpenseForm

    def get_initial(self) -> dict[str, Any]:
        from houqin.accounts.models import Membership

        initial = super().get_initial()
        membership = (
            Membership.objects.filter(
                user=self.request.user,
                is_active=True,
                department__isnull=False,
                school_id__in=self.allowed_school_ids(),
            )
            .order_by("pk")
            .first()
        )
        if membership is not None:
            initial.setdefault("department", membership.department_id)
        return initial

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and (obj.requester_id != self.request.user.pk or not obj.is_editable):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return obj

    def save(self, form: Any) -> Any:
        return services.expense_save(actor=self.request.user, expense=form.instance)


class ExpenseActionView(ObjectActionView):
    """POST submit (or resubmit) by the requester, pay by the accountant."""

    model = Expense
    permission_required = "finance.view_expense"
    refusals = (ApprovalError, TransitionError)

    def do_submit(self, request: HttpRequest, expense: Expense) -> str:
        services.expense_submit(actor=request.user, expense=expense)
        return _("Submitted for approval.")

    def do_pay(self, request: HttpRequest, expense: Expense) -> str:
        services.expense_pay(actor=request.user, expense=expense)
        return _("Payment recorded.")
