"""The register (资产台账), the categories and the school's asset policy."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem
from houqin.core.urls_helpers import crud_paths
from houqin.core.views.imports import import_paths

from ..imports import AssetImport
from ..views import categories, register

urlpatterns: list[URLPattern] = [
    *import_paths("register", "asset", AssetImport),
    *crud_paths(
        "register",
        "asset",
        register.AssetListView,
        register.AssetDetailView,
        register.AssetEditView,
        None,
    ),
    path(
        "register/<int:pk>/status/",
        register.AssetStatusView.as_view(),
        name="asset_status",
    ),
    *crud_paths(
        "categories",
        "category",
        categories.CategoryListView,
        categories.CategoryDetailView,
        categories.CategoryEditView,
        None,
    ),
    path("settings/", register.AssetSettingsView.as_view(), name="settings"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Asset register"), "assets:asset_list", "assets.view_asset", "pc-display"),
    MenuItem(
        _("Asset categories"), "assets:category_list", "assets.view_assetcategory", "diagram-3"
    ),
    MenuItem(_("Asset policy"), "assets:settings", "assets.change_assetsettings", "sliders"),
)
