from __future__ import annotations

from django.urls import path

from houqin.core.urls_helpers import crud_paths

from . import manage_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationCentreView.as_view(), name="centre"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("read/", views.MarkReadView.as_view(), name="mark_read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    *crud_paths(
        "webhooks",
        "webhookendpoint",
        manage_views.WebhookEndpointListView,
        manage_views.WebhookEndpointDetailView,
        manage_views.WebhookEndpointEditView,
        manage_views.WebhookEndpointDeleteView,
    ),
    path(
        "webhooks/<int:pk>/test/",
        manage_views.WebhookEndpointTestView.as_view(),
        name="webhookendpoint_test",
    ),
    path("deliveries/", manage_views.DeliveryListView.as_view(), name="delivery_list"),
    path(
        "deliveries/<int:pk>/",
        manage_views.DeliveryDetailView.as_view(),
        name="delivery_detail",
    ),
    path("jobs/", manage_views.JobListView.as_view(), name="jobrun_list"),
]
