"""Stocktakes (盘点): the list, starting, counting room by room, reconciliation, reports."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import stocktakes as views
from ..views import stocktakes_count as count

urlpatterns: list[URLPattern] = [
    path("stocktakes/", views.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/add/", views.StocktakeStartView.as_view(), name="stocktake_add"),
    path("stocktakes/<int:pk>/", views.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path(
        "stocktakes/<int:pk>/reconcile/",
        views.StocktakeReconcileView.as_view(),
        name="stocktake_reconcile",
    ),
    path(
        "stocktakes/<int:pk>/report.xlsx",
        views.StocktakeReportView.as_view(fmt="xlsx"),
        name="stocktake_report_xlsx",
    ),
    path(
        "stocktakes/<int:pk>/report.pdf",
        views.StocktakeReportView.as_view(fmt="pdf"),
        name="stocktake_report_pdf",
    ),
    path("stocktakes/<int:pk>/count/", count.StocktakeCountView.as_view(), name="stocktake_count"),
    path("stocktakes/<int:pk>/scan/", count.StocktakeScanView.as_view(), name="stocktake_scan"),
    path(
        "stocktakes/<int:pk>/count-rest/",
        count.StocktakeCountRestView.as_view(),
        name="stocktake_count_rest",
    ),
    path(
        "stocktakes/<int:pk>/surplus/",
        count.StocktakeSurplusView.as_view(),
        name="stocktake_surplus",
    ),
    path(
        "stocktakes/lines/<int:pk>/count/",
        count.StocktakeLineCountView.as_view(),
        name="stocktake_line_count",
    ),
    path(
        "stocktakes/lines/<int:pk>/repaired/",
        count.StocktakeRepairedView.as_view(),
        name="stocktake_line_repaired",
    ),
    path(
        "stocktakes/<int:pk>/<str:action>/",
        views.StocktakeActionView.as_view(),
        name="stocktake_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Stocktakes"), "assets:stocktake_list", "assets.view_stocktake", "clipboard2-check"),
)
