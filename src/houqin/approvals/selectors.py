"""Reads about approvals: who may act on which step, the inbox and its count."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from .models import ApprovalRequest, ApprovalRequestStep, RequestStatus, StepStatus


def _role_pairs(user: Any) -> list[tuple[int, int]]:
    from houqin.accounts.models import Membership

    cached: list[tuple[int, int]] | None = getattr(user, "_houqin_role_pairs", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, school__isnull=False).values_list(
                "role_id", "school_id"
            )
        )
        user._houqin_role_pairs = cached
    return cached


def actionable_steps(user: Any) -> QuerySet[ApprovalRequestStep]:
    """Steps waiting for a decision that ``user`` may take (never on their own requests)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ApprovalRequestStep.objects.none()
    condition = Q(approver=user)
    for role_id, school_id in _role_pairs(user):
        condition |= Q(approver__isnull=True, role_id=role_id, request__school_id=school_id)
    from houqin.core.scoping import school_ids

    return (
        ApprovalRequestStep.objects.filter(condition, status=StepStatus.PENDING)
        .filter(request__status=RequestStatus.PENDING, request__school_id__in=school_ids(user))
        .exclude(request__requester=user)
    )


def can_act(user: Any, step: ApprovalRequestStep) -> bool:
    if step.status != StepStatus.PENDING or step.request.requester_id == user.pk:
        return False
    if step.approver_id is not None:
        return bool(step.approver_id == user.pk)
    return (step.role_id, step.request.school_id) in _role_pairs(user)


def inbox(user: Any) -> QuerySet[ApprovalRequest]:
    """Requests waiting for the user, each with ``waiting_step`` (the step they may decide)."""
    waiting = actionable_steps(user).filter(request_id=OuterRef("pk")).values("pk")[:1]
    requests: QuerySet[ApprovalRequest] = (
        ApprovalRequest.objects.filter(pk__in=actionable_steps(user).values("request_id"))
        .annotate(waiting_step=Subquery(waiting))
        .select_related("requester", "department", "school")
        .order_by("submitted_at", "id")
    )
    return requests


def inbox_count(user: Any) -> int:
    count: int = actionable_steps(user).count()
    return count


def request_for(obj: Any) -> ApprovalRequest | None:
    from django.contrib.contenttypes.models import ContentType

    return (
        ApprovalRequest.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )
        .select_related("requester")
        .first()
    )


def subjects_visible_q(
    user: Any,
    perm: str | None,
    *,
    see_all: str,
    request_type: str,
    department_heads: bool = True,
) -> Q:
    """Who sees a requested object (a claim, a purchase request, a requisition, a print job):
    holders of ``see_all`` every one of their schools; otherwise the requester, the head of the
    object's department (when ``department_heads``) and the approvers who decide it — always
    within the schools where ``perm`` is held. The caller checks that the user is logged in."""
    from houqin.core.scoping import school_ids

    everything = school_ids(user, see_all)
    own = school_ids(user, perm)
    deciding = ApprovalRequest.objects.filter(request_type=request_type).visible_to(user)
    condition = (
        Q(school_id__in=[pk for pk in own if pk in everything])
        | Q(school_id__in=own, requester=user)
        | Q(school_id__in=own, pk__in=deciding.values("object_id"))
    )
    if department_heads:
        condition |= Q(school_id__in=own, department__head=user)
    return condition
