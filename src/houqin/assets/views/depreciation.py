"""Depreciation pages: the runs, one run's 折旧计提表, posting, and the report of any month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db.models import F, QuerySet, Sum
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.tables import Column, Table, display
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.org.models import School

from ..models import AssetCategory, DepreciationRun, period_label
from ..reports_depreciation import (
    Report,
    Row,
    depreciation_report,
    parse_month,
    report_xlsx,
    top_and_major,
    tree_rows,
)
from ..services.depreciation import (
    DepreciationError,
    depreciation_catch_up,
    depreciation_post,
    missing_periods,
    yuan,
)
from ..services.depreciation_math import CENT
from ..services.register import last_closed_period

VIEW_PERM = "assets.view_depreciationrun"
RUN_PERM = "assets.run_depreciation"


def run_url(run: DepreciationRun) -> str:
    return reverse("assets:depreciationrun_detail", args=[run.pk])


def duration(run: DepreciationRun) -> str:
    return f"{run.duration_ms / 1000:.1f} s" if run.duration_ms >= 100 else f"{run.duration_ms} ms"


class RunTable(Table):
    columns = (
        Column("period", gettext_lazy("month"), accessor="label", order_by="period", link=True),
        Column("asset_count", gettext_lazy("assets"), align_end=True),
        Column("amount", gettext_lazy("depreciation of the month (yuan)"), align_end=True),
        Column(
            "posted_by",
            gettext_lazy("posted by"),
            accessor=lambda run: run.posted_by or _("Scheduled job"),
            order_by="posted_by__real_name",
            hide_on_phone=True,
        ),
        Column(
            "duration",
            gettext_lazy("duration"),
            accessor=duration,
            order_by="duration_ms",
            align_end=True,
            hide_on_phone=True,
        ),
        Column("created_at", gettext_lazy("posted at"), hide_on_phone=True),
        Column(
            "school",
            gettext_lazy("school"),
            accessor="school.name",
            order_by="school__name",
            hide_on_phone=True,
        ),
    )

    def rows(self) -> list[dict[str, Any]]:
        result = super().rows()
        for row, run in zip(result, self.object_list, strict=True):
            row["url"] = run_url(run)
            row["cells"][0]["url"] = row["url"]
        return result


def money_row(row: Row) -> dict[str, Any]:
    """A report or table row with its figures formatted for the page."""
    return {
        "label": row.label,
        "kind": row.kind,
        "count": display(row.count),
        "original": display(row.original),
        "amount": display(row.amount),
        "accumulated": display(row.accumulated),
        "net": display(row.net),
    }


def chosen_school(request: HttpRequest, perm: str, value: str | None = None) -> School | None:
    """The school a page works on: the one asked for, else the active one, else the only one."""
    allowed = school_ids(request.user, perm)
    if value:
        if not (value.isdigit() and int(value) in allowed):
            raise Http404
        return School.objects.get(pk=int(value))
    active = active_school_id(request)
    if active is not None and active in allowed:
        return School.objects.get(pk=active)
    return School.objects.filter(pk__in=allowed).order_by("pk").first()


class DepreciationRunListView(ObjectListView):
    model = DepreciationRun
    table_class = RunTable
    default_sort = "-period"
    template_name = "assets/depreciation_list.html"
    title = gettext_lazy("Depreciation")  # type: ignore[assignment]

    def base_queryset(self) -> QuerySet[Any]:
        return DepreciationRun.objects.select_related("posted_by", "school")

    def extra_context(self) -> dict[str, Any]:
        # The missing months of the school worked in; "all my schools" shows none.
        several = len(school_ids(self.request.user, VIEW_PERM)) > 1
        active = active_school_id(self.request)
        school = None if several and active is None else chosen_school(self.request, VIEW_PERM)
        can_post = school is not None and has_perm_in_school(self.request.user, RUN_PERM, school.pk)
        missing = missing_periods(school.pk) if school is not None else []
        last = last_closed_period()
        return {
            "school": school,
            "can_post": can_post,
            "missing": [period_label(p) for p in missing if p <= last],
            "report_url": reverse("assets:depreciation_report"),
        }


class DepreciationRunDetailView(ObjectDetailView):
    """The 折旧计提表 of one posted month: by category and by department, with totals."""

    model = DepreciationRun
    template_name = "assets/depreciation_detail.html"
    show_attachments = False
    detail_fields: Any = (
        "school",
        "asset_count",
        "amount",
        (gettext_lazy("posted by"), lambda run: run.posted_by or _("Scheduled job")),
        (gettext_lazy("duration"), duration),
        "created_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return DepreciationRun.objects.select_related("posted_by", "school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        run = context["object"]
        context["title"] = _("Depreciation of %(month)s") % {"month": run.label}
        context["model_name"] = _("Depreciation run")
        context["breadcrumbs"] = [
            (_("Depreciation"), reverse("assets:depreciation_list")),
            (run.label, None),
        ]
        if context["tab"] != "history":
            context.update(self.tables(run))
        return response

    def tables(self, run: DepreciationRun) -> dict[str, Any]:
        sums = {
            "n": Sum("asset_count"),
            "original": Sum("original_value"),
            "month": Sum("amount"),
            "acc": Sum("accumulated"),
        }
        by_category = list(run.lines.values("category_id").annotate(**sums))
        categories = AssetCategory.objects.select_related("parent__parent").in_bulk(
            {r["category_id"] for r in by_category}
        )
        by_department = list(
            run.lines.values("department_id", "department__name")
            .annotate(**sums)
            .order_by(F("department__name").asc(nulls_last=True))
        )

        def row(label: str, kind: str, values: Any) -> Row:
            return Row(
                label,
                kind,
                values["n"],
                *(Decimal(values[k]).quantize(CENT) for k in ("original", "month", "acc")),
            )

        category_rows, total = tree_rows(
            [
                (*top_and_major(categories[r["category_id"]]), row("", "major", r))
                for r in by_category
            ]
        )
        department_rows = [
            row(r["department__name"] or _("No department"), "department", r) for r in by_department
        ]
        return {
            "by_category": [money_row(r) for r in category_rows],
            "by_department": [money_row(r) for r in department_rows],
            "total": money_row(total),
            "report_url": f"{reverse('assets:depreciation_report')}?month={run.label}"
            f"&school={run.school_id}",
        }


class DepreciationPostView(ScopedViewMixin, View):
    """POST: post the missing months of the school (or one month, ``month=YYYY-MM``)."""

    model = DepreciationRun
    permission_required = RUN_PERM

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest) -> HttpResponse:
        school = chosen_school(request, RUN_PERM, request.POST.get("school"))
        if school is None:
            raise Http404
        month = request.POST.get("month", "")
        back = reverse("assets:depreciation_list")
        try:
            if month:
                period = parse_month(month)
                if period is None:
                    raise DepreciationError(_("Choose a month, e.g. 2026-10."))
                runs = [depreciation_post(school_id=school.pk, period=period, actor=request.user)]
            else:
                runs = depreciation_catch_up(school_id=school.pk, actor=request.user)
        except DepreciationError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(back)
        if not runs:
            messages.info(request, _("Every month is already posted."))
            return HttpResponseRedirect(back)
        messages.success(
            request,
            _("Posted the depreciation of %(months)s: ¥%(amount)s.")
            % {
                "months": "、".join(run.label for run in runs),
                "amount": display(sum((run.amount for run in runs), yuan(0))),
            },
        )
        return HttpResponseRedirect(run_url(runs[-1]) if len(runs) == 1 else back)


class DepreciationReportView(ScopedViewMixin, View):
    """The report of any month, by category and by department, on the page or in Excel."""

    model = DepreciationRun
    permission_required = VIEW_PERM
    template_name = "assets/depreciation_report.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        school = chosen_school(request, VIEW_PERM, request.GET.get("school"))
        asked = request.GET.get("month")
        period = parse_month(asked)
        error = bool(asked) and period is None
        if period is None:
            period = last_closed_period()
        if school is None:
            raise Http404
        report = depreciation_report(school, period)
        if request.GET.get("export") == "xlsx":
            return report_xlsx(report)
        return TemplateResponse(request, self.template_name, self.context(school, report, error))

    def context(self, school: School, report: Report, error: bool) -> dict[str, Any]:
        run = DepreciationRun.objects.filter(school=school, period=report.period).first()
        allowed = school_ids(self.request.user, VIEW_PERM)
        can_post = out_of_order = False
        if run is None and has_perm_in_school(self.request.user, RUN_PERM, school.pk):
            latest = DepreciationRun.objects.filter(school=school).order_by("-period").first()
            out_of_order = latest is not None and latest.period > report.period
            can_post = report.period <= last_closed_period() and not out_of_order
        title = _("Depreciation report")
        return {
            "title": title,
            "breadcrumbs": [
                (_("Depreciation"), reverse("assets:depreciation_list")),
                (title, None),
            ],
            "school": school,
            "schools": School.objects.filter(pk__in=allowed).order_by("pk")
            if len(allowed) > 1
            else [],
            "report": report,
            "month": report.label,
            "by_category": [money_row(r) for r in report.by_category],
            "by_department": [money_row(r) for r in report.by_department],
            "total": money_row(report.total),
            "run": run,
            "run_url": run_url(run) if run is not None else "",
            "not_over": report.period > last_closed_period(),
            "can_post": can_post,
            "out_of_order": out_of_order,
            "month_error": error,
            "export_url": f"?month={report.label}&school={school.pk}&export=xlsx",
        }
