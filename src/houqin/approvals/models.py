"""Approval chains (configuration) and approval requests (chains fixed at submission)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet
from houqin.core.scoping import school_ids

from . import registry


class ApproverKind(models.TextChoices):
    DEPARTMENT_HEAD = "department_head", _("Head of the requester's department")
    ROLE = "role", _("A person holding a role")
    USER = "user", _("A named person")


class ApprovalChain(SchoolOwnedModel):
    """The ordered steps a kind of request goes through in one school."""

    request_type = models.CharField(_("request type"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        ordering = ["school", "request_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "request_type"],
                condition=models.Q(is_active=True),
                name="approvals_one_active_chain_per_type",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("approvals:approvalchain_detail", args=[self.pk])

    def get_request_type_display(self) -> str:
        try:
            return str(registry.get(self.request_type).label)
        except KeyError:
            return self.request_type

    def clean(self) -> None:
        if self.request_type not in dict(registry.choices()):
            raise ValidationError({"request_type": _("Unknown request type.")})


class ApprovalChainStep(models.Model):
    chain = models.ForeignKey(
        ApprovalChain, on_delete=models.CASCADE, related_name="steps", verbose_name=_("chain")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("step name"), max_length=60)
    approver_kind = models.CharField(_("approver"), max_length=20, choices=ApproverKind.choices)
    role = models.ForeignKey(
        "accounts.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("role"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    min_amount = models.DecimalField(
        _("only from amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty to apply to every amount."),
    )
    categories = models.JSONField(
        _("only for categories"),
        default=list,
        blank=True,
        help_text=_("Leave empty to apply to every category."),
    )

    class Meta:
        verbose_name = _("chain step")
        verbose_name_plural = _("chain steps")
        ordering = ["chain", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        if self.approver_kind == ApproverKind.ROLE and not self.role_id:
            raise ValidationError({"role": _("Choose the role that approves this step.")})
        if self.approver_kind == ApproverKind.USER and not self.user_id:
            raise ValidationError({"user": _("Choose the person who approves this step.")})

    def applies_to(self, amount: Any, category: str) -> bool:
        if self.min_amount is not None and (amount is None or amount < self.min_amount):
            return False
        return not self.categories or category in self.categories


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalRequestQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any, perm: str | None = None) -> ApprovalRequestQuerySet:
        """Everything in schools where ``perm`` is held, plus what the user takes part in."""
        everything = models.Q(school_id__in=school_ids(user, perm)) if perm else models.Q()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        involved = models.Q(requester=user) | models.Q(
            pk__in=ApprovalRequestStep.objects.filter(acted_by=user).values("request_id")
        )
        mine = models.Q(school_id__in=school_ids(user)) & (involved | _actionable_q(user))
        condition = (everything | mine) if perm else mine
        return self.filter(condition)


def _actionable_q(user: Any) -> models.Q:
    from .selectors import actionable_steps

    return models.Q(pk__in=actionable_steps(user).values("request_id"))


class ApprovalRequest(SchoolOwnedModel):
    """One submission of a business object, with its chain frozen at submission."""

    TRANSITIONS: ClassVar[dict[str, dict[str, str | None]]] = {
        RequestStatus.PENDING: {
            RequestStatus.APPROVED: None,
            RequestStatus.REJECTED: None,
            RequestStatus.RETURNED: None,
            RequestStatus.WITHDRAWN: None,
        },
        RequestStatus.RETURNED: {RequestStatus.PENDING: None, RequestStatus.WITHDRAWN: None},
        RequestStatus.WITHDRAWN: {RequestStatus.PENDING: None},
        RequestStatus.APPROVED: {},
        RequestStatus.REJECTED: {},
    }

    request_type = models.CharField(_("request type"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    category = models.CharField(_("category"), max_length=40, blank=True)
    department = models.ForeignKey(
        "org.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approval_requests",
        verbose_name=_("requester"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    current_order = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ApprovalRequestQuerySet.as_manager()
    # The pointer to the open step is bookkeeping; the steps and actions are the history.
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", "current_order")

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="approvals_one_request_per_subject"
            )
        ]
        indexes = [
            models.Index(fields=["school", "status", "-submitted_at"]),
            models.Index(fields=["requester", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("approvals:request_detail", args=[self.pk])

    def get_request_type_display(self) -> str:
        try:
            return str(registry.get(self.request_type).label)
        except KeyError:
            return self.request_type


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    SKIPPED = "skipped", _("Skipped")


class ApprovalRequestStep(models.Model):
    """A step of a submitted request: a copy of the chain step taken at submission."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("step"), max_length=60)
    approver_kind = models.CharField(max_length=20, choices=ApproverKind.choices)
    role = models.ForeignKey(
        "accounts.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acted_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["request", "round", "order"]
        indexes = [
            models.Index(fields=["status", "approver"]),
            models.Index(fields=["status", "role"]),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def approver_label(self) -> str:
        if self.approver_id:
            return str(self.approver)
        return str(self.role) if self.role_id else "—"


class ActionKind(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    APPROVE = "approve", _("Approved")
    REJECT = "reject", _("Rejected")
    RETURN = "return", _("Returned for revision")
    WITHDRAW = "withdraw", _("Withdrawn")
    RESUBMIT = "resubmit", _("Resubmitted")
    SKIP = "skip", _("Skipped")


class ApprovalAction(models.Model):
    """The append-only history of a request."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="actions")
    step = models.ForeignKey(
        ApprovalRequestStep, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    round = models.PositiveSmallIntegerField(default=1)
    action = models.CharField(max_length=20, choices=ActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()
