"""Labels, the public scan page, transfers and loans."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import labels, movements, scan

urlpatterns: list[URLPattern] = [
    path("a/<str:public_code>/", scan.ScanView.as_view(), name="scan"),
    path("register/<int:pk>/label/", labels.AssetLabelView.as_view(), name="asset_label"),
    path("register/labels/", labels.LabelSelectionView.as_view(), name="label_selection"),
    path("transfers/", movements.TransferListView.as_view(), name="transfer_list"),
    path("transfers/add/", movements.TransferEditView.as_view(), name="transfer_add"),
    path("transfers/<int:pk>/", movements.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/edit/", movements.TransferEditView.as_view(), name="transfer_edit"),
    path(
        "transfers/<int:pk>/<str:action>/",
        movements.TransferActionView.as_view(),
        name="transfer_action",
    ),
    path("loans/", movements.LoanListView.as_view(), name="loan_list"),
    path("loans/add/", movements.LoanLendView.as_view(), name="loan_add"),
    path("loans/<int:pk>/", movements.LoanDetailView.as_view(), name="loan_detail"),
    path("loans/<int:pk>/return/", movements.LoanReturnView.as_view(), name="loan_return"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Asset transfers"),
        "assets:transfer_list",
        "assets.view_assettransfer",
        "arrow-left-right",
    ),
    MenuItem(_("Asset loans"), "assets:loan_list", "assets.view_assetloan", "box-arrow-up-right"),
)
