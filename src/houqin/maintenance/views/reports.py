"""The maintenance dashboard (维修统计), the module's home, and its Excel exports."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.dbrouter import ReportReadsMixin
from houqin.core.forms import StyledFormMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import all_permissions, school_ids
from houqin.core.views.mixins import ScopedViewMixin
from houqin.org.models import Building, School, SchoolYear, Term

from ..models import RepairCategory, WorkOrder
from ..reports import BLOCKS, export_response
from ..selectors_stats import StatsScope, dashboard_figures
from ..widgets import use_quick_selects

REPORTS = "maintenance.view_maintenance_reports"
#: Where somebody without the reports permission lands on the module's home instead.
FALLBACKS = (
    ("maintenance.work_workorder", "maintenance:my_orders"),
    ("maintenance.add_repairrequest", "maintenance:request_mine"),
)


class ReportFilterForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False)
    end = forms.DateField(label=gettext_lazy("To"), required=False)
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False
    )
    building = forms.ModelChoiceField(
        label=gettext_lazy("Building"), queryset=Building.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=RepairCategory.objects.filter(is_active=True),
        required=False,
    )

    def __init__(self, *args: Any, schools: list[int], periods: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        period = cast(forms.ChoiceField, self.fields["period"])
        period.choices = [("", _("Dates below")), *periods]
        if len(schools) > 1:
            school = cast(forms.ModelChoiceField, self.fields["school"])  # type: ignore[type-arg]
            school.queryset = School.objects.filter(pk__in=schools)
        else:
            del self.fields["school"]
        building = cast(forms.ModelChoiceField, self.fields["building"])  # type: ignore[type-arg]
        building.queryset = self._buildings(schools)
        building.label_from_instance = lambda b: b.name  # type: ignore[assignment,method-assign]
        use_quick_selects(self)

    def _buildings(self, schools: list[int]) -> QuerySet[Building]:
        """One school's buildings; over several, those of the school chosen in the filter (a
        district has hundreds), or only the one the address names."""
        buildings = Building.objects.filter(school_id__in=schools).only("pk", "name")
        if len(schools) == 1:
            return buildings
        chosen = {key: str(self.data.get(key) or "") for key in ("school", "building")}
        if chosen["school"].isdigit():
            return buildings.filter(school_id=int(chosen["school"]))
        self.fields["building"].help_text = _("Choose a school to filter by building.")
        if chosen["building"].isdigit():
            return buildings.filter(pk=int(chosen["building"]))
        return buildings.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


def report_schools(request: HttpRequest) -> list[int]:
    """The schools whose figures the user may see, following the school switcher."""
    allowed = school_ids(request.user, REPORTS)
    active = active_school_id(request)
    return [active] if active in allowed else allowed


Dates = dict[str, tuple[datetime.date, datetime.date]]


def _periods(schools: list[int], today: datetime.date) -> tuple[list[Any], str, Dates]:
    """School years and terms to choose from (of one school), the current year's key and
    the dates of each choice."""
    choices: list[tuple[str, str]] = [("recent", _("Last 12 months"))]
    dates: Dates = {"recent": _recent(today)}
    current = "recent"
    if len(schools) != 1:
        return choices, current, dates
    years = list(SchoolYear.objects.filter(school_id=schools[0]).order_by("-start")[:4])
    terms = list(
        Term.objects.filter(school_year__in=years).select_related("school_year").order_by("-start")
    )
    for year in years:
        choices.append((f"y{year.pk}", year.name))
        if year.start <= today <= year.end:
            current = f"y{year.pk}"
        for term in terms:
            if term.school_year_id == year.pk:
                choices.append((f"t{term.pk}", f"{year.name} · {term.get_kind_display()}"))
    dates.update({f"y{y.pk}": (y.start, y.end) for y in years})
    dates.update({f"t{t.pk}": (t.start, t.end) for t in terms})
    return choices, current, dates


def _recent(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime.date(year, month, 1), today


def build_scope(request: HttpRequest) -> tuple[StatsScope, ReportFilterForm, str]:
    """The statistics scope the request's filters describe, the bound form, a period label."""
    schools = report_schools(request)
    today = timezone.localdate()
    periods, current, dates = _periods(schools, today)
    data = request.GET.copy()
    if not any(data.get(k) for k in ("period", "start", "end")):
        data["period"] = current
    form = ReportFilterForm(data, schools=schools, periods=periods)
    start: datetime.date | None
    end: datetime.date | None
    start, end = dates["recent"]
    building_id = category_id = None
    chosen = schools
    if form.is_valid():
        clean = form.cleaned_data
        period = clean.get("period") or ""
        if period in dates:
            start, end = dates[period]
        elif not period:
            start, end = clean.get("start"), clean.get("end")
        if clean.get("school") is not None:
            chosen = [clean["school"].pk]
        building_id = clean["building"].pk if clean.get("building") else None
        category_id = clean["category"].pk if clean.get("category") else None
    scope = StatsScope(
        school_ids=tuple(chosen),
        start=start,
        end=end,
        building_id=building_id,
        category_id=category_id,
    )
    label = " – ".join(d.isoformat() for d in (start, end) if d) or _("All time")
    return scope, form, label


def duration(minutes: float | None) -> str:
    """A time for a figure card: minutes below two hours, hours below two days, then days."""
    if minutes is None:
        return "—"
    if minutes < 120:
        return _("%(n)s min") % {"n": f"{minutes:.0f}"}
    if minutes < 2880:
        return _("%(n)s h") % {"n": f"{minutes / 60:.1f}"}
    return _("%(n)s d") % {"n": f"{minutes / 1440:.1f}"}


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def _bars(rows: list[dict[str, Any]], most: int = 15) -> dict[str, list[Any]]:
    """The first ``most`` rows as a bar chart of requests."""
    return {
        "x": [row["label"] for row in rows[:most]],
        "requests": [row["requests"] for row in rows[:most]],
    }


def chart_data(figures: dict[str, Any]) -> dict[str, Any]:
    """What the charts draw, with their translated labels (read by maintenance-charts.js)."""
    times = figures["times"]
    stats = ("mean", "median", "p90")
    return {
        "labels": {
            "requests": _("Requests"),
            "done": _("Done"),
            "onTime": _("Repaired on time (%)"),
            "responseOnTime": _("Responded on time (%)"),
            "response": _("Response (hours)"),
            "resolution": _("Repair (hours)"),
            "hours": _("Hours"),
            "ratings": _("Ratings"),
            "openNow": _("Open now"),
            "noData": _("No data in this period"),
            "stars": [_("%(n)s stars") % {"n": n} for n in range(1, 6)],
            "stats": [_("Mean"), _("Median"), _("90th percentile")],
        },
        "months": {
            "x": [row["month"] for row in figures["months"]],
            "requests": [row["requests"] for row in figures["months"]],
            "done": [row["done"] for row in figures["months"]],
            "onTime": [row["resolution_on_time_rate"] for row in figures["months"]],
            "responseOnTime": [row["response_on_time_rate"] for row in figures["months"]],
        },
        "categories": [
            {"name": row["label"], "value": row["requests"]} for row in figures["categories"]
        ],
        "buildings": _bars(figures["buildings"]),
        "schools": _bars(sorted(figures.get("schools", []), key=lambda row: -row["requests"])),
        "times": {
            "response": [_hours(times["response"][s]) for s in stats],
            "resolution": [_hours(times["resolution"][s]) for s in stats],
        },
        "satisfaction": [row["count"] for row in figures["satisfaction"]["distribution"]],
        "workers": {
            "x": [row["label"] for row in figures["workers"][:15]],
            "done": [row["done"] for row in figures["workers"][:15]],
            "open": [row["open_now"] for row in figures["workers"][:15]],
        },
    }


def kpi_cards(figures: dict[str, Any]) -> list[dict[str, Any]]:
    totals, times, backlog = figures["totals"], figures["times"], figures["backlog"]
    rating = figures["satisfaction"]
    return [
        {"code": "requests", "label": _("Requests"), "value": totals["requests"]},
        {
            "code": "done",
            "label": _("Done"),
            "value": totals["done"],
            "note": percent(totals["completion_rate"]),
        },
        {
            "code": "on-time",
            "label": _("Repaired on time"),
            "value": percent(totals["resolution_on_time_rate"]),
            "note": _("responded %(rate)s") % {"rate": percent(totals["response_on_time_rate"])},
        },
        {
            "code": "response",
            "label": _("Median response"),
            "value": duration(times["response"]["median"]),
            "note": _("P90 %(t)s") % {"t": duration(times["response"]["p90"])},
        },
        {
            "code": "repair",
            "label": _("Median repair"),
            "value": duration(times["resolution"]["median"]),
            "note": _("P90 %(t)s") % {"t": duration(times["resolution"]["p90"])},
        },
        {
            "code": "satisfaction",
            "label": _("Satisfaction"),
            "value": percent(rating["rate"]),
            "note": _("%(n)s rated, mean %(mean)s")
            % {"n": rating["rated"], "mean": rating["mean"] if rating["mean"] else "—"},
        },
        {"code": "open", "label": _("Open now"), "value": backlog["total"]},
        {
            "code": "overdue",
            "label": _("Overdue now"),
            "value": backlog["overdue"],
            "alert": backlog["overdue"] > 0,
        },
    ]


class ReportsMixin(ScopedViewMixin):
    model = WorkOrder
    permission_required = REPORTS


class DashboardView(ReportReadsMixin, ReportsMixin, View):
    """维修统计: figures, charts and tables of the chosen period and filters."""

    template_name = "maintenance/dashboard.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not self.has_permission():
            perms = all_permissions(request.user)
            for perm, url_name in FALLBACKS:
                if perm in perms:
                    try:
                        return redirect(reverse(url_name))
                    except NoReverseMatch:
                        break
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        scope, form, period = build_scope(request)
        figures = dashboard_figures(scope)
        for row in figures["workers"] + figures.get("schools", []):
            row["resolution_mean_display"] = duration(row["resolution_mean_minutes"])
            row["response_mean_display"] = duration(row.get("response_mean_minutes"))
        query = request.GET.urlencode()
        title = _("Maintenance statistics")
        context = {
            "title": title,
            "breadcrumbs": [(title, None)],
            "form": form,
            "period": period,
            "figures": figures,
            "cards": kpi_cards(figures),
            "charts": chart_data(figures),
            "query": query,
            "blocks": {code: block.title for code, block in BLOCKS.items()},
            "empty": not figures["totals"]["requests"] and not figures["backlog"]["total"],
        }
        return TemplateResponse(request, self.template_name, context)


class ReportExportView(ReportReadsMixin, ReportsMixin, View):
    """``?kind=<block>`` (or ``all``) with the dashboard's filters: an Excel workbook."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        kind = request.GET.get("kind", "all")
        if kind != "all" and kind not in BLOCKS:
            kind = "all"
        scope, _form, period = build_scope(request)
        return export_response(kind, scope, period)
