"""Import pages: upload a file against a spec, see every error at once, or get the template."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.apps import apps
from django.contrib import messages
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..forms import EMPTY_CHOICE, StyledFormMixin
from ..imports import ImportContext, ImportSpec, import_file, write_template
from ..imports.parsers import Choice, Lookup
from ..schools import active_school_id
from .generic import optional_url, perm_name, url_name
from .mixins import ScopedViewMixin

MAX_ERRORS_SHOWN = 1000
MAX_VALUES_SHOWN = 30
ACCEPT = ".xlsx,.xls,.ods,.csv"


class ImportForm(StyledFormMixin, forms.Form):
    school = forms.TypedChoiceField(label=gettext_lazy("school"), coerce=int)
    file = forms.FileField(
        label=gettext_lazy("File"),
        allow_empty_file=True,
        help_text=gettext_lazy("xlsx, xls, ods or CSV (UTF-8 or GBK)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, schools: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schools = schools
        field = cast(forms.TypedChoiceField, self.fields["school"])
        field.choices = [("", EMPTY_CHOICE), *((s.pk, s.name) for s in schools)]
        if len(schools) == 1:
            field.widget = forms.HiddenInput()
            field.required = False

    def clean_school(self) -> int:
        value = self.cleaned_data.get("school")
        if value in (None, "") and len(self.schools) == 1:
            return int(self.schools[0].pk)
        return int(str(value))


class ObjectImportView(ScopedViewMixin, View):
    """GET: the upload form, a link to the template and the columns explained. POST: import,
    or show every error (422) having written nothing."""

    spec_class: type[ImportSpec]
    template_name = "core/object_import.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.spec = self.spec_class()

    def get_permission_required(self) -> str:
        return self.permission_required or perm_name(self.spec.model, "add")

    def schools(self) -> list[Any]:
        school_model = apps.get_model("org", "School")
        return list(school_model.objects.filter(pk__in=self.allowed_school_ids()).order_by("name"))

    def initial_school(self, schools: list[Any]) -> Any:
        wanted = self.request.GET.get("school") or active_school_id(self.request)
        for school in schools:
            if str(school.pk) == str(wanted):
                return school
        # With several schools and none chosen, the user picks one: no silent default.
        return schools[0] if len(schools) == 1 else None

    def list_url(self) -> str | None:
        return optional_url(url_name(self.spec.model, "list"))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        schools = self.schools()
        school = self.initial_school(schools)
        form = ImportForm(schools=schools, initial={"school": school.pk if school else None})
        return self.render(form, school)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        schools = self.schools()
        form = ImportForm(request.POST, request.FILES, schools=schools)
        if not form.is_valid():
            return self.render(form, self.initial_school(schools), status=422)
        school = next(s for s in schools if s.pk == form.cleaned_data["school"])
        result = import_file(
            spec=self.spec, file=form.cleaned_data["file"], school=school, actor=request.user
        )
        if not result.ok:
            return self.render(form, school, errors=result.errors, status=422)
        message = _("Imported %(count)s rows into %(school)s.") % {
            "count": result.created,
            "school": school.name,
        }
        if result.skipped_example:
            message += " " + _("The unchanged example row was skipped.")
        messages.success(request, message)
        return HttpResponseRedirect(self.list_url() or "/")

    def columns(self, school: Any) -> list[dict[str, Any]]:
        ctx = ImportContext(school=school, actor=self.request.user)
        result = []
        for column in self.spec.columns:
            values: list[str] = []
            more = 0
            if isinstance(column.parser, Choice | Lookup) and school is not None:
                allowed = column.parser.allowed_values(ctx)
                values = allowed[:MAX_VALUES_SHOWN]
                more = len(allowed) - len(values)
            result.append(
                {
                    "header": column.header(),
                    "required": column.required,
                    "format": column.parser.describe(),
                    "help": str(column.help),
                    "values": values,
                    "more": more,
                }
            )
        return result

    def render(
        self,
        form: ImportForm,
        school: Any,
        errors: list[Any] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        plural = self.spec.model._meta.verbose_name_plural
        title = _("Import %(name)s") % {"name": self.spec.get_title()}
        errors = errors or []
        template_url = optional_url(url_name(self.spec.model, "import_template"))
        if template_url and school is not None:
            template_url += f"?school={school.pk}"
        context = {
            "view": self,
            "title": title,
            "form": form,
            "school": school,
            "columns": self.columns(school),
            "errors": errors[:MAX_ERRORS_SHOWN],
            "error_count": len(errors),
            "errors_hidden": max(0, len(errors) - MAX_ERRORS_SHOWN),
            "template_url": template_url,
            "cancel_url": self.list_url() or "/",
            "breadcrumbs": [(plural, self.list_url()), (_("Import"), None)],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class ImportTemplateView(ObjectImportView):
    """The xlsx template for the school in ``?school=`` (or the active school)."""

    http_method_names = ["get", "head", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        school = self.initial_school(self.schools())
        handle = write_template(self.spec, ImportContext(school=school, actor=request.user))
        name = _("%(name)s import template") % {"name": self.spec.get_title()}
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{name}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def import_paths(prefix: str, name: str, spec_class: type[ImportSpec]) -> list[Any]:
    """``<prefix>/import/`` and ``<prefix>/import/template/`` named ``<name>_import`` and
    ``<name>_import_template``."""
    from django.urls import path

    attrs = {"spec_class": spec_class, "model": spec_class.model}
    upload: type[ObjectImportView] = type(f"{spec_class.__name__}View", (ObjectImportView,), attrs)
    template: type[ImportTemplateView] = type(
        f"{spec_class.__name__}TemplateView", (ImportTemplateView,), attrs
    )
    return [
        path(f"{prefix}/import/", upload.as_view(), name=f"{name}_import"),
        path(f"{prefix}/import/template/", template.as_view(), name=f"{name}_import_template"),
    ]
