"""Damage reports through their services: report, assess, reduce, notify, pay; visibility."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets.choices import AssetStatus, MovementKind
from houqin.assets.models import AssetMovement, AssetSettings, CompensationPriceItem, DamageReport
from houqin.assets.services import damage as services
from houqin.core.workflow import TransitionError
from tests import factories as f
from tests.assets.objects_register import make_asset

pytestmark = pytest.mark.django_db
D = Decimal
WHEN = timezone.make_aware(datetime.datetime(2026, 8, 15, 10, 0))


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    return {
        "keeper": f.member(school, "assetkeeper"),
        "accountant": f.member(school, "accountant"),
        "teacher": f.member(school, "teacher"),
        "principal": f.member(school, "principal"),
    }


@pytest.fixture
def glass(school: Any) -> CompensationPriceItem:
    return CompensationPriceItem.objects.create(
        school=school, name="玻璃", unit="m²", price=D("60")
    )


def waiver_chain(school: Any) -> ApprovalChain:
    chain = ApprovalChain.objects.create(
        school=school, request_type="compensation_waiver", name="赔偿减免审批"
    )
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="校长审批", approver_kind="role", role=f.role("principal")
    )
    return chain


def report(actor: Any, school: Any, **fields: Any) -> DamageReport:
    values: dict[str, Any] = {
        "school": school,
        "description": "窗户玻璃被篮球砸碎",
        "responsible_kind": "student",
        "responsible_name": "李明",
        "student_class": "初二(3)班",
        "occurred_at": WHEN,
        **fields,
    }
    return services.damage_report(actor=actor, report=DamageReport(**values))


def test_it_numbers_a_report_by_any_member_of_staff(school: Any, people: Any, glass: Any) -> None:
    made = report(people["teacher"], school, price_item=glass, quantity=D("1.5"))
    assert made.number == "SH-2026-000001"
    assert made.status == "reported"
    assert made.reporter == people["teacher"]
    assert made.item_label == "玻璃"
    second = report(people["teacher"], school, item_name="黑板擦")
    assert second.number == "SH-2026-000002"


def test_it_puts_a_reported_asset_under_repair(school: Any, people: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(school, room=room)
    made = report(
        people["teacher"], school, asset=asset, responsible_kind="wear", responsible_name=""
    )
    assert made.room == room  # the asset's room
    assert made.student_class == ""  # natural wear: nobody
    assert services.damage_report  # the option is off by default:
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE
    services.damage_report(
        actor=people["teacher"],
        report=DamageReport(
            asset=asset, description="屏幕碎裂", responsible_kind="unknown", occurred_at=WHEN
        ),
        mark_under_repair=True,
    )
    asset.refresh_from_db()
    assert asset.status == AssetStatus.UNDER_REPAIR
    movement = AssetMovement.objects.filter(asset=asset).order_by("-pk").first()
    assert movement is not None and movement.kind == MovementKind.DAMAGED
    assert movement.reference.startswith("SH-")


def test_unknown_person_leaves_the_class_of_the_room_responsible(school: Any, people: Any) -> None:
    room = f.RoomFactory(building__campus__school=school, name="初二(3)班", use="classroom")
    made = report(
        people["teacher"],
        school,
        item_name="门锁",
        room=room,
        responsible_kind="unknown",
        responsible_name="",
        student_class="",
    )
    assert made.student_class == "初二(3)班"


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"responsible_kind": "student", "responsible_name": ""}, "responsible_name"),
        ({"responsible_kind": "student", "student_class": ""}, "student_class"),
        ({"responsible_kind": "class", "student_class": ""}, "student_class"),
        ({"responsible_kind": "outsider", "responsible_name": ""}, "responsible_name"),
        ({"responsible_kind": "person"}, "responsible_user"),
        ({"responsible_kind": "wear", "deliberate": True}, "deliberate"),
        ({"item_name": ""}, "item_name"),
    ],
)
def test_it_refuses_an_incomplete_report(
    school: Any, people: Any, fields: dict[str, Any], error_field: str
) -> None:
    values = {"item_name": "灯管", **fields}
    with pytest.raises(ValidationError) as caught:
        report(people["teacher"], school, **values)
    assert error_field in caught.value.message_dict
    assert not DamageReport.objects.exists()


def test_it_refuses_another_schools_items_and_outsiders(
    school: Any, other_school: Any, people: Any
) -> None:
    theirs = CompensationPriceItem.objects.create(
        school=other_school, name="灯管", unit="支", price=D(20)
    )
    with pytest.raises(ValidationError):
        report(people["teacher"], school, price_item=theirs)
    with pytest.raises(services.DamageError):
        report(people["teacher"], other_school, item_name="灯管")


def test_it_assesses_by_the_price_list(school: Any, people: Any, glass: Any) -> None:
    made = report(people["teacher"], school, price_item=glass, quantity=D("1.5"), deliberate=True)
    with pytest.raises(services.DamageError):
        services.damage_assess(actor=people["teacher"], report=made)
    done = services.damage_assess(actor=people["keeper"], report=made)
    assert done.status == "assessed"
    assert done.assessed_amount == D("180.00") == done.computed_amount
    assert done.method == "price_list"
    assert done.rule_text == "玻璃 60.00 yuan/m² × 1.5 m² × deliberate damage 2× = 180.00 yuan"
    assert done.assessed_by == people["keeper"]


def test_a_different_amount_needs_a_reason(school: Any, people: Any, glass: Any) -> None:
    made = report(people["teacher"], school, price_item=glass, quantity=D(1))
    with pytest.raises(ValidationError) as caught:
        services.damage_assess(actor=people["keeper"], report=made, amount=D(80))
    assert "reason" in caught.value.message_dict
    made.refresh_from_db()
    assert made.status == "reported"
    done = services.damage_assess(
        actor=people["keeper"], report=made, amount=D(80), reason="双层中空玻璃"
    )
    assert (done.computed_amount, done.assessed_amount) == (D("60.00"), D("80.00"))
    assert done.adjust_reason == "双层中空玻璃"
    assert "80.00" in done.rule_text and "双层中空玻璃" in done.rule_text


def test_it_assesses_equipment_by_remaining_life(school: Any, people: Any) -> None:
    asset = make_asset(school)  # 4,500.00, 72 months, bought 2024-09
    made = report(people["teacher"], school, asset=asset)
    done = services.damage_assess(actor=people["keeper"], report=made)
    # used 2024-09 … 2026-08 = 24 months: (4500 − 225) × 48/72 + 225
    assert done.assessed_amount == D("3075.00")
    assert done.method == "remaining_life"


def test_it_assesses_equipment_by_age_when_the_school_says_so(school: Any, people: Any) -> None:
    policy = AssetSettings.for_school(school.pk)
    policy.equipment_method = "age"
    policy.save()
    asset = make_asset(school)
    made = report(people["teacher"], school, asset=asset)
    done = services.damage_assess(actor=people["keeper"], report=made)
    assert done.assessed_amount == D("3150.00")  # 23 months old: 70 %
    assert done.method == "age"


def test_natural_wear_is_not_charged(school: Any, people: Any) -> None:
    made = report(people["teacher"], school, item_name="门把手", responsible_kind="wear")
    done = services.damage_assess(actor=people["keeper"], report=made)
    assert done.status == "no_charge"
    assert done.assessed_amount == 0


def test_an_unpriced_item_needs_an_amount(school: Any, people: Any) -> None:
    made = report(people["teacher"], school, item_name="展板")
    with pytest.raises(ValidationError):
        services.damage_assess(actor=people["keeper"], report=made)
    done = services.damage_assess(actor=people["keeper"], report=made, amount=D("35.5"))
    assert done.assessed_amount == D("35.50")
    assert done.computed_amount is None


def test_notice_and_payment(school: Any, people: Any, glass: Any) -> None:
    made = report(people["teacher"], school, price_item=glass, quantity=D(2))
    with pytest.raises(TransitionError):
        services.damage_notify(actor=people["keeper"], report=made)
    services.damage_assess(actor=people["keeper"], report=made)
    notified = services.damage_notify(actor=people["keeper"], report=made)
    assert notified.status == "notified" and notified.notified_at
    with pytest.raises(services.DamageError):
        services.damage_record_payment(
            actor=people["keeper"], report=notified, receipt_number="R1", amount=D(120)
        )
    with pytest.raises(ValidationError):
        services.damage_record_payment(
            actor=people["accountant"], report=notified, receipt_number=" ", amount=D(120)
        )
    with pytest.raises(ValidationError):
        services.damage_record_payment(
            actor=people["accountant"], report=notified, receipt_number="R1", amount=D(100)
        )
    paid = services.damage_record_payment(
        actor=people["accountant"], report=notified, receipt_number="SJ-0001", amount=D(120)
    )
    assert paid.status == "paid"
    assert (paid.paid_amount, paid.receipt_number) == (D("120.00"), "SJ-0001")
    assert paid.payment_recorded_by == people["accountant"]
    with pytest.raises(TransitionError):
        services.damage_assess(actor=people["keeper"], report=paid)


def _assessed(school: Any, people: Any, glass: Any) -> DamageReport:
    made = report(people["teacher"], school, price_item=glass, quantity=D(2))
    return services.damage_assess(actor=people["keeper"], report=made)


def test_a_waiver_approved_waives(school: Any, people: Any, glass: Any) -> None:
    waiver_chain(school)
    made = _assessed(school, people, glass)
    pending = services.damage_request_waiver(
        actor=people["keeper"], report=made, amount=D(0), reason="家庭困难，班主任证明"
    )
    assert pending.status == "waiver_pending"
    request = ApprovalRequest.objects.get(object_id=made.pk, request_type="compensation_waiver")
    assert request.amount == D("120.00")  # the reduction
    approval_act(request=request, actor=people["principal"], action="approve")
    made.refresh_from_db()
    assert made.status == "waived"
    assert services.amount_due(made) == 0
    assert services.waived_amount(made) == D("120.00")


def test_a_reduction_approved_needs_a_new_notice(school: Any, people: Any, glass: Any) -> None:
    waiver_chain(school)
    made = _assessed(school, people, glass)
    made = services.damage_notify(actor=people["keeper"], report=made)
    services.damage_request_waiver(
        actor=people["keeper"], report=made, amount=D(50), reason="损坏部分较小"
    )
    request = ApprovalRequest.objects.get(object_id=made.pk)
    approval_act(request=request, actor=people["principal"], action="approve")
    made.refresh_from_db()
    assert made.status == "assessed" and made.notified_at is None
    assert services.amount_due(made) == D(50)
    assert made.assessed_amount == D(120)  # kept for the statistics
    done = services.damage_record_payment(
        actor=people["accountant"], report=made, receipt_number="R9", amount=D(50)
    )
    assert done.status == "paid"


def test_a_waiver_rejected_goes_back_with_the_original_amount(
    school: Any, people: Any, glass: Any
) -> None:
    waiver_chain(school)
    made = services.damage_notify(actor=people["keeper"], report=_assessed(school, people, glass))
    services.damage_request_waiver(actor=people["keeper"], report=made, amount=D(60), reason="初犯")
    request = ApprovalRequest.objects.get(object_id=made.pk)
    approval_act(request=request, actor=people["principal"], action="reject", reason="按规定赔偿")
    made.refresh_from_db()
    assert made.status == "notified"
    assert made.proposed_amount is None
    assert services.amount_due(made) == D(120)


def test_a_waiver_without_a_chain_changes_nothing(school: Any, people: Any, glass: Any) -> None:
    made = _assessed(school, people, glass)
    with pytest.raises(services.DamageError):
        services.damage_request_waiver(actor=people["keeper"], report=made, amount=D(0), reason="x")
    made.refresh_from_db()
    assert made.status == "assessed" and made.proposed_amount is None


@pytest.mark.parametrize("amount", ["120", "130", "-1"])
def test_a_reduction_must_reduce(school: Any, people: Any, glass: Any, amount: str) -> None:
    waiver_chain(school)
    made = _assessed(school, people, glass)
    with pytest.raises(ValidationError):
        services.damage_request_waiver(
            actor=people["keeper"], report=made, amount=D(amount), reason="x"
        )


def test_members_see_their_own_reports_keepers_all(
    school: Any, other_school: Any, people: Any, glass: Any
) -> None:
    mine = report(people["teacher"], school, item_name="粉笔盒")
    other = report(people["keeper"], school, item_name="扫帚")
    about_me = report(
        people["keeper"],
        school,
        item_name="椅子",
        responsible_kind="person",
        responsible_user=people["teacher"],
    )
    kg = f.member(other_school, "assetkeeper")
    theirs = report(kg, other_school, item_name="积木")
    assert set(services.damage_visible_to(people["teacher"])) == {mine, about_me}
    for who in ("keeper", "accountant", "principal"):
        assert set(services.damage_visible_to(people[who])) == {mine, other, about_me}
    assert set(services.damage_visible_to(kg)) == {theirs}
