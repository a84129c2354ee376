"""Approval pages: the inbox, one's own requests, a request, and chain configuration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from houqin.core.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from . import selectors, services, tables
from .forms import ChainForm, DecisionForm, StepFormSet
from .models import ApprovalChain, ApprovalRequest


def visible_requests(user: Any) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.visible_to(user, "approvals.view_approvalrequest")


class InboxView(LoginRequiredMixin, View):
    """待我审批: what waits for the user's decision, with batch approval."""

    def get(self, request: HttpRequest) -> HttpResponse:
        page = Paginator(selectors.inbox(request.user), 50).get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "approvals/inbox.html",
            {
                "page": page,
                "title": _("Awaiting my approval"),
                "breadcrumbs": [(_("Awaiting my approval"), None)],
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        seen: dict[int, int] = {}
        for value in request.POST.getlist("request"):
            request_id, _sep, step_id = value.partition(":")
            if request_id.isdigit() and step_id.isdigit():
                seen[int(request_id)] = int(step_id)
        chosen = list(selectors.inbox(request.user).filter(pk__in=seen))
        if not chosen:
            messages.warning(request, _("Choose at least one request."))
            return HttpResponseRedirect(reverse("approvals:inbox"))
        done, errors = services.approval_batch_approve(
            requests=chosen, actor=request.user, steps=seen
        )
        if done:
            messages.success(request, _("Approved %(count)s requests.") % {"count": done})
        for error in errors:
            messages.error(request, error)
        return HttpResponseRedirect(reverse("approvals:inbox"))


class MineView(LoginRequiredMixin, View):
    """The requests the user has submitted."""

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = (
            ApprovalRequest.objects.filter(requester=request.user)
            .select_related("requester", "school")
            .order_by("-submitted_at", "-id")
        )
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        table = tables.RequestTable(page.object_list)
        return TemplateResponse(
            request,
            "approvals/mine.html",
            {
                "page": page,
                "table": table,
                "title": _("My requests"),
                "breadcrumbs": [(_("My requests"), None)],
            },
        )


class RequestDetailView(LoginRequiredMixin, View):
    """A request: its subject, the frozen steps, the append-only history and the actions."""

    model = ApprovalRequest

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        approval = get_object_or_404(
            visible_requests(request.user).select_related("requester", "department", "school"),
            pk=pk,
        )
        return TemplateResponse(
            request, "approvals/request_detail.html", panel_context(request, approval)
        )


class RequestSubjectMixin:
    """For the detail page of something that goes through approval (an expense claim, a
    transfer, a disposal…): the requester's Edit button while it may be edited, and the
    approval panel with the submit flag. ``edit_url_name`` names the edit page."""

    edit_url_name: str
    request: HttpRequest

    def actions(self, obj: Any) -> list[dict[str, Any]]:
        if obj.requester_id == self.request.user.pk and obj.is_editable:
            return [
                {
                    "label": _("Edit"),
                    "url": reverse(self.edit_url_name, args=[obj.pk]),
                    "style": "outline-primary",
                }
            ]
        return []

    def approval_context(self, obj: Any) -> dict[str, Any]:
        approval = selectors.request_for(obj)
        extra = panel_context(self.request, approval) if approval else {}
        extra.pop("title", None)
        extra.pop("breadcrumbs", None)
        extra["can_submit"] = obj.requester_id == self.request.user.pk and obj.is_editable
        return extra


def panel_context(request: HttpRequest, approval: ApprovalRequest) -> dict[str, Any]:
    steps = list(
        approval.steps.filter(round=approval.round)
        .select_related("role", "approver", "acted_by")
        .order_by("order")
    )
    current = next((s for s in steps if s.status == "pending"), None)
    if current is not None:
        current.request = approval
    subject = approval.subject
    return {
        "approval": approval,
        "title": approval.title,
        "subject": subject,
        "subject_url": subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else "",
        "steps": steps,
        "actions": approval.actions.select_related("actor", "step").order_by("created_at", "id"),
        "can_act": current is not None and selectors.can_act(request.user, current),
        "current_step": current,
        "can_withdraw": approval.requester_id == request.user.pk
        and approval.status in ("pending", "returned"),
        "form": DecisionForm(),
        "breadcrumbs": [(_("Approvals"), reverse("approvals:inbox")), (approval.title, None)],
    }


class ActView(LoginRequiredMixin, View):
    """POST approve / reject / return for revision, or withdraw by the requester."""

    model = ApprovalRequest

    def get(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        get_object_or_404(visible_requests(request.user), pk=pk)
        return HttpResponseNotAllowed(["POST"])

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        approval = get_object_or_404(visible_requests(request.user), pk=pk)
        form = DecisionForm(request.POST)
        form.is_valid()
        reason = form.cleaned_data.get("reason", "")
        step = request.POST.get("step", "")
        try:
            if action == "withdraw":
                services.approval_withdraw(request=approval, actor=request.user, reason=reason)
            else:
                services.approval_act(
                    request=approval,
                    actor=request.user,
                    action=action,
                    reason=reason,
                    step_id=int(step) if step.isdigit() else None,
                )
        except services.ApprovalError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done: %(title)s") % {"title": approval.title})
        target = request.POST.get("next") or approval.get_absolute_url()
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = approval.get_absolute_url()
        return HttpResponseRedirect(target)


class ChainListView(ObjectListView):
    model = ApprovalChain
    table_class = tables.ChainTable
    search_fields = ("name",)
    default_sort = "name"

    def base_queryset(self) -> QuerySet[Any]:
        return ApprovalChain.objects.select_related("school").annotate(step_count=Count("steps"))


class ChainDetailView(ObjectDetailView):
    model = ApprovalChain
    template_name = "approvals/chain_detail.html"
    detail_fields = ("name", "request_type", "school", "is_active", "notes")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        chain = response.context_data["object"]  # type: ignore[attr-defined]
        response.context_data["chain_steps"] = chain.steps.select_related(  # type: ignore[attr-defined]
            "role", "user"
        ).order_by("order", "id")
        return response


class ChainEditView(ObjectEditView):
    model = ApprovalChain
    form_class = ChainForm
    template_name = "approvals/chain_edit.html"
    # The step formset's own keys: limited to the chain's steps by the formset itself.
    unscoped_choice_fields = ("id", "chain")

    def formset(self, obj: Any, data: Any = None) -> Any:
        formset = StepFormSet(data=data, instance=obj or ApprovalChain(), prefix="steps")
        for form in [*formset.forms, formset.empty_form]:
            self.narrow_form_choices(form)
        return formset

    def render(self, form: Any, obj: Any, formset: Any = None) -> HttpResponse:
        response = super().render(form, obj)
        response.context_data["formset"] = formset or self.formset(obj)  # type: ignore[attr-defined]
        if formset is not None and not formset.is_valid():
            response.status_code = 422
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        formset = self.formset(obj, request.POST)
        if not (form.is_valid() & formset.is_valid()):
            return self.render(form, obj, formset)
        with transaction.atomic():
            chain = form.save()
            formset.instance = chain
            formset.save()
            self.check_saved_scope(chain)
        messages.success(request, _("Saved: %(name)s") % {"name": chain})
        return HttpResponseRedirect(chain.get_absolute_url())


class ChainDeleteView(ObjectDeleteView):
    model = ApprovalChain
