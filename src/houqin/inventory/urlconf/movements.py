"""URLs and menu items of the store: the stock ledger and manual movements."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import movements as views

urlpatterns: list[URLPattern] = [
    path("movements/", views.StockMovementListView.as_view(), name="movement_list"),
    path("movements/add/", views.MovementAddView.as_view(), name="movement_add"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Stock movements"),
        "inventory:movement_list",
        "inventory.view_stockmovement",
        "arrow-left-right",
    ),
)
