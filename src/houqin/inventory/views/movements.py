"""The stock ledger of every item (filters, streamed export) and the storekeeper's manual
movement form (a receipt without an order, a direct issue, a return, a scrap)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.schools import active_school_id
from houqin.core.scoping import school_ids
from houqin.core.views import ObjectListView, ScopedViewMixin

from ..filters_items import StockMovementFilter
from ..forms_items import MovementForm
from ..models import DepartmentConsumption, StockItem, StockMovement
from ..services.items import manual_move
from ..services.stock import StockError, fmt
from ..tables_items import StockMovementTable

VIEW = "inventory.view_stockmovement"
MOVE = "inventory.move_stock"
MOVEMENTS = gettext_lazy("Stock movements")


def scoped_movements(user: Any, perm: str) -> QuerySet[StockMovement]:
    """Movements of the schools where ``user`` holds ``perm`` (the ledger rows carry their
    school but no scoped manager of their own)."""
    return StockMovement.objects.filter(school_id__in=school_ids(user, perm))


class CountedQuerySet(QuerySet[Any]):
    """A queryset whose ``count()`` is already known (the paginator's total)."""

    known_count: int | None = None

    def _clone(self) -> Any:
        clone = super()._clone()  # type: ignore[misc]
        clone.known_count = self.known_count
        return clone

    def count(self) -> int:
        return super().count() if self.known_count is None else self.known_count


def with_count(queryset: QuerySet[Any], count: int) -> QuerySet[Any]:
    counted = CountedQuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)
    counted._prefetch_related_lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    counted.known_count = count
    return counted


def ledger_count(schools: list[int]) -> int:
    """How many movements the schools' ledgers hold, from the monthly totals of every kind
    (a few hundred rows a school a year rather than every movement)."""
    total = DepartmentConsumption.objects.filter(school_id__in=schools).aggregate(
        total=Sum("movements")
    )["total"]
    return int(total or 0)


class StockMovementListView(ObjectListView):
    model = StockMovement
    permission_required = VIEW
    table_class = StockMovementTable
    filterset_class = StockMovementFilter
    search_fields = ("reason", "reference", "item__name", "item__code")
    default_sort = "-at"
    title = MOVEMENTS  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return scoped_movements(self.request.user, VIEW).select_related(
            "item", "department", "person", "actor"
        )

    def narrow_to_active_school(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        active = active_school_id(self.request)
        return queryset if active is None else queryset.filter(school_id=active)

    def filtered(self) -> tuple[QuerySet[Any], Any]:
        """The unfiltered ledger takes its total from the monthly totals: counting millions
        of rows would cost more than the whole page."""
        queryset, filterset = super().filtered()
        if any(v for k, v in self.request.GET.items() if k not in ("page", "sort", "export")):
            return queryset, filterset
        schools = school_ids(self.request.user, VIEW)
        active = active_school_id(self.request)
        if active is not None:
            schools = [pk for pk in schools if pk == active]
        return with_count(queryset, ledger_count(schools)), filterset

    def add_url(self) -> str | None:
        return reverse("inventory:movement_add") if school_ids(self.request.user, MOVE) else None

    def import_url(self) -> str | None:
        return None


class MovementAddView(ScopedViewMixin, View):
    """One manual movement through the stock ledger; a refusal (not enough stock…) is shown
    on the form and nothing is written."""

    model = StockItem
    permission_required = MOVE
    template_name = "inventory/movement_add.html"

    def get_form(self, data: Any = None) -> MovementForm:
        initial: dict[str, Any] = {}
        for key in ("item", "kind", "department", "person"):
            if self.request.GET.get(key):
                initial[key] = self.request.GET[key]
        form = MovementForm(data=data, initial=initial)
        self.narrow_form_choices(form)
        active = active_school_id(self.request)
        if active is not None:
            for name in ("item", "department"):
                field: Any = form.fields[name]
                field.queryset = field.queryset.filter(school_id=active)
        chosen = (data or {}).get("item") or initial.get("item")
        if chosen and str(chosen).isdigit():
            # Opened from an item's page: offer that item only (a store may hold thousands).
            items: Any = form.fields["item"]
            items.queryset = items.queryset.filter(pk=int(chosen))
        return form

    def render(self, form: MovementForm, status: int = 200) -> HttpResponse:
        item = None
        raw = form.data.get("item") if form.is_bound else form.initial.get("item")
        if raw and str(raw).isdigit():
            item = self.get_queryset().filter(pk=int(raw)).first()
        context = {
            "title": _("Record a stock movement"),
            "form": form,
            "item": item,
            "stock": f"{fmt(item.quantity)} {item.unit}" if item is not None else "",
            "cancel_url": item.get_absolute_url() if item else reverse("inventory:movement_list"),
            "breadcrumbs": [
                (MOVEMENTS, reverse("inventory:movement_list")),
                (_("Record a movement"), None),
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.get_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=422)
        data = form.cleaned_data
        try:
            movement = manual_move(
                actor=request.user,
                item=data["item"],
                kind=data["kind"],
                quantity=data["quantity"],
                reason=data["reason"],
                unit_cost=data.get("unit_cost"),
                department=data.get("department"),
                person=data.get("person"),
                supplier_note=data.get("supplier_note") or "",
            )
        except StockError as exc:
            form.add_error("quantity", str(exc))
            return self.render(form, status=422)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.render(form, status=422)
        item = data["item"]
        messages.success(
            request,
            _("%(kind)s: %(item)s %(quantity)s %(unit)s; %(left)s %(unit)s in stock now.")
            % {
                "kind": movement.get_kind_display(),
                "item": item,
                "quantity": fmt(abs(movement.quantity)),
                "unit": item.unit,
                "left": fmt(movement.balance),
            },
        )
        return HttpResponseRedirect(item.get_absolute_url())
