"""Telling people what happened: in the app, by e-mail and in the school's group chats.

Other apps call ``notify`` from their services, inside the transaction of the action. The
in-app rows and the delivery log rows are written in that transaction; e-mails and webhook
messages are handed to the job queue only after it commits, so nothing is sent for an action
that is rolled back, and a failing mail server or robot never breaks the action.

Titles and bodies are passed already translated by the caller (in the language active when
the action happens). Webhook messages add their link text in the site's default language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events, webhooks
from .models import ChannelPreference, Delivery, JobRun, Notification, WebhookEndpoint

if TYPE_CHECKING:
    from houqin.accounts.models import User

logger = logging.getLogger(__name__)

#: The first try and three retries, each after a longer pause.
MAX_ATTEMPTS = 4
RETRY_DELAYS = (30, 120, 600)
#: Read notifications and the delivery log are kept this many days.
RETENTION_DAYS = 180


def absolute_url(url: str) -> str:
    """A link usable outside the browser (e-mail, chat): prefixed with HOUQIN_BASE_URL."""
    if not url or url.startswith(("http://", "https://")):
        return url
    base = str(getattr(settings, "HOUQIN_BASE_URL", "") or "").rstrip("/")
    return f"{base}{url}" if base else url


def channels_for(users: Iterable[Any], event: str) -> dict[int, dict[str, bool]]:
    """user id -> {channel: wanted} for ``event``: the preference row, else the defaults."""
    ids = [user.pk for user in users]
    rows = {
        row.user_id: row for row in ChannelPreference.objects.filter(user_id__in=ids, event=event)
    }
    spec = events.get(event)
    defaults = {code: spec.default_for(code) for code in events.CHANNEL_CODES}
    result: dict[int, dict[str, bool]] = {}
    for pk in ids:
        row = rows.get(pk)
        result[pk] = {"in_app": row.in_app, "email": row.email} if row else dict(defaults)
    return result


def notify(
    *,
    recipients: Iterable[User],
    event: str,
    title: str,
    body: str = "",
    url: str = "",
    obj: Model | None = None,
    school: Any = None,
    actor: Any = None,
) -> None:
    """Tell ``recipients`` (never the actor) about ``event`` on the channels they chose, and
    post it to the school's group robots subscribed to the event."""
    actor_id = getattr(actor, "pk", None)
    seen: set[int] = set()
    people: list[Any] = []
    for user in recipients:
        if user is None or user.pk in seen or user.pk == actor_id or not user.is_active:
            continue
        seen.add(user.pk)
        people.append(user)
    wanted = channels_for(people, event)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    school_id = getattr(school, "pk", school)
    title = title[:200]
    now = timezone.now()
    in_app = [
        Notification(
            recipient=user,
            school_id=school_id,
            event=event,
            title=title,
            body=body,
            url=url,
            content_type=content_type,
            object_id=object_id,
            created_at=now,
        )
        for user in people
        if wanted[user.pk]["in_app"]
    ]
    created = {n.recipient_id: n for n in Notification.objects.bulk_create(in_app)}
    link = absolute_url(url)
    deliveries = [
        Delivery(
            channel=Delivery.Channel.EMAIL,
            school_id=school_id,
            event=event,
            notification=created.get(user.pk),
            recipient=user,
            target=user.email,
            payload={"subject": title, "body": "\n\n".join(p for p in (body, link) if p)},
        )
        for user in people
        if wanted[user.pk]["email"] and user.email
    ]
    if school_id is not None:
        message = webhooks.Message(title=title, body=body, url=link)
        for endpoint in WebhookEndpoint.objects.filter(school_id=school_id, is_active=True):
            if endpoint.wants(event):
                deliveries.append(
                    Delivery(
                        channel=Delivery.Channel.WEBHOOK,
                        school_id=school_id,
                        event=event,
                        endpoint=endpoint,
                        target=endpoint.name[:254],
                        payload=webhooks.build_payload(endpoint.kind, message),
                    )
                )
    if deliveries:
        ids = [d.pk for d in Delivery.objects.bulk_create(deliveries)]
        transaction.on_commit(lambda: enqueue(ids), robust=True)


def enqueue(delivery_ids: Iterable[int]) -> None:
    """Hand deliveries to the job queue; a broken queue is logged, never raised."""
    from .tasks import deliver

    for pk in delivery_ids:
        try:
            deliver(pk)
        except Exception:
            logger.exception("could not queue notification delivery %s", pk)


def _send(delivery: Delivery) -> webhooks.Result:
    if delivery.channel == Delivery.Channel.EMAIL:
        mail = EmailMessage(
            subject=str(delivery.payload.get("subject", ""))[:200],
            body=str(delivery.payload.get("body", "")),
            to=[delivery.target],
        )
        mail.send()
        return webhooks.Result(True)
    endpoint = delivery.endpoint
    if endpoint is None:
        return webhooks.Result(False, None, _("The webhook endpoint was deleted."))
    if not endpoint.is_active:
        return webhooks.Result(False, None, _("The webhook endpoint is switched off."))
    return webhooks.post(endpoint.kind, endpoint.url, endpoint.secret, delivery.payload)


def attempt(delivery_id: int) -> Delivery | None:
    """Try one delivery once and record the outcome on its row. Never raises."""
    delivery: Delivery | None = (
        Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status == Delivery.Status.SENT:
        return delivery
    try:
        result = _send(delivery)
    except Exception as exc:
        logger.warning("notification delivery %s failed", delivery_id, exc_info=True)
        result = webhooks.Result(False, None, f"{type(exc).__name__}: {exc}"[:1000])
    delivery.attempts += 1
    delivery.response_status = result.status
    if result.ok:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    else:
        delivery.status = Delivery.Status.FAILED
        delivery.last_error = result.error[:2000]
    delivery.save(update_fields=["attempts", "response_status", "status", "sent_at", "last_error"])
    return delivery


def retry_delay(delivery: Delivery | None) -> int | None:
    """Seconds until the next try of a failed delivery, or None when it is done."""
    if delivery is None or delivery.status != Delivery.Status.FAILED:
        return None
    if delivery.attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]


def send_test(endpoint: WebhookEndpoint, *, actor: Any) -> Delivery:
    """Post a test message to ``endpoint`` now (no retries) and return the logged delivery."""
    message = webhooks.Message(
        title=str(events.get(events.SYSTEM_TEST).label),
        body=f"{endpoint.school} · {endpoint.name} · {actor}",
        url=absolute_url("/"),
    )
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.WEBHOOK,
        school_id=endpoint.school_id,
        event=events.SYSTEM_TEST,
        endpoint=endpoint,
        recipient=actor if getattr(actor, "is_authenticated", False) else None,
        target=endpoint.name[:254],
        payload=webhooks.build_payload(endpoint.kind, message),
    )
    done = attempt(delivery.pk)
    assert done is not None
    return done


def unread_count(user: Any) -> int:
    """One indexed COUNT over (recipient, read_at)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def mark_read(user: Any, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's own notifications read; returns how many changed."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if ids != "all":
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def preferences(user: Any) -> dict[str, dict[str, bool]]:
    """event code -> {channel: wanted} for every event a person may choose channels for."""
    rows = {row.event: row for row in ChannelPreference.objects.filter(user_id=user.pk)}
    result: dict[str, dict[str, bool]] = {}
    for code, spec in events.EVENTS.items():
        if not spec.choosable:
            continue
        row = rows.get(code)
        if row is not None:
            result[code] = {"in_app": row.in_app, "email": row.email}
        else:
            result[code] = {c: spec.default_for(c) for c in events.CHANNEL_CODES}
    return result


@transaction.atomic
def set_preferences(user: Any, chosen: dict[str, dict[str, bool]]) -> None:
    """Store the user's channels for each registered event named in ``chosen``."""
    for code, channels in chosen.items():
        if code not in events.EVENTS or not events.EVENTS[code].choosable:
            continue
        ChannelPreference.objects.update_or_create(
            user_id=user.pk,
            event=code,
            defaults={
                "in_app": bool(channels.get("in_app")),
                "email": bool(channels.get("email")),
            },
        )


def purge_old(days: int = RETENTION_DAYS) -> dict[str, int]:
    """Delete read notifications, delivery log rows and job runs older than ``days``."""
    cutoff = timezone.now() - timedelta(days=days)
    notifications, _n = Notification.objects.filter(
        read_at__isnull=False, created_at__lt=cutoff
    ).delete()
    deliveries, _d = Delivery.objects.filter(created_at__lt=cutoff).delete()
    runs, _r = JobRun.objects.filter(started_at__lt=cutoff).delete()
    return {"notifications": notifications, "deliveries": deliveries, "job_runs": runs}
