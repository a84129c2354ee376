"""Purchase intentions (采购意向) and accepted assets waiting for their card (待建卡) in the
demo school, at desktop and phone widths.

The purchaser reads which approved requests and orders must be published as intentions
before buying (the school's limit lowered to 20,000 yuan, with two equipment requests above
it, one of them ordered with its intention published ten days ago); the asset keeper opens
an accepted smart board (or the latest equipment delivered) from the 待建卡 list, places it
in a room with a custodian, and lands on the new asset card.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from houqin.accounts.models import User
from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets.models import Asset
from houqin.finance.models import BudgetLine
from houqin.finance.services.budgets import line_for
from houqin.org.models import Department, School
from houqin.procurement.choices import IntakeStatus
from houqin.procurement.models import AssetIntake, ProcurementSettings, PurchaseRequest
from houqin.procurement.services.orders import purchase_order_consolidate, purchase_order_update
from houqin.procurement.services.requests import (
    LineInput,
    purchase_request_save,
    purchase_request_submit,
)
from houqin.procurement.services.suppliers import procurement_settings_save

from .conftest import assert_no_horizontal_overflow, click_and_load, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)
LIMIT = Decimal("20000")


def user(username: str) -> User:
    return User.objects.get(username=username)


def equipment_budget(school: School, room: Decimal) -> None:
    """Leave ``room`` yuan free on 教务处's equipment budget this year: what the demo has
    already spent of it depends on the day the demo was loaded."""
    office = Department.objects.get(school=school, name="教务处")
    line = line_for(
        school_id=school.pk, department_id=office.pk, category="equipment", on=timezone.localdate()
    )
    assert line is not None
    BudgetLine.objects.filter(pk=line.pk).update(amount=F("committed") + F("spent") + room)


def equipment_request(school: School, title: str, name: str, quantity: int, price: str) -> Any:
    """An equipment request of 教务处 by the teacher, approved by the demo chain (head of
    教务处, vice principal, principal above 5,000 yuan)."""
    office = Department.objects.get(school=school, name="教务处")
    teacher = user("teacher")
    request = purchase_request_save(
        actor=teacher,
        request=PurchaseRequest(
            department=office,
            title=title,
            category="equipment",
            budget_line=line_for(
                school_id=school.pk,
                department_id=office.pk,
                category="equipment",
                on=timezone.localdate(),
            ),
            reason="智慧教室建设",
            needed_by=timezone.localdate() + datetime.timedelta(days=60),
        ),
        lines=[LineInput(name, Decimal(quantity), "台", Decimal(price))],
    )
    purchase_request_submit(actor=teacher, request=request)
    approval = ApprovalRequest.objects.get(object_id=request.pk, request_type="purchase_request")
    for approver in ("depthead", "vp", "principal"):
        approval = approval_act(request=approval, actor=user(approver), action="approve")
    request.refresh_from_db()
    assert request.status == "approved"
    return request


def test_the_purchaser_reads_the_purchase_intentions(
    page: Any, live_server: Any, demo: None
) -> None:
    school = School.objects.get(name="示范中学")
    policy = ProcurementSettings.objects.get(school=school)
    policy.intention_threshold = LIMIT
    procurement_settings_save(actor=user("director"), settings=policy)
    equipment_budget(school, Decimal("60000"))
    waiting = equipment_request(school, "高一智慧教室平板", "交互式智能平板", 2, "12500")
    ordered = equipment_request(school, "计算机教室更新", "台式计算机", 6, "4500")
    purchaser = user("purchaser")
    order = purchase_order_consolidate(
        actor=purchaser, lines=list(ordered.lines.all()), title="计算机教室台式机采购"
    )
    published = timezone.localdate() - datetime.timedelta(days=10)
    purchase_order_update(
        actor=purchaser,
        order=order,
        title=order.title,
        supplier=None,
        intention_published_on=published,
        intention_url="https://www.ccgp.gov.cn/",
    )

    log_in(page, live_server, "purchaser")
    page.goto(f"{live_server.url}/procurement/intentions/")
    expect(page.locator("main")).to_contain_text("20,000")
    requests = page.locator("[data-testid=intention-requests]")
    expect(requests).to_contain_text(waiting.number)
    expect(requests).to_contain_text("25,000.00")
    expect(requests).not_to_contain_text(ordered.number)  # it is ordered: the order shows
    row = page.locator("[data-testid=intention-orders] tr", has_text=order.number)
    expect(row).to_contain_text(published.isoformat())
    earliest = published + datetime.timedelta(days=policy.intention_days)
    expect(row.locator(".text-danger")).to_have_text(earliest.isoformat())  # not yet
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-intentions")

    # The order's own page refuses to place it before the earliest purchase date.
    click_and_load(page, f"[data-testid=intention-orders] a >> text={order.number}")
    expect(page.locator("[data-testid=problems]")).to_contain_text(earliest.isoformat())
    assert_no_horizontal_overflow(page)


def test_the_asset_keeper_registers_an_accepted_smart_board(
    page: Any, live_server: Any, demo: None
) -> None:
    from houqin.demo.supplies import ASSET_CATEGORY

    school = School.objects.get(name="示范中学")
    waiting_cards = AssetIntake.objects.filter(
        school=school, status=IntakeStatus.WAITING, name__in=list(ASSET_CATEGORY)
    ).select_related("acceptance_line__acceptance")
    # A smart board when the last deliveries brought one; otherwise the latest equipment.
    intake = (
        waiting_cards.filter(name="交互式智能平板").order_by("-pk").first()
        or waiting_cards.order_by("-received_on", "-pk").first()
    )
    assert intake is not None, "the demo has accepted equipment waiting for its card"
    waiting = AssetIntake.objects.filter(school=school, status=IntakeStatus.WAITING).count()
    keeper = user("assetkeeper")

    log_in(page, live_server, "assetkeeper")
    page.goto(f"{live_server.url}/procurement/intake/")
    expect(page.locator(f"main a[href='/procurement/intake/{intake.pk}/']")).to_be_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-intake-list")
    click_and_load(page, f"main a[href='/procurement/intake/{intake.pk}/']")
    expect(page.locator("main")).to_contain_text(intake.acceptance_line.acceptance.number)
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-intake-detail")
    click_and_load(page, f"main a[href='/procurement/intake/{intake.pk}/place/']")

    category = page.locator("select[name=category] option", has_text=ASSET_CATEGORY[intake.name])
    page.select_option("select[name=category]", value=category.first.get_attribute("value"))
    room = page.locator("select[name=room] option:not([value=''])").first
    page.select_option("select[name=room]", value=room.get_attribute("value"))
    page.select_option("select[name=custodian]", value=str(keeper.pk))
    page.fill("textarea[name=notes]", "安装在高一(3)班教室")
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-intake-place")
    click_and_load(page, "[data-testid=save]")

    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PLACED, page.inner_text("main")
    asset: Asset = intake.asset
    assert page.url.endswith(asset.get_absolute_url())
    assert asset.quantity == intake.quantity and asset.unit_price == intake.unit_price
    assert asset.custodian_id == keeper.pk and asset.room_id is not None
    main = page.locator("main")
    expect(main).to_contain_text(asset.code)
    expect(main).to_contain_text(intake.name)
    assert_no_horizontal_overflow(page)
    shot(page, "procurement-intake-asset-card")

    # The list now shows the card's code and one fewer waiting.
    page.goto(f"{live_server.url}/procurement/intake/")
    expect(page.locator("main")).to_contain_text(asset.code)
    assert (
        AssetIntake.objects.filter(school=school, status=IntakeStatus.WAITING).count()
        == waiting - 1
    )
