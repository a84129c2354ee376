"""URLs and menu items of maintenance: work orders."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import order_actions, orders

urlpatterns: list[URLPattern] = [
    path("orders/", orders.WorkOrderListView.as_view(), name="workorder_list"),
    path("orders/export/", orders.WorkOrderExportView.as_view(), name="workorder_export"),
    path("orders/new/", orders.WorkOrderAddView.as_view(), name="workorder_add"),
    path("orders/<int:pk>/", orders.WorkOrderDetailView.as_view(), name="workorder_detail"),
    path(
        "orders/<int:pk>/finish/",
        order_actions.WorkOrderFinishView.as_view(),
        name="workorder_finish",
    ),
    path(
        "orders/<int:pk>/<str:action>/",
        order_actions.WorkOrderActionView.as_view(),
        name="workorder_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Work orders"), "maintenance:workorder_list", "maintenance.view_workorder", "tools"),
    MenuItem(
        _("New work order"),
        "maintenance:workorder_add",
        "maintenance.add_workorder",
        "plus-circle",
    ),
)
