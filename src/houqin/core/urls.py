from django.urls import path

from .views.school_switch import switch_school

app_name = "core"
urlpatterns = [
    path("school/", switch_school, name="switch_school"),
]
