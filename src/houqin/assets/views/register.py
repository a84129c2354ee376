"""The asset register (资产台账): the list with totals, the card, its form, status, policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelChoiceField, Select, SelectMultiple
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.paging import paginator_for
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school
from houqin.core.tables import display
from houqin.core.views import ObjectDetailView, ObjectEditView, ObjectListView, ScopedViewMixin
from houqin.core.views.mixins import narrow

from ..actions import for_asset, for_list
from ..filters_register import AssetFilter, only_active
from ..forms_register import AssetForm, AssetSettingsForm, AssetStatusForm
from ..models import Asset, AssetMovement, AssetRegisterTotal, AssetSettings
from ..selectors import register_totals, summary_totals
from ..services.register import AssetError, asset_register, asset_set_status, asset_update
from ..tables_register import AssetExportTable, AssetTable, DamageTable, LoanTable, MovementTable

LIST_RELATED = ("category", "room__building", "custodian", "department")
TABS = ("details", "movements", "loans", "damage", "history")
TAB_PAGE_SIZE = 50


class AssetListView(ObjectListView):
    model = Asset
    table_class = AssetTable
    filterset_class = AssetFilter
    search_fields = ("code", "name", "serial_number", "specification", "brand")
    default_sort = "-code"
    template_name = "assets/asset_list.html"
    partial_template_name = "assets/_asset_table.html"
    title = ""

    def get_title(self) -> str:
        return _("Asset register")

    def base_queryset(self) -> QuerySet[Any]:
        return Asset.objects.select_related(*LIST_RELATED)

    def filtered(self) -> tuple[QuerySet[Any], Any]:
        queryset, filterset = super().filtered()
        if filterset is not None:
            filterset.narrow_to_school(active_school_id(self.request))
        return only_active(queryset, self.request.GET), filterset

    def sorted(self, queryset: QuerySet[Any]) -> tuple[QuerySet[Any], str]:
        """The tie-break on ``pk`` runs in the direction the index on the sort column is read
        (the indexes are (school, column) ascending, and (school, -code)), so SQLite reads the
        first page straight from the index instead of sorting every card of the same value."""
        sort = self.request.GET.get("sort", self.default_sort)
        ordering = self.table_class.ordering_for(sort)
        if ordering is None:
            sort = self.default_sort
            ordering = self.table_class.ordering_for(sort) or ("-code",)
        descending = ordering[0].startswith("-")
        if ordering[0].lstrip("-") == "code":
            descending = not descending
        return queryset.order_by(*ordering, "-pk" if descending else "pk"), sort

    def summary(self, filterset: Any) -> Any:
        """The totals from the table the triggers keep, when the filters allow (a bureau's
        register of half a million cards is not summed on every page view)."""
        valid = filterset is not None and filterset.is_bound and filterset.is_valid()
        rows = narrow(
            AssetRegisterTotal.objects.all(), self.request.user, self.get_permission_required()
        )
        return summary_totals(
            self.narrow_to_active_school(rows),
            filterset.form.cleaned_data if valid else {},
            self.request.GET.get("q", "").strip(),
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset, filterset = self.filtered()
        queryset, sort = self.sorted(queryset)
        if request.GET.get("export") == "xlsx":
            return self.export(queryset, AssetExportTable)
        totals = self.summary(filterset) or register_totals(queryset)
        paginator = paginator_for(queryset, self.page_size, keys_first=sort != self.default_sort)
        paginator.count = totals.count  # the aggregate counted already: no second count
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        for key in ("page", "sort", "export"):
            params.pop(key, None)
        query_string = params.urlencode()
        context = {
            "view": self,
            "title": self.get_title(),
            "table": self.table_class(page.object_list, sort=sort),
            "page": page,
            "filterset": filterset,
            "filter_controls": filter_controls(filterset),
            "query": request.GET.get("q", ""),
            "search_enabled": True,
            "base_params": query_string,
            "sort": sort,
            "add_url": self.add_url(),
            "import_url": self.import_url(),
            "is_filtered": bool(params),
            "totals": totals,
            "totals_cells": totals_cells(totals),
            "bulk_actions": for_list(request, query_string) if totals.count else [],
            "breadcrumbs": [(self.get_title(), None)],
        }
        template = self.template_name
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "object-table":
            template = self.partial_template_name
        return TemplateResponse(request, template, context)


def _category_label(code: str, name: str, name_en: str) -> str:
    shown = name_en if name_en and not (get_language() or "zh").startswith("zh") else name
    return f"{code} {shown}" if code else shown


#: Option labels of the model choices read as plain values (no model instances per option).
OPTION_LABELS: dict[str, tuple[tuple[str, ...], Callable[..., str]]] = {
    "category": (("code", "name", "name_en"), _category_label),
    "building": (("name",), str),
    "room": (("building__name", "number", "name"), lambda b, n, m: f"{b} {n} {m}".strip()),
    "department": (("name",), str),
    "custodian": (("real_name", "username"), lambda real, user: real or user),
}


def options(name: str, field: Any) -> list[tuple[str, str]]:
    if name in OPTION_LABELS and isinstance(field, ModelChoiceField):
        columns, label = OPTION_LABELS[name]
        rows = field.queryset.values_list("pk", *columns)  # type: ignore[union-attr]
        return [("", str(field.empty_label))] + [(str(pk), label(*rest)) for pk, *rest in rows]
    return [(str(key), str(text)) for key, text in field.choices]


def filter_controls(filterset: Any) -> list[dict[str, Any]]:
    """The filter form as plain data: a page renders its selects (hundreds of rooms and
    people) in one loop instead of one widget template per option."""
    controls = []
    for bound in filterset.form:
        field = bound.field
        control: dict[str, Any] = {
            "name": bound.html_name,
            "id": bound.id_for_label,
            "label": bound.label,
        }
        if isinstance(field.widget, Select) and not isinstance(field.widget, SelectMultiple):
            value = bound.value()
            control["value"] = "" if value is None else str(value)
            control["options"] = options(bound.name, field)
        else:
            control["html"] = str(bound)
        controls.append(control)
    return controls


def totals_cells(totals: Any) -> list[tuple[str, str, str]]:
    """(label, value, test id) of the totals over the filtered cards."""
    return [
        (_("Cards"), display(totals.count), "count"),
        (_("Quantity"), display(totals.quantity), "quantity"),
        (_("Original value (yuan)"), display(totals.original_value), "original"),
        (
            _("Accumulated depreciation (yuan)"),
            display(totals.accumulated_depreciation),
            "depreciation",
        ),
        (_("Net value (yuan)"), display(totals.net_value), "net"),
    ]


def _value_line(asset: Asset) -> str:
    return _("%(price)s × %(quantity)s %(unit)s = %(value)s") % {
        "price": display(asset.unit_price),
        "quantity": asset.quantity,
        "unit": asset.unit,
        "value": display(asset.original_value),
    }


def _category_line(asset: Asset) -> str:
    depreciable, life = asset.category.resolved()
    if not depreciable:
        return _("%(category)s (not depreciated)") % {"category": asset.category}
    if life:
        return _("%(category)s (life %(life)s years)") % {"category": asset.category, "life": life}
    return str(asset.category)


def _depreciation_line(asset: Asset) -> str:
    if not asset.depreciable:
        return _("Not depreciated")
    from ..models import period_label

    through = period_label(asset.depreciated_through) if asset.depreciated_through else "—"
    return _("%(months)s months, through %(through)s") % {
        "months": asset.life_months,
        "through": through,
    }


def _place_line(asset: Asset) -> Any:
    return asset.room


class AssetDetailView(ObjectDetailView):
    model = Asset
    template_name = "assets/asset_detail.html"
    detail_fields: Any = (
        "code",
        "name",
        (gettext_lazy("category"), _category_line),
        "specification",
        "brand",
        "serial_number",
        (gettext_lazy("original value (yuan)"), _value_line),
        "accumulated_depreciation",
        (gettext_lazy("net value (yuan)"), lambda a: a.net_value),
        "is_low_value",
        (gettext_lazy("depreciation"), _depreciation_line),
        "purchase_date",
        "supplier_name",
        "funding_source",
        "acquisition",
        (gettext_lazy("location"), _place_line),
        "department",
        "custodian",
        "status",
        "warranty_end",
        "public_code",
        "notes",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Asset.objects.select_related(
            "school", "category__parent__parent", "room__building", "custodian", "department"
        )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        result = []
        if obj.is_active and has_perm_in_school(
            self.request.user, "assets.change_asset", obj.school_id
        ):
            result.append(
                {
                    "label": _("Edit"),
                    "url": reverse("assets:asset_edit", args=[obj.pk]),
                    "style": "primary",
                    "icon": "pencil",
                }
            )
        for action in for_asset(self.request, obj):
            result.append({"style": "outline-secondary", "method": "get", **action})
        return result

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context: dict[str, Any] = response.context_data  # type: ignore[attr-defined]
        asset = context["object"]
        tab = context["tab"] if context["tab"] in TABS else "details"
        context["tab"] = tab
        context["tabs"] = self.tabs()
        if tab == "movements":
            context["tab_list"] = self.paged(
                AssetMovement.objects.filter(asset=asset)
                .select_related(
                    "actor",
                    "from_room__building",
                    "to_room__building",
                    "from_custodian",
                    "to_custodian",
                    "from_department",
                    "to_department",
                )
                .order_by("-at", "-pk"),
                MovementTable,
            )
        elif tab == "loans":
            context["tab_list"] = self.paged(
                asset.loans.select_related("borrower").order_by("-lent_at", "-pk"), LoanTable
            )
        elif tab == "damage":
            context["tab_list"] = self.paged(
                asset.damage_reports.order_by("-occurred_at", "-pk"), DamageTable
            )
        can_change = asset.is_active and has_perm_in_school(
            request.user, "assets.change_asset", asset.school_id
        )
        if can_change and tab == "details":
            context["status_form"] = AssetStatusForm(initial={"status": asset.status})
        context["breadcrumbs"] = [
            (_("Asset register"), reverse("assets:asset_list")),
            (str(asset), None),
        ]
        return response

    def tabs(self) -> list[tuple[str, str]]:
        return [
            ("details", _("Card")),
            ("movements", _("Movements")),
            ("loans", _("Loans")),
            ("damage", _("Damage reports")),
            ("history", _("History")),
        ]

    def paged(self, queryset: QuerySet[Any], table_class: Any) -> dict[str, Any]:
        page = Paginator(queryset, TAB_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return {"page": page, "table": table_class(page.object_list)}


class AssetEditView(ObjectEditView):
    """Register a card in the active school, or change one, through the register service."""

    model = Asset
    form_class = AssetForm
    unscoped_choice_fields = ("category",)
    template_name = "assets/asset_edit.html"

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and not obj.is_active:
            raise PermissionDenied(_("A disposed or lost asset can no longer be changed."))
        return obj

    def school_id(self, obj: Any) -> int | None:
        if obj is not None:
            return int(obj.school_id)
        allowed = self.allowed_school_ids()
        active = active_school_id(self.request)
        if active in allowed:
            return active
        return allowed[0] if len(allowed) == 1 else None

    def get_form(self, obj: Any, data: Any = None) -> Any:
        school_id = self.school_id(obj)
        kwargs: dict[str, Any] = {"instance": obj, "data": data, "school_id": school_id}
        if obj is None:
            kwargs["initial"] = self.get_initial()
        form = AssetForm(**kwargs)
        self.narrow_form_choices(form)
        return form

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.user.is_authenticated
            and "pk" not in kwargs
            and self.has_permission()
            and self.school_id(None) is None
        ):
            messages.error(request, _("Choose a school in the school switcher first."))
            return HttpResponseRedirect(reverse("assets:asset_list"))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    saved = self.save(form)
                    self.check_saved_scope(saved)
            except AssetError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Saved: %(name)s") % {"name": saved})
                return HttpResponseRedirect(saved.get_absolute_url())
        return self.render(form, obj)

    def save(self, form: Any) -> Any:
        asset = form.instance
        if asset.pk is None:
            return asset_register(
                actor=self.request.user, asset=asset, code=form.cleaned_data.get("code") or ""
            )
        return asset_update(actor=self.request.user, asset=asset)

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        crumbs: list[tuple[str, str | None]] = [(_("Asset register"), reverse("assets:asset_list"))]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
            context["title"] = _("Edit %(name)s") % {"name": obj}
        else:
            context["title"] = _("Register an asset")
        crumbs.append((_("Add") if obj is None else _("Edit"), None))
        context["breadcrumbs"] = crumbs
        return response


class AssetStatusView(ScopedViewMixin, View):
    """POST: set the card idle, in use, under repair or lost, with a note in the ledger."""

    model = Asset
    permission_required = "assets.change_asset"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        get_object_or_404(self.get_queryset(), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        asset = get_object_or_404(self.get_queryset(), pk=pk)
        form = AssetStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose one of the offered statuses."))
            return HttpResponseRedirect(asset.get_absolute_url())
        try:
            asset = asset_set_status(
                actor=request.user,
                asset=asset,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except AssetError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Status: %(status)s") % {"status": asset.get_status_display()}
            )
        return HttpResponseRedirect(asset.get_absolute_url())


class AssetSettingsView(ScopedViewMixin, View):
    """The asset policy of the active school: everyone with the view permission reads it,
    holders of the change permission edit it."""

    model = AssetSettings
    permission_required = "assets.view_assetsettings"

    def school_id(self) -> int | None:
        allowed = self.allowed_school_ids()
        active = active_school_id(self.request)
        if active in allowed:
            return active
        return allowed[0] if allowed else None

    def can_change(self, school_id: int | None) -> bool:
        return has_perm_in_school(self.request.user, "assets.change_assetsettings", school_id)

    def get(self, request: HttpRequest) -> HttpResponse:
        school_id = self.school_id()
        if school_id is None:
            raise PermissionDenied
        policy = AssetSettings.for_school(school_id)
        return self.render(policy, AssetSettingsForm(instance=policy))

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = self.school_id()
        if not self.can_change(school_id):
            raise PermissionDenied
        assert school_id is not None
        policy = AssetSettings.for_school(school_id)
        form = AssetSettingsForm(request.POST, instance=policy)
        if not form.is_valid():
            return self.render(policy, form, status=422)
        form.save()
        messages.success(request, _("The asset policy was saved."))
        return HttpResponseRedirect(reverse("assets:settings"))

    def render(self, policy: AssetSettings, form: Any, status: int = 200) -> HttpResponse:
        title = _("Asset policy")
        fields = []
        for name, field in form.fields.items():
            shown = getattr(policy, f"get_{name}_display", None)
            value = shown() if callable(shown) else getattr(policy, name)
            fields.append((field.label, display(value)))
        context = {
            "title": title,
            "school": policy.school,
            "form": form,
            "fields": fields,
            "can_change": self.can_change(policy.school_id),
            "policy": policy,
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(self.request, "assets/settings.html", context, status=status)
