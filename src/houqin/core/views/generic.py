"""Generic list, detail, edit and delete pages, declared by attributes and written once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, ProtectedError, Q, QuerySet
from django.forms import ModelForm
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from ..exportjobs.services import offload
from ..exports import xlsx_response
from ..models import AuditEntry
from ..paging import paginator_for
from ..schools import active_school_id
from ..tables import Table, display
from .mixins import ScopedViewMixin


def perm_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def url_name(model: type[Model], action: str) -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


def optional_url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class ObjectListView(ScopedViewMixin, View):
    """Filters, search, sort, server-side paging with a total count, xlsx export, empty state."""

    table_class: type[Table]
    filterset_class: Any = None
    search_fields: Sequence[str] = ()
    default_sort: str = ""
    template_name = "core/object_list.html"
    partial_template_name = "core/_object_table.html"
    page_size = 50
    title: str = ""

    def get_permission_required(self) -> str:
        return self.permission_required or perm_name(self.model, "view")

    def filtered(self) -> tuple[QuerySet[Any], Any]:
        queryset = self.narrow_to_active_school(self.get_queryset())
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                self.request.GET or None, queryset=queryset, request=self.request
            )
            if self.many_schools() and hasattr(filterset, "defer_school_choices"):
                filterset.defer_school_choices()
            if filterset.is_bound and filterset.is_valid():
                queryset = filterset.qs
        query = self.request.GET.get("q", "").strip()
        if query and self.search_fields:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            queryset = queryset.filter(condition)
        return queryset, filterset

    def many_schools(self) -> bool:
        """The list spans several schools: "all my schools" of a user who has more than one."""
        return active_school_id(self.request) is None and len(self.allowed_school_ids()) > 1

    def sorted(self, queryset: QuerySet[Any]) -> tuple[QuerySet[Any], str]:
        sort = self.request.GET.get("sort", self.default_sort)
        ordering = self.table_class.ordering_for(sort)
        if ordering is None:
            sort = self.default_sort
            ordering = self.table_class.ordering_for(sort) or ("-pk",)
        return queryset.order_by(*ordering, "pk"), sort

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        queryset, filterset = self.filtered()
        queryset, sort = self.sorted(queryset)
        if request.GET.get("export") == "xlsx":
            return self.export(queryset)
        paginator = paginator_for(queryset, self.page_size, keys_first=sort != self.default_sort)
        page = paginator.get_page(request.GET.get("page"))
        table = self.table_class(page.object_list, sort=sort)
        params = request.GET.copy()
        for key in ("page", "sort", "export"):
            params.pop(key, None)
        context = {
            "view": self,
            "title": self.get_title(),
            "table": table,
            "page": page,
            "filterset": filterset,
            "query": request.GET.get("q", ""),
            "search_enabled": bool(self.search_fields),
            "base_params": params.urlencode(),
            "sort": sort,
            "add_url": self.add_url(),
            "import_url": self.import_url(),
            "is_filtered": bool(params),
            "breadcrumbs": [(self.get_title(), None)],
        }
        context.update(self.extra_context())
        template = self.template_name
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "object-table":
            template = self.partial_template_name
        return TemplateResponse(request, template, context)

    def export(
        self, queryset: QuerySet[Any], table_class: type[Table] | None = None
    ) -> HttpResponseBase:
        """The filtered rows as xlsx: built now, or in the background when they are many."""
        title = self.get_title()
        queued = offload(self.request, title, queryset.count())
        return queued or xlsx_response(title, table_class or self.table_class, queryset)

    def get_title(self) -> str:
        return self.title or str(self.model._meta.verbose_name_plural)

    def add_url(self) -> str | None:
        if not self.allowed_add():
            return None
        return optional_url(url_name(self.model, "add"))

    def import_url(self) -> str | None:
        """The model's import page (``<app>:<model>_import``) if it has one and the user may add."""
        if not self.allowed_add():
            return None
        return optional_url(url_name(self.model, "import"))

    def allowed_add(self) -> bool:
        from ..scoping import school_ids

        return bool(school_ids(self.request.user, perm_name(self.model, "add")))

    def extra_context(self) -> dict[str, Any]:
        return {}


class ObjectDetailView(ScopedViewMixin, View):
    """One object: its fields, related lists and a history tab."""

    template_name = "core/object_detail.html"
    detail_fields: Sequence[str | tuple[str, Any]] = ()
    history_limit = 100
    #: Attachments and the activity timeline (comments…) under the details.
    show_attachments = True

    def get_permission_required(self) -> str:
        return self.permission_required or perm_name(self.model, "view")

    def get_object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def fields(self, obj: Any) -> list[tuple[str, str]]:
        result = []
        for spec in self.detail_fields:
            if isinstance(spec, tuple):
                label, getter = spec
                value = getter(obj)
            else:
                field = obj._meta.get_field(spec)
                label = field.verbose_name
                display_fn = getattr(obj, f"get_{spec}_display", None)
                value = display_fn() if callable(display_fn) else getattr(obj, spec)
            result.append((str(label), display(value)))
        return result

    def related(self, obj: Any) -> list[dict[str, Any]]:
        """Related lists shown under the details: title, table, link to the full list."""
        return []

    def history(self, obj: Any) -> list[AuditEntry]:
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        return list(
            AuditEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
            .select_related("actor", "content_type")
            .order_by("-created_at", "-id")[: self.history_limit]
        )

    def attachments_panel(self, obj: Any) -> dict[str, Any]:
        """Context of ``core/_attachments.html`` and ``core/_timeline.html`` (or nothing)."""
        if not self.show_attachments:
            return {}
        from ..attachments.selectors import object_panel

        return object_panel(self.request, obj)

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        from ..scoping import has_perm_in_school

        user = self.request.user
        school_id = getattr(obj, getattr(self.model, "scope_field", "school_id"), None)
        result = []
        for action, label, style in (
            ("edit", _("Edit"), "primary"),
            ("delete", _("Delete"), "outline-danger"),
        ):
            perm = perm_name(self.model, "change" if action == "edit" else "delete")
            if has_perm_in_school(user, perm, school_id):
                url = optional_url(url_name(self.model, action), obj.pk)
                if url:
                    result.append({"label": label, "url": url, "style": style})
        return result

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        tab = request.GET.get("tab", "details")
        list_url = optional_url(url_name(self.model, "list"))
        context = {
            "view": self,
            "object": obj,
            "title": str(obj),
            "model_name": self.model._meta.verbose_name,
            "tab": tab,
            "fields": self.fields(obj) if tab == "details" else [],
            "related": self.related(obj) if tab == "details" else [],
            "history": self.history(obj) if tab == "history" else [],
            **(self.attachments_panel(obj) if tab == "details" else {}),
            "actions": self.actions(obj),
            "breadcrumbs": [
                (self.model._meta.verbose_name_plural, list_url),
                (str(obj), None),
            ],
        }
        return TemplateResponse(request, self.template_name, context)


class ObjectEditView(ScopedViewMixin, View):
    """Create (no ``pk``) or change an object with inline form errors."""

    form_class: type[ModelForm[Any]]
    template_name = "core/object_edit.html"

    def is_create(self) -> bool:
        return "pk" not in self.kwargs

    def get_permission_required(self) -> str:
        return self.permission_required or perm_name(
            self.model, "add" if self.is_create() else "change"
        )

    def get_object(self) -> Any:
        if self.is_create():
            return None
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        from ..schools import active_school_id

        initial: dict[str, Any] = {}
        active = active_school_id(self.request)
        if active is not None and active in self.allowed_school_ids():
            initial["school"] = active
        for key, value in self.request.GET.items():
            initial.setdefault(key, value)
        return initial

    def get_form(self, obj: Any, data: Any = None) -> ModelForm[Any]:
        kwargs: dict[str, Any] = {"instance": obj, "data": data}
        if obj is None:
            kwargs["initial"] = self.get_initial()
        form = self.form_class(**kwargs)
        self.narrow_form_choices(form)
        return form

    def render(self, form: ModelForm[Any], obj: Any) -> HttpResponse:
        verbose = self.model._meta.verbose_name
        title = _("New %(name)s") % {"name": verbose} if obj is None else str(obj)
        crumbs: list[tuple[Any, str | None]] = [
            (self.model._meta.verbose_name_plural, optional_url(url_name(self.model, "list")))
        ]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
        crumbs.append((_("Add") if obj is None else _("Edit"), None))
        cancel = obj.get_absolute_url() if obj is not None else crumbs[0][1]
        context = {
            "view": self,
            "form": form,
            "object": obj,
            "title": title,
            "breadcrumbs": crumbs,
            "cancel_url": cancel or "/",
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        return self.render(self.get_form(obj), obj)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        with transaction.atomic():  # an out-of-scope save is undone, not left behind
            saved = self.save(form)
            self.check_saved_scope(saved)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(saved.get_absolute_url())

    def save(self, form: ModelForm[Any]) -> Any:
        return form.save()

    def check_saved_scope(self, saved: Any) -> None:
        """Defence in depth: the saved object must lie within the user's scope."""
        from ..scoping import forget

        forget(self.request.user)
        if not self.get_queryset().filter(pk=saved.pk).exists():
            raise Http404


class ObjectDeleteView(ScopedViewMixin, View):
    """Delete with confirmation; objects still in use are refused with the reason."""

    template_name = "core/object_delete.html"

    def get_permission_required(self) -> str:
        return self.permission_required or perm_name(self.model, "delete")

    def get_object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        context = {
            "object": obj,
            "title": _("Delete %(name)s") % {"name": obj},
            "breadcrumbs": [
                (self.model._meta.verbose_name_plural, optional_url(url_name(self.model, "list"))),
                (str(obj), obj.get_absolute_url()),
                (_("Delete"), None),
            ],
        }
        return TemplateResponse(request, self.template_name, context)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        name = str(obj)
        try:
            obj.delete()
        except ProtectedError as exc:
            used_by = sorted({str(o._meta.verbose_name) for o in exc.protected_objects})
            messages.error(
                request,
                _("%(name)s cannot be deleted because it is still used by: %(used)s.")
                % {"name": name, "used": "、".join(used_by)},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted: %(name)s") % {"name": name})
        return HttpResponseRedirect(self.get_success_url(obj))

    def get_success_url(self, obj: Any) -> str:
        return optional_url(url_name(self.model, "list")) or "/"
