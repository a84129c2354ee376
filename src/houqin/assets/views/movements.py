"""Transfer (调拨) and loan (借用/归还) pages, and their buttons on the asset page and list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.schools import active_school_id
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.tables import Column, Table
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ScopedViewMixin,
)
from houqin.core.workflow import TransitionError

from ..actions import asset_action, list_action
from ..choices import LoanStatus
from ..filters_movements import LoanFilter, TransferFilter
from ..forms_movements import LoanForm, LoanReturnForm, TransferForm
from ..models import Asset, AssetLoan, AssetTransfer
from ..services import movements as services
from ..services.register import AssetError
from ..tables_movements import LoanTable, TransferTable

ADD_TRANSFER = "assets.add_assettransfer"
ADD_LOAN = "assets.add_assetloan"
RETURN_LOAN = "assets.change_assetloan"
#: Query parameters of the register list that do not select assets.
NOT_FILTERS = ("page", "sort", "export", "asset", "ids")


def _crumbs(list_name: str, list_label: Any, *rest: tuple[Any, str | None]) -> list[Any]:
    return [(list_label, reverse(list_name)), *rest]


def _scoped_assets(request: HttpRequest, perm: str) -> QuerySet[Asset]:
    queryset = Asset.objects.visible_to(request.user, perm)
    active = active_school_id(request)
    return queryset.filter(school_id=active) if active is not None else queryset


# Transfers ---------------------------------------------------------------------------------


class TransferListView(ObjectListView):
    model = AssetTransfer
    table_class = TransferTable
    filterset_class = TransferFilter
    search_fields = ("number", "reason")
    default_sort = "-created_at"

    def get_title(self) -> str:
        return _("Asset transfers")

    def base_queryset(self) -> QuerySet[Any]:
        return AssetTransfer.objects.select_related(
            "to_room__building", "to_department", "requester"
        )

    def add_url(self) -> str | None:
        return (
            reverse("assets:transfer_add") if school_ids(self.request.user, ADD_TRANSFER) else None
        )


@dataclass
class LineRow:
    asset: Asset
    from_room: Any
    from_custodian: Any
    from_department: Any

    def get_absolute_url(self) -> str:
        return self.asset.get_absolute_url()


class TransferLineTable(Table):
    columns = (
        Column("code", gettext_lazy("asset code"), accessor="asset.code", link=True),
        Column("name", gettext_lazy("name"), accessor="asset.name"),
        Column(
            "value",
            gettext_lazy("original value (yuan)"),
            accessor="asset.original_value",
            align_end=True,
            hide_on_phone=True,
        ),
        Column("from_room", gettext_lazy("from room"), accessor="from_room", hide_on_phone=True),
        Column(
            "from_custodian",
            gettext_lazy("from custodian"),
            accessor="from_custodian",
            hide_on_phone=True,
        ),
        Column(
            "from_department",
            gettext_lazy("from department"),
            accessor="from_department.name",
            hide_on_phone=True,
        ),
    )


class TransferDetailView(RequestSubjectMixin, ObjectDetailView):
    edit_url_name = "assets:transfer_edit"
    model = AssetTransfer
    template_name = "assets/transfer_detail.html"
    line_limit = 200
    detail_fields = (
        "number",
        "status",
        "reason",
        "to_room",
        "to_custodian",
        "to_department",
        "total_value",
        "requester",
        "created_at",
        "completed_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return AssetTransfer.objects.select_related(
            "school", "to_room__building", "to_custodian", "to_department", "requester"
        )

    def related(self, obj: Any) -> list[dict[str, Any]]:
        lines = obj.lines.select_related(
            "asset", "from_room__building", "from_custodian", "from_department"
        ).order_by("asset__code")
        total = lines.count()
        rows = [
            LineRow(ln.asset, ln.from_room, ln.from_custodian, ln.from_department)
            for ln in lines[: self.line_limit]
        ]
        return [
            {
                "title": _("Assets"),
                "table": TransferLineTable(rows),
                "total": total,
                "truncated": total > len(rows),
                "more_url": None,
            }
        ]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = response.context_data  # type: ignore[attr-defined]
        transfer = data["object"]
        extra = self.approval_context(transfer)
        mine = transfer.requester_id == request.user.pk
        extra["can_withdraw"] = mine and transfer.status in ("pending", "returned")
        extra["needs_approval"] = services.needs_approval(transfer)
        extra["breadcrumbs"] = _crumbs(
            "assets:transfer_list", _("Asset transfers"), (str(transfer), None)
        )
        data.update(extra)
        return response


class TransferEditView(ObjectEditView):
    model = AssetTransfer
    form_class = TransferForm
    template_name = "assets/transfer_edit.html"

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and (obj.requester_id != self.request.user.pk or not obj.is_editable):
            raise PermissionDenied
        return obj

    def asset_scope(self) -> QuerySet[Asset]:
        return _scoped_assets(self.request, ADD_TRANSFER)

    def preselected(self, obj: Any) -> QuerySet[Asset]:
        scope = self.asset_scope()
        if obj is not None:
            return scope.filter(pk__in=obj.lines.values("asset_id"))
        params = self.request.GET
        if params.get("asset", "").isdigit():
            return scope.filter(pk=int(params["asset"]))
        if params.get("ids"):
            ids = [int(p) for p in params["ids"].split(",") if p.strip().isdigit()]
            return scope.filter(pk__in=ids[: services.MAX_TRANSFER_LINES])
        filters = params.copy()
        for key in NOT_FILTERS:
            filters.pop(key, None)
        if not filters:
            return scope.none()
        from ..services.labels import register_filter

        chosen = register_filter(self.request, filters, scope)
        if chosen.count() > services.MAX_TRANSFER_LINES:
            messages.warning(
                self.request,
                _("One transfer moves at most %(count)d assets; narrow the selection.")
                % {"count": services.MAX_TRANSFER_LINES},
            )
            return scope.none()
        return chosen

    def get_form(self, obj: Any, data: Any = None) -> Any:
        scope = self.asset_scope()
        if data is not None:
            ids = [int(p) for p in data.getlist("assets") if p.isdigit()]
            assets = scope.filter(pk__in=ids)
        else:
            assets = self.preselected(obj)
        initial = {} if obj is not None else {"reason": ""}
        form = TransferForm(
            data=data,
            instance=obj,
            initial={**initial, "assets": list(assets.values_list("pk", flat=True))},
            assets=assets.order_by("code"),
            code_scope=scope,
        )
        self.narrow_form_choices(form)
        return form

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        crumbs: list[tuple[Any, str | None]] = [
            (_("Asset transfers"), reverse("assets:transfer_list"))
        ]
        if obj is not None:
            crumbs.append((str(obj), obj.get_absolute_url()))
        crumbs.append((_("Add") if obj is None else _("Edit"), None))
        response.context_data["breadcrumbs"] = crumbs  # type: ignore[attr-defined]
        if obj is None:
            response.context_data["title"] = _("New asset transfer")  # type: ignore[attr-defined]
            response.context_data["cancel_url"] = crumbs[0][1]  # type: ignore[attr-defined]
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        assets = form.chosen_assets()
        transfer = form.instance
        if not assets:
            form.add_error("assets", _("Choose at least one asset to transfer."))
            return self.render(form, obj)
        if transfer.pk is None:
            transfer.school_id = assets[0].school_id
        try:
            saved = services.transfer_save(actor=request.user, transfer=transfer, assets=assets)
        except AssetError as exc:
            form.add_error(None, str(exc))
            return self.render(form, obj)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(saved.get_absolute_url())


class TransferActionView(ObjectActionView):
    """POST submit (complete at once, or send for approval) and withdraw, by the requester."""

    model = AssetTransfer
    permission_required = "assets.view_assettransfer"
    refusals = (AssetError, ApprovalError, TransitionError)

    def do_submit(self, request: HttpRequest, transfer: AssetTransfer) -> str:
        transfer = services.transfer_submit(actor=request.user, transfer=transfer)
        if transfer.status == "completed":
            return _("Transfer completed: the assets have moved.")
        if transfer.status == "pending":
            return _("Submitted for approval.")
        return _("Approved and completed.")

    def do_withdraw(self, request: HttpRequest, transfer: AssetTransfer) -> str:
        services.transfer_withdraw(actor=request.user, transfer=transfer)
        return _("Withdrawn.")


# Loans -------------------------------------------------------------------------------------


class LoanListView(ObjectListView):
    model = AssetLoan
    table_class = LoanTable
    filterset_class = LoanFilter
    search_fields = ("number", "borrower_name", "borrower__real_name", "asset__code", "asset__name")
    default_sort = "-lent_at"

    def get_title(self) -> str:
        return _("Asset loans")

    def base_queryset(self) -> QuerySet[Any]:
        return AssetLoan.objects.select_related("asset", "borrower", "department")

    def add_url(self) -> str | None:
        return reverse("assets:loan_add") if school_ids(self.request.user, ADD_LOAN) else None


class LoanDetailView(ObjectDetailView):
    model = AssetLoan
    template_name = "assets/loan_detail.html"
    detail_fields: Sequence[Any] = (
        "number",
        (
            gettext_lazy("status"),
            lambda loan: _("Overdue") if loan.is_overdue else loan.get_status_display(),
        ),
        "asset",
        (gettext_lazy("borrower"), lambda loan: loan.borrower_label),
        "department",
        "purpose",
        "due_date",
        "lent_at",
        "lent_by",
        "returned_at",
        "received_by",
        "return_condition",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return AssetLoan.objects.select_related(
            "school", "asset", "borrower", "department", "lent_by", "received_by"
        )

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        if obj.status == LoanStatus.OUT and has_perm_in_school(
            self.request.user, RETURN_LOAN, obj.school_id
        ):
            return [
                {
                    "label": _("Return"),
                    "url": reverse("assets:loan_return", args=[obj.pk]),
                    "style": "primary",
                }
            ]
        return []

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = response.context_data  # type: ignore[attr-defined]
        data["breadcrumbs"] = _crumbs(
            "assets:loan_list", _("Asset loans"), (str(data["object"]), None)
        )
        return response


class LoanLendView(ScopedViewMixin, View):
    """Lend an asset (``?asset=<pk>`` from its card, or by asset code)."""

    model = AssetLoan
    permission_required = ADD_LOAN
    template_name = "assets/loan_edit.html"

    def form(self, data: Any = None) -> LoanForm:
        scope = _scoped_assets(self.request, ADD_LOAN)
        initial: dict[str, Any] = {}
        asset_pk = self.request.GET.get("asset", "")
        if asset_pk.isdigit():
            asset = scope.filter(pk=int(asset_pk)).first()
            if asset is not None:
                initial["asset_code"] = asset.code
        form = LoanForm(data=data, initial=initial, code_scope=scope)
        self.narrow_form_choices(form)
        return form

    def render(self, form: LoanForm) -> HttpResponse:
        context = {
            "form": form,
            "title": _("Lend an asset"),
            "cancel_url": reverse("assets:loan_list"),
            "breadcrumbs": _crumbs("assets:loan_list", _("Asset loans"), (_("Lend"), None)),
        }
        status = 422 if form.is_bound and form.errors else 200
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(self.form())

    def post(self, request: HttpRequest) -> HttpResponseBase:
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form)
        loan = form.instance
        loan.asset = form.cleaned_data["asset_code"]
        try:
            loan = services.loan_lend(actor=request.user, loan=loan)
        except AssetError as exc:
            form.add_error(None, str(exc))
            return self.render(form)
        messages.success(request, _("Lent: %(loan)s") % {"loan": loan})
        return HttpResponseRedirect(loan.get_absolute_url())


class LoanReturnView(ScopedViewMixin, View):
    model = AssetLoan
    permission_required = RETURN_LOAN
    template_name = "assets/loan_return.html"

    def get_object(self, pk: int) -> AssetLoan:
        loan: AssetLoan = get_object_or_404(
            self.get_queryset().select_related("asset", "borrower"), pk=pk
        )
        return loan

    def render(self, loan: AssetLoan, form: LoanReturnForm) -> HttpResponse:
        context = {
            "object": loan,
            "form": form,
            "title": _("Return %(asset)s") % {"asset": loan.asset},
            "cancel_url": loan.get_absolute_url(),
            "breadcrumbs": _crumbs(
                "assets:loan_list",
                _("Asset loans"),
                (str(loan), loan.get_absolute_url()),
                (_("Return"), None),
            ),
        }
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(self.get_object(pk), LoanReturnForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        loan = self.get_object(pk)
        form = LoanReturnForm(request.POST)
        if not form.is_valid():
            return self.render(loan, form)
        try:
            services.loan_return(
                actor=request.user, loan=loan, condition=form.cleaned_data["condition"]
            )
        except AssetError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Returned: %(asset)s") % {"asset": loan.asset})
        return HttpResponseRedirect(loan.get_absolute_url())


# Buttons on the asset page and the register list -------------------------------------------


@asset_action
def movement_actions(request: Any, asset: Any) -> list[dict[str, Any]]:
    user, school = request.user, asset.school_id
    result: list[dict[str, Any]] = []
    if asset.status not in services.NOT_MOVABLE and has_perm_in_school(user, ADD_TRANSFER, school):
        result.append(
            {
                "label": _("Transfer"),
                "url": f"{reverse('assets:transfer_add')}?asset={asset.pk}",
                "icon": "arrow-left-right",
                "style": "outline-primary",
                "method": "get",
            }
        )
    can_return = has_perm_in_school(user, RETURN_LOAN, school)
    can_lend = has_perm_in_school(user, ADD_LOAN, school)
    if not (can_return or can_lend):
        return result
    open_loan = AssetLoan.objects.filter(asset_id=asset.pk, status=LoanStatus.OUT).first()
    if open_loan is not None and can_return:
        result.append(
            {
                "label": _("Return"),
                "url": reverse("assets:loan_return", args=[open_loan.pk]),
                "icon": "box-arrow-in-down-left",
                "style": "outline-primary",
                "method": "get",
            }
        )
    elif open_loan is None and asset.status in services.LENDABLE and can_lend:
        result.append(
            {
                "label": _("Lend"),
                "url": f"{reverse('assets:loan_add')}?asset={asset.pk}",
                "icon": "box-arrow-up-right",
                "style": "outline-primary",
                "method": "get",
            }
        )
    return result


@list_action
def transfer_list_action(request: Any, query: str) -> list[dict[str, Any]]:
    if not school_ids(request.user, ADD_TRANSFER):
        return []
    url = reverse("assets:transfer_add")
    return [
        {
            "label": _("Transfer…"),
            "url": f"{url}?{query}" if query else url,
            "icon": "arrow-left-right",
            "style": "outline-secondary",
            "method": "get",
        }
    ]
