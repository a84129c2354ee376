from django.urls import path

from houqin.core.urls_helpers import crud_paths

from . import views
from .urlconf import budgets

app_name = "finance"
urlpatterns = [
    *crud_paths(
        "expenses",
        "expense",
        views.ExpenseListView,
        views.ExpenseDetailView,
        views.ExpenseEditView,
        None,
    ),
    path(
        "expenses/<int:pk>/<str:action>/", views.ExpenseActionView.as_view(), name="expense_action"
    ),
    *budgets.urlpatterns,
]
