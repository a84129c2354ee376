"""URLs and menu items of purchasing: acceptance of deliveries (验收)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import acceptance as views

urlpatterns: list[URLPattern] = [
    path("acceptances/", views.AcceptanceListView.as_view(), name="acceptance_list"),
    path(
        "acceptances/from-order/<int:pk>/",
        views.AcceptanceFormView.as_view(),
        name="acceptance_add",
    ),
    path("acceptances/<int:pk>/", views.AcceptanceDetailView.as_view(), name="acceptance_detail"),
    path("acceptances/<int:pk>/edit/", views.AcceptanceEditView.as_view(), name="acceptance_edit"),
    path(
        "acceptances/<int:pk>/<str:action>/",
        views.AcceptanceActionView.as_view(),
        name="acceptance_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Acceptances"),
        "procurement:acceptance_list",
        "procurement.view_acceptance",
        "clipboard-check",
    ),
)
