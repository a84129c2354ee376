"""Loans (借用/归还): lending, returning, refusals and the daily reminders."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from houqin.assets.choices import AssetStatus, LoanStatus, MovementKind
from houqin.assets.models import AssetLoan, AssetSettings
from houqin.assets.services.movements import loan_return, loan_send_reminders
from houqin.assets.services.register import AssetError
from houqin.notifications.models import Notification
from tests import factories as f
from tests.assets.objects_movements import make_asset, make_loan

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


@pytest.fixture
def borrower(school: Any) -> Any:
    return f.member(school, "teacher", username="teacher")


def test_it_lends_and_takes_back(school: Any, keeper: Any, borrower: Any) -> None:
    asset = make_asset(school, keeper, name="投影仪")
    loan = make_loan(asset, keeper, borrower=borrower, days=3)
    assert re.fullmatch(r"JY-\d{4}-\d{6}", loan.number)
    assert (loan.status, loan.lent_by, loan.school_id) == (LoanStatus.OUT, keeper, school.pk)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ON_LOAN
    lent = asset.movements.first()
    assert (lent.kind, lent.reference, lent.to_status) == (
        MovementKind.LENT,
        loan.number,
        AssetStatus.ON_LOAN,
    )
    loan = loan_return(actor=keeper, loan=loan, condition="完好")
    asset.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert (loan.received_by, loan.return_condition) == (keeper, "完好")
    assert loan.returned_at is not None
    assert asset.status == AssetStatus.IN_USE
    back = asset.movements.first()
    assert (back.kind, back.reference, back.from_status) == (
        MovementKind.RETURNED,
        loan.number,
        AssetStatus.ON_LOAN,
    )
    with pytest.raises(AssetError, match="already been returned"):
        loan_return(actor=keeper, loan=loan)


def test_an_idle_asset_can_be_lent_and_comes_back_in_use(school: Any, keeper: Any) -> None:
    asset = make_asset(school, keeper, status=AssetStatus.IDLE)
    loan = make_loan(asset, keeper, borrower_name="校外 王先生")
    loan_return(actor=keeper, loan=loan)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE


@pytest.mark.parametrize(
    "status",
    [
        AssetStatus.ON_LOAN,
        AssetStatus.UNDER_REPAIR,
        AssetStatus.PENDING_DISPOSAL,
        AssetStatus.DISPOSED,
        AssetStatus.LOST,
    ],
)
def test_it_refuses_to_lend_an_asset_that_is_not_available(
    school: Any, keeper: Any, status: str
) -> None:
    asset = make_asset(school, keeper)
    type(asset).objects.filter(pk=asset.pk).update(status=status)
    with pytest.raises(AssetError, match="cannot be lent"):
        make_loan(asset, keeper, borrower_name="王老师")
    assert not AssetLoan.objects.exists()


def test_it_refuses_a_second_open_loan(school: Any, keeper: Any) -> None:
    asset = make_asset(school, keeper)
    make_loan(asset, keeper, borrower_name="王老师")
    type(asset).objects.filter(pk=asset.pk).update(status=AssetStatus.IN_USE)
    with pytest.raises(AssetError, match="already on loan"):
        make_loan(asset, keeper, borrower_name="李老师")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "borrower or enter"),
        ({"borrower_name": "  "}, "borrower or enter"),
        ({"outsider": True}, "not a member"),
        ({"borrower_name": "王", "days": -1}, "in the past"),
        ({"borrower_name": "王", "other_department": True}, "department of this school"),
    ],
)
def test_it_refuses_bad_loans(
    school: Any, other_school: Any, keeper: Any, kwargs: dict[str, Any], message: str
) -> None:
    asset = make_asset(school, keeper)
    extra: dict[str, Any] = {"days": kwargs.get("days", 7)}
    if "borrower_name" in kwargs:
        extra["borrower_name"] = kwargs["borrower_name"]
    if kwargs.get("outsider"):
        extra["borrower"] = f.member(other_school, "teacher")
    if kwargs.get("other_department"):
        extra["department"] = f.DepartmentFactory(school=other_school)
    with pytest.raises(AssetError, match=message):
        make_loan(asset, keeper, **extra)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_USE
    assert not AssetLoan.objects.exists()


def test_a_return_after_the_card_changed_keeps_its_status(school: Any, keeper: Any) -> None:
    asset = make_asset(school, keeper)
    loan = make_loan(asset, keeper, borrower_name="王老师")
    type(asset).objects.filter(pk=asset.pk).update(status=AssetStatus.UNDER_REPAIR)
    loan_return(actor=keeper, loan=loan)
    asset.refresh_from_db()
    assert asset.status == AssetStatus.UNDER_REPAIR
    assert asset.movements.first().kind == MovementKind.RETURNED


def _due(loan: AssetLoan, days: int) -> None:
    AssetLoan.objects.filter(pk=loan.pk).update(
        due_date=timezone.localdate() + datetime.timedelta(days=days)
    )


def test_the_daily_job_reminds_before_and_after_the_due_date(
    school: Any, keeper: Any, borrower: Any
) -> None:
    AssetSettings.for_school(school.pk)
    AssetSettings.objects.filter(school=school).update(loan_reminder_days=2)
    lender = f.member(school, "director")  # also holds change_assetloan: a keeper
    soon = make_loan(make_asset(school, keeper, name="相机"), keeper, borrower=borrower)
    _due(soon, 2)
    later = make_loan(make_asset(school, keeper, name="话筒"), keeper, borrower=borrower)
    _due(later, 3)
    late = make_loan(make_asset(school, keeper, name="投影仪"), keeper, borrower=borrower)
    _due(late, -1)
    returned = make_loan(make_asset(school, keeper, name="音箱"), keeper, borrower=borrower)
    loan_return(actor=keeper, loan=returned)
    _due(returned, -5)
    outsider_loan = make_loan(make_asset(school, keeper, name="桌子"), keeper, borrower_name="外")
    _due(outsider_loan, -2)

    assert loan_send_reminders() == (1, 2)
    to_borrower = Notification.objects.filter(recipient=borrower)
    assert sorted(n.event for n in to_borrower) == ["assets.loan_due", "assets.loan_overdue"]
    assert any("相机" in n.title for n in to_borrower)
    for person in (keeper, lender):
        notices = Notification.objects.filter(recipient=person, event="assets.loan_overdue")
        assert notices.count() == 2
    assert not Notification.objects.filter(title__contains="话筒").exists()
    assert not Notification.objects.filter(title__contains="音箱").exists()

    # At most once a day.
    assert loan_send_reminders() == (0, 0)
    # The next day they are reminded again.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    AssetLoan.objects.update(reminded_at=timezone.now() - datetime.timedelta(days=1))
    assert loan_send_reminders(today=tomorrow) == (2, 2)


def test_the_job_is_registered_and_runs() -> None:
    from houqin.assets.tasks_loans import send_loan_reminders
    from houqin.core.jobs import REGISTRY

    assert "assets.loan_reminders" in REGISTRY
    assert "due-soon" in send_loan_reminders.run_now()
