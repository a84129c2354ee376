from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from houqin.notifications import events, services
from houqin.notifications.models import ChannelPreference, Delivery, Notification, WebhookEndpoint
from tests import factories as f

pytestmark = pytest.mark.django_db


def send(recipients: list[Any], actor: Any = None, school: Any = None, **kw: Any) -> None:
    services.notify(
        recipients=recipients,
        event=kw.pop("event", "system.test"),
        title=kw.pop("title", "报修单已派工"),
        body=kw.pop("body", "三楼卫生间漏水"),
        url=kw.pop("url", "/org/rooms/"),
        school=school,
        actor=actor,
        **kw,
    )


def test_it_notifies_recipients_but_never_the_actor(
    director: Any, teacher: Any, school: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send([director, teacher, teacher, None], actor=director, school=school)
    rows = list(Notification.objects.all())
    assert [n.recipient for n in rows] == [teacher]
    assert rows[0].school == school
    assert rows[0].url == "/org/rooms/"
    assert services.unread_count(teacher) == 1
    assert services.unread_count(director) == 0


def test_it_links_the_object(teacher: Any, school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    services.notify(recipients=[teacher], event="system.test", title="t", obj=room)
    assert Notification.objects.get().target == room


def test_it_skips_inactive_people(teacher: Any) -> None:
    teacher.is_active = False
    teacher.save()
    send([teacher])
    assert not Notification.objects.exists()


def test_it_honours_preferences_and_defaults(
    school: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    events.register("test.both", "both", default_channels=("in_app", "email"))
    quiet = f.member(school, "teacher", email="quiet@example.cn")
    mailer = f.member(school, "teacher", email="mail@example.cn")
    default = f.member(school, "teacher", email="default@example.cn")
    ChannelPreference.objects.create(user=quiet, event="test.both", in_app=False, email=False)
    ChannelPreference.objects.create(user=mailer, event="test.both", in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        send([quiet, mailer, default], event="test.both")
    assert {n.recipient for n in Notification.objects.all()} == {default}
    assert sorted(m.to[0] for m in mailoutbox) == ["default@example.cn", "mail@example.cn"]


def test_it_uses_the_event_defaults(teacher: Any, mailoutbox: list[Any]) -> None:
    teacher.email = "t@example.cn"
    teacher.save()
    events.register("test.app_only", "app only", default_channels=("in_app",))
    send([teacher], event="test.app_only")
    assert Notification.objects.count() == 1
    assert not Delivery.objects.exists()


def test_it_sends_email_after_commit_with_an_absolute_link(
    teacher: Any, school: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    events.register("test.mail", "mail")
    teacher.email = "teacher@example.cn"
    teacher.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([teacher], event="test.mail", school=school)
    assert mailoutbox == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.subject == "报修单已派工"
    assert "三楼卫生间漏水" in mail.body
    assert "https://houqin.example.cn/org/rooms/" in mail.body
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.target == "teacher@example.cn"
    assert delivery.notification == Notification.objects.get()
    assert delivery.attempts == 1 and delivery.sent_at is not None


def test_nothing_is_sent_when_the_action_rolls_back(
    teacher: Any,
    school: Any,
    robot: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    events.register("test.mail", "mail")
    teacher.email = "teacher@example.cn"
    teacher.save()
    WebhookEndpoint.objects.create(school=school, kind="wecom", name="群", url=robot.url)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([teacher], event="test.mail", school=school)
        raise RuntimeError("the action failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mailoutbox == [] and robot.requests == []


def test_a_broken_job_queue_never_breaks_the_action(
    teacher: Any, school: Any, robot: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from houqin.notifications import tasks

    def broken(pk: int) -> None:
        raise ConnectionError("queue is down")

    monkeypatch.setattr(tasks, "deliver", broken)
    WebhookEndpoint.objects.create(school=school, kind="wecom", name="群", url=robot.url)
    with django_capture_on_commit_callbacks(execute=True):
        room = f.RoomFactory(building__campus__school=school)
        send([teacher], school=school, obj=room)
    assert Notification.objects.filter(recipient=teacher).exists()
    assert Delivery.objects.get().status == Delivery.Status.PENDING


def test_mark_read_touches_only_the_users_own(teacher: Any, director: Any) -> None:
    send([teacher, director])
    send([teacher])
    mine = list(Notification.objects.filter(recipient=teacher))
    assert (
        services.mark_read(teacher, [mine[0].pk, Notification.objects.get(recipient=director).pk])
        == 1
    )
    assert services.unread_count(teacher) == 1
    assert services.mark_read(teacher, "all") == 1
    assert services.unread_count(teacher) == 0
    assert services.unread_count(director) == 1


def test_unread_count_is_one_query_whatever_the_rows(
    teacher: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(3):
        send([teacher])
    with django_assert_num_queries(1):
        assert services.unread_count(teacher) == 3
    for _ in range(30):
        send([teacher])
    with django_assert_num_queries(1):
        assert services.unread_count(teacher) == 33


def test_preferences_round_trip(teacher: Any) -> None:
    events.register("test.pref", "pref", default_channels=("in_app",))
    assert services.preferences(teacher)["test.pref"] == {"in_app": True, "email": False}
    services.set_preferences(
        teacher, {"test.pref": {"in_app": False, "email": True}, "unknown": {"email": True}}
    )
    assert services.preferences(teacher)["test.pref"] == {"in_app": False, "email": True}
    assert ChannelPreference.objects.filter(user=teacher).count() == 1


def test_registering_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError, match="sms"):
        events.register("test.bad", "bad", default_channels=("sms",))
    assert events.SYSTEM_TEST in events.EVENTS


def test_the_test_message_is_not_offered_in_the_settings(teacher: Any) -> None:
    assert events.SYSTEM_TEST not in services.preferences(teacher)
