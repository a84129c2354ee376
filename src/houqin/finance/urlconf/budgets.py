"""URLs and menu items of budgets (预算): lines, adjustments, the execution report, the
money policy."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from .. import views_budget_adjustments as adjustments
from .. import views_budget_report as report
from .. import views_budgets as views

urlpatterns: list[URLPattern] = [
    path("budgets/", views.BudgetListView.as_view(), name="budget_list"),
    path("budgets/add/", views.BudgetEditView.as_view(), name="budget_add"),
    path("budgets/import/", views.BudgetImportView.as_view(), name="budget_import"),
    path(
        "budgets/import/template/",
        views.BudgetImportTemplateView.as_view(),
        name="budgetline_import_template",
    ),
    path("budgets/report/", report.BudgetReportView.as_view(), name="budget_report"),
    path("budgets/settings/", views.FinanceSettingsView.as_view(), name="finance_settings"),
    path("budgets/<int:pk>/", views.BudgetDetailView.as_view(), name="budget_detail"),
    path("budgets/<int:pk>/edit/", views.BudgetEditView.as_view(), name="budget_edit"),
    path("budget-adjustments/", adjustments.AdjustmentListView.as_view(), name="adjustment_list"),
    path(
        "budget-adjustments/add/",
        adjustments.AdjustmentEditView.as_view(),
        name="adjustment_add",
    ),
    path(
        "budget-adjustments/<int:pk>/",
        adjustments.AdjustmentDetailView.as_view(),
        name="adjustment_detail",
    ),
    path(
        "budget-adjustments/<int:pk>/edit/",
        adjustments.AdjustmentEditView.as_view(),
        name="adjustment_edit",
    ),
    path(
        "budget-adjustments/<int:pk>/<str:action>/",
        adjustments.AdjustmentActionView.as_view(),
        name="adjustment_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Budgets"), "finance:budget_list", "finance.view_budgetline", "piggy-bank"),
    MenuItem(
        _("Budget adjustments"),
        "finance:adjustment_list",
        "finance.view_budgetadjustment",
        "arrow-left-right",
    ),
    MenuItem(
        _("Budget execution"),
        "finance:budget_report",
        "finance.view_budget_reports",
        "bar-chart-line",
    ),
    MenuItem(
        _("Finance settings"),
        "finance:finance_settings",
        "finance.view_financesettings",
        "sliders",
    ),
)
