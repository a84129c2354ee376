"""URLs and menu items of maintenance: preventive plans (定期保养) and holiday campaigns
(假期集中维修)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import campaigns, plans

urlpatterns: list[URLPattern] = [
    path("plans/", plans.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", plans.PlanEditView.as_view(), name="plan_add"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:pk>/<str:action>/", plans.PlanActionView.as_view(), name="plan_action"),
    path("campaigns/", campaigns.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", campaigns.CampaignEditView.as_view(), name="campaign_add"),
    path("campaigns/<int:pk>/", campaigns.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.CampaignEditView.as_view(), name="campaign_edit"),
    path(
        "campaigns/<int:pk>/<str:action>/",
        campaigns.CampaignActionView.as_view(),
        name="campaign_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Preventive maintenance"),
        "maintenance:plan_list",
        "maintenance.view_maintenanceplan",
        "calendar-check",
    ),
    MenuItem(
        _("Holiday campaigns"),
        "maintenance:campaign_list",
        "maintenance.view_campaign",
        "sun",
    ),
)
