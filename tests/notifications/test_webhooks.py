"""Group robots against a fake robot on 127.0.0.1: message shapes, signatures, failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import pytest
from huey.contrib.djhuey import HUEY
from huey.exceptions import RetryTask

from houqin.notifications import services, tasks, webhooks
from houqin.notifications.models import Delivery, WebhookEndpoint
from tests import factories as f

pytestmark = pytest.mark.django_db

SECRET = "SECd1e2f3a4b5c6"


def endpoint(school: Any, robot: Any, kind: str, **kw: Any) -> WebhookEndpoint:
    created: WebhookEndpoint = WebhookEndpoint.objects.create(
        school=school, kind=kind, name=f"{kind} 后勤群", url=robot.url + kw.pop("query", ""), **kw
    )
    return created


def fire(school: Any, recipients: list[Any], capture: Any, event: str = "system.test") -> None:
    with capture(execute=True):
        services.notify(
            recipients=recipients,
            event=event,
            title="报修：三楼卫生间漏水",
            body="报修人：张老师\n地点：教学楼 301",
            url="/maintenance/orders/7/",
            school=school,
        )


def test_wecom_gets_markdown(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint(school, robot, "wecom", query="?key=abc")
    fire(school, [teacher], django_capture_on_commit_callbacks)
    [request] = robot.requests
    assert request["query"] == {"key": "abc"}
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["json"]
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**报修：三楼卫生间漏水**")
    assert "地点：教学楼 301" in content
    assert "(https://houqin.example.cn/maintenance/orders/7/)" in content
    assert set(body) == {"msgtype", "markdown"}
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.response_status == 200


def test_dingtalk_gets_markdown_signed_in_the_query(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint(school, robot, "dingtalk", query="?access_token=tok", secret=SECRET)
    before = time.time() * 1000
    fire(school, [teacher], django_capture_on_commit_callbacks)
    [request] = robot.requests
    query = request["query"]
    assert query["access_token"] == "tok"
    timestamp = query["timestamp"]
    assert before - 1000 <= int(timestamp) <= time.time() * 1000 + 1000  # milliseconds
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == expected
    assert "%" in request["raw_query"].split("sign=")[1] or "+" not in expected  # url-encoded
    body = request["json"]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "报修：三楼卫生间漏水"
    assert body["markdown"]["text"].startswith("#### 报修：三楼卫生间漏水")
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_dingtalk_without_a_secret_is_not_signed(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint(school, robot, "dingtalk", query="?access_token=tok")
    fire(school, [teacher], django_capture_on_commit_callbacks)
    assert robot.requests[0]["query"] == {"access_token": "tok"}


def test_feishu_gets_a_post_signed_in_the_body(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    robot.answer = {"code": 0, "msg": "success", "data": {}}
    endpoint(school, robot, "feishu", secret=SECRET)
    fire(school, [teacher], django_capture_on_commit_callbacks)
    [request] = robot.requests
    body = request["json"]
    timestamp = body["timestamp"]
    assert isinstance(timestamp, str) and abs(int(timestamp) - time.time()) < 5  # seconds
    expected = base64.b64encode(
        hmac.new(f"{timestamp}\n{SECRET}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert body["sign"] == expected
    assert body["msg_type"] == "post"
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == "报修：三楼卫生间漏水"
    assert post["content"][0] == [{"tag": "text", "text": "报修人：张老师"}]
    assert post["content"][-1][0]["tag"] == "a"
    assert post["content"][-1][0]["href"] == "https://houqin.example.cn/maintenance/orders/7/"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_feishu_legacy_status_code_answer_counts(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    robot.answer = {"StatusCode": 0, "StatusMessage": "success"}
    endpoint(school, robot, "feishu")
    fire(school, [teacher], django_capture_on_commit_callbacks)
    assert "sign" not in robot.requests[0]["json"]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_only_active_subscribed_endpoints_of_the_school_get_it(
    school: Any,
    other_school: Any,
    teacher: Any,
    robot: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint(school, robot, "wecom", query="?key=all")
    endpoint(school, robot, "wecom", query="?key=pending", events=["approval.pending"])
    endpoint(school, robot, "wecom", query="?key=test", events=["system.test"])
    endpoint(school, robot, "wecom", query="?key=off", is_active=False)
    endpoint(other_school, robot, "wecom", query="?key=other")
    fire(school, [teacher], django_capture_on_commit_callbacks)
    assert sorted(r["query"]["key"] for r in robot.requests) == ["all", "test"]


def test_the_group_is_told_even_when_nobody_else_is(
    school: Any, director: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint(school, robot, "wecom")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[director], event="system.test", title="t", school=school, actor=director
        )
    assert len(robot.requests) == 1


@pytest.mark.parametrize(
    ("kind", "status", "answer", "error"),
    [
        ("wecom", 500, {"errcode": 0}, "HTTP 500"),
        ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "93000: invalid"),
        ("dingtalk", 200, {"errcode": 310000, "errmsg": "sign not match"}, "310000: sign not"),
        ("feishu", 200, {"code": 19021, "msg": "sign match fail"}, "19021: sign match fail"),
        ("feishu", 200, ["not", "an", "object"], "Unexpected answer"),
    ],
)
def test_a_refusing_robot_fails_the_delivery_and_it_is_retried(
    school: Any,
    teacher: Any,
    robot: Any,
    django_capture_on_commit_callbacks: Any,
    kind: str,
    status: int,
    answer: Any,
    error: str,
) -> None:
    robot.status = status
    robot.answer = answer
    endpoint(school, robot, kind)
    fire(school, [teacher], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 1
    assert delivery.response_status == status
    assert error in delivery.last_error
    [retry] = HUEY.scheduled()  # the queue holds the next try
    assert retry.args == (delivery.pk,)


def test_retries_grow_and_stop_after_three(school: Any, robot: Any) -> None:
    robot.status = 502
    target = endpoint(school, robot, "wecom")
    delivery = Delivery.objects.create(
        channel="webhook",
        school=school,
        endpoint=target,
        event="system.test",
        target="群",
        payload=webhooks.build_payload("wecom", webhooks.Message("t")),
    )
    delays = []
    for _ in range(3):
        with pytest.raises(RetryTask) as raised:
            tasks.deliver.call_local(delivery.pk)
        delays.append(raised.value.delay)
    assert delays == [30, 120, 600]
    tasks.deliver.call_local(delivery.pk)  # the last try: no more retries
    delivery.refresh_from_db()
    assert delivery.attempts == services.MAX_ATTEMPTS == 4
    assert delivery.status == Delivery.Status.FAILED
    assert len(robot.requests) == 4


def test_a_retry_that_succeeds_marks_it_sent(school: Any, robot: Any) -> None:
    robot.answers = [{"errcode": 45009, "errmsg": "api freq out of limit"}]
    target = endpoint(school, robot, "wecom")
    delivery = Delivery.objects.create(
        channel="webhook", school=school, endpoint=target, event="system.test", target="群"
    )
    with pytest.raises(RetryTask):
        tasks.deliver.call_local(delivery.pk)
    tasks.deliver.call_local(delivery.pk)
    tasks.deliver.call_local(delivery.pk)  # already sent: nothing more is posted
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2 and delivery.last_error == ""
    assert len(robot.requests) == 2


def test_a_silent_robot_times_out_and_the_action_still_succeeds(
    school: Any, teacher: Any, robot: Any, django_capture_on_commit_callbacks: Any
) -> None:
    robot.delay = 2.0  # the timeout in tests is 0.5 s
    endpoint(school, robot, "dingtalk")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        room = f.RoomFactory(building__campus__school=school, number="A101")
        fire(school, [teacher], django_capture_on_commit_callbacks)
    assert time.monotonic() - started < 1.9
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "0.5" in delivery.last_error
    assert delivery.response_status is None
    assert room.pk and teacher.notifications.count() == 1


def test_an_unreachable_robot_fails_cleanly(school: Any, robot: Any) -> None:
    target = endpoint(school, robot, "wecom")
    target.url = "http://127.0.0.1:9/hook"  # the discard port: nobody listens
    target.save()
    delivery = services.send_test(target, actor=None)
    assert delivery.status == Delivery.Status.FAILED
    assert "127.0.0.1:9" in delivery.last_error
    assert "Connection refused" in delivery.last_error


def test_a_deleted_endpoint_fails_its_pending_deliveries(school: Any, robot: Any) -> None:
    target = endpoint(school, robot, "wecom")
    delivery = Delivery.objects.create(
        channel="webhook", school=school, endpoint=target, event="system.test", target="群"
    )
    target.delete()
    services.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.last_error


def test_the_test_message_is_sent_now(school: Any, director: Any, robot: Any) -> None:
    target = endpoint(school, robot, "wecom")
    delivery = services.send_test(target, actor=director)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.event == "system.test"
    assert "wecom 后勤群" in robot.requests[0]["json"]["markdown"]["content"]


def test_long_bodies_are_cut() -> None:
    payload = webhooks.build_payload("wecom", webhooks.Message("t", "长" * 5000))
    assert len(payload["markdown"]["content"].encode()) < 4096


def test_the_url_token_is_masked(school: Any) -> None:
    wecom = WebhookEndpoint(
        school=school, kind="wecom", url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"
    )
    assert wecom.masked_url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…"
    feishu = WebhookEndpoint(
        school=school, kind="feishu", url="https://open.feishu.cn/open-apis/bot/v2/hook/abcdef12"
    )
    assert feishu.masked_url == "https://open.feishu.cn/open-apis/bot/v2/hook/abcd…"


def test_errors_never_show_the_token_or_secret() -> None:
    url = "https://open.feishu.cn/open-apis/bot/v2/hook/tok3n-abc"
    text = f"ConnectionError: {url}?timestamp=1&sign=x SECret"
    cleaned = webhooks.scrub(text, "feishu", url, "SECret")
    assert "tok3n-abc" not in cleaned and "SECret" not in cleaned and "sign=x" not in cleaned
