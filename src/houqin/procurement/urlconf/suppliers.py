"""URLs and menu items of purchasing: suppliers, their qualifications, the settings and the
savings report (开源节流, served by the dashboards app)."""

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from houqin.core.navigation import MenuItem

from ..views import suppliers as views

urlpatterns: list[URLPattern] = [
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/add/", views.SupplierEditView.as_view(), name="supplier_add"),
    path(
        "suppliers/check-code/",
        views.SupplierCheckCodeView.as_view(),
        name="supplier_check_code",
    ),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierEditView.as_view(), name="supplier_edit"),
    path(
        "suppliers/<int:pk>/qualifications/add/",
        views.QualificationAddView.as_view(),
        name="qualification_add",
    ),
    path(
        "qualifications/<int:pk>/edit/",
        views.QualificationEditView.as_view(),
        name="qualification_edit",
    ),
    path(
        "qualifications/<int:pk>/delete/",
        views.QualificationDeleteView.as_view(),
        name="qualification_delete",
    ),
    path("settings/", views.ProcurementSettingsView.as_view(), name="procurement_settings"),
]
MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Suppliers"), "procurement:supplier_list", "procurement.view_supplier", "shop"),
    MenuItem(
        _("Savings report"),
        "dashboards:savings",
        "procurement.view_procurement_reports",
        "piggy-bank",
    ),
    MenuItem(
        _("Purchasing settings"),
        "procurement:procurement_settings",
        "procurement.view_procurementsettings",
        "sliders",
    ),
)
