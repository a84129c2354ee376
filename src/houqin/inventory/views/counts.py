"""Stock count pages: the list, starting a count, counting on a phone (big inputs, saved per
line or per page), the count's page with its differences and approval, and its buttons."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.approvals.services import ApprovalError
from houqin.core.exportjobs.services import offload
from houqin.core.exports import xlsx_response
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import ObjectActionView, ObjectListView, ScopedViewMixin
from houqin.core.workflow import TransitionError

from ..choices import CountStatus
from ..filters_items import StockCountFilter
from ..forms_counts import CountStartForm, parse_entries
from ..forms_items import hide_school_if_single
from ..models import StockCount, StockCountLine
from ..services import counts as services
from ..services.stock import CENT, fmt
from ..tables_counts import StockCountLineTable, StockCountTable

VIEW = "inventory.view_stockcount"
ADD = "inventory.add_stockcount"
CHANGE = "inventory.change_stockcount"
COUNTS = gettext_lazy("Stock counts")
ENTER_PAGE = 40
DIFF_PAGE = 50
STATUS_STYLE: dict[str, str] = {
    CountStatus.COUNTING: "primary",
    CountStatus.PENDING: "warning",
    CountStatus.RETURNED: "info",
    CountStatus.POSTED: "success",
    CountStatus.REJECTED: "danger",
    CountStatus.CANCELLED: "secondary",
}


def line_row(line: StockCountLine) -> dict[str, Any]:
    difference = line.difference
    value = None
    if difference is not None:
        value = (difference * line.unit_cost).quantize(CENT)
    return {
        "line": line,
        "item": line.item,
        "book": fmt(line.book_quantity),
        "counted": "" if line.counted_quantity is None else fmt(line.counted_quantity),
        "difference": None if difference is None else fmt(difference),
        "sign": 0 if not difference else (1 if difference > 0 else -1),
        "value": value,
    }


def approval_panel(request: HttpRequest, count: StockCount) -> dict[str, Any]:
    """The context of the approval panel (``approvals/_panel.html``) once submitted."""
    from houqin.approvals.selectors import request_for
    from houqin.approvals.views import panel_context

    approval = request_for(count)
    if approval is None:
        return {}
    extra = panel_context(request, approval)
    for key in ("title", "breadcrumbs", "subject", "subject_url"):
        extra.pop(key, None)
    return extra


class StockCountListView(ObjectListView):
    model = StockCount
    permission_required = VIEW
    table_class = StockCountTable
    filterset_class = StockCountFilter
    search_fields = ("number", "title")
    default_sort = "-created_at"
    title = COUNTS  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("started_by")

    def add_url(self) -> str | None:
        return reverse("inventory:count_add") if school_ids(self.request.user, ADD) else None

    def import_url(self) -> str | None:
        return None


class StockCountStartView(ScopedViewMixin, View):
    model = StockCount
    permission_required = ADD
    template_name = "inventory/count_add.html"

    def get_form(self, data: Any = None) -> CountStartForm:
        initial = {}
        active = active_school_id(self.request)
        if active is not None and active in self.allowed_school_ids():
            initial["school"] = active
        form = CountStartForm(data=data, initial=initial)
        field: Any = form.fields["school"]
        field.queryset = field.queryset.filter(pk__in=self.allowed_school_ids())
        hide_school_if_single(form)
        return form

    def render(self, form: CountStartForm, status: int = 200) -> HttpResponse:
        context = {
            "title": _("Start a stock count"),
            "form": form,
            "cancel_url": reverse("inventory:count_list"),
            "breadcrumbs": [
                (COUNTS, reverse("inventory:count_list")),
                (_("Start a stock count"), None),
            ],
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.get_form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.render(form, status=422)
        data = form.cleaned_data
        try:
            count = services.count_start(
                actor=request.user,
                school=data["school"],
                title=data["title"],
                categories=data["categories"],
                notes=data["notes"],
            )
        except services.CountError as exc:
            form.add_error(None, str(exc))
            return self.render(form, status=422)
        messages.success(
            request,
            _("Count %(number)s started: enter what is on the shelves.") % {"number": count.number},
        )
        return HttpResponseRedirect(reverse("inventory:count_enter", args=[count.pk]))


class CountScopeMixin(ScopedViewMixin):
    model = StockCount
    kwargs: dict[str, Any]

    def get_object(self) -> StockCount:
        count: StockCount = get_object_or_404(
            self.get_queryset().select_related("started_by"), pk=self.kwargs["pk"]
        )
        return count


class StockCountDetailView(CountScopeMixin, View):
    permission_required = VIEW
    template_name = "inventory/count_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        count = self.get_object()
        lines = (
            StockCountLine.objects.filter(count=count)
            .select_related("item", "counted_by")
            .order_by("item__shelf", "item__category", "item__name", "pk")
        )
        if request.GET.get("export") == "xlsx":
            queued = offload(request, f"{count.number}", lines.count())
            return queued or xlsx_response(f"{count.number}", StockCountLineTable, lines)
        show = request.GET.get("show", "diff")
        shown = services.differing_lines(count) if show == "diff" else lines
        if show == "diff":
            shown = shown.select_related("item", "counted_by").order_by(
                "item__shelf", "item__category", "item__name", "pk"
            )
        page = Paginator(shown, DIFF_PAGE).get_page(request.GET.get("page"))
        user = request.user
        may_change = has_perm_in_school(user, CHANGE, count.school_id) and has_perm_in_school(
            user, services.MOVE, count.school_id
        )
        approval = approval_panel(request, count)
        context = {
            "title": str(count),
            "count": count,
            "object": count,
            "status_style": STATUS_STYLE.get(count.status, "secondary"),
            "summary": services.summary(count),
            "moved": services.moved_lines(count).count()
            if count.status in services.EDITABLE
            else 0,
            "page": page,
            "rows": [line_row(line) for line in page.object_list],
            "show": show,
            "may_count": may_change and count.status in services.EDITABLE,
            "may_cancel": may_change and count.status in services.EDITABLE,
            "base_params": f"show={show}",
            "sort": "",
            "breadcrumbs": [(COUNTS, reverse("inventory:count_list")), (count.number, None)],
            **approval,
        }
        return TemplateResponse(request, self.template_name, context)


class StockCountEnterView(CountScopeMixin, View):
    """Counting on a phone: a page of lines in shelf order with big number inputs; each
    input saves itself when changed (htmx), and the page's button saves them all."""

    permission_required = CHANGE
    template_name = "inventory/count_enter.html"

    def lines(self, count: StockCount) -> QuerySet[StockCountLine]:
        lines = StockCountLine.objects.filter(count=count).select_related("item")
        query = self.request.GET.get("q", "").strip()
        if query:
            lines = lines.filter(
                Q(item__name__icontains=query)
                | Q(item__code__icontains=query)
                | Q(item__shelf__istartswith=query)
            )
        only = self.request.GET.get("only", "")
        if only == "uncounted":
            lines = lines.filter(counted_quantity__isnull=True)
        elif only == "diff":
            lines = lines.filter(counted_quantity__isnull=False).exclude(
                counted_quantity=F("book_quantity")
            )
        return lines.order_by("item__shelf", "item__category", "item__name", "pk")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        count = self.get_object()
        return self.render(count)

    def render(self, count: StockCount, errors: list[str] | None = None) -> HttpResponse:
        request = self.request
        page = Paginator(self.lines(count), ENTER_PAGE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "title": _("Count: %(count)s") % {"count": count},
            "count": count,
            "page": page,
            "rows": [line_row(line) for line in page.object_list],
            "summary": services.summary(count),
            "open": count.status in services.EDITABLE,
            "errors": errors or [],
            "query": request.GET.get("q", ""),
            "only": request.GET.get("only", ""),
            "base_params": params.urlencode(),
            "sort": "",
            "breadcrumbs": [
                (COUNTS, reverse("inventory:count_list")),
                (count.number, count.get_absolute_url()),
                (_("Count"), None),
            ],
        }
        status = 422 if errors else 200
        return TemplateResponse(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        count = self.get_object()
        ids = {
            int(key[8:]) for key in request.POST if key.startswith("counted_") and key[8:].isdigit()
        }
        entries, errors = parse_entries(request.POST, ids)
        saved = 0
        if not errors:
            try:
                saved = services.count_enter(actor=request.user, count=count, entries=entries)
            except services.CountError as exc:
                errors = [str(exc)]
        if request.headers.get("HX-Request"):
            context = {"errors": errors, "saved": saved}
            return TemplateResponse(
                request, "inventory/count_saved.html", context, status=422 if errors else 200
            )
        if errors:
            return self.render(count, errors)
        messages.success(request, _("%(count)s lines saved.") % {"count": saved})
        url = reverse("inventory:count_enter", args=[count.pk])
        query = request.GET.urlencode()
        return HttpResponseRedirect(f"{url}?{query}" if query else url)


class StockCountActionView(CountScopeMixin, ObjectActionView):
    """submit (to approval), fill (book quantity for the lines not counted), refresh (new
    book quantity for the lines whose stock moved since the snapshot), cancel."""

    permission_required = CHANGE
    refusals: ClassVar[tuple[type[Exception], ...]] = (
        TransitionError,
        services.CountError,
        ApprovalError,
    )

    def do_submit(self, request: HttpRequest, count: StockCount) -> str:
        count = services.count_submit(actor=request.user, count=count)
        if count.status == CountStatus.POSTED:
            return _("The count is posted.")
        return _("Submitted for approval.")

    def do_fill(self, request: HttpRequest, count: StockCount) -> str:
        filled = services.count_fill(actor=request.user, count=count)
        return _("The book quantity was taken for %(count)s lines.") % {"count": filled}

    def do_refresh(self, request: HttpRequest, count: StockCount) -> str:
        refreshed = services.count_refresh(actor=request.user, count=count)
        return _("The new book quantity was taken for %(count)s lines: count them again.") % {
            "count": refreshed
        }

    def do_cancel(self, request: HttpRequest, count: StockCount) -> str:
        services.count_cancel(actor=request.user, count=count)
        return _("The count was cancelled.")
