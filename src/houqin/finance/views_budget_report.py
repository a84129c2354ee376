"""预算执行: the budget execution report of a school year, on a page with charts and as an
Excel workbook; across the schools of a district for holders of the report permission there."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.dbrouter import ReportReadsMixin
from houqin.core.forms import StyledFormMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import school_ids
from houqin.core.views.mixins import ScopedViewMixin
from houqin.org.models import School

from . import reports_budgets as reports
from .models import BudgetLine

PERM = "finance.view_budget_reports"
#: Departments a district's page lists (the largest budgets; the export has them all).
DEPARTMENTS = 20


class ReportForm(StyledFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("School year"), coerce=int, required=False)
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False
    )

    def __init__(self, *args: Any, schools: list[int], years: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = years
        if len(schools) > 1:
            field = cast(forms.ModelChoiceField, self.fields["school"])  # type: ignore[type-arg]
            field.queryset = School.objects.filter(pk__in=schools).order_by("name")
            field.empty_label = _("All schools")
        else:
            del self.fields["school"]


class BudgetReportView(ReportReadsMixin, ScopedViewMixin, View):
    model = BudgetLine
    permission_required = PERM
    template_name = "finance/budget_report.html"

    def schools(self) -> list[int]:
        allowed = school_ids(self.request.user, PERM)
        active = active_school_id(self.request)
        return [active] if active in allowed else allowed

    def scope(self) -> tuple[reports.ReportScope, ReportForm, str]:
        schools = self.schools()
        years = reports.year_choices(schools)
        start = reports.current_start_year(timezone.localdate(), years)
        if not any(year == start for year, _label in years):
            years.insert(0, (start, f"{start}–{start + 1}"))
        data = self.request.GET.copy()
        data.setdefault("year", str(start))
        form = ReportForm(data, schools=schools, years=years)
        chosen = schools
        if form.is_valid():
            start = form.cleaned_data.get("year") or start
            if form.cleaned_data.get("school") is not None:
                chosen = [form.cleaned_data["school"].pk]
        label = dict(years).get(start, f"{start}–{start + 1}")
        return reports.ReportScope(school_ids=tuple(chosen), start_year=start), form, label

    def get(self, request: HttpRequest) -> HttpResponseBase:
        scope, form, period = self.scope()
        export = request.GET.get("export") == "xlsx"
        several = len(scope.school_ids) > 1
        found = reports.figures(scope, None if export or not several else DEPARTMENTS)
        if export:
            return reports.export_response(found, period)
        title = _("Budget execution")
        query = request.GET.copy()
        query.pop("export", None)
        for row in found["schools"]:
            opened = query.copy()
            opened["school"] = str(row["id"])
            row["url"] = "?" + opened.urlencode()
        context = {
            "title": title,
            "breadcrumbs": [(title, None)],
            "form": form,
            "period": period,
            "figures": found,
            "charts": reports.chart_data(found),
            "query": query.urlencode(),
            "empty": not found["departments"],
            "several": several,
            "departments_shown": DEPARTMENTS,
        }
        return TemplateResponse(request, self.template_name, context)
