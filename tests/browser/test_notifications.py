"""The director reads notifications from the bell, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.accounts.models import User
from houqin.notifications.services import notify, unread_count

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

MANAGE = [
    "notifications.view_webhookendpoint",
    "notifications.add_webhookendpoint",
    "notifications.change_webhookendpoint",
    "notifications.delete_webhookendpoint",
    "notifications.view_delivery",
]


def test_director_reads_notifications_from_the_bell(
    page: Any, live_server: Any, demo: None
) -> None:
    director = User.objects.get(username="director")
    for title, body in [
        ("报修单 BX-2026-000012 待派工", "教学楼三楼男卫生间水管漏水，报修人：王老师。"),
        ("采购申请待审批：化学实验室耗材一批", "申请人：李老师 · 预算 3,860.00 元"),
    ]:
        notify(
            recipients=[director],
            event="system.test",
            title=title,
            body=body,
            url="/notifications/preferences/",
            school=director.default_school,
        )
    unread = unread_count(director)  # the demo data may have told the director things too
    assert unread >= 2
    log_in(page, live_server, "director")
    assert page.locator("[data-testid=unread-count]").inner_text().strip() == str(unread)
    page.click("[data-testid=bell]")
    page.wait_for_url("**/notifications/")
    assert page.locator("[data-unread]").count() == min(unread, 30)
    assert page.get_by_text("报修单 BX-2026-000012 待派工").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "notifications")

    page.click("[data-testid=mark-all-read]")
    page.wait_for_url("**/notifications/")
    assert page.locator("[data-testid=unread-count]").count() == 0
    assert page.locator("[data-unread]").count() == 0
    assert_no_horizontal_overflow(page)
    shot(page, "notifications-read")

    page.get_by_text("报修单 BX-2026-000012 待派工").click()
    page.wait_for_url("**/notifications/preferences/")
    assert page.locator("[data-testid=preferences]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "notification-preferences")


def test_director_adds_a_group_robot_and_tests_it(page: Any, live_server: Any, demo: None) -> None:
    from django.apps import apps

    from houqin.accounts.roles import grant

    # A transactional test starts from flushed tables: put back what migrations granted.
    grant(apps, {"director": MANAGE})
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}/notifications/webhooks/add/")
    page.select_option("select[name=kind]", "dingtalk")
    page.fill("input[name=name]", "总务处钉钉群")
    page.fill("input[name=url]", "http://127.0.0.1:9/robot/send?access_token=demo")
    page.fill("input[name=secret]", "SECdemo")
    assert_no_horizontal_overflow(page)
    shot(page, "webhook-form")
    page.click("[data-testid=save]")
    page.wait_for_url("**/notifications/webhooks/*/")
    page.click("[data-testid=send-test]")
    page.wait_for_url("**/notifications/webhooks/*/")
    assert page.locator(".alert-danger").is_visible()  # nobody listens on port 9
    assert "access_token=demo" not in page.content()
    shot(page, "webhook-detail")
    assert_no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/notifications/deliveries/")
    assert page.locator("table.hq-table tbody tr").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "delivery-log")


def test_admin_sees_the_background_jobs(page: Any, live_server: Any, demo: None) -> None:
    from django.apps import apps

    from houqin.accounts.roles import grant
    from houqin.core.jobs import run_recorded

    grant(apps, {"admin": ["notifications.view_jobrun"]})
    run_recorded("notifications.purge", lambda: "已删除 0 条通知")
    log_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/notifications/jobs/")
    assert "30 3 * * *" in page.locator("[data-testid=jobs]").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "jobs")
