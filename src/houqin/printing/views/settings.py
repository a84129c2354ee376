"""The school's printing settings: who needs approval, from how many sheets, paper cost."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school
from houqin.core.tables import display
from houqin.core.views import ScopedViewMixin
from houqin.org.models import School

from ..forms import PrintSettingsForm
from ..models import PrintSettings
from ..services.policy import print_settings_save, settings_for

CHANGE = "printing.change_printsettings"


class PrintSettingsView(ScopedViewMixin, View):
    """Holders of the change permission edit the settings; the print room reads them."""

    model = PrintSettings
    permission_required = "printing.view_printsettings"

    def school_id(self) -> int:
        allowed = self.allowed_school_ids()
        active = active_school_id(self.request)
        if active in allowed:
            return int(active)  # type: ignore[arg-type]
        if not allowed:
            raise PermissionDenied
        return allowed[0]

    def can_change(self, school_id: int) -> bool:
        return has_perm_in_school(self.request.user, CHANGE, school_id)

    def get(self, request: HttpRequest) -> HttpResponse:
        config = settings_for(self.school_id())
        return self.render(config, PrintSettingsForm(instance=config))

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = self.school_id()
        if not self.can_change(school_id):
            raise PermissionDenied
        config = settings_for(school_id)
        form = PrintSettingsForm(request.POST, instance=config)
        if not form.is_valid():
            return self.render(config, form, status=422)
        print_settings_save(actor=request.user, config=form.instance)
        messages.success(request, _("The printing settings were saved."))
        return HttpResponseRedirect(reverse("printing:printing_settings"))

    def render(self, config: PrintSettings, form: Any, status: int = 200) -> HttpResponse:
        title = _("Printing settings")
        shown = []
        for name, field in form.fields.items():
            getter = getattr(config, f"get_{name}_display", None)
            value = getter() if callable(getter) else getattr(config, name)
            shown.append((field.label, display(value)))
        context = {
            "title": title,
            "school": School.objects.filter(pk=config.school_id).first(),
            "form": form,
            "fields": shown,
            "can_change": self.can_change(config.school_id),
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(self.request, "printing/settings.html", context, status=status)
