"""URLs and menu items of maintenance: configuration (targets, categories, teams, rules,
the working calendar)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import config as views

urlpatterns: list[URLPattern] = [
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("categories/", views.CategoryListView.as_view(), name="category_list"),
    path("categories/add/", views.CategoryEditView.as_view(), name="category_add"),
    path("categories/<int:pk>/edit/", views.CategoryEditView.as_view(), name="category_edit"),
    path("teams/", views.TeamListView.as_view(), name="team_list"),
    path("teams/add/", views.TeamEditView.as_view(), name="team_add"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:pk>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    path("rules/", views.RuleListView.as_view(), name="rule_list"),
    path("rules/add/", views.RuleEditView.as_view(), name="rule_add"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
    path("calendar/", views.CalendarListView.as_view(), name="calendar_list"),
    path("calendar/add/", views.CalendarEditView.as_view(), name="calendar_add"),
    path("calendar/range/", views.CalendarRangeView.as_view(), name="calendar_range"),
    path("calendar/<int:pk>/edit/", views.CalendarEditView.as_view(), name="calendar_edit"),
    path("calendar/<int:pk>/delete/", views.CalendarDeleteView.as_view(), name="calendar_delete"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Maintenance settings"),
        "maintenance:settings",
        "maintenance.view_maintenancesettings",
        "sliders",
    ),
    MenuItem(
        _("Repair categories"),
        "maintenance:category_list",
        "maintenance.view_repaircategory",
        "tags",
    ),
    MenuItem(_("Teams"), "maintenance:team_list", "maintenance.view_maintenanceteam", "people"),
    MenuItem(
        _("Dispatch rules"),
        "maintenance:rule_list",
        "maintenance.view_dispatchrule",
        "signpost-split",
    ),
    MenuItem(
        _("Working calendar"),
        "maintenance:calendar_list",
        "maintenance.view_workcalendarday",
        "calendar3",
    ),
)
