from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.core.models import AuditEntry
from houqin.notifications import events, services
from houqin.notifications.models import ChannelPreference, Delivery, Notification, WebhookEndpoint
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    """These tests read the English messages; the Chinese ones are checked by the .po check."""
    settings.LANGUAGE_CODE = "en"


def notify(user: Any, title: str = "通知", url: str = "/org/rooms/", school: Any = None) -> None:
    services.notify(recipients=[user], event="system.test", title=title, url=url, school=school)


def test_the_centre_lists_only_the_users_own_notifications(
    as_teacher: Any, teacher: Any, director: Any
) -> None:
    notify(teacher, "给老师的通知")
    notify(director, "给主任的通知")
    page = as_teacher.get("/notifications/").content.decode()
    assert "给老师的通知" in page
    assert "给主任的通知" not in page
    other = Notification.objects.get(recipient=director)
    assert as_teacher.get(f"/notifications/{other.pk}/").status_code == 404
    assert other.read_at is None


def test_unread_come_first_and_bold(as_teacher: Any, teacher: Any) -> None:
    notify(teacher, "旧的未读")
    notify(teacher, "新的已读")
    services.mark_read(teacher, [Notification.objects.get(title="新的已读").pk])
    page = as_teacher.get("/notifications/").content.decode()
    assert page.index("旧的未读") < page.index("新的已读")
    unread_only = as_teacher.get("/notifications/?show=unread").content.decode()
    assert "旧的未读" in unread_only and "新的已读" not in unread_only


def test_opening_marks_read_and_follows_the_link(as_teacher: Any, teacher: Any) -> None:
    notify(teacher, url="/org/rooms/")
    notification = Notification.objects.get()
    response = as_teacher.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == "/org/rooms/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_redirects_off_site(as_teacher: Any, teacher: Any) -> None:
    notify(teacher, url="https://evil.example.com/")
    response = as_teacher.get(f"/notifications/{Notification.objects.get().pk}/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(as_teacher: Any, teacher: Any, director: Any) -> None:
    for _ in range(3):
        notify(teacher)
    notify(director)
    assert as_teacher.get("/notifications/read/").status_code == 405
    response = as_teacher.post("/notifications/read/", {"all": "1"})
    assert response.status_code == 302
    assert services.unread_count(teacher) == 0
    assert services.unread_count(director) == 1


def test_mark_some_read(as_teacher: Any, teacher: Any) -> None:
    notify(teacher)
    notify(teacher)
    first = Notification.objects.filter(recipient=teacher).first()
    assert first is not None
    as_teacher.post("/notifications/read/", {"id": [str(first.pk), "x"], "next": "//evil.com"})
    assert services.unread_count(teacher) == 1


def test_the_bell_shows_the_unread_count(as_teacher: Any, teacher: Any) -> None:
    page = as_teacher.get("/notifications/preferences/").content.decode()
    assert 'data-testid="bell"' in page and 'data-testid="unread-count"' not in page
    for _ in range(2):
        notify(teacher)
    page = as_teacher.get("/notifications/preferences/").content.decode()
    assert 'data-testid="unread-count">2<' in page


def test_the_centre_pages_with_constant_queries(as_teacher: Any, teacher: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_teacher.get("/notifications/").status_code == 200
        return len(ctx.captured_queries)

    notify(teacher)
    count()
    small = count()
    for _ in range(60):
        notify(teacher)
    assert count() == small


def test_preferences_table_saves_choices(as_teacher: Any, teacher: Any) -> None:
    events.register("test.pref", "待审批", default_channels=("in_app", "email"))
    page = as_teacher.get("/notifications/preferences/").content.decode()
    assert 'name="test.pref:email"' in page and "待审批" in page
    response = as_teacher.post("/notifications/preferences/", {"test.pref:in_app": "on"})
    assert response.status_code == 302
    pref = ChannelPreference.objects.get(user=teacher, event="test.pref")
    assert pref.in_app and not pref.email


def test_director_manages_endpoints_and_the_secret_stays_out_of_the_audit(
    as_director: Any, school: Any
) -> None:
    response = as_director.post(
        "/notifications/webhooks/add/",
        {
            "school": school.pk,
            "kind": "dingtalk",
            "name": "后勤钉钉群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=t",
            "secret": "SECtopsecret",
            "events": ["system.test"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    created = WebhookEndpoint.objects.get()
    assert created.secret == "SECtopsecret" and created.events == ["system.test"]
    detail = as_director.get(created.get_absolute_url()).content.decode()
    assert "SECtopsecret" not in detail and "access_token=t" not in detail
    assert 'data-testid="send-test"' in detail
    edit = as_director.get(f"/notifications/webhooks/{created.pk}/edit/").content.decode()
    assert "SECtopsecret" not in edit
    as_director.post(
        f"/notifications/webhooks/{created.pk}/edit/",
        {
            "school": school.pk,
            "kind": "dingtalk",
            "name": "改名",
            "url": created.url,
            "secret": "",
            "is_active": "on",
        },
    )
    created.refresh_from_db()
    assert created.name == "改名" and created.secret == "SECtopsecret" and created.events == []
    entries = AuditEntry.objects.filter(object_repr__in=["后勤钉钉群", "改名"])
    assert entries.count() == 2
    assert all("secret" not in entry.changes for entry in entries)


def test_endpoint_form_refuses_bad_addresses_and_wecom_secrets(
    as_director: Any, school: Any
) -> None:
    response = as_director.post(
        "/notifications/webhooks/add/",
        {"school": school.pk, "kind": "wecom", "name": "群", "url": "ftp://x", "secret": "s"},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "url" in form.errors and "secret" in form.errors


def test_the_test_button_shows_the_robots_answer(as_director: Any, school: Any, robot: Any) -> None:
    target = WebhookEndpoint.objects.create(school=school, kind="wecom", name="群", url=robot.url)
    response = as_director.post(f"/notifications/webhooks/{target.pk}/test/", follow=True)
    assert "已送达" in response.content.decode() or "delivered" in response.content.decode()
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    response = as_director.post(f"/notifications/webhooks/{target.pk}/test/", follow=True)
    assert "invalid webhook url" in response.content.decode()
    assert Delivery.objects.filter(endpoint=target).count() == 2


def test_principal_sees_endpoints_but_may_not_test_them(school: Any) -> None:
    principal = f.member(school, "principal")
    target = WebhookEndpoint.objects.create(
        school=school, kind="wecom", name="群", url="https://example.com/h"
    )
    client = login(principal)
    assert 'data-testid="send-test"' not in client.get(target.get_absolute_url()).content.decode()
    assert client.post(f"/notifications/webhooks/{target.pk}/test/").status_code == 403


def test_the_delivery_log_filters_by_status_and_channel(
    as_director: Any, school: Any, other_school: Any
) -> None:
    def log(channel: str, status: str, target: str, where: Any = school) -> None:
        Delivery.objects.create(
            channel=channel, status=status, target=target, school=where, event="system.test"
        )

    log("email", "sent", "a@example.cn")
    log("email", "failed", "b@example.cn")
    log("webhook", "failed", "钉钉群")
    log("webhook", "failed", "别校的群", other_school)
    page = as_director.get("/notifications/deliveries/").content.decode()
    assert "a@example.cn" in page and "钉钉群" in page and "别校的群" not in page
    page = as_director.get("/notifications/deliveries/?status=failed&channel=webhook").content
    assert "钉钉群" in page.decode() and "b@example.cn" not in page.decode()
    delivery = Delivery.objects.get(target="钉钉群")
    assert as_director.get(delivery.get_absolute_url()).status_code == 200


def test_teachers_cannot_manage_robots(as_teacher: Any) -> None:
    assert as_teacher.get("/notifications/webhooks/").status_code == 403
    assert as_teacher.get("/notifications/deliveries/").status_code == 403
    assert as_teacher.get("/notifications/jobs/").status_code == 403
