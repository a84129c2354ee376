"""URLs and menu items of the store: requisitions, the issue queue and department quotas."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import quotas, requisitions

urlpatterns: list[URLPattern] = [
    path("requisitions/", requisitions.RequisitionListView.as_view(), name="requisition_list"),
    path("requisitions/mine/", requisitions.RequisitionMineView.as_view(), name="requisition_mine"),
    path("requisitions/new/", requisitions.RequisitionEditView.as_view(), name="requisition_add"),
    path(
        "requisitions/<int:pk>/",
        requisitions.RequisitionDetailView.as_view(),
        name="requisition_detail",
    ),
    path(
        "requisitions/<int:pk>/edit/",
        requisitions.RequisitionEditView.as_view(),
        name="requisition_edit",
    ),
    path(
        "requisitions/<int:pk>/issue/",
        requisitions.RequisitionIssueView.as_view(),
        name="requisition_issue",
    ),
    path(
        "requisitions/<int:pk>/<str:action>/",
        requisitions.RequisitionActionView.as_view(),
        name="requisition_action",
    ),
    path("issue-queue/", requisitions.IssueQueueView.as_view(), name="issue_queue"),
    path("quotas/", quotas.QuotaListView.as_view(), name="quota_list"),
    path("quotas/new/", quotas.QuotaEditView.as_view(), name="quota_add"),
    path("quotas/<int:pk>/edit/", quotas.QuotaEditView.as_view(), name="quota_edit"),
    path("quotas/<int:pk>/delete/", quotas.QuotaDeleteView.as_view(), name="quota_delete"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("New requisition"), "inventory:requisition_add", "inventory.add_requisition", "bag-plus"
    ),
    MenuItem(
        _("My requisitions"), "inventory:requisition_mine", "inventory.add_requisition", "bag"
    ),
    MenuItem(
        _("Requisitions"),
        "inventory:requisition_list",
        "inventory.view_all_requisition",
        "card-checklist",
    ),
    MenuItem(_("Issue queue"), "inventory:issue_queue", "inventory.move_stock", "box-arrow-right"),
    MenuItem(
        _("Department quotas"),
        "inventory:quota_list",
        "inventory.view_departmentquota",
        "speedometer2",
    ),
)
