"""Notifications in the app, channel preferences, school webhooks, the delivery log and the
log of periodic job runs."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from houqin.core.models import SchoolOwnedModel, ScopedQuerySet

from . import events


class Notification(models.Model):
    """One message in a person's notification centre."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    school = models.ForeignKey(
        "org.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    event = models.CharField(_("event"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"], name="notif_recipient_unread"
            ),
            models.Index(fields=["read_at"], name="notif_read_at"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:notification_open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def event_label(self) -> str:
        return str(events.get(self.event).label)


class ChannelPreference(models.Model):
    """A person's choice of channels for one event type; no row means the event's defaults."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("person"),
    )
    event = models.CharField(_("event"), max_length=60)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notif_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk custom robot (钉钉)")
    FEISHU = "feishu", _("Feishu custom bot (飞书)")


class WebhookEndpoint(SchoolOwnedModel):
    """A group robot of a school that receives notifications."""

    kind = models.CharField(_("kind"), max_length=10, choices=WebhookKind.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(
        _("webhook address"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("The address the group robot shows when it is added to the group."),
    )
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_(
            "DingTalk “加签” secret (starts with SEC) or Feishu signature secret; "
            "leave empty when the robot does not sign."
        ),
    )
    events = models.JSONField(
        _("events"),
        default=list,
        blank=True,
        help_text=_("The events sent to this robot; none selected means all of them."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    # The secret never goes into the audit trail.
    audit_exclude: ClassVar[tuple[str, ...]] = ("created_at", "updated_at", "secret")

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["school", "name"]
        indexes = [models.Index(fields=["school", "is_active"], name="notif_endpoint_active")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notifications:webhookendpoint_detail", args=[self.pk])

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events

    @property
    def masked_url(self) -> str:
        """The address without its token (the token lets anyone post to the group)."""
        base = self.url.split("?", 1)[0]
        head, _sep, tail = base.rpartition("/")
        if self.kind == WebhookKind.FEISHU and tail:
            return f"{head}/{tail[:4]}…"
        return f"{base}?…" if "?" in self.url else base

    def events_display(self) -> str:
        if not self.events:
            return str(_("All events"))
        return "、".join(str(events.get(code).label) for code in self.events)


class Delivery(models.Model):
    """One message sent (or to be sent) by e-mail or to a webhook: the delivery log."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    school = models.ForeignKey(
        "org.School",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("school"),
    )
    event = models.CharField(_("event"), max_length=60)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("webhook endpoint"),
    )
    target = models.CharField(_("to"), max_length=254)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    response_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_field: ClassVar[str] = "school_id"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("delivery log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="notif_delivery_school"),
            models.Index(fields=["school", "status", "-created_at"], name="notif_delivery_status"),
            models.Index(
                fields=["school", "channel", "-created_at"], name="notif_delivery_channel"
            ),
            models.Index(fields=["created_at"], name="notif_delivery_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:delivery_detail", args=[self.pk])

    @property
    def event_label(self) -> str:
        return str(events.get(self.event).label)


class JobRun(models.Model):
    """One run of a periodic job (see ``houqin.core.jobs``)."""

    name = models.CharField(_("job"), max_length=100)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["name", "-started_at"], name="notif_jobrun_name")]

    def __str__(self) -> str:
        return f"{self.name} @ {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
