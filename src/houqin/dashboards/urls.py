from django.urls import path

from . import views, views_savings

app_name = "dashboards"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("savings/", views_savings.SavingsView.as_view(), name="savings"),
]
