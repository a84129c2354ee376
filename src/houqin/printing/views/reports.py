"""The paper report (纸张消耗): per department and teacher, ranking, trend against the year
before on one chart, share by purpose, cost; the district compares its schools."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.dbrouter import ReportReadsMixin
from houqin.core.forms import StyledFormMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import school_ids
from houqin.core.views.mixins import ScopedViewMixin
from houqin.org.models import School, SchoolYear, Term

from ..models import PrintJob
from ..reports import export_response
from ..selectors_paper import PaperScope, paper_figures, year_earlier

REPORTS = "printing.view_printing_reports"
Period = tuple[str, str, datetime.date, datetime.date, datetime.date, datetime.date]


def report_schools(request: HttpRequest) -> list[int]:
    """The schools whose figures the user may see, following the school switcher."""
    allowed = school_ids(request.user, REPORTS)
    active = active_school_id(request)
    return [active] if active in allowed else allowed


def _year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return first, datetime.date(first.year + 1, 8, 31)


def periods(schools: list[int], today: datetime.date) -> tuple[list[Period], str]:
    """(key, label, start, end, year start, year end) of the school years and terms to
    choose from, newest first, and the key of the current school year. One school uses its
    own calendar; several schools (the district) use September to August and two terms."""
    found: list[Period] = []
    current = ""
    years = (
        list(SchoolYear.objects.filter(school_id=schools[0]).order_by("-start")[:4])
        if len(schools) == 1
        else []
    )
    if years:
        terms = list(Term.objects.filter(school_year__in=years).order_by("-start"))
        for year in years:
            found.append((f"y{year.pk}", year.name, year.start, year.end, year.start, year.end))
            if year.start <= today <= year.end:
                current = f"y{year.pk}"
            for term in terms:
                if term.school_year_id == year.pk:
                    label = f"{year.name} · {term.get_kind_display()}"
                    found.append((f"t{term.pk}", label, term.start, term.end, year.start, year.end))
        return found, current or found[0][0]
    first, _last = _year_of(today)
    for back in range(4):
        start = datetime.date(first.year - back, 9, 1)
        end = datetime.date(start.year + 1, 8, 31)
        name = _("%(a)s–%(b)s school year") % {"a": start.year, "b": end.year}
        found.append((f"g{start.year}", name, start, end, start, end))
        autumn_end = datetime.date(end.year, 1, 31)
        autumn, spring_term = _("autumn term"), _("spring term")
        found.append((f"a{start.year}", f"{name} · {autumn}", start, autumn_end, start, end))
        spring = datetime.date(end.year, 2, 1)
        found.append((f"s{start.year}", f"{name} · {spring_term}", spring, end, start, end))
    return found, found[0][0]


class PaperFilterForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False
    )

    def __init__(self, *args: Any, schools: list[int], choices: list[Period], **kwargs: Any):
        super().__init__(*args, **kwargs)
        period = cast(forms.ChoiceField, self.fields["period"])
        period.choices = [(key, label) for key, label, *_rest in choices]
        if len(schools) > 1:
            school = cast(forms.ModelChoiceField, self.fields["school"])  # type: ignore[type-arg]
            school.queryset = School.objects.filter(pk__in=schools)
            school.empty_label = _("All schools")
        else:
            del self.fields["school"]


def build_scope(request: HttpRequest) -> tuple[PaperScope, PaperFilterForm, str, list[Any]]:
    """The scope the filters describe, the bound form, the period's label and the terms the
    "by term" table compares (this school year's and last year's)."""
    schools = report_schools(request)
    today = timezone.localdate()
    choices, current = periods(schools, today) if schools else ([], "")
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = current
    form = PaperFilterForm(data, schools=schools, choices=choices)
    chosen = schools
    key = current
    if form.is_valid():
        key = form.cleaned_data.get("period") or current
        if form.cleaned_data.get("school") is not None:
            chosen = [form.cleaned_data["school"].pk]
    by_key = {row[0]: row for row in choices}
    if key in by_key:
        _key, label, start, end, year_start, year_end = by_key[key]
    else:
        year_start, year_end = _year_of(today)
        start, end, label = year_start, year_end, ""
    if start <= today < end:
        # A period still running is compared with the same days a year earlier, to today.
        end = today
        label = _("%(period)s, to %(day)s") % {
            "period": label,
            "day": formats.date_format(today, "MONTH_DAY_FORMAT"),
        }
    scope = PaperScope(
        school_ids=tuple(chosen),
        start=start,
        end=end,
        year_start=year_start,
        year_end=year_end,
    )
    previous_year = year_earlier(year_start)
    terms = [
        (row[1], row[2], row[3])
        for row in choices
        if row[0][0] in "tas" and previous_year <= row[2] <= year_end
    ]
    terms.reverse()
    return scope, form, label, terms


def chart_data(figures: dict[str, Any], scope: PaperScope) -> dict[str, Any]:
    """What printing-paper.js draws, with translated labels (the bars: a district's
    schools, else the departments)."""
    monthly = figures["monthly"]
    bars = (figures.get("schools") or figures["departments"])[:12]
    this_year = f"{scope.year_start.year}–{scope.year_end.year}"
    before = f"{scope.year_start.year - 1}–{scope.year_end.year - 1}"
    return {
        "labels": {
            "current": _("%(year)s sheets") % {"year": this_year},
            "previous": _("%(year)s sheets") % {"year": before},
            "sheets": _("Sheets"),
            "noData": _("No paper was used in this period"),
        },
        "months": [formats.date_format(m, "YEAR_MONTH_FORMAT") for m in monthly["months"]],
        "monthsShort": [formats.date_format(m, "M") for m in monthly["months"]],
        "current": monthly["current"],
        "previous": monthly["previous"],
        "purposes": [{"name": row["label"], "value": row["sheets"]} for row in figures["purposes"]],
        "departments": {
            "x": [row["label"] for row in bars],
            "current": [row["sheets"] for row in bars],
            "previous": [row["previous"] for row in bars],
        },
    }


class ReportsMixin(ScopedViewMixin):
    model = PrintJob
    permission_required = REPORTS


class PaperReportView(ReportReadsMixin, ReportsMixin, View):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        scope, form, period, terms = build_scope(request)
        several = len(scope.school_ids) > 1
        figures = paper_figures(scope, terms, departments=not several)
        for row in figures.get("schools", []):
            opened = request.GET.copy()
            opened["school"] = str(row["school_id"])
            row["url"] = "?" + opened.urlencode()
        title = _("Paper use")
        context = {
            "title": title,
            "breadcrumbs": [(title, None)],
            "form": form,
            "period": period,
            "scope": scope,
            "figures": figures,
            "totals": figures["totals"],
            "charts": chart_data(figures, scope),
            "query": request.GET.urlencode(),
            "empty": not figures["totals"]["sheets"] and not figures["totals"]["previous"],
            "several": several,
        }
        return TemplateResponse(request, "printing/paper_report.html", context)


class PaperExportView(ReportReadsMixin, ReportsMixin, View):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        scope, _form, period, terms = build_scope(request)
        return export_response(paper_figures(scope, terms), scope, period)
