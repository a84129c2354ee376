"""URLs and menu items of maintenance: repair requests (报修), the no-login QR portal, the
tracking page and the room posters."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import portal
from ..views import requests as views

urlpatterns: list[URLPattern] = [
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestAddView.as_view(), name="request_add"),
    path("requests/mine/", views.RequestMineView.as_view(), name="request_mine"),
    path("requests/posters/", portal.RoomPostersView.as_view(), name="room_posters"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:pk>/<str:action>/",
        views.RequestActionView.as_view(),
        name="request_action",
    ),
    path("p/<str:code>/", portal.PortalRoomView.as_view(), name="portal_room"),
    path("p/a/<str:code>/", portal.PortalAssetView.as_view(), name="portal_asset"),
    path("t/<str:code>/", portal.TrackView.as_view(), name="track"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Report a repair"),
        "maintenance:request_add",
        "maintenance.add_repairrequest",
        "megaphone",
    ),
    MenuItem(
        _("My repair requests"),
        "maintenance:request_mine",
        "maintenance.add_repairrequest",
        "person-lines-fill",
    ),
    MenuItem(
        _("Repair requests"),
        "maintenance:request_list",
        "maintenance.view_repairrequest",
        "journal-text",
    ),
)
