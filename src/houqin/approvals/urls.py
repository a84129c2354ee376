from django.urls import path

from houqin.core.urls_helpers import crud_paths

from . import views

app_name = "approvals"
urlpatterns = [
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/<str:action>/", views.ActView.as_view(), name="request_act"),
    *crud_paths(
        "chains",
        "approvalchain",
        views.ChainListView,
        views.ChainDetailView,
        views.ChainEditView,
        views.ChainDeleteView,
    ),
]
