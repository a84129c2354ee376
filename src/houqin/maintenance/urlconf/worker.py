"""URLs and menu items of maintenance: the worker's phone view (我的工单)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem, register_badge

from ..views import worker as views

urlpatterns: list[URLPattern] = [
    path("my/", views.MyOrdersView.as_view(), name="my_orders"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("My work orders"), "maintenance:my_orders", views.WORK, "phone"),
)
register_badge("maintenance:my_orders", views.todo_count)
