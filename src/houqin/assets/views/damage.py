"""Damage report pages: list, report form, detail with the rule and the workflow forms, the
compensation notice (PDF), statistics, and the compensation price list."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from houqin.approvals.selectors import request_for
from houqin.approvals.services import ApprovalError
from houqin.approvals.views import panel_context
from houqin.core.pdf import pdf_response, render_pdf
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)
from houqin.core.workflow import TransitionError

from ..actions import asset_action, for_damage
from ..choices import DamageStatus
from ..filters_damage import DamageReportFilter, PriceItemFilter
from ..forms_damage import AssessForm, DamageReportForm, PaymentForm, PriceItemForm, WaiverForm
from ..models import Asset, CompensationPriceItem, DamageReport
from ..reports_damage import damage_statistics, damage_years, statistics_xlsx
from ..services import damage as services
from ..tables_damage import DamageReportTable, PriceItemTable

S = DamageStatus
RELATED = ("asset", "asset__category", "price_item", "room__building", "responsible_user")
ERRORS = (services.DamageError, TransitionError, ApprovalError)


@asset_action
def report_damage_button(request: Any, asset: Any) -> list[dict[str, Any]]:
    if not has_perm_in_school(request.user, services.ADD, asset.school_id):
        return []
    return [
        {
            "label": _("Report damage"),
            "url": f"{reverse('assets:damage_add')}?asset={asset.pk}",
            "icon": "exclamation-triangle",
            "style": "outline-danger",
        }
    ]


class DamageScopeMixin(ScopedViewMixin):
    """Members see their own reports; keepers, accountants and report readers all of them."""

    model = DamageReport
    select: tuple[str, ...] = RELATED

    def get_queryset(self) -> QuerySet[Any]:
        visible = services.damage_visible_to(self.request.user, self.get_permission_required())
        return visible.select_related(*self.select)


class DamageListView(DamageScopeMixin, ObjectListView):
    table_class = DamageReportTable
    filterset_class = DamageReportFilter
    search_fields = (
        "number",
        "item_name",
        "asset__name",
        "price_item__name",
        "responsible_name",
        "student_class",
    )
    default_sort = "-occurred_at"

    def add_url(self) -> str | None:
        return reverse("assets:damage_add") if school_ids(self.request.user, services.ADD) else None


class DamageDetailView(DamageScopeMixin, ObjectDetailView):
    template_name = "assets/damage_detail.html"
    detail_fields = (
        "number",
        (_("item"), lambda r: r.item_label),
        "asset",
        "quantity",
        "room",
        "occurred_at",
        "description",
        (_("responsible party"), lambda r: r.responsible_label),
        "deliberate",
        "reporter",
        "status",
    )

    select = (*RELATED, "school", "reporter", "assessed_by", "payment_recorded_by")

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        report = context["object"]
        context["breadcrumbs"] = [
            (DamageReport._meta.verbose_name_plural, reverse("assets:damage_list")),
            (str(report), None),
        ]
        context.update(detail_context(request, report))
        return response


def detail_context(request: HttpRequest, report: DamageReport, **forms: Any) -> dict[str, Any]:
    user = request.user
    assess = has_perm_in_school(user, services.ASSESS, report.school_id)
    record = has_perm_in_school(user, services.RECORD, report.school_id)
    due = services.amount_due(report)
    extra: dict[str, Any] = {
        "other_actions": for_damage(request, report),
        "amount_due": due,
        "waived": services.waived_amount(report),
        "can_assess": assess and report.status in (S.REPORTED, S.ASSESSED),
        "can_notify": assess and report.status == S.ASSESSED and bool(due),
        "can_waive": (assess or report.responsible_user_id == user.pk)
        and report.status in (S.ASSESSED, S.NOTIFIED),
        "can_pay": record and report.status in (S.ASSESSED, S.NOTIFIED),
        "has_notice": report.status in (S.ASSESSED, S.NOTIFIED, S.PAID) and bool(due),
        "assess_form": forms.get("assess") or AssessForm(),
        "waiver_form": forms.get("waiver") or WaiverForm(),
        "payment_form": forms.get("pay") or PaymentForm(initial={"amount": due}),
    }
    approval = request_for(report)
    if approval is not None:
        panel = panel_context(request, approval)
        extra["approval"] = approval
        extra["approval_steps"] = panel["steps"]
        extra["approval_panel"] = {
            k: v for k, v in panel.items() if k not in ("title", "breadcrumbs", "actions")
        }
        extra["approval_actions"] = panel["actions"]
    return extra


def _school_for(request: HttpRequest, asset: Asset | None) -> int | None:
    if asset is not None:
        return asset.school_id
    allowed = school_ids(request.user, services.ADD)
    active = active_school_id(request)
    if active in allowed:
        return active
    return allowed[0] if allowed else None


class DamageReportView(ScopedViewMixin, View):
    """Report damage (phone-friendly); from an asset page with ``?asset=<pk>``."""

    model = DamageReport
    permission_required = services.ADD
    template_name = "assets/damage_form.html"

    def asset(self) -> Asset | None:
        pk = self.request.POST.get("asset") or self.request.GET.get("asset")
        if not pk or not str(pk).isdigit():
            return None
        visible = Asset.objects.visible_to(self.request.user, services.ADD)
        return get_object_or_404(visible.select_related("room__building"), pk=pk)

    def form(self, asset: Asset | None, data: Any = None, files: Any = None) -> DamageReportForm:
        initial: dict[str, Any] = {"occurred_at": timezone.localtime().replace(second=0)}
        if asset is not None:
            initial.update(asset=asset.pk, room=asset.room_id)
        school_id = _school_for(self.request, asset)
        return DamageReportForm(data, files, initial=initial, school_id=school_id)

    def render(self, form: DamageReportForm, asset: Asset | None) -> HttpResponse:
        context = {
            "form": form,
            "asset": asset,
            "title": _("Report damage"),
            "breadcrumbs": [
                (DamageReport._meta.verbose_name_plural, reverse("assets:damage_list")),
                (_("Report damage"), None),
            ],
            "cancel_url": asset.get_absolute_url() if asset else reverse("assets:damage_list"),
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        asset = self.asset()
        return self.render(self.form(asset), asset)

    def post(self, request: HttpRequest) -> HttpResponse:
        asset = self.asset()
        form = self.form(asset, request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, asset)
        report: DamageReport = form.instance
        report.school_id = _school_for(request, asset)  # type: ignore[assignment]
        try:
            with transaction.atomic():
                services.damage_report(
                    actor=request.user,
                    report=report,
                    mark_under_repair=bool(form.cleaned_data.get("mark_under_repair")),
                    photos=request.FILES.getlist("photos"),
                )
        except ValidationError as exc:
            report.pk = None
            _add_errors(form, exc)
            return self.render(form, asset)
        except services.DamageError as exc:
            report.pk = None
            form.add_error(None, str(exc))
            return self.render(form, asset)
        messages.success(request, _("Damage reported: %(number)s") % {"number": report.number})
        return HttpResponseRedirect(report.get_absolute_url())


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DamageActionView(DamageScopeMixin, View):
    """POST assess, waiver (request a reduction), notify, pay; each calls one service."""

    permission_required = services.VIEW
    FORMS: dict[str, Any] = {"assess": AssessForm, "waiver": WaiverForm, "pay": PaymentForm}

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        get_object_or_404(self.get_queryset(), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
        report = get_object_or_404(self.get_queryset(), pk=pk)
        form_class = self.FORMS.get(action)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            return self.again(report, action, form)
        data = form.cleaned_data if form is not None else {}
        try:
            if action == "assess":
                done = services.damage_assess(
                    actor=request.user, report=report, amount=data["amount"], reason=data["reason"]
                )
                messages.success(
                    request, _("Assessed: %(status)s") % {"status": done.get_status_display()}
                )
            elif action == "waiver":
                services.damage_request_waiver(
                    actor=request.user, report=report, amount=data["amount"], reason=data["reason"]
                )
                messages.success(request, _("The reduction was submitted for approval."))
            elif action == "notify":
                services.damage_notify(actor=request.user, report=report)
                messages.success(request, _("The compensation notice was issued."))
            elif action == "pay":
                paid_at = timezone.make_aware(
                    datetime.datetime.combine(data["paid_on"], timezone.localtime().time())
                )
                services.damage_record_payment(
                    actor=request.user,
                    report=report,
                    amount=data["amount"],
                    receipt_number=data["receipt_number"],
                    paid_at=paid_at,
                )
                messages.success(request, _("Payment recorded."))
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
            else:
                _add_errors(form, exc)
                return self.again(report, action, form)
        except ERRORS as exc:
            messages.error(request, str(exc))
        return HttpResponseRedirect(report.get_absolute_url())

    def again(self, report: DamageReport, action: str, form: Any) -> HttpResponse:
        """The detail page with the form's errors (422)."""
        view = DamageDetailView()
        view.setup(self.request, pk=report.pk)
        response = view.get(self.request, pk=report.pk)
        response.context_data.update(  # type: ignore[attr-defined]
            detail_context(self.request, report, **{action: form}), open_form=action
        )
        response.status_code = 422
        return response


class DamageNoticeView(DamageScopeMixin, View):
    """The printable compensation notice (赔偿通知书), once the damage is assessed."""

    permission_required = services.VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = get_object_or_404(self.get_queryset().select_related("school"), pk=pk)
        due = services.amount_due(report)
        if report.status not in (S.ASSESSED, S.NOTIFIED, S.PAID) or not due:
            messages.error(request, _("The notice is available once an amount is assessed."))
            return HttpResponseRedirect(report.get_absolute_url())
        context = {
            "report": report,
            "school": report.school,
            "amount_due": due,
            "title": _("Notice of compensation for damaged public property"),
            "issued_on": timezone.localtime(report.notified_at or timezone.now()).date(),
        }
        pdf = render_pdf("assets/damage_notice.html", context, request=request)
        title = _("Compensation notice")
        return pdf_response(pdf, f"{title}-{report.number}.pdf")


class DamageStatsView(ScopedViewMixin, View):
    """Damage by building, class, item type and month: assessed, collected, waived."""

    model = DamageReport
    permission_required = services.REPORTS
    template_name = "assets/damage_stats.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        queryset = self.narrow_to_active_school(self.get_queryset())
        years = damage_years(queryset)
        year = request.GET.get("year", "")
        if year.isdigit():
            queryset = queryset.filter(occurred_at__year=int(year))
        statistics = damage_statistics(queryset)
        title = _("Damage statistics")
        if request.GET.get("export") == "xlsx":
            return statistics_xlsx(title, statistics)
        context = {
            "title": title,
            "years": years,
            "year": year,
            "breadcrumbs": [(title, None)],
            **statistics,
        }
        return TemplateResponse(request, self.template_name, context)


# -- the compensation price list ------------------------------------------------------------


class PriceItemMixin:
    model = CompensationPriceItem
    request: HttpRequest

    def crumbs(self, *tail: tuple[Any, str | None]) -> list[tuple[Any, str | None]]:
        return [
            (CompensationPriceItem._meta.verbose_name_plural, reverse("assets:priceitem_list")),
            *tail,
        ]


class PriceItemListView(PriceItemMixin, ObjectListView):
    table_class = PriceItemTable
    filterset_class = PriceItemFilter
    search_fields = ("name", "notes")
    default_sort = "name"

    def add_url(self) -> str | None:
        return reverse("assets:priceitem_add") if self.allowed_add() else None


class PriceItemDetailView(PriceItemMixin, ObjectDetailView):
    detail_fields = ("name", "price", "unit", "notes", "is_active", "school")

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        result = []
        for action, label, style, perm in (
            ("edit", _("Edit"), "primary", "change"),
            ("delete", _("Delete"), "outline-danger", "delete"),
        ):
            if has_perm_in_school(
                self.request.user, f"assets.{perm}_compensationpriceitem", obj.school_id
            ):
                url = reverse(f"assets:priceitem_{action}", args=[obj.pk])
                result.append({"label": label, "url": url, "style": style})
        return result

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        obj = response.context_data["object"]  # type: ignore[attr-defined]
        response.context_data["breadcrumbs"] = self.crumbs((str(obj), None))  # type: ignore[attr-defined]
        return response


class PriceItemEditView(PriceItemMixin, ObjectEditView):
    form_class = PriceItemForm

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        tail: list[tuple[Any, str | None]] = []
        if obj is not None:
            tail.append((str(obj), obj.get_absolute_url()))
        tail.append((_("Add") if obj is None else _("Edit"), None))
        context["breadcrumbs"] = self.crumbs(*tail)
        context["cancel_url"] = obj.get_absolute_url() if obj else reverse("assets:priceitem_list")
        return response


class PriceItemDeleteView(PriceItemMixin, ObjectDeleteView):
    def get_success_url(self, obj: Any) -> str:
        return reverse("assets:priceitem_list")
