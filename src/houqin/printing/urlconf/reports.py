"""URLs and menu items of printing: the paper report and the settings."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import reports, settings

urlpatterns: list[URLPattern] = [
    path("paper/", reports.PaperReportView.as_view(), name="paper_report"),
    path("paper/export/", reports.PaperExportView.as_view(), name="paper_export"),
    path("settings/", settings.PrintSettingsView.as_view(), name="printing_settings"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Paper use"), "printing:paper_report", "printing.view_printing_reports", "bar-chart-line"
    ),
    MenuItem(
        _("Printing settings"), "printing:printing_settings", "printing.view_printsettings", "gear"
    ),
)
