"""URLs and menu items of maintenance: the dashboard (the module's home) and its exports."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import reports as views

urlpatterns: list[URLPattern] = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("reports/export/", views.ReportExportView.as_view(), name="report_export"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Maintenance statistics"),
        "maintenance:dashboard",
        "maintenance.view_maintenance_reports",
        "bar-chart-line",
    ),
)
