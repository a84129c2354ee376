"""Budget line pages (预算): list with totals, detail with its ledger, create/edit, import;
and the school's money policy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, DecimalField, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.imports import ImportSpec
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.sources import url_for
from houqin.core.tables import display
from houqin.core.views import ObjectDetailView, ObjectEditView, ObjectListView, ScopedViewMixin
from houqin.core.views.imports import ImportTemplateView, ObjectImportView
from houqin.org.models import School

from .filters_budgets import CURRENT, BudgetLineFilter
from .forms_budgets import BudgetLineForm, FinanceSettingsForm
from .imports_budgets import BudgetLineImport
from .models import BudgetAdjustment, BudgetEntry, BudgetLine, FinanceSettings
from .services.budget_lines import budget_line_save, finance_settings_save
from .services.budgets import BudgetError, settings_for
from .tables_budgets import BudgetLineTable, LineAdjustmentTable

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)
ENTRIES_PER_PAGE = 25


def with_money(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``available_sql`` and ``used_sql`` (per cent of the budget committed or spent), in SQL."""
    used = F("committed") + F("spent")
    annotated: QuerySet[Any] = queryset.annotate(
        available_sql=F("amount") - used,
        used_sql=Case(
            When(amount=0, then=Case(When(committed=0, spent=0, then=0), default=100)),
            default=used * 100 / F("amount"),
            output_field=DecimalField(max_digits=16, decimal_places=0),
        ),
    )
    return annotated


def totals(queryset: QuerySet[Any]) -> dict[str, Decimal]:
    """Sums of the (filtered) lines in one query."""
    sums = queryset.order_by().aggregate(
        amount=Coalesce(Sum("amount"), ZERO),
        committed=Coalesce(Sum("committed"), ZERO),
        spent=Coalesce(Sum("spent"), ZERO),
    )
    sums["available"] = sums["amount"] - sums["committed"] - sums["spent"]
    used = sums["committed"] + sums["spent"]
    sums["used"] = int(used * 100 / sums["amount"]) if sums["amount"] else (100 if used else 0)
    return sums


def fix_crumbs(response: HttpResponse, *rest: tuple[Any, str | None]) -> HttpResponse:
    """The budget pages are named ``budget_*`` (not ``budgetline_*``): crumbs say so."""
    crumbs = [(_("Budgets"), reverse("finance:budget_list")), *rest]
    response.context_data["breadcrumbs"] = crumbs  # type: ignore[attr-defined]
    return response


class BudgetListView(ObjectListView):
    model = BudgetLine
    table_class = BudgetLineTable
    filterset_class = BudgetLineFilter
    search_fields = ("department__name", "notes")
    default_sort = "department"
    template_name = "finance/budget_list.html"
    partial_template_name = "finance/budget_table.html"

    def get_title(self) -> str:
        return _("Budgets")

    def base_queryset(self) -> QuerySet[Any]:
        return with_money(BudgetLine.objects.select_related("school_year", "department", "school"))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if "year" not in request.GET:  # the current school year unless another is chosen
            query = request.GET.copy()
            query["year"] = CURRENT
            request.GET = query  # type: ignore[assignment]
        return super().get(request, *args, **kwargs)

    def add_url(self) -> str | None:
        return reverse("finance:budget_add") if self.allowed_add() else None

    def import_url(self) -> str | None:
        return reverse("finance:budget_import") if self.allowed_add() else None

    def extra_context(self) -> dict[str, Any]:
        queryset, _filterset = self.filtered()
        user = self.request.user
        return {
            "totals": totals(queryset),
            "many_schools": len(school_ids(user, "finance.view_budgetline")) > 1
            and active_school_id(self.request) is None,
            "report_url": reverse("finance:budget_report")
            if school_ids(user, "finance.view_budget_reports")
            else "",
            "adjustments_url": reverse("finance:adjustment_list")
            if school_ids(user, "finance.view_budgetadjustment")
            else "",
        }


class BudgetDetailView(ObjectDetailView):
    model = BudgetLine
    template_name = "finance/budget_detail.html"
    detail_fields = ("school_year", "department", "category", "notes")

    def base_queryset(self) -> QuerySet[Any]:
        return BudgetLine.objects.select_related("school_year", "department", "school")

    def actions(self, obj: BudgetLine) -> list[dict[str, Any]]:
        user, found = self.request.user, []
        if has_perm_in_school(user, "finance.change_budgetline", obj.school_id):
            found.append(
                {
                    "label": _("Edit"),
                    "url": reverse("finance:budget_edit", args=[obj.pk]),
                    "style": "outline-primary",
                }
            )
        if has_perm_in_school(user, "finance.add_budgetadjustment", obj.school_id):
            found.append(
                {
                    "label": _("Request an adjustment"),
                    "url": reverse("finance:adjustment_add") + f"?line={obj.pk}",
                    "style": "primary",
                }
            )
        return found

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        line: BudgetLine = response.context_data["object"]  # type: ignore[attr-defined]
        extra: dict[str, Any] = {"money": self.money(line), "entries_page": None}
        if has_perm_in_school(request.user, "finance.view_budgetentry", line.school_id):
            entries = BudgetEntry.objects.filter(line=line).select_related("actor")
            page = Paginator(entries.order_by("-at", "-id"), ENTRIES_PER_PAGE).get_page(
                request.GET.get("page")
            )
            for entry in page.object_list:
                entry.source_url = url_for(  # type: ignore[attr-defined]
                    entry.source_type, entry.source_id
                )
            extra["entries_page"] = page
        if has_perm_in_school(request.user, "finance.view_budgetadjustment", line.school_id):
            adjustments = BudgetAdjustment.objects.filter(line=line).select_related(
                "requester", "line__school_year", "line__department"
            )
            extra["adjustments"] = LineAdjustmentTable(adjustments.order_by("-created_at")[:20])
            extra["adjustment_count"] = adjustments.count()
        response.context_data.update(extra)  # type: ignore[attr-defined]
        return fix_crumbs(response, (str(line), None))

    @staticmethod
    def money(line: BudgetLine) -> list[tuple[str, str, str]]:
        return [
            ("initial", _("Budget as first approved"), display(line.initial_amount)),
            ("amount", _("Budget now"), display(line.amount)),
            ("committed", _("Committed"), display(line.committed)),
            ("spent", _("Spent"), display(line.spent)),
            ("available", _("Available"), display(line.available)),
        ]


class BudgetEditView(ObjectEditView):
    model = BudgetLine
    form_class = BudgetLineForm
    template_name = "finance/budget_edit.html"

    def save(self, form: Any) -> Any:
        return budget_line_save(actor=self.request.user, line=form.instance)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except BudgetError as exc:
            messages.error(request, str(exc))
            obj = self.get_object()
            return self.render(self.get_form(obj, request.POST), obj)

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        rest: list[tuple[Any, str | None]] = []
        if obj is not None:
            rest.append((str(obj), obj.get_absolute_url()))
        rest.append((_("Add") if obj is None else _("Edit"), None))
        response.context_data["cancel_url"] = (  # type: ignore[attr-defined]
            obj.get_absolute_url() if obj is not None else reverse("finance:budget_list")
        )
        if obj is None:
            response.context_data["title"] = _("New budget line")  # type: ignore[attr-defined]
        return fix_crumbs(response, *rest)


class BudgetImportView(ObjectImportView):
    spec_class: type[ImportSpec] = BudgetLineImport
    model = BudgetLine

    def list_url(self) -> str | None:
        return reverse("finance:budget_list")


class BudgetImportTemplateView(ImportTemplateView):
    spec_class: type[ImportSpec] = BudgetLineImport
    model = BudgetLine


class FinanceSettingsView(ScopedViewMixin, View):
    """The money policy of the active school: over-budget requests warned or refused, and
    whether purchase requests must name a budget line."""

    model = FinanceSettings
    permission_required = "finance.view_financesettings"

    def school_id(self) -> int:
        allowed = self.allowed_school_ids()
        active = active_school_id(self.request)
        if active in allowed:
            return int(active)  # type: ignore[arg-type]
        if not allowed:
            raise PermissionDenied
        return allowed[0]

    def can_change(self, school_id: int) -> bool:
        return has_perm_in_school(self.request.user, "finance.change_financesettings", school_id)

    def get(self, request: HttpRequest) -> HttpResponse:
        config = settings_for(self.school_id())
        return self.render(config, FinanceSettingsForm(instance=config))

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = self.school_id()
        if not self.can_change(school_id):
            raise PermissionDenied
        config = settings_for(school_id)
        form = FinanceSettingsForm(request.POST, instance=config)
        if not form.is_valid():
            return self.render(config, form, status=422)
        finance_settings_save(actor=request.user, settings=form.instance)
        messages.success(request, _("The finance settings were saved."))
        return HttpResponseRedirect(reverse("finance:finance_settings"))

    def render(self, config: FinanceSettings, form: Any, status: int = 200) -> HttpResponse:
        title = _("Finance settings")
        shown = [
            (
                config._meta.get_field("budget_policy").verbose_name,
                config.get_budget_policy_display(),
            ),
            (
                config._meta.get_field("require_budget_line").verbose_name,
                display(config.require_budget_line),
            ),
        ]
        context = {
            "title": title,
            "school": School.objects.get(pk=config.school_id),
            "form": form,
            "fields": shown,
            "can_change": self.can_change(config.school_id),
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(
            self.request, "finance/finance_settings.html", context, status=status
        )
