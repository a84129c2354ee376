"""Suppliers (供应商) with their qualifications, and the purchasing settings page."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.attachments.models import Attachment
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.tables import display
from houqin.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)
from houqin.core.views.generic import optional_url

from ..filters_suppliers import SupplierFilter
from ..forms_suppliers import (
    SETTING_SOURCES,
    ProcurementSettingsForm,
    QualificationForm,
    SupplierForm,
)
from ..models import ProcurementSettings, PurchaseOrder, Supplier, SupplierQualification
from ..services.suppliers import (
    PLACED_STATUSES,
    credit_code_problem,
    procurement_settings_for,
    procurement_settings_save,
    qualification_delete,
    qualification_save,
    supplier_figures,
    supplier_save,
    warning_cutoffs,
)
from ..tables_suppliers import SupplierTable


def page_school_id(view: ScopedViewMixin) -> int:
    """The school a page works in: the active one where allowed, else the user's first."""
    allowed = view.allowed_school_ids()
    active = active_school_id(view.request)
    if active in allowed:
        return int(active)  # type: ignore[arg-type]
    if not allowed:
        raise PermissionDenied
    return allowed[0]


def apply_errors(form: ModelForm[Any], error: ValidationError) -> None:
    """Show a service's refusal on the form (on its field where it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Suppliers -----------------------------------------------------------------------------------


class SupplierListView(ObjectListView):
    model = Supplier
    table_class = SupplierTable
    filterset_class = SupplierFilter
    search_fields = ("name", "credit_code", "supplies", "contact_person")
    default_sort = "name"
    template_name = "procurement/supplier_list.html"

    def get_title(self) -> str:
        return _("Suppliers")

    partial_template_name = "procurement/_supplier_table.html"

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        allowed = school_ids(self.request.user, self.get_permission_required())
        return supplier_figures(queryset, timezone.localdate(), allowed)


class SupplierDetailView(ObjectDetailView):
    model = Supplier
    template_name = "procurement/supplier_detail.html"
    detail_fields = (
        "credit_code",
        "supplies",
        "contact_person",
        "phone",
        "email",
        "address",
        "bank_name",
        "bank_account",
        "is_active",
        "notes",
        "school",
    )
    recent_orders = 10

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        supplier = context["object"]
        if context["tab"] != "history":
            context.update(self.supplier_panels(supplier))
        return response  # type: ignore[no-any-return]

    def supplier_panels(self, supplier: Supplier) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        cutoff = warning_cutoffs([supplier.school_id], today)[supplier.school_id]
        quals = list(supplier.qualifications.order_by("valid_until", "pk"))
        scans: dict[int, list[Attachment]] = defaultdict(list)
        if quals:
            kind = ContentType.objects.get_for_model(SupplierQualification)
            for attachment in Attachment.objects.filter(
                content_type=kind, object_id__in=[q.pk for q in quals]
            ).order_by("created_at", "pk"):
                scans[attachment.object_id].append(attachment)
        can_change = has_perm_in_school(
            user, "procurement.change_supplierqualification", supplier.school_id
        )
        can_delete = has_perm_in_school(
            user, "procurement.delete_supplierqualification", supplier.school_id
        )
        rows = []
        for qual in quals:
            state = ""
            if qual.valid_until is not None and qual.valid_until < today:
                state = "expired"
            elif qual.valid_until is not None and qual.valid_until <= cutoff:
                state = "expiring"
            rows.append(
                {
                    "object": qual,
                    "state": state,
                    "scans": scans.get(qual.pk, []),
                    "edit_url": reverse("procurement:qualification_edit", args=[qual.pk])
                    if can_change
                    else None,
                    "delete_url": reverse("procurement:qualification_delete", args=[qual.pk])
                    if can_delete
                    else None,
                }
            )
        orders = PurchaseOrder.objects.filter(supplier=supplier)
        placed = orders.filter(status__in=PLACED_STATUSES).aggregate(
            count=Count("pk"), amount=Sum("total")
        )
        recent = []
        for order in orders.order_by("-created_at", "-pk")[: self.recent_orders]:
            recent.append(
                {"object": order, "url": optional_url("procurement:order_detail", order.pk)}
            )
        return {
            "qualifications": rows,
            "qualification_add_url": reverse("procurement:qualification_add", args=[supplier.pk])
            if has_perm_in_school(user, "procurement.add_supplierqualification", supplier.school_id)
            else None,
            "orders_placed": placed["count"] or 0,
            "orders_amount": placed["amount"] or 0,
            "recent_orders": recent,
        }


class SupplierEditView(ObjectEditView):
    model = Supplier
    form_class = SupplierForm
    template_name = "procurement/supplier_edit.html"

    def get_form(self, obj: Any, data: Any = None) -> ModelForm[Any]:
        school_id = obj.school_id if obj is not None else page_school_id(self)
        kwargs: dict[str, Any] = {"instance": obj, "data": data, "school_id": school_id}
        if obj is None:
            kwargs["initial"] = self.get_initial()
        form = SupplierForm(**kwargs)
        self.narrow_form_choices(form)
        return form

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = supplier_save(actor=request.user, supplier=form.instance)
                    self.check_saved_scope(saved)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved: %(name)s") % {"name": saved})
                return HttpResponseRedirect(saved.get_absolute_url())
        return self.render(form, obj)


class SupplierCheckCodeView(ScopedViewMixin, View):
    """The credit code checked as it is typed: a short message under the field."""

    model = Supplier
    permission_required = "procurement.view_supplier"

    def get(self, request: HttpRequest) -> HttpResponse:
        code = str(request.GET.get("credit_code", "")).strip().upper()
        other_pk: int | None = None
        school_id = page_school_id(self)
        supplier_pk = request.GET.get("supplier", "")
        if supplier_pk.isdigit():
            supplier = get_object_or_404(self.get_queryset(), pk=int(supplier_pk))
            other_pk, school_id = supplier.pk, supplier.school_id
        problem = credit_code_problem(school_id, code, other_pk) if code else None
        context = {"code": code, "problem": problem}
        return TemplateResponse(request, "procurement/supplier_code_check.html", context)


# Qualifications ------------------------------------------------------------------------------


class QualificationAddView(ScopedViewMixin, View):
    """A new qualification of the supplier named in the URL."""

    model = Supplier
    permission_required = "procurement.add_supplierqualification"
    template_name = "procurement/supplier_qualification_edit.html"

    def get_supplier(self) -> Supplier:
        supplier: Supplier = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return supplier

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        supplier = self.get_supplier()
        return self.render(supplier, QualificationForm(supplier=supplier))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        supplier = self.get_supplier()
        form = QualificationForm(request.POST, supplier=supplier)
        if form.is_valid():
            try:
                qual = qualification_save(actor=request.user, qualification=form.instance)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Saved: %(name)s. Attach the scan of the certificate below.")
                    % {"name": qual},
                )
                return HttpResponseRedirect(
                    reverse("procurement:qualification_edit", args=[qual.pk])
                )
        return self.render(supplier, form, status=422)

    def render(self, supplier: Supplier, form: Any, status: int = 200) -> HttpResponse:
        title = _("New qualification")
        context = {
            "form": form,
            "title": title,
            "supplier": supplier,
            "cancel_url": supplier.get_absolute_url(),
            "breadcrumbs": [
                (Supplier._meta.verbose_name_plural, reverse("procurement:supplier_list")),
                (supplier.name, supplier.get_absolute_url()),
                (title, None),
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class QualificationEditView(ObjectEditView):
    model = SupplierQualification
    form_class = QualificationForm
    template_name = "procurement/supplier_qualification_edit.html"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("supplier")

    def get_form(self, obj: Any, data: Any = None) -> ModelForm[Any]:
        return QualificationForm(data, instance=obj, supplier=obj.supplier)

    def render(self, form: ModelForm[Any], obj: Any) -> HttpResponse:
        from houqin.core.attachments.selectors import object_panel

        response = super().render(form, obj)
        supplier = obj.supplier
        response.context_data.update(  # type: ignore[attr-defined]
            {
                "supplier": supplier,
                "cancel_url": supplier.get_absolute_url(),
                "breadcrumbs": [
                    (Supplier._meta.verbose_name_plural, reverse("procurement:supplier_list")),
                    (supplier.name, supplier.get_absolute_url()),
                    (str(obj.get_kind_display()), None),
                ],
                **object_panel(self.request, obj),
            }
        )
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            try:
                qualification_save(actor=request.user, qualification=form.instance)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Saved: %(name)s") % {"name": obj})
                return HttpResponseRedirect(obj.supplier.get_absolute_url())
        return self.render(form, obj)


class QualificationDeleteView(ObjectDeleteView):
    model = SupplierQualification

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("supplier")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        name, url = str(obj), obj.supplier.get_absolute_url()
        qualification_delete(actor=request.user, qualification=obj)
        messages.success(request, _("Deleted: %(name)s") % {"name": name})
        return HttpResponseRedirect(url)


# Settings ------------------------------------------------------------------------------------


class ProcurementSettingsView(ScopedViewMixin, View):
    """The school's purchasing policy, each value with its source: the office edits it,
    the purchaser reads it."""

    model = ProcurementSettings
    permission_required = "procurement.view_procurementsettings"

    def can_change(self, school_id: int) -> bool:
        user = self.request.user
        return has_perm_in_school(
            user, "procurement.change_procurementsettings", school_id
        ) and has_perm_in_school(user, "procurement.add_procurementsettings", school_id)

    def get(self, request: HttpRequest) -> HttpResponse:
        config = procurement_settings_for(page_school_id(self))
        return self.render(config, ProcurementSettingsForm(instance=config))

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = page_school_id(self)
        if not self.can_change(school_id):
            raise PermissionDenied
        config = procurement_settings_for(school_id)
        form = ProcurementSettingsForm(request.POST, instance=config)
        if form.is_valid():
            try:
                procurement_settings_save(actor=request.user, settings=form.instance)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The purchasing settings were saved."))
                return HttpResponseRedirect(reverse("procurement:procurement_settings"))
        return self.render(config, form, status=422)

    def render(self, config: ProcurementSettings, form: Any, status: int = 200) -> HttpResponse:
        from houqin.org.models import School

        title = _("Purchasing settings")
        shown = [
            (form.fields[name].label, display(getattr(config, name)), SETTING_SOURCES[name])
            for name in SETTING_SOURCES
        ]
        context = {
            "title": title,
            "school": School.objects.get(pk=config.school_id),
            "form": form,
            "fields": shown,
            "can_change": self.can_change(config.school_id),
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(self.request, "procurement/settings.html", context, status=status)
