"""Department quota pages: per term and department, with what was used and what is left."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.core.views import ObjectDeleteView, ObjectEditView, ObjectListView

from ..filters_requisitions import QuotaFilter
from ..forms_requisitions import QuotaForm
from ..models import DepartmentQuota
from ..services.quotas import QuotaError, quota_save, with_usage
from ..tables_requisitions import QuotaTable


def list_url() -> str:
    return reverse("inventory:quota_list")


class QuotaListView(ObjectListView):
    model = DepartmentQuota
    table_class = QuotaTable
    filterset_class = QuotaFilter
    default_sort = "-term"

    def get_title(self) -> str:
        return _("Department quotas")

    def base_queryset(self) -> QuerySet[Any]:
        return with_usage(DepartmentQuota.objects.select_related("term__school_year", "department"))

    def add_url(self) -> str | None:
        return reverse("inventory:quota_add") if self.allowed_add() else None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None)
        if context is not None and "table" in context:
            context["table"].editable = self.allowed_change()
        return response

    def allowed_change(self) -> bool:
        from houqin.core.scoping import school_ids

        return bool(school_ids(self.request.user, "inventory.change_departmentquota"))


class QuotaEditView(ObjectEditView):
    model = DepartmentQuota
    form_class = QuotaForm

    def render(self, form: ModelForm[Any], obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        context["breadcrumbs"][0] = (DepartmentQuota._meta.verbose_name_plural, list_url())
        if obj is None:
            context["cancel_url"] = list_url()
        context["title"] = _("New department quota") if obj is None else str(obj)
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        try:
            with transaction.atomic():
                saved = quota_save(actor=request.user, quota=form.instance)
                self.check_saved_scope(saved)
        except QuotaError as exc:
            form.add_error(None, str(exc))
            return self.render(form, obj)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(list_url())


class QuotaDeleteView(ObjectDeleteView):
    model = DepartmentQuota

    def get_success_url(self, obj: Any) -> str:
        return list_url()
