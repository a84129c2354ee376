"""Store item pages: the list (low-stock badge, export), an item's page with its ledger and
consumption, create/edit, the Excel import and the reorder list."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import ObjectDetailView, ObjectEditView, ObjectListView, ScopedViewMixin
from houqin.core.views.generic import optional_url
from houqin.core.views.imports import ImportTemplateView, ObjectImportView

from ..filters_items import StockItemFilter
from ..forms_items import StockItemForm, hide_school_if_single
from ..imports import StockItemImportSpec
from ..models import StockItem
from ..services.items import item_save, monthly_consumption, with_flags
from ..services.reorder import low_items, total_value
from ..services.stock import fmt
from ..tables_items import StockItemExportTable, StockItemTable

VIEW = "inventory.view_stockitem"
ADD = "inventory.add_stockitem"
CHANGE = "inventory.change_stockitem"
MOVE = "inventory.move_stock"
VIEW_MOVEMENTS = "inventory.view_stockmovement"
ITEMS = gettext_lazy("Store items")
LEDGER_PAGE = 30


def _min_max(item: Any) -> str:
    top = fmt(item.max_stock) if item.max_stock is not None else "—"
    return f"{fmt(item.min_stock)} / {top}"


def item_row(item: Any) -> dict[str, Any]:
    """One item as the list shows it: quantities without trailing zeros, with the unit."""
    low = getattr(item, "low", None)
    return {
        "item": item,
        "url": item.get_absolute_url(),
        "quantity": fmt(item.quantity),
        "min_max": _min_max(item),
        "low": item.is_low and item.min_stock > 0 if low is None else low,
    }


class StockItemListView(ObjectListView):
    model = StockItem
    permission_required = VIEW
    table_class = StockItemTable
    filterset_class = StockItemFilter
    search_fields = ("name", "code", "specification")
    default_sort = "code"
    template_name = "inventory/item_list.html"
    partial_template_name = "inventory/item_table.html"
    page_size = 50
    title = ITEMS  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return with_flags(super().get_queryset())

    def add_url(self) -> str | None:
        return reverse("inventory:item_add") if school_ids(self.request.user, ADD) else None

    def import_url(self) -> str | None:
        return reverse("inventory:item_import") if school_ids(self.request.user, ADD) else None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.GET.get("export") == "xlsx":
            queryset, _filters = self.filtered()
            queryset, _sort = self.sorted(queryset)
            return self.export(queryset, StockItemExportTable)
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None:
            context["rows"] = [item_row(item) for item in context["page"].object_list]
            context["reorder_url"] = (
                reverse("inventory:reorder_list") if school_ids(request.user, MOVE) else None
            )
        return response


class StockItemDetailView(ObjectDetailView):
    model = StockItem
    permission_required = VIEW
    template_name = "inventory/item_detail.html"
    detail_fields: tuple[Any, ...] = (
        "code",
        "category",
        "specification",
        "unit",
        "shelf",
        (gettext_lazy("in stock"), lambda i: f"{fmt(i.quantity)} {i.unit}"),
        "average_cost",
        "value",
        (gettext_lazy("minimum stock"), lambda i: f"{fmt(i.min_stock)} {i.unit}"),
        (
            gettext_lazy("maximum stock"),
            lambda i: f"{fmt(i.max_stock)} {i.unit}" if i.max_stock is not None else None,
        ),
        "is_restricted",
        "paper_size",
        "sheets_per_unit",
        "is_active",
        "notes",
    )
    _object: Any = None

    def get_object(self) -> Any:
        if self._object is None:
            self._object = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        return self._object

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        user = self.request.user
        result = []
        if has_perm_in_school(user, MOVE, obj.school_id):
            result.append(
                {
                    "label": _("Record a movement"),
                    "url": f"{reverse('inventory:movement_add')}?item={obj.pk}",
                    "style": "primary",
                }
            )
        if has_perm_in_school(user, CHANGE, obj.school_id):
            result.append(
                {
                    "label": _("Edit"),
                    "url": reverse("inventory:item_edit", args=[obj.pk]),
                    "style": "outline-primary",
                }
            )
        return result

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        obj = self.get_object()
        context = getattr(response, "context_data", None)
        assert context is not None
        context["breadcrumbs"] = [(ITEMS, reverse("inventory:item_list")), (str(obj), None)]
        context["low"] = obj.min_stock > 0 and obj.quantity <= obj.min_stock
        if context["tab"] != "history" and has_perm_in_school(
            request.user, VIEW_MOVEMENTS, obj.school_id
        ):
            movements = obj.movements.select_related("department", "person", "actor").order_by(
                "-at", "-id"
            )
            page = Paginator(movements, LEDGER_PAGE).get_page(request.GET.get("page"))
            context["ledger"] = page
            context["ledger_rows"] = [
                {
                    "movement": m,
                    "quantity": fmt(m.quantity),
                    "balance": fmt(m.balance),
                    "source_url": m.source_url(),
                }
                for m in page.object_list
            ]
            context["consumption"] = monthly_consumption(obj)
            context["all_movements_url"] = f"{reverse('inventory:movement_list')}?item={obj.pk}"
        return response


class StockItemEditView(ObjectEditView):
    model = StockItem
    form_class = StockItemForm
    template_name = "core/object_edit.html"

    def get_permission_required(self) -> str:
        return ADD if self.is_create() else CHANGE

    def get_form(self, obj: Any, data: Any = None) -> Any:
        form = super().get_form(obj, data)
        hide_school_if_single(form)
        return form

    def save(self, form: Any) -> Any:
        return item_save(actor=self.request.user, item=form.instance)

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = getattr(response, "context_data", None)
        if context is not None:
            crumbs = list(context["breadcrumbs"])
            crumbs[0] = (ITEMS, reverse("inventory:item_list"))
            context["breadcrumbs"] = crumbs
            if obj is None:
                context["cancel_url"] = reverse("inventory:item_list")
        return response


class StockItemImportView(ObjectImportView):
    spec_class = StockItemImportSpec
    model = StockItem

    def list_url(self) -> str | None:
        return reverse("inventory:item_list")

    def render(self, form: Any, school: Any, errors: Any = None, status: int = 200) -> Any:
        response = super().render(form, school, errors=errors, status=status)
        context = getattr(response, "context_data", None) or {}
        url = reverse("inventory:item_import_template")
        context["template_url"] = f"{url}?school={school.pk}" if school is not None else url
        return response


class StockItemImportTemplateView(ImportTemplateView):
    spec_class = StockItemImportSpec
    model = StockItem


class ReorderListView(ScopedViewMixin, View):
    """Items in use at or below their minimum, with the quantity to buy, and the form that
    turns the chosen ones into a draft purchase request."""

    model = StockItem
    permission_required = MOVE
    template_name = "inventory/reorder_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.narrow_to_active_school(self.get_queryset())
        school = request.GET.get("school")
        if school and school.isdigit():
            queryset = queryset.filter(school_id=int(school))
        items = low_items(queryset).order_by("category", "name", "pk")
        page = Paginator(items, 100).get_page(request.GET.get("page"))
        rows = [
            {
                "item": item,
                "quantity": fmt(item.quantity),
                "min_stock": fmt(item.min_stock),
                "max_stock": fmt(item.max_stock) if item.max_stock is not None else "—",
                "suggested": fmt(item.suggested),  # type: ignore[attr-defined]
                "value": item.suggested_value,  # type: ignore[attr-defined]
            }
            for item in page.object_list
        ]
        context = {
            "title": _("Reorder"),
            "page": page,
            "rows": rows,
            "total_value": total_value(items),
            "request_url": optional_url("procurement:request_from_reorder"),
            "breadcrumbs": [(ITEMS, reverse("inventory:item_list")), (_("Reorder"), None)],
            "base_params": "",
            "sort": "",
        }
        return TemplateResponse(request, self.template_name, context)
