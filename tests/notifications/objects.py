"""One object of each notifications model, for tests/test_url_access.py."""

from __future__ import annotations

from typing import Any

from houqin.notifications.models import Delivery, Notification, WebhookEndpoint


def notification_objects(school: Any, person: Any) -> dict[str, Any]:
    endpoint = WebhookEndpoint.objects.create(
        school=school, kind="wecom", name="后勤群", url="https://example.com/hook?key=k"
    )
    return {
        "notification": Notification.objects.create(
            recipient=person, school=school, event="system.test", title="测试"
        ),
        "webhookendpoint": endpoint,
        "delivery": Delivery.objects.create(
            channel="webhook",
            school=school,
            endpoint=endpoint,
            event="system.test",
            target="后勤群",
        ),
    }
