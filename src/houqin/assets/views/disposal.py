"""Disposal pages: list, request form, detail with lines and approval, actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from houqin.approvals.services import ApprovalError
from houqin.approvals.views import RequestSubjectMixin
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.views import (
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
)
from houqin.core.views.mixins import narrow
from houqin.core.workflow import TransitionError

from ..actions import asset_action, list_action
from ..choices import RequestStatus
from ..filters_disposal import DisposalFilter
from ..forms_disposal import MAX_ASSETS, CompleteForm, DisposalForm
from ..models import Asset, AssetDisposal, AssetDisposalLine
from ..services import disposal as services
from ..services.register import AssetError
from ..tables_disposal import DisposalTable

ADD_PERMISSION = "assets.add_assetdisposal"
NOT_FILTERS = ("page", "sort", "export", "ids", "asset")


def list_url() -> str:
    return reverse("assets:disposal_list")


@asset_action
def dispose_of_asset(request: Any, asset: Any) -> list[dict[str, Any]]:
    if asset.status not in services.DISPOSABLE or not has_perm_in_school(
        request.user, ADD_PERMISSION, asset.school_id
    ):
        return []
    return [
        {
            "label": _("Dispose of…"),
            "url": f"{reverse('assets:disposal_add')}?asset={asset.pk}",
            "icon": "trash3",
            "style": "outline-danger",
            "method": "get",
        }
    ]


@list_action
def dispose_of_selection(request: Any, query: str) -> list[dict[str, Any]]:
    """The cards the register list shows (its filters), or ``?ids=1,2,3``."""
    if not school_ids(request.user, ADD_PERMISSION):
        return []
    url = reverse("assets:disposal_add")
    return [
        {
            "label": _("Dispose of selection…"),
            "url": f"{url}?{query}" if query else url,
            "icon": "trash3",
            "style": "outline-danger",
            "method": "get",
        }
    ]


class DisposalListView(ObjectListView):
    model = AssetDisposal
    table_class = DisposalTable
    filterset_class = DisposalFilter
    search_fields = ("number", "reason")
    default_sort = "-number"

    def base_queryset(self) -> QuerySet[Any]:
        return AssetDisposal.objects.select_related("requester")

    def add_url(self) -> str | None:
        return reverse("assets:disposal_add") if self.allowed_add() else None


class DisposalDetailView(RequestSubjectMixin, ObjectDetailView):
    edit_url_name = "assets:disposal_edit"
    model = AssetDisposal
    template_name = "assets/disposal_detail.html"
    detail_fields = (
        "number",
        "status",
        "requester",
        "department",
        "reason",
        "condition",
        "appraisal",
        "appraiser",
        "method",
        "total_value",
        "net_value",
        "proceeds",
        "completed_at",
    )

    def base_queryset(self) -> QuerySet[Any]:
        return AssetDisposal.objects.select_related("requester", "department", "school")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        context = response.context_data  # type: ignore[attr-defined]
        disposal = context["object"]
        extra = self.approval_context(disposal)
        extra["can_complete"] = disposal.status == RequestStatus.APPROVED and has_perm_in_school(
            request.user, services.COMPLETE_PERMISSION, disposal.school_id
        )
        if extra["can_complete"]:
            extra["complete_form"] = CompleteForm(disposal=disposal)
        if context["tab"] != "history":
            extra["lines"] = (
                AssetDisposalLine.objects.filter(disposal=disposal)
                .select_related("asset__category")
                .order_by("asset__code")
            )
        context.update(extra)
        context["breadcrumbs"][0] = (AssetDisposal._meta.verbose_name_plural, list_url())
        return response


class DisposalEditView(ObjectEditView):
    model = AssetDisposal
    form_class = DisposalForm

    def get_object(self) -> Any:
        obj = super().get_object()
        if obj is not None and (obj.requester_id != self.request.user.pk or not obj.is_editable):
            raise PermissionDenied
        return obj

    def get_form(self, obj: Any, data: Any = None) -> Any:
        form: Any = super().get_form(obj, data)
        form.hide_school_if_single()
        return form

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        initial.pop("ids", None)
        initial.pop("asset", None)
        chosen = self.chosen_assets()
        if chosen:
            initial["codes"] = "\n".join(a.code for a in chosen)
            initial["school"] = chosen[0].school_id
        school = initial.get("school")
        if school and "department" not in initial:
            from houqin.accounts.models import Membership

            user: Any = self.request.user
            initial["department"] = (
                Membership.objects.filter(user=user, school_id=school, is_active=True)
                .exclude(department=None)
                .values_list("department_id", flat=True)
                .first()
            )
        return initial

    def chosen_assets(self) -> list[Asset]:
        """Cards from ``?asset=`` (an asset page), ``?ids=`` or the register's filters."""
        params = self.request.GET
        scope = narrow(Asset.objects.all(), self.request.user, ADD_PERMISSION)
        raw = [*params.getlist("ids"), *params.getlist("asset")]
        ids = [int(p) for part in raw for p in part.split(",") if p.strip().isdigit()]
        if ids:
            chosen = scope.filter(pk__in=ids[:MAX_ASSETS])
        else:
            filters = params.copy()
            for key in NOT_FILTERS:
                filters.pop(key, None)
            if not filters:
                return []
            from ..services.labels import register_filter

            chosen = register_filter(self.request, filters, scope)
        found = list(chosen.order_by("school_id", "code")[: MAX_ASSETS + 1])
        if len(found) > MAX_ASSETS:
            messages.warning(
                self.request,
                _("One disposal holds at most %(max)s assets; narrow the selection.")
                % {"max": MAX_ASSETS},
            )
            return []
        school = found[0].school_id if found else None
        usable = [a for a in found if a.school_id == school and a.status in services.DISPOSABLE]
        if len(usable) < len(found):
            messages.info(
                self.request,
                _("%(count)s of the chosen assets cannot be disposed of and were left out.")
                % {"count": len(found) - len(usable)},
            )
        return usable

    def render(self, form: Any, obj: Any) -> HttpResponse:
        response = super().render(form, obj)
        context = response.context_data  # type: ignore[attr-defined]
        context["breadcrumbs"][0] = (AssetDisposal._meta.verbose_name_plural, list_url())
        if obj is None:
            context["cancel_url"] = list_url()
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if not form.is_valid():
            return self.render(form, obj)
        try:
            with transaction.atomic():
                saved = services.disposal_save(
                    actor=request.user, disposal=form.instance, assets=form.assets
                )
                self.check_saved_scope(saved)
        except AssetError as exc:
            form.add_error(None, str(exc))
            return self.render(form, obj)
        messages.success(request, _("Saved: %(name)s") % {"name": saved})
        return HttpResponseRedirect(saved.get_absolute_url())


class DisposalActionView(ObjectActionView):
    """POST submit / withdraw by the requester, complete by the asset keeper."""

    model = AssetDisposal
    permission_required = "assets.view_assetdisposal"
    refusals = (ApprovalError, TransitionError, AssetError)

    def do_submit(self, request: HttpRequest, disposal: AssetDisposal) -> str:
        services.disposal_submit(actor=request.user, disposal=disposal)
        return _("Submitted for approval.")

    def do_withdraw(self, request: HttpRequest, disposal: AssetDisposal) -> str:
        services.disposal_withdraw(actor=request.user, disposal=disposal)
        return _("Withdrawn.")

    def do_complete(self, request: HttpRequest, disposal: AssetDisposal) -> str:
        form = CompleteForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else str(error))
            return ""
        done = services.disposal_complete(
            actor=request.user,
            disposal=disposal,
            method=form.cleaned_data["method"],
            proceeds=form.cleaned_data["proceeds"],
            disposed_on=form.cleaned_data["disposed_on"],
        )
        return _("Disposal completed: %(count)s assets left the register.") % {
            "count": done.lines.count()
        }
