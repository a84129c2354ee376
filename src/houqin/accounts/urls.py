from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from houqin.core.urls_helpers import crud_paths
from houqin.core.views.imports import import_paths

from . import views
from .imports import UserImport

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    *crud_paths(
        "users",
        "user",
        views.UserListView,
        views.UserDetailView,
        views.UserEditView,
        None,
        add=False,
    ),
    path("users/add/", views.UserCreateView.as_view(), name="user_add"),
    *import_paths("users", "user", UserImport),
    path(
        "users/<int:user_pk>/memberships/add/",
        views.MembershipEditView.as_view(),
        name="membership_add",
    ),
    path(
        "users/<int:user_pk>/memberships/<int:pk>/edit/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path(
        "memberships/<int:pk>/delete/",
        views.MembershipDeleteView.as_view(),
        name="membership_delete",
    ),
    *crud_paths(
        "roles",
        "role",
        views.RoleListView,
        views.RoleDetailView,
        views.RoleEditView,
        None,
        add=False,
    ),
]
