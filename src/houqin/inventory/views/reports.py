"""The consumption report (耗材消耗统计): by department and person for a term or school year,
top items, the monthly trend against the previous school year; the district compares its
schools and opens one school's departments."""

from __future__ import annotations

import datetime
from decimal import Decimal
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
from houqin.org.models import Department, School, SchoolYear, Term

from ..choices import MovementKind
from ..models import StockMovement
from ..reports import (
    ConsumptionScope,
    export_response,
    figures,
    school_departments,
    shift_year,
)

REPORTS = "inventory.view_inventory_reports"
KINDS = [
    ("", gettext_lazy("All consumption")),
    (MovementKind.ISSUE, gettext_lazy("Requisitions")),
    (MovementKind.PRINT, gettext_lazy("Printing paper")),
    (MovementKind.REPAIR, gettext_lazy("Repair parts")),
]
CENT, MILLI = Decimal("0.01"), Decimal("0.001")
Period = tuple[datetime.date, datetime.date, datetime.date, datetime.date, str]


class ConsumptionFilterForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False)
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), queryset=Department.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KINDS, required=False)

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[str, str]],
        schools: list[int],
        chosen: list[int],
        **kw: Any,
    ):
        """``schools`` may be chosen from (several: the district picks one or all);
        ``chosen`` are those shown (one: its departments may be picked)."""
        super().__init__(*args, **kw)
        cast(forms.ChoiceField, self.fields["period"]).choices = periods
        if len(schools) > 1:
            school = cast(forms.ModelChoiceField, self.fields["school"])  # type: ignore[type-arg]
            school.queryset = School.objects.filter(pk__in=schools).order_by("name")
            school.empty_label = _("All schools")
        else:
            del self.fields["school"]
        if len(chosen) == 1:
            field = cast(forms.ModelChoiceField, self.fields["department"])  # type: ignore[type-arg]
            field.queryset = Department.objects.filter(school_id=chosen[0])
        else:
            del self.fields["department"]


def report_schools(request: HttpRequest) -> list[int]:
    """The schools whose figures the user may see, following the school switcher."""
    allowed = school_ids(request.user, REPORTS)
    active = active_school_id(request)
    return [active] if active in allowed else allowed


def _calendar_years(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    first = today.year if today.month >= 9 else today.year - 1
    return [
        (datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31))
        for year in range(first, first - 4, -1)
    ]


def periods(schools: list[int], today: datetime.date) -> tuple[list[Any], str, dict[str, Period]]:
    """The periods to choose from (one school: its school years and terms; several: school
    years by date), the current one, and each one's dates with the comparison dates."""
    choices: list[tuple[str, str]] = []
    found: dict[str, Period] = {}
    current = ""
    if len(schools) == 1:
        years = list(SchoolYear.objects.filter(school_id=schools[0]).order_by("-start")[:5])
        terms = list(Term.objects.filter(school_year__in=years).order_by("-start"))
        for n, year in enumerate(years[:4]):
            before = years[n + 1] if n + 1 < len(years) else None
            key = f"y{year.pk}"
            choices.append((key, year.name))
            found[key] = (
                year.start,
                year.end,
                before.start if before else shift_year(year.start),
                before.end if before else shift_year(year.end),
                year.name,
            )
            if year.start <= today <= year.end and not current:
                current = key
            for term in terms:
                if term.school_year_id != year.pk:
                    continue
                twin = next(
                    (
                        t
                        for t in terms
                        if before and t.school_year_id == before.pk and t.kind == term.kind
                    ),
                    None,
                )
                tkey = f"t{term.pk}"
                label = f"{year.name} · {term.get_kind_display()}"
                choices.append((tkey, label))
                found[tkey] = (
                    term.start,
                    term.end,
                    twin.start if twin else shift_year(term.start),
                    twin.end if twin else shift_year(term.end),
                    label,
                )
                if term.start <= today <= term.end:
                    current = tkey
    if not choices:
        for start, end in _calendar_years(today):
            key = f"c{start.year}"
            label = _("%(first)s–%(second)s school year") % {
                "first": start.year,
                "second": end.year,
            }
            choices.append((key, label))
            found[key] = (start, end, shift_year(start), shift_year(end), label)
        current = choices[0][0]
    return choices, current or choices[0][0], found


def chosen_schools(request: HttpRequest, schools: list[int]) -> list[int]:
    """The one school of ``schools`` the district opened (``?school=``), else all of them."""
    raw = request.GET.get("school", "")
    if len(schools) > 1 and raw.isdigit() and int(raw) in schools:
        return [int(raw)]
    return schools


def build_scope(request: HttpRequest) -> tuple[ConsumptionScope, ConsumptionFilterForm, str]:
    schools = report_schools(request)
    chosen = chosen_schools(request, schools)
    # The district keeps its own periods when it opens a school, so the two views compare.
    choices, current, found = periods(schools, timezone.localdate())
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = current
    form = ConsumptionFilterForm(data, periods=choices, schools=schools, chosen=chosen)
    key, department, kind = current, None, ""
    if form.is_valid():
        key = form.cleaned_data.get("period") or current
        picked = form.cleaned_data.get("department")
        department = picked.pk if picked is not None else None
        kind = form.cleaned_data.get("kind") or ""
    else:
        chosen = schools
    start, end, previous_start, previous_end, label = found[key]
    scope = ConsumptionScope(
        school_ids=tuple(chosen),
        start=start,
        end=end,
        previous_start=previous_start,
        previous_end=previous_end,
        department_id=department,
        kind=kind,
    )
    return scope, form, label


def money_text(value: Any) -> str:
    """``floatformat:"2g"`` (grouped, two places, as the site's Chinese and English formats
    write numbers) without its per-value cost: a district lists many rows."""
    return f"{Decimal(value).quantize(CENT):,}"


def quantity_text(value: Any) -> str:
    """``floatformat:"-3"``: no decimals for whole numbers, else three."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1))}"
    return f"{value.quantize(MILLI)}"


def with_text(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows' figures formatted once for the tables."""
    for row in rows:
        row["amount_text"] = money_text(row["amount"])
        row["quantity_text"] = quantity_text(row["quantity"])
        if "previous" in row:
            row["previous_text"] = money_text(row["previous"])
        if row.get("change") is not None:
            row["change_text"] = f"{row['change']:.1f}"
    return rows


def chart_data(found: dict[str, Any]) -> dict[str, Any]:
    """What inventory-requisitions.js draws, with its translated labels (the bars: the
    schools of a district, else the departments)."""
    months = found["months"]
    departments = (found["schools"] or found["departments"])[:15]
    return {
        "labels": {
            "amount": _("This period (yuan)"),
            "previous": _("Previous year (yuan)"),
            "noData": _("No consumption in this period"),
        },
        "months": {
            "x": months["months"],
            "amount": [float(v) for v in months["amount"]],
            "previous": [float(v) for v in months["previous"]],
        },
        "departments": {
            "x": [row["label"] for row in departments],
            "amount": [float(row["amount"]) for row in departments],
            "previous": [float(row["previous"]) for row in departments],
        },
    }


class ConsumptionReportView(ReportReadsMixin, ScopedViewMixin, View):
    model = StockMovement
    permission_required = REPORTS
    template_name = "inventory/consumption_report.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        scope, form, period = build_scope(request)
        several = len(scope.school_ids) > 1
        found = figures(scope, schools=several)
        title = _("Consumption report")
        if request.GET.get("export") == "xlsx":
            if several:
                found["departments"] = school_departments(scope)
            return export_response(found, title, period)
        for part in ("schools", "departments", "people", "items"):
            with_text(found[part])
        params = request.GET.copy()
        params.pop("export", None)
        for row in found["schools"]:
            opened = params.copy()
            opened["school"] = str(row["id"])
            row["url"] = "?" + opened.urlencode()
        totals = found["totals"]
        context = {
            "title": title,
            "breadcrumbs": [(title, None)],
            "form": form,
            "period": period,
            "previous_period": f"{scope.previous_start.isoformat()} – "
            f"{scope.previous_end.isoformat()}",
            "figures": found,
            "totals": totals,
            "charts": chart_data(found),
            "several": several,
            "query": params.urlencode(),
            "as_of": found["as_of"],
            "empty": not totals["amount"] and not totals["count"] and not totals["previous"],
        }
        return TemplateResponse(request, self.template_name, context)
