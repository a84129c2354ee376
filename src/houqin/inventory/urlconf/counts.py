"""URLs and menu items of the store: stock counts (库存盘点)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import counts as views

urlpatterns: list[URLPattern] = [
    path("counts/", views.StockCountListView.as_view(), name="count_list"),
    path("counts/add/", views.StockCountStartView.as_view(), name="count_add"),
    path("counts/<int:pk>/", views.StockCountDetailView.as_view(), name="count_detail"),
    path("counts/<int:pk>/enter/", views.StockCountEnterView.as_view(), name="count_enter"),
    path(
        "counts/<int:pk>/<str:action>/",
        views.StockCountActionView.as_view(),
        name="count_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Stock counts"), "inventory:count_list", "inventory.view_stockcount", "clipboard-check"
    ),
)
