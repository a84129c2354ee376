"""Who is told what at each step of an approval."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApprovalRequest, StepStatus

EVENTS = {
    "approval.pending": (gettext_lazy("A request waits for your approval"), ("in_app", "email")),
    "approval.approved": (gettext_lazy("Your request was approved"), ("in_app", "email")),
    "approval.rejected": (gettext_lazy("Your request was rejected"), ("in_app", "email")),
    "approval.returned": (
        gettext_lazy("Your request was returned for revision"),
        ("in_app", "email"),
    ),
    "approval.withdrawn": (
        gettext_lazy("A request you were to approve was withdrawn"),
        ("in_app",),
    ),
}


def register_events() -> None:
    from houqin.notifications import events

    for code, (label, channels) in EVENTS.items():
        events.register(code, label, default_channels=channels)


def approvers(request: ApprovalRequest) -> list[Any]:
    from houqin.accounts.models import Membership, User

    step = request.steps.filter(status=StepStatus.PENDING).first()
    if step is None:
        return []
    if step.approver_id:
        return [step.approver]
    members = Membership.objects.filter(
        school_id=request.school_id, role_id=step.role_id, is_active=True
    ).values("user_id")
    return list(
        User.objects.filter(pk__in=members, is_active=True).exclude(pk=request.requester_id)
    )


def pending(request: ApprovalRequest, actor: Any) -> None:
    from houqin.notifications.services import notify

    notify(
        recipients=approvers(request),
        event="approval.pending",
        title=_("To approve: %(title)s") % {"title": request.title},
        body=_("%(requester)s submitted “%(title)s” (%(type)s).")
        % {
            "requester": request.requester,
            "title": request.title,
            "type": request.get_request_type_display(),
        },
        url=request.get_absolute_url(),
        obj=request,
        school=request.school,
        actor=actor,
    )


def decided(
    request: ApprovalRequest, actor: Any, reason: str, recipients: list[Any] | None = None
) -> None:
    from houqin.notifications.services import notify

    status = request.status
    if recipients is None:
        recipients = [request.requester]
    title = {
        "approved": _("Approved: %(title)s"),
        "rejected": _("Rejected: %(title)s"),
        "returned": _("Returned for revision: %(title)s"),
        "withdrawn": _("Withdrawn: %(title)s"),
    }[status] % {"title": request.title}
    body = _("Reason: %(reason)s") % {"reason": reason} if reason else ""
    notify(
        recipients=recipients,
        event=f"approval.{status}",
        title=title,
        body=body,
        url=request.get_absolute_url(),
        obj=request,
        school=request.school,
        actor=actor,
    )
