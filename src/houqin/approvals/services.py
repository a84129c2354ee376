"""The approval state machine. Business apps call these; nobody writes approval tables.

Every action locks the request row, so two approvers acting on the same step at the same
moment cannot both succeed: the second is told who acted first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.core.workflow import transition

from . import notices, registry
from .models import (
    ActionKind,
    ApprovalAction,
    ApprovalChain,
    ApprovalRequest,
    ApprovalRequestStep,
    ApproverKind,
    RequestStatus,
    StepStatus,
)
from .selectors import can_act


class ApprovalError(Exception):
    """A refused approval action; the message is meant for the user."""


def _active_chain(school_id: int, kind: registry.RequestType) -> ApprovalChain:
    chain: ApprovalChain | None = ApprovalChain.objects.filter(
        school_id=school_id, request_type=kind.code, is_active=True
    ).first()
    if chain is None:
        raise ApprovalError(
            _("No approval chain is configured for “%(type)s” in this school.")
            % {"type": kind.label}
        )
    return chain


def _freeze_steps(chain: ApprovalChain, request: ApprovalRequest) -> list[ApprovalRequestStep]:
    """Copy the chain's applicable steps into the request for its current round."""
    if request.department is not None and request.department.school_id != request.school_id:
        raise ApprovalError(_("The department belongs to another school."))
    steps: list[ApprovalRequestStep] = []
    for step in chain.steps.select_related("role").order_by("order", "id"):
        if not step.applies_to(request.amount, request.category):
            continue
        approver = step.user
        if step.approver_kind == ApproverKind.DEPARTMENT_HEAD:
            approver = request.department.head if request.department else None
            if approver is None:
                raise ApprovalError(_("The department of this request has no head to approve it."))
        steps.append(
            ApprovalRequestStep(
                request=request,
                round=request.round,
                order=len(steps) + 1,
                name=step.name,
                approver_kind=step.approver_kind,
                role=step.role if step.approver_kind == ApproverKind.ROLE else None,
                approver=approver,
            )
        )
    return steps


def _start_round(request: ApprovalRequest, actor: Any) -> None:
    """Open the first step that the requester is not themself the approver of."""
    steps = list(request.steps.filter(round=request.round).order_by("order"))
    for step in steps:
        step.status, step.acted_by, step.acted_at, step.reason = StepStatus.WAITING, None, None, ""
    _advance(request, steps, after=0, actor=actor)
    ApprovalRequestStep.objects.bulk_update(steps, ["status", "acted_by", "acted_at", "reason"])


def _advance(
    request: ApprovalRequest, steps: list[ApprovalRequestStep], after: int, actor: Any
) -> ApprovalRequestStep | None:
    """Make the next step pending; a step whose approver is the requester is skipped."""
    for step in steps:
        if step.order <= after:
            continue
        if step.approver_id is not None and step.approver_id == request.requester_id:
            step.status = StepStatus.SKIPPED
            step.reason = _("The requester is the approver of this step.")
            ApprovalAction.objects.create(
                request=request,
                step=step,
                round=request.round,
                action=ActionKind.SKIP,
                reason=step.reason,
            )
            continue
        step.status = StepStatus.PENDING
        request.current_order = step.order
        return step
    request.current_order = None
    return None


@transaction.atomic
def approval_submit(*, subject: Any, request_type: str, actor: Any) -> ApprovalRequest:
    """Submit ``subject`` (or resubmit it after a return or withdrawal)."""
    kind = registry.get(request_type)
    content_type = ContentType.objects.get_for_model(type(subject))
    existing = (
        ApprovalRequest.objects.select_for_update()
        .filter(content_type=content_type, object_id=subject.pk)
        .first()
    )
    if existing is not None:
        return _resubmit(existing, subject, kind, actor)
    chain = _active_chain(subject.school_id, kind)
    request = ApprovalRequest(
        school_id=subject.school_id,
        request_type=request_type,
        content_type=content_type,
        object_id=subject.pk,
        title=kind.title(subject)[:200],
        amount=kind.amount(subject),
        category=kind.category(subject),
        department=kind.department(subject),
        requester=kind.requester(subject) or actor,
        submitted_at=timezone.now(),
    )
    if request.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may submit this request."))
    request.save()
    steps = _freeze_steps(chain, request)
    ApprovalRequestStep.objects.bulk_create(steps)
    ApprovalAction.objects.create(request=request, round=1, action=ActionKind.SUBMIT, actor=actor)
    _start_round(request, actor)
    request.save(update_fields=["current_order", "updated_at"])
    return _opened(request, subject, kind, actor)


def _opened(
    request: ApprovalRequest, subject: Any, kind: registry.RequestType, actor: Any
) -> ApprovalRequest:
    """A (re)submission is open: tell the subject, then approve at once if no step applies
    or tell the first approver."""
    kind.on_submitted(subject, request, actor)
    if request.current_order is None:
        return _finish(request, RequestStatus.APPROVED, actor, "", subject, kind)
    notices.pending(request, actor)
    return request


def _resubmit(
    request: ApprovalRequest, subject: Any, kind: registry.RequestType, actor: Any
) -> ApprovalRequest:
    if request.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may resubmit this request."))
    if request.status not in (RequestStatus.RETURNED, RequestStatus.WITHDRAWN):
        raise ApprovalError(_("This request is not waiting to be resubmitted."))
    # A resubmission is a new submission: the steps are taken again from today's chain, for
    # today's amount, category and department; earlier rounds stay in the history.
    request.title = kind.title(subject)[:200]
    request.amount = kind.amount(subject)
    request.category = kind.category(subject)
    request.department = kind.department(subject)
    request.round += 1
    ApprovalRequestStep.objects.bulk_create(
        _freeze_steps(_active_chain(request.school_id, kind), request)
    )
    request.submitted_at = timezone.now()
    request.decided_at = None
    ApprovalAction.objects.create(
        request=request, round=request.round, action=ActionKind.RESUBMIT, actor=actor
    )
    _start_round(request, actor)
    request = transition(  # type: ignore[no-any-return]
        request,
        RequestStatus.PENDING,
        actor=actor,
        check_permission=False,
        update={
            k: getattr(request, k)
            for k in (
                "title",
                "amount",
                "category",
                "department",
                "round",
                "submitted_at",
                "decided_at",
                "current_order",
            )
        },
    )
    return _opened(request, subject, kind, actor)


def _locked(request: ApprovalRequest) -> ApprovalRequest:
    locked: ApprovalRequest = (
        ApprovalRequest.objects.select_for_update(of=("self",), no_key=True)
        .select_related("requester")
        .get(pk=request.pk)
    )
    return locked


def _finish(
    request: ApprovalRequest,
    status: str,
    actor: Any,
    reason: str,
    subject: Any,
    kind: registry.RequestType,
    recipients: list[Any] | None = None,
) -> ApprovalRequest:
    done: ApprovalRequest = transition(
        request,
        status,
        actor=actor,
        reason=reason,
        check_permission=False,
        update={"decided_at": timezone.now(), "current_order": None},
    )
    hooks: dict[str, registry.Hook] = {
        RequestStatus.APPROVED: kind.on_approved,
        RequestStatus.REJECTED: kind.on_rejected,
        RequestStatus.RETURNED: kind.on_returned,
        RequestStatus.WITHDRAWN: kind.on_withdrawn,
    }
    hook = hooks[status]
    hook(subject, done, actor)
    notices.decided(done, actor, reason, recipients)
    return done


@transaction.atomic
def approval_act(
    *,
    request: ApprovalRequest,
    actor: Any,
    action: str,
    reason: str = "",
    step_id: int | None = None,
) -> ApprovalRequest:
    """approve, reject (reason required) or return for revision (reason required).

    ``step_id`` is the step the actor saw: if another step is pending by now (a second click,
    a stale page), nothing is done and the actor is told.
    """
    if action not in (ActionKind.APPROVE, ActionKind.REJECT, ActionKind.RETURN):
        raise ApprovalError(_("Unknown action."))
    reason = reason.strip()
    if action != ActionKind.APPROVE and not reason:
        raise ApprovalError(_("Please give a reason."))
    request = _locked(request)
    if request.requester_id == actor.pk:
        raise ApprovalError(_("You cannot approve your own request."))
    steps = list(
        request.steps.filter(round=request.round)
        .select_related("role", "approver", "acted_by")
        .order_by("order")
    )
    current = next((s for s in steps if s.status == StepStatus.PENDING), None)
    stale = step_id is not None and current is not None and current.pk != step_id
    if request.status != RequestStatus.PENDING or current is None or stale:
        last = next((s for s in reversed(steps) if s.acted_by_id), None)
        who = last.acted_by if last is not None else None
        raise ApprovalError(
            _("This request has already been handled%(by)s; nothing was changed.")
            % {"by": _(" by %(name)s") % {"name": who} if who else ""}
        )
    current.request = request
    if not can_act(actor, current):
        raise ApprovalError(_("This step is not yours to decide."))
    outcome: dict[str, str] = {
        ActionKind.APPROVE: StepStatus.APPROVED,
        ActionKind.REJECT: StepStatus.REJECTED,
        ActionKind.RETURN: StepStatus.RETURNED,
    }
    current.status = outcome[action]
    current.acted_by, current.acted_at, current.reason = actor, timezone.now(), reason
    ApprovalAction.objects.create(
        request=request,
        step=current,
        round=request.round,
        action=action,
        actor=actor,
        reason=reason,
    )
    kind = registry.get(request.request_type)
    subject = request.subject
    if action == ActionKind.APPROVE:
        following = _advance(request, steps, after=current.order, actor=actor)
        ApprovalRequestStep.objects.bulk_update(steps, ["status", "acted_by", "acted_at", "reason"])
        if following is None:
            return _finish(request, RequestStatus.APPROVED, actor, reason, subject, kind)
        request.save(update_fields=["current_order", "updated_at"])
        notices.pending(request, actor)
        return request
    current.save()
    status = RequestStatus.REJECTED if action == ActionKind.REJECT else RequestStatus.RETURNED
    return _finish(request, status, actor, reason, subject, kind)


@transaction.atomic
def approval_withdraw(*, request: ApprovalRequest, actor: Any, reason: str = "") -> ApprovalRequest:
    request = _locked(request)
    if request.requester_id != actor.pk:
        raise ApprovalError(_("Only the requester may withdraw this request."))
    if request.status not in (RequestStatus.PENDING, RequestStatus.RETURNED):
        raise ApprovalError(_("This request can no longer be withdrawn."))
    waiting_on = notices.approvers(request)
    request.steps.filter(status=StepStatus.PENDING).update(status=StepStatus.WAITING)
    ApprovalAction.objects.create(
        request=request,
        round=request.round,
        action=ActionKind.WITHDRAW,
        actor=actor,
        reason=reason,
    )
    kind = registry.get(request.request_type)
    return _finish(
        request, RequestStatus.WITHDRAWN, actor, reason, request.subject, kind, waiting_on
    )


def approval_batch_approve(
    *, requests: Iterable[ApprovalRequest], actor: Any, steps: dict[int, int] | None = None
) -> tuple[int, list[str]]:
    """Approve several requests, each in its own transaction; report what failed and why.

    ``steps`` maps a request id to the step id the actor saw in the inbox.
    """
    done, errors = 0, []
    for request in requests:
        try:
            approval_act(
                request=request,
                actor=actor,
                action=ActionKind.APPROVE,
                step_id=(steps or {}).get(request.pk),
            )
            done += 1
        except ApprovalError as exc:
            errors.append(f"{request.title}: {exc}")
    return done, errors
