"""Purchase order pages: consolidation of approved request lines, the list, the order page
(prices, quotes and their comparison, placing, cancelling, closing), its edit page, quotes,
and the order and quote-comparison PDFs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.core.pdf import pdf_response, render_pdf
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import ObjectDetailView, ObjectListView, ScopedViewMixin
from houqin.core.views.actions import ObjectActionView
from houqin.core.workflow import TransitionError

from ..choices import OrderStatus
from ..filters_orders import PurchaseOrderFilter
from ..forms_orders import ChooseForm, ConsolidateForm, OrderForm, QuotationForm, ReasonForm
from ..models import PurchaseOrder, PurchaseRequestLine, Quotation, SupplierQualification
from ..services import orders as services
from ..services.amounts import yuan_in_words
from ..services.orders import OrderError
from ..services.quotes import quotation_choose, quotation_save, quote_comparison
from ..tables_orders import PurchaseOrderTable

VIEW = "procurement.view_purchaseorder"
ADD = "procurement.add_purchaseorder"
CHANGE = "procurement.change_purchaseorder"
ACCEPT = "procurement.add_acceptance"
ORDERS = gettext_lazy("Purchase orders")
STATUS_STYLE: dict[str, str] = {
    OrderStatus.DRAFT: "secondary",
    OrderStatus.QUOTING: "info",
    OrderStatus.PLACED: "primary",
    OrderStatus.PARTIAL: "warning",
    OrderStatus.RECEIVED: "success",
    OrderStatus.CLOSED: "dark",
    OrderStatus.CANCELLED: "light",
}
ORDER_RELATED = ("supplier", "purchaser", "school")


def school_for(request: HttpRequest, perm: str) -> int | None:
    """The school a new document goes to: the active one, or the user's only one."""
    allowed = school_ids(request.user, perm)
    active = active_school_id(request)
    if active in allowed:
        return active
    return allowed[0] if allowed else None


class OrderScopeMixin(ScopedViewMixin):
    model = PurchaseOrder
    permission_required = VIEW

    def base_queryset(self) -> QuerySet[Any]:
        return PurchaseOrder.objects.select_related(*ORDER_RELATED)

    def order(self, pk: int) -> PurchaseOrder:
        found: PurchaseOrder = get_object_or_404(self.get_queryset(), pk=pk)
        return found


class PurchaseOrderListView(ObjectListView):
    model = PurchaseOrder
    permission_required = VIEW
    table_class = PurchaseOrderTable
    filterset_class = PurchaseOrderFilter
    search_fields = ("number", "title", "supplier__name")
    default_sort = "-created"
    title = ORDERS  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().select_related("supplier", "purchaser")

    def add_url(self) -> str | None:
        return reverse("procurement:consolidate") if school_ids(self.request.user, ADD) else None


class ConsolidateView(ScopedViewMixin, View):
    """后勤统一采购: the open lines of approved requests grouped by goods; the purchaser ticks
    lines (or whole groups) and makes one draft order of them."""

    model = PurchaseOrder
    permission_required = ADD
    template_name = "procurement/consolidate.html"
    limit = 500

    def render(
        self, school_id: int | None, form: ConsolidateForm, chosen: set[int]
    ) -> HttpResponse:
        lines = list(services.open_lines([school_id] if school_id else [])[: self.limit])
        title = _("Consolidate purchase requests")
        context = {
            "title": title,
            "form": form,
            "groups": services.group_lines(lines),
            "chosen": chosen,
            "truncated": len(lines) >= self.limit,
            "breadcrumbs": [(ORDERS, reverse("procurement:order_list")), (title, None)],
        }
        status = 422 if form.is_bound and (form.errors or not chosen) else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        school_id = school_for(request, ADD)
        initial = {"title": _("Purchase %(date)s") % {"date": timezone.localdate()}}
        return self.render(school_id, ConsolidateForm(initial=initial, school_id=school_id), set())

    def post(self, request: HttpRequest) -> HttpResponse:
        school_id = school_for(request, ADD)
        form = ConsolidateForm(request.POST, school_id=school_id)
        chosen = {int(pk) for pk in request.POST.getlist("line") if pk.isdigit()}
        if not form.is_valid():
            return self.render(school_id, form, chosen)
        lines = list(
            PurchaseRequestLine.objects.filter(pk__in=chosen, request__school_id=school_id or 0)
        )
        try:
            order = services.purchase_order_consolidate(
                actor=request.user,
                lines=lines,
                title=form.cleaned_data["title"],
                supplier=form.cleaned_data["supplier"],
                expected_on=form.cleaned_data["expected_on"],
            )
        except OrderError as exc:
            form.add_error(None, str(exc))
            return self.render(school_id, form, chosen)
        messages.success(
            request,
            _("Order %(number)s drafted with %(count)s lines.")
            % {"number": order.number, "count": order.lines.count()},
        )
        return HttpResponseRedirect(order.get_absolute_url())


def order_buttons(user: Any, order: PurchaseOrder) -> dict[str, bool]:
    change = has_perm_in_school(user, CHANGE, order.school_id)
    status = order.status
    return {
        "can_edit": change and order.is_editable,
        "can_quote": change and order.is_editable,
        "can_place": change and order.is_editable,
        "can_cancel": change
        and status in (OrderStatus.DRAFT, OrderStatus.QUOTING, OrderStatus.PLACED)
        and not order.lines.filter(received__gt=0).exists(),
        "can_close": change
        and status in (OrderStatus.PLACED, OrderStatus.PARTIAL, OrderStatus.RECEIVED),
        "can_accept": has_perm_in_school(user, ACCEPT, order.school_id)
        and status in (OrderStatus.PLACED, OrderStatus.PARTIAL),
    }


class PurchaseOrderDetailView(OrderScopeMixin, ObjectDetailView):
    template_name = "procurement/order_detail.html"

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context: dict[str, Any] = response.context_data  # type: ignore[attr-defined]
        context.update(order_context(request, context["object"]))
        return response


def order_context(request: HttpRequest, order: PurchaseOrder) -> dict[str, Any]:
    policy = services.settings_for(order.school_id)
    buttons = order_buttons(request.user, order)
    lines = list(order.lines.select_related("stock_item"))
    served = list(
        PurchaseRequestLine.objects.filter(order_line__order=order)
        .select_related("request__department")
        .order_by("request__number", "pk")
    )
    expired = []
    if order.supplier_id:
        expired = [
            q
            for q in SupplierQualification.objects.filter(supplier_id=order.supplier_id)
            if q.is_expired
        ]
    comparison = quote_comparison(order)
    chosen = next((q for q in comparison.quotes if q.is_chosen), None)
    choose = ChooseForm(
        order=order,
        initial={
            "quotation": chosen.pk if chosen else None,
            "evaluators": list(order.evaluators.values_list("pk", flat=True)),
            "reason": order.choice_reason,
        },
    )
    return {
        **buttons,
        "order": order,
        "policy": policy,
        "status_style": STATUS_STYLE.get(order.status, "secondary"),
        "lines": lines,
        "served": served,
        "expired": expired,
        "needs_quotes": services.needs_quotes(order, policy),
        "needs_intention": services.needs_intention(order, policy),
        "earliest": services.earliest_purchase(order, policy),
        "problems": services.place_problems(order) if order.is_editable else [],
        "comparison": comparison,
        "chosen": chosen,
        "evaluators": list(order.evaluators.all()),
        "choose_form": choose,
        "reason_form": ReasonForm(),
        "acceptances": list(order.acceptances.order_by("-delivered_on", "-pk")),
        "breadcrumbs": [(ORDERS, reverse("procurement:order_list")), (order.number, None)],
    }


class PurchaseOrderEditView(OrderScopeMixin, View):
    permission_required = CHANGE
    template_name = "procurement/order_edit.html"

    def render(self, order: PurchaseOrder, form: OrderForm) -> HttpResponse:
        context = {
            "title": _("Edit %(number)s") % {"number": order.number},
            "form": form,
            "order": order,
            "cancel_url": order.get_absolute_url(),
            "breadcrumbs": [
                (ORDERS, reverse("procurement:order_list")),
                (order.number, order.get_absolute_url()),
                (_("Edit"), None),
            ],
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def form(self, order: PurchaseOrder, data: Any = None) -> OrderForm:
        fixed = order.quotations.filter(is_chosen=True).exists()
        return OrderForm(data, instance=order, prices_fixed=fixed)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.order(pk)
        if not order.is_editable:
            messages.error(request, _("This order can no longer be changed."))
            return HttpResponseRedirect(order.get_absolute_url())
        return self.render(order, self.form(order))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.order(pk)
        form = self.form(order, request.POST)
        if not form.is_valid():
            return self.render(order, form)
        data = form.cleaned_data
        try:
            services.purchase_order_update(
                actor=request.user,
                order=order,
                title=data["title"],
                supplier=data["supplier"],
                expected_on=data["expected_on"],
                delivery_address=data["delivery_address"],
                notes=data["notes"],
                intention_published_on=data["intention_published_on"],
                intention_url=data["intention_url"],
                prices=form.prices(),
            )
        except OrderError as exc:
            form.add_error(None, str(exc))
            return self.render(order, form)
        messages.success(request, _("Saved: %(name)s") % {"name": order.number})
        return HttpResponseRedirect(order.get_absolute_url())


class PurchaseOrderActionView(ObjectActionView):
    """place, cancel, close (with a reason) and choose (a quote, evaluators, a reason)."""

    model = PurchaseOrder
    permission_required = CHANGE
    refusals = (TransitionError, OrderError)

    def do_place(self, request: HttpRequest, order: PurchaseOrder) -> str:
        services.purchase_order_place(actor=request.user, order=order)
        return _("Order %(number)s placed with %(supplier)s.") % {
            "number": order.number,
            "supplier": order.supplier,
        }

    def do_cancel(self, request: HttpRequest, order: PurchaseOrder) -> str:
        services.purchase_order_cancel(
            actor=request.user, order=order, reason=request.POST.get("reason", "")
        )
        return _("Order cancelled: its lines are waiting to be ordered again.")

    def do_close(self, request: HttpRequest, order: PurchaseOrder) -> str:
        services.purchase_order_close(
            actor=request.user, order=order, reason=request.POST.get("reason", "")
        )
        return _("Order closed: what was not delivered is cancelled on the requests.")

    def do_choose(self, request: HttpRequest, order: PurchaseOrder) -> str:
        form = ChooseForm(request.POST, order=order)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            raise OrderError(" ".join(problems))
        data = form.cleaned_data
        quotation_choose(
            actor=request.user,
            quotation=data["quotation"],
            evaluators=data["evaluators"],
            reason=data["reason"],
        )
        return _("Quote of %(supplier)s chosen: its prices are the order's.") % {
            "supplier": data["quotation"].supplier
        }


class QuotationEditView(ScopedViewMixin, View):
    """A supplier's quote: one unit price for every line of the order."""

    model = Quotation
    permission_required = CHANGE
    template_name = "procurement/quotation_edit.html"

    def get_queryset(self) -> QuerySet[Any]:
        schools = school_ids(self.request.user, CHANGE)
        return Quotation.objects.filter(order__school_id__in=schools).select_related("order")

    def target(self, pk: int) -> tuple[PurchaseOrder, Quotation | None]:
        quotation: Quotation = get_object_or_404(self.get_queryset(), pk=pk)
        return quotation.order, quotation

    def render(self, order: PurchaseOrder, form: QuotationForm, new: bool) -> HttpResponse:
        title = _("New quote") if new else _("Edit quote")
        context = {
            "title": f"{title} · {order.number}",
            "form": form,
            "order": order,
            "cancel_url": order.get_absolute_url(),
            "breadcrumbs": [
                (ORDERS, reverse("procurement:order_list")),
                (order.number, order.get_absolute_url()),
                (title, None),
            ],
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order, quotation = self.target(pk)
        initial = {"quoted_on": timezone.localdate()}
        form = QuotationForm(instance=quotation, order=order, initial=initial)
        return self.render(order, form, quotation is None)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order, quotation = self.target(pk)
        form = QuotationForm(request.POST, instance=quotation, order=order)
        if not form.is_valid():
            return self.render(order, form, quotation is None)
        data = form.cleaned_data
        try:
            quotation_save(
                actor=request.user,
                order=order,
                supplier=data["supplier"],
                quoted_on=data["quoted_on"],
                valid_until=data["valid_until"],
                delivery_days=data["delivery_days"],
                notes=data["notes"],
                prices=form.prices(),
                quotation=quotation,
            )
        except OrderError as exc:
            form.add_error(None, str(exc))
            return self.render(order, form, quotation is None)
        messages.success(
            request, _("Quote of %(supplier)s saved.") % {"supplier": data["supplier"]}
        )
        return HttpResponseRedirect(order.get_absolute_url())


class QuotationAddView(QuotationEditView):
    model = PurchaseOrder  # type: ignore[assignment]

    def get_queryset(self) -> QuerySet[Any]:
        return PurchaseOrder.objects.visible_to(self.request.user, CHANGE)

    def target(self, pk: int) -> tuple[PurchaseOrder, Quotation | None]:
        order: PurchaseOrder = get_object_or_404(self.get_queryset(), pk=pk)
        return order, None


class PurchaseOrderPdfView(OrderScopeMixin, View):
    """The purchase order to send to the supplier: lines, totals in figures and in capital
    numerals, the delivery address and signature lines."""

    template_name = "procurement/order_pdf.html"

    def context(self, order: PurchaseOrder) -> dict[str, Any]:
        return {
            "title": _("Purchase order %(number)s") % {"number": order.number},
            "order": order,
            "lines": list(order.lines.all()),
            "total_words": yuan_in_words(order.total),
            "printed_at": timezone.localtime(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.order(pk)
        pdf = render_pdf(self.template_name, self.context(order), request)
        return pdf_response(pdf, f"{order.number}.pdf")


class QuoteComparisonPdfView(PurchaseOrderPdfView):
    """比价记录: every quote per line, the lowest marked, the choice, its reason and a
    signature line for each evaluator."""

    template_name = "procurement/quotation_compare_pdf.html"

    def context(self, order: PurchaseOrder) -> dict[str, Any]:
        comparison = quote_comparison(order)
        return {
            "title": _("Quote comparison %(number)s") % {"number": order.number},
            "order": order,
            "comparison": comparison,
            "chosen": next((q for q in comparison.quotes if q.is_chosen), None),
            "evaluators": list(order.evaluators.all()),
            "blank_signatures": range(
                max(
                    services.settings_for(order.school_id).min_evaluators
                    - order.evaluators.count(),
                    0,
                )
            ),
            "printed_at": timezone.localtime(),
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.order(pk)
        pdf = render_pdf(self.template_name, self.context(order), request)
        return pdf_response(pdf, f"{order.number}-比价记录.pdf")
