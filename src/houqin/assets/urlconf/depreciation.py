from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import depreciation as views

urlpatterns: list[URLPattern] = [
    path("depreciation/", views.DepreciationRunListView.as_view(), name="depreciation_list"),
    path(
        "depreciation/<int:pk>/",
        views.DepreciationRunDetailView.as_view(),
        name="depreciationrun_detail",
    ),
    path("depreciation/post/", views.DepreciationPostView.as_view(), name="depreciation_post"),
    path(
        "depreciation/report/", views.DepreciationReportView.as_view(), name="depreciation_report"
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Depreciation"), "assets:depreciation_list", "assets.view_depreciationrun", "graph-down"
    ),
)
