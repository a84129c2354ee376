"""URLs and menu items of purchasing: purchase requests (采购申请), the reorder suggestion,
purchase intentions (采购意向) and accepted assets waiting for their card (待建卡)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem, register_badge

from ..views import intake
from ..views import requests as views

urlpatterns: list[URLPattern] = [
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/mine/", views.RequestMineView.as_view(), name="request_mine"),
    path("requests/add/", views.RequestEditView.as_view(), name="request_add"),
    path(
        "requests/from-reorder/",
        views.RequestFromReorderView.as_view(),
        name="request_from_reorder",
    ),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/edit/", views.RequestEditView.as_view(), name="request_edit"),
    path(
        "requests/<int:pk>/<str:action>/",
        views.RequestActionView.as_view(),
        name="request_action",
    ),
    path("intentions/", views.IntentionListView.as_view(), name="intention_list"),
    path("intake/", intake.IntakeListView.as_view(), name="intake_list"),
    path("intake/<int:pk>/", intake.IntakeDetailView.as_view(), name="intake_detail"),
    path("intake/<int:pk>/place/", intake.IntakePlaceView.as_view(), name="intake_place"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Request a purchase"), "procurement:request_add", views.ADD, "cart-plus"),
    MenuItem(_("My purchase requests"), "procurement:request_mine", views.ADD, "person-lines-fill"),
    MenuItem(_("Purchase requests"), "procurement:request_list", views.VIEW_ALL, "journal-text"),
    MenuItem(_("Purchase intentions"), "procurement:intention_list", views.VIEW_ALL, "megaphone"),
    MenuItem(
        _("Assets to register"),
        "procurement:intake_list",
        "procurement.view_assetintake",
        "box-seam",
    ),
)
register_badge("procurement:intake_list", intake.waiting_count)
