"""The REST API under ``/api/v1/``; ``tests/api/test_access.py`` walks every URL here."""

from __future__ import annotations

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from houqin.assets.api import routes as asset_routes
from houqin.finance.api import routes as finance_routes
from houqin.inventory.api import routes as inventory_routes
from houqin.maintenance.api import routes as maintenance_routes
from houqin.printing.api import routes as printing_routes
from houqin.procurement.api import routes as procurement_routes

from .views import accounts, approvals, attachments, notifications, org
from .views.docs import DocsView, NotFoundView

app_name = "api"

router = SimpleRouter()
router.register("schools", org.SchoolViewSet, basename="school")
router.register("campuses", org.CampusViewSet, basename="campus")
router.register("buildings", org.BuildingViewSet, basename="building")
router.register("locations", org.LocationViewSet, basename="location")
router.register("departments", org.DepartmentViewSet, basename="department")
router.register("terms", org.TermViewSet, basename="term")
router.register("users", accounts.UserViewSet, basename="user")
router.register("auth/tokens", accounts.TokenViewSet, basename="token")
router.register("approvals", approvals.ApprovalViewSet, basename="approval")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("attachments", attachments.AttachmentViewSet, basename="attachment")
for _prefix, _viewset, _basename in [
    *asset_routes.ROUTES,
    *maintenance_routes.ROUTES,
    *finance_routes.ROUTES,
    *inventory_routes.ROUTES,
    *procurement_routes.ROUTES,
    *printing_routes.ROUTES,
]:
    router.register(_prefix, _viewset, basename=_basename)

urlpatterns = [
    path("auth/token/", accounts.ObtainTokenView.as_view(), name="auth_token"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    *router.urls,
    # Anything else under /api/v1/ is a 404 in the API's error format (deliberately unnamed).
    re_path(r"^.*$", NotFoundView.as_view()),
]
