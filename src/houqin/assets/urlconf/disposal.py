"""Disposal (报废) pages and the yearly disposal report."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem
from houqin.core.urls_helpers import crud_paths

from ..reports_disposal import DisposalReportView
from ..views import disposal as views  # also registers the asset page and list buttons

urlpatterns: list[URLPattern] = [
    *crud_paths(
        "disposals",
        "disposal",
        views.DisposalListView,
        views.DisposalDetailView,
        views.DisposalEditView,
        None,
    ),
    path(
        "disposals/<int:pk>/<str:action>/",
        views.DisposalActionView.as_view(),
        name="disposal_action",
    ),
    path("disposal-report/", DisposalReportView.as_view(), name="disposal_report"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Asset disposals"), "assets:disposal_list", "assets.view_assetdisposal", "trash3"),
    MenuItem(
        _("Disposal report"), "assets:disposal_report", "assets.view_asset_reports", "bar-chart"
    ),
)
