"""URLs and menu items of purchasing: consolidation, purchase orders and quotes."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import orders as views

urlpatterns: list[URLPattern] = [
    path("orders/", views.PurchaseOrderListView.as_view(), name="order_list"),
    path("orders/consolidate/", views.ConsolidateView.as_view(), name="consolidate"),
    path("orders/<int:pk>/", views.PurchaseOrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.PurchaseOrderEditView.as_view(), name="order_edit"),
    path("orders/<int:pk>/pdf/", views.PurchaseOrderPdfView.as_view(), name="order_pdf"),
    path("orders/<int:pk>/quotes/add/", views.QuotationAddView.as_view(), name="quotation_add"),
    path(
        "orders/<int:pk>/quotes/pdf/",
        views.QuoteComparisonPdfView.as_view(),
        name="quote_compare",
    ),
    path("quotes/<int:pk>/edit/", views.QuotationEditView.as_view(), name="quotation_edit"),
    path(
        "orders/<int:pk>/<str:action>/",
        views.PurchaseOrderActionView.as_view(),
        name="order_action",
    ),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(
        _("Consolidate requests"),
        "procurement:consolidate",
        "procurement.add_purchaseorder",
        "collection",
    ),
    MenuItem(
        _("Purchase orders"),
        "procurement:order_list",
        "procurement.view_purchaseorder",
        "receipt",
    ),
)
