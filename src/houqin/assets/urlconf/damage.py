"""Damage reports, compensation and the compensation price list."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem
from houqin.core.urls_helpers import crud_paths

from ..views import damage as views

urlpatterns: list[URLPattern] = [
    path("damage/", views.DamageListView.as_view(), name="damage_list"),
    path("damage/add/", views.DamageReportView.as_view(), name="damage_add"),
    path("damage/statistics/", views.DamageStatsView.as_view(), name="damage_stats"),
    path("damage/<int:pk>/", views.DamageDetailView.as_view(), name="damage_detail"),
    path("damage/<int:pk>/notice/", views.DamageNoticeView.as_view(), name="damage_notice"),
    path("damage/<int:pk>/<str:action>/", views.DamageActionView.as_view(), name="damage_action"),
    *crud_paths(
        "compensation-prices",
        "priceitem",
        views.PriceItemListView,
        views.PriceItemDetailView,
        views.PriceItemEditView,
        views.PriceItemDeleteView,
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Damage and compensation"),
        "assets:damage_list",
        "assets.view_damagereport",
        "hammer",
    ),
    MenuItem(
        _("Compensation prices"),
        "assets:priceitem_list",
        "assets.view_compensationpriceitem",
        "tags",
    ),
    MenuItem(
        _("Damage statistics"),
        "assets:damage_stats",
        "assets.view_asset_reports",
        "bar-chart",
    ),
)
