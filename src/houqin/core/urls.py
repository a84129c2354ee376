from django.urls import path

from .attachments import views as attachment_views
from .audit_views import AuditListView
from .exportjobs import views as export_views
from .views.school_switch import switch_school

app_name = "core"
urlpatterns = [
    path("school/", switch_school, name="switch_school"),
    path("audit/", AuditListView.as_view(), name="auditentry_list"),
    path("exports/", export_views.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", export_views.ExportDetailView.as_view(), name="export_detail"),
    path(
        "exports/<int:pk>/download/",
        export_views.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("exports/<int:pk>/delete/", export_views.ExportDeleteView.as_view(), name="export_delete"),
    path(
        "objects/<int:ct>/<int:object_id>/attachments/",
        attachment_views.AttachmentUploadView.as_view(),
        name="attachment_upload",
    ),
    path(
        "objects/<int:ct>/<int:object_id>/comments/",
        attachment_views.CommentAddView.as_view(),
        name="comment_add",
    ),
    path(
        "attachments/<int:pk>/",
        attachment_views.AttachmentFileView.as_view(),
        name="attachment_download",
    ),
    path(
        "attachments/<int:pk>/thumbnail/",
        attachment_views.AttachmentFileView.as_view(thumbnail=True),
        name="attachment_thumbnail",
    ),
    path(
        "attachments/<int:pk>/delete/",
        attachment_views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path(
        "comments/<int:pk>/edit/", attachment_views.CommentEditView.as_view(), name="comment_edit"
    ),
    path(
        "comments/<int:pk>/delete/",
        attachment_views.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
]
