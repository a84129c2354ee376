"""Stocktake pages: the list, starting one, its progress by room, reconciliation, reports.

Counting (the phone page per room, scanning, ticks, surplus) is in ``stocktakes_count.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from houqin.core.pdf import pdf_response
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.core.workflow import TransitionError

from ..choices import CountResult, StocktakeStatus
from ..forms_stocktakes import StocktakeStartForm
from ..models import Stocktake
from ..reports_stocktakes import (
    MATCH_RATE_DEFINITION,
    figures,
    lines_with,
    report_pdf,
    report_xlsx,
    room_tasks,
)
from ..services import stocktakes as services
from ..services.register import AssetError
from ..tables_stocktakes import StocktakeTable

R = CountResult
S = StocktakeStatus
RELATED = ("created_by", "building", "department", "category", "school")
#: Rows shown per list on the reconciliation page; the report has them all.
SHOWN = 50
ERRORS = (AssetError, TransitionError, ValidationError)


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return services.validation_message(exc)
    return str(exc)


class StocktakeListView(ObjectListView):
    model = Stocktake
    table_class = StocktakeTable
    search_fields = ("number", "name")
    default_sort = "-number"
    title = ""

    def get_title(self) -> str:
        return _("Stocktakes")

    def base_queryset(self) -> QuerySet[Any]:
        return Stocktake.objects.select_related(*RELATED)


class StocktakeStartView(ScopedViewMixin, View):
    """Start a stocktake: name, scope and the building, department or category to count."""

    model = Stocktake
    permission_required = "assets.add_stocktake"
    unscoped_choice_fields = ("category",)

    def get_form(self, data: Any = None) -> StocktakeStartForm:
        initial: dict[str, Any] = {}
        active = active_school_id(self.request)
        allowed = self.allowed_school_ids()
        if active is not None and active in allowed:
            initial["school"] = active
        form = StocktakeStartForm(data=data, initial=initial)
        self.narrow_form_choices(form)
        form.narrow_school(allowed)
        return form

    def render(self, form: StocktakeStartForm) -> HttpResponse:
        list_url = reverse("assets:stocktake_list")
        context = {
            "form": form,
            "title": _("Start a stocktake"),
            "breadcrumbs": [(_("Stocktakes"), list_url), (_("Start"), None)],
            "cancel_url": list_url,
        }
        status = 422 if form.is_bound else 200
        return TemplateResponse(self.request, "assets/stocktake_start.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.get_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        school = data.get("school")
        if school is None:
            from houqin.org.models import School

            school = School.objects.get(pk=form.instance.school_id)
        try:
            stocktake = services.stocktake_start(
                actor=request.user,
                school=school,
                name=data["name"],
                scope=data["scope"],
                building=data.get("building"),
                department=data.get("department"),
                category=data.get("category"),
                is_holiday_campaign=data.get("is_holiday_campaign", False),
                notes=data.get("notes", ""),
            )
        except ERRORS as exc:
            form.add_error(None, error_text(exc))
            return self.render(form)
        messages.success(request, _("Stocktake %(number)s started.") % {"number": stocktake.number})
        return HttpResponseRedirect(stocktake.get_absolute_url())


class StocktakeDetailView(ObjectDetailView):
    """Figures and the task list: every room with its expected and counted assets."""

    model = Stocktake
    template_name = "assets/stocktake_detail.html"
    show_attachments = False
    detail_fields: tuple[Any, ...] = (
        "number",
        "name",
        "status",
        "scope",
        (
            _lazy("what is counted"),
            lambda st: st.building or st.department or st.category or st.school,
        ),
        "is_holiday_campaign",
        "created_by",
        "created_at",
        "closed_by",
        "closed_at",
        "notes",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return Stocktake.objects.select_related(*RELATED, "closed_by")

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context: dict[str, Any] = response.context_data  # type: ignore[attr-defined]
        stocktake: Stocktake = context["object"]
        user = request.user
        school = stocktake.school_id
        context["stocktake_tab"] = context["tab"] != "history"
        if context["tab"] != "history":
            context["figures"] = figures(stocktake)
            context["rooms"] = room_tasks(stocktake)
        context["definition"] = MATCH_RATE_DEFINITION
        context["can_count"] = stocktake.status == S.COUNTING and has_perm_in_school(
            user, "assets.count_stocktake", school
        )
        context["can_change"] = has_perm_in_school(user, "assets.change_stocktake", school)
        return response


class StocktakeActionView(ScopedViewMixin, View):
    """POST finish (counting is over), reopen, apply (the one confirmed step), cancel."""

    model = Stocktake
    permission_required = "assets.change_stocktake"

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        get_object_or_404(self.get_queryset(), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        stocktake = get_object_or_404(self.get_queryset(), pk=pk)
        user = request.user
        target = stocktake.get_absolute_url()
        try:
            if action == "finish":
                services.stocktake_finish_counting(actor=user, stocktake=stocktake)
                messages.success(request, _("Counting finished; check the result and apply it."))
                target = reverse("assets:stocktake_reconcile", args=[pk])
            elif action == "reopen":
                services.stocktake_reopen(actor=user, stocktake=stocktake)
                messages.success(request, _("Counting reopened."))
            elif action == "apply":
                if request.POST.get("confirm") != "yes":
                    messages.error(request, _("Tick the confirmation before applying."))
                    return HttpResponseRedirect(reverse("assets:stocktake_reconcile", args=[pk]))
                done = services.stocktake_apply(actor=user, stocktake=stocktake)
                messages.success(
                    request,
                    _(
                        "Applied: %(moved)s moved, %(lost)s recorded as lost, "
                        "%(repair)s sent to repair. The stocktake is closed."
                    )
                    % done,
                )
                target = reverse("assets:stocktake_reconcile", args=[pk])
            elif action == "cancel":
                services.stocktake_cancel(
                    actor=user, stocktake=stocktake, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Stocktake cancelled."))
            else:
                messages.error(request, _("Unknown action."))
        except ERRORS as exc:
            messages.error(request, error_text(exc))
        return HttpResponseRedirect(target)


class StocktakeReconcileView(ScopedViewMixin, View):
    """Shortage, surplus, wrong-room corrections and damage, with the single apply button."""

    model = Stocktake
    permission_required = "assets.view_stocktake"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        stocktake = get_object_or_404(self.get_queryset().select_related(*RELATED), pk=pk)
        numbers = figures(stocktake)
        sections = []
        for key, title, results, total in (
            ("missing", _("Shortage: missing assets"), (R.MISSING,), numbers["missing"]),
            ("surplus", _("Surplus: registered on the spot"), (R.SURPLUS,), numbers["surplus"]),
            ("moves", _("Found in another room"), (R.WRONG_ROOM,), numbers["wrong_room"]),
            ("damaged", _("Found damaged"), (R.DAMAGED,), numbers["damaged"]),
        ):
            sections.append(
                {
                    "key": key,
                    "title": title,
                    "total": total,
                    "lines": list(lines_with(stocktake, *results)[:SHOWN]) if total else [],
                    "truncated": total > SHOWN,
                }
            )
        user = request.user
        context = {
            "object": stocktake,
            "title": _("Reconciliation"),
            "figures": numbers,
            "definition": MATCH_RATE_DEFINITION,
            "sections": sections,
            "shown": SHOWN,
            "can_apply": stocktake.status == S.RECONCILING
            and has_perm_in_school(user, "assets.change_stocktake", stocktake.school_id),
            "can_tick_repairs": has_perm_in_school(
                user, "assets.count_stocktake", stocktake.school_id
            ),
            "breadcrumbs": [
                (_("Stocktakes"), reverse("assets:stocktake_list")),
                (stocktake.number, stocktake.get_absolute_url()),
                (_("Reconciliation"), None),
            ],
        }
        return TemplateResponse(request, "assets/stocktake_reconcile.html", context)


class StocktakeReportView(ScopedViewMixin, View):
    """The reconciliation report as xlsx or PDF (Chinese)."""

    model = Stocktake
    permission_required = "assets.view_stocktake"
    fmt = "xlsx"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        stocktake = get_object_or_404(self.get_queryset().select_related(*RELATED), pk=pk)
        name = _("Stocktake %(number)s") % {"number": stocktake.number}
        if self.fmt == "pdf":
            return pdf_response(report_pdf(stocktake, request), f"{name}.pdf", inline=False)
        from urllib.parse import quote

        response = HttpResponse(
            report_xlsx(stocktake),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        ascii_name = f"stocktake-{stocktake.number}.xlsx"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name + '.xlsx')}"
        )
        return response
