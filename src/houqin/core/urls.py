from django.urls import path

from .audit_views import AuditListView
from .views.school_switch import switch_school

app_name = "core"
urlpatterns = [
    path("school/", switch_school, name="switch_school"),
    path("audit/", AuditListView.as_view(), name="auditentry_list"),
]
