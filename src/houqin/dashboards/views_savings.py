"""The savings report page (开源节流) and its Excel export."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.dbrouter import ReportReadsMixin
from houqin.core.forms import StyledFormMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import school_ids

from .exports_savings import savings_workbook
from .savings import BLOCK_PERMISSIONS, Period, Scope, per_school_rows, savings_figures


def year_periods(schools: list[int], today: datetime.date) -> list[Period]:
    """The school years of ``schools`` (one per start date, newest first); the current
    September-to-August year when none is recorded."""
    from houqin.org.models import SchoolYear

    found: dict[datetime.date, Period] = {}
    rows = (
        SchoolYear.objects.filter(school_id__in=schools)
        .values_list("start", "end", "name")
        .order_by("-start", "name")
    )
    for start, end, name in rows:
        found.setdefault(start, Period(start, end, name))
    if not found:
        first = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
        end = datetime.date(first.year + 1, 8, 31)
        found[first] = Period(first, end, f"{first.year}-{first.year + 1}")
    return list(found.values())


def default_period(periods: list[Period], today: datetime.date) -> Period:
    for period in periods:
        if period.start <= today <= period.end:
            return period
    started = [p for p in periods if p.start <= today]
    return started[0] if started else periods[-1]


def can_see_savings(user: Any) -> bool:
    return any(school_ids(user, perm) for perm in BLOCK_PERMISSIONS.values())


class SavingsForm(StyledFormMixin, forms.Form):
    year = forms.ChoiceField(label=gettext_lazy("school year"), required=False)
    school = forms.ChoiceField(label=gettext_lazy("school"), required=False)

    def __init__(self, *args: Any, periods: list[Period], schools: dict[int, str], **kw: Any):
        super().__init__(*args, **kw)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (p.start.isoformat(), p.label) for p in periods
        ]
        if len(schools) > 1:
            self.fields["school"].choices = [  # type: ignore[attr-defined]
                ("", _("All my schools (side by side)")),
                *[(str(pk), name) for pk, name in schools.items()],
            ]
        else:
            del self.fields["school"]


class SavingsView(ReportReadsMixin, View):
    """Readers of any of the budget, purchasing, store or paper reports; each block shows
    the schools where the reader holds that block's permission."""

    template_name = "dashboards/savings.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.allowed = {
            block: school_ids(request.user, perm) for block, perm in BLOCK_PERMISSIONS.items()
        }
        if not any(self.allowed.values()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        from houqin.org.models import School

        today = timezone.localdate()
        every = sorted({pk for ids in self.allowed.values() for pk in ids})
        names = dict(School.objects.filter(pk__in=every).order_by("name").values_list("pk", "name"))
        active = active_school_id(request)
        periods = year_periods(every, today)
        form = SavingsForm(request.GET or None, periods=periods, schools=names)
        chosen = default_period(periods, today)
        selected = [active] if active in every else every
        if form.is_bound and form.is_valid():
            year = form.cleaned_data.get("year")
            chosen = next((p for p in periods if p.start.isoformat() == year), chosen)
            school = form.cleaned_data.get("school")
            if school:
                selected = [int(school)]
            elif "school" in form.fields:
                selected = every
        scope = Scope({b: [pk for pk in ids if pk in selected] for b, ids in self.allowed.items()})
        period = Period(chosen.start, chosen.end, chosen.label)
        figures = savings_figures(scope, period)
        previous = next((p for p in periods if p.start == figures["before"].start), None)
        figures["before"] = Period(
            figures["before"].start,
            figures["before"].end,
            previous.label if previous else _("the year before"),
        )
        shown = {pk: names[pk] for pk in selected if pk in names}
        side_by_side = per_school_rows(figures, shown) if len(shown) > 1 else []
        if request.GET.get("export") == "xlsx":
            return savings_workbook(figures, side_by_side)
        title = _("Savings report")
        context = {
            "title": title,
            "form": form,
            "figures": figures,
            "period": period,
            "before": figures["before"],
            "schools": side_by_side,
            "charts": chart_data(figures),
            "query": request.GET.urlencode(),
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(request, self.template_name, context)


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """The JSON blob of the page's ECharts (numbers as floats)."""
    months = [date_format(datetime.date(int(m[:4]), int(m[5:]), 1), "M") for m in figures["months"]]
    period, before = figures["period"], figures["before"]
    data: dict[str, Any] = {
        "months": months,
        "labels": {
            "now": period.label,
            "before": before.label,
            "budget": _("Budget"),
            "spent": _("Spent"),
            "committed": _("Committed"),
            "estimated": _("Estimated"),
            "actual": _("Actual"),
            "change": _("Change (%)"),
            "month": _("Month"),
            "noData": _("No data in this period"),
        },
    }
    budget = figures.get("budget")
    if budget:
        data["budget"] = {
            "categories": [row["label"] for row in budget["categories"]],
            "budget": [float(row["budget"]) for row in budget["categories"]],
            "committed": [float(row["committed"]) for row in budget["categories"]],
            "spent": [float(row["spent"]) for row in budget["categories"]],
        }
    purchasing = figures.get("purchasing")
    if purchasing:
        data["purchasing"] = {
            "estimated": [float(v) for v in purchasing["monthly_estimated"]],
            "actual": [float(v) for v in purchasing["monthly_actual"]],
        }
    store = figures.get("consumables")
    if store:
        data["consumables"] = {
            "now": [float(v) for v in store["monthly"]],
            "before": [float(v) for v in store["monthly_before"]],
        }
    paper = figures.get("paper")
    if paper:
        data["paper"] = {
            "now": paper["monthly"],
            "before": paper["monthly_before"],
            "change": paper["monthly_change"],
        }
    return data
