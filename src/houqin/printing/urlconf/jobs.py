"""URLs and menu items of printing: jobs and the print room queue."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem, register_badge

from ..views import jobs, queue

urlpatterns: list[URLPattern] = [
    path("jobs/", jobs.JobListView.as_view(), name="job_list"),
    path("jobs/mine/", jobs.JobMineView.as_view(), name="job_mine"),
    path("jobs/new/", jobs.JobEditView.as_view(), name="job_add"),
    path("jobs/estimate/", jobs.JobEstimateView.as_view(), name="job_estimate"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/edit/", jobs.JobEditView.as_view(), name="job_edit"),
    path("jobs/<int:pk>/<str:action>/", jobs.JobActionView.as_view(), name="job_action"),
    path("queue/", queue.QueueView.as_view(), name="queue"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("New print job"), "printing:job_add", "printing.add_printjob", "plus-circle"),
    MenuItem(_("My print jobs"), "printing:job_mine", "printing.add_printjob", "file-earmark-text"),
    MenuItem(_("Print room queue"), "printing:queue", "printing.operate_printjob", "printer"),
    MenuItem(_("All print jobs"), "printing:job_list", "printing.view_all_printjob", "list-ul"),
)
register_badge("printing:queue", queue.queued_count)
