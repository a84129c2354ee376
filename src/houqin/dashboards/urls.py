from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [path("", views.HomeView.as_view(), name="home")]
