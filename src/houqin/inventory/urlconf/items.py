"""URLs and menu items of the store: items, their import and the reorder list."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import items as views

urlpatterns: list[URLPattern] = [
    path("items/", views.StockItemListView.as_view(), name="item_list"),
    path("items/add/", views.StockItemEditView.as_view(), name="item_add"),
    path("items/import/", views.StockItemImportView.as_view(), name="item_import"),
    path(
        "items/import/template/",
        views.StockItemImportTemplateView.as_view(),
        name="item_import_template",
    ),
    path("items/<int:pk>/", views.StockItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.StockItemEditView.as_view(), name="item_edit"),
    path("reorder/", views.ReorderListView.as_view(), name="reorder_list"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Store items"), "inventory:item_list", "inventory.view_stockitem", "box-seam"),
    MenuItem(_("Reorder"), "inventory:reorder_list", "inventory.move_stock", "cart-plus"),
)
