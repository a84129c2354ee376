"""Asset categories (GB/T 14885), shared by every school: the tree, one category, edits."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.scoping import school_ids
from houqin.core.tables import display
from houqin.core.views import ObjectDetailView, ObjectEditView, ScopedViewMixin
from houqin.core.views.mixins import narrow

from ..forms_register import CategoryForm
from ..models import Asset, AssetCategory
from ..selectors import category_subtree, category_tree


class SharedCategoryMixin:
    """Categories belong to no school: the permission is the whole scope."""

    model: Any = AssetCategory
    unscoped_choice_fields: tuple[str, ...] = ("parent",)

    def get_queryset(self) -> QuerySet[Any]:
        return AssetCategory.objects.select_related("parent__parent")


def visible_assets(view: ScopedViewMixin) -> QuerySet[Asset]:
    """Cards on the register the user may see, in the active school (if one is chosen)."""
    user = view.request.user
    assets = narrow(Asset.objects.active(), user, "assets.view_asset")  # type: ignore[attr-defined]
    return view.narrow_to_active_school(assets)


class CategoryListView(SharedCategoryMixin, ScopedViewMixin, View):
    """The tree, indented by level, with each category's inherited life and its cards."""

    permission_required = "assets.view_assetcategory"
    page_size = 200

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        counts = visible_assets(self) if school_ids(request.user, "assets.view_asset") else None
        nodes = category_tree(counts)
        query = request.GET.get("q", "").strip().casefold()
        if query:
            nodes = [
                n
                for n in nodes
                if query in n.category.name.casefold()
                or query in n.category.code.casefold()
                or query in n.category.name_en.casefold()
            ]
        page = Paginator(nodes, self.page_size).get_page(request.GET.get("page"))
        can_add = bool(school_ids(request.user, "assets.add_assetcategory"))
        title = str(AssetCategory._meta.verbose_name_plural)
        context = {
            "title": title,
            "page": page,
            "nodes": page.object_list,
            "query": request.GET.get("q", ""),
            "base_params": f"q={query}" if query else "",
            "add_url": reverse("assets:category_add") if can_add else None,
            "asset_list_url": reverse("assets:asset_list"),
            "show_counts": counts is not None,
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(request, "assets/category_list.html", context)


class CategoryDetailView(SharedCategoryMixin, ObjectDetailView):
    template_name = "assets/category_detail.html"
    show_attachments = False

    def fields(self, obj: Any) -> list[tuple[str, str]]:
        depreciable, life = obj.resolved()
        meta = AssetCategory._meta
        rows: list[tuple[Any, Any]] = [
            (meta.get_field("code").verbose_name, obj.code),
            (meta.get_field("code_source").verbose_name, obj.code_source),
            (meta.get_field("name").verbose_name, obj.name),
            (meta.get_field("name_en").verbose_name, obj.name_en),
            (meta.get_field("level").verbose_name, obj.get_level_display()),
            (meta.get_field("parent").verbose_name, obj.parent),
            (_("depreciated"), depreciable),
            (
                _("depreciation life (years)"),
                _("%(life)s (inherited)") % {"life": life}
                if obj.life_years is None and life
                else life,
            ),
            (meta.get_field("life_source").verbose_name, obj.life_source),
            (meta.get_field("is_active").verbose_name, obj.is_active),
        ]
        if obj.depreciable is None:
            rows[6] = (
                _("depreciated"),
                _("%(value)s (inherited)") % {"value": display(depreciable)},
            )
        return [(str(label), display(value)) for label, value in rows]

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        user = self.request.user
        if school_ids(user, "assets.change_assetcategory"):
            return [
                {
                    "label": _("Edit"),
                    "url": reverse("assets:category_edit", args=[obj.pk]),
                    "style": "primary",
                }
            ]
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        category = response.context_data["object"]  # type: ignore[attr-defined]
        children = list(category.children.order_by("sort_order", "code", "name"))
        can_see_assets = bool(school_ids(request.user, "assets.view_asset"))
        extra: dict[str, Any] = {"children": children, "asset_count": None}
        if can_see_assets:
            assets = visible_assets(self).filter(category_id__in=category_subtree(category))
            extra["asset_count"] = assets.count()
            extra["assets_url"] = f"{reverse('assets:asset_list')}?category={category.pk}"
        if school_ids(request.user, "assets.add_assetcategory") and category.level < 3:
            extra["add_child_url"] = f"{reverse('assets:category_add')}?parent={category.pk}"
        extra["breadcrumbs"] = [(_("Asset categories"), reverse("assets:category_list"))]
        extra["breadcrumbs"] += [(str(a), a.get_absolute_url()) for a in ancestors(category)]
        extra["breadcrumbs"].append((str(category), None))
        response.context_data.update(extra)  # type: ignore[attr-defined]
        return response


def ancestors(category: AssetCategory) -> list[AssetCategory]:
    found: list[AssetCategory] = []
    node = category.parent
    while node is not None:
        found.insert(0, node)
        node = node.parent
    return found


class CategoryEditView(SharedCategoryMixin, ObjectEditView):
    form_class = CategoryForm

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        list_url = reverse("assets:category_list")
        crumbs: list[tuple[str, str | None]] = [(_("Asset categories"), list_url)]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
        crumbs.append((_("Add") if obj is None else _("Edit"), None))
        context["breadcrumbs"] = crumbs
        if obj is None:
            context["cancel_url"] = list_url
        return response
