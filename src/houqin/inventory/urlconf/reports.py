"""URLs and menu items of the store's reports: consumption by department and person."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import reports

urlpatterns: list[URLPattern] = [
    path("consumption/", reports.ConsumptionReportView.as_view(), name="consumption_report"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Consumption report"),
        "inventory:consumption_report",
        "inventory.view_inventory_reports",
        "bar-chart-line",
    ),
)
