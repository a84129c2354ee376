"""supplier_rate, supplier_save and the qualification expiry reminders (once per warning)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.notifications.models import Notification
from houqin.procurement.models import ProcurementSettings, Supplier, SupplierQualification
from houqin.procurement.services.suppliers import (
    QUALIFICATION_EXPIRING,
    qualifications_remind,
    supplier_choices,
    supplier_rate,
    supplier_save,
)
from tests import factories as f
from tests.dashboards.builders import acceptance, order
from tests.supplies import supplier

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 10)


def qual(found: Supplier, until: datetime.date | None, kind: str = "licence") -> Any:
    return SupplierQualification.objects.create(
        school_id=found.school_id, supplier=found, kind=kind, valid_until=until
    )


@pytest.fixture(autouse=True)
def _commit_callbacks(django_capture_on_commit_callbacks: Any) -> Any:
    """Notices go out after the commit: run them as each reminder's transaction ends."""
    global remind
    capture = django_capture_on_commit_callbacks

    def run(day: datetime.date) -> int:
        with capture(execute=True):
            return qualifications_remind(day)

    remind = run
    yield


remind: Any = None


def notices() -> list[Notification]:
    return list(Notification.objects.filter(event=QUALIFICATION_EXPIRING).order_by("pk"))


def test_rate_is_the_mean_quality_of_confirmed_acceptances(school: Any) -> None:
    buyer = f.member(school, "purchaser")
    found = supplier(school)
    other = supplier(school)
    first = order(school, buyer, supplier=found, placed=TODAY, lines=[("1", "1", "1")])
    second = order(school, buyer, supplier=found, placed=TODAY, lines=[("1", "1", "1")])
    acceptance(first, buyer, 5)
    acceptance(first, buyer, 4)
    acceptance(second, buyer, 2)
    acceptance(second, buyer, 1, status="draft")
    acceptance(second, buyer, 1, status="cancelled")
    acceptance(order(school, buyer, supplier=other, lines=[("1", "1", "1")]), buyer, 1)
    with CaptureQueriesContext(connection) as queries:
        rated = supplier_rate(supplier=found)
    assert len(queries) == 2  # one aggregate, one update
    assert rated.rating == Decimal("3.67")
    assert rated.rated_deliveries == 3
    found.refresh_from_db()
    assert (found.rating, found.rated_deliveries) == (Decimal("3.67"), 3)


def test_rate_without_acceptances_is_empty(school: Any) -> None:
    found = supplier(school)
    Supplier.objects.filter(pk=found.pk).update(rating=Decimal("5"), rated_deliveries=1)
    rated = supplier_rate(supplier=found)
    assert rated.rating is None and rated.rated_deliveries == 0


def test_save_refuses_a_duplicate_code_in_the_school(school: Any, other_school: Any) -> None:
    first = supplier(school)
    with pytest.raises(ValidationError) as info:
        supplier_save(
            actor=None, supplier=Supplier(school=school, name="X", credit_code=first.credit_code)
        )
    assert "credit_code" in info.value.message_dict
    elsewhere = supplier_save(
        actor=None, supplier=Supplier(school=other_school, name="X", credit_code=first.credit_code)
    )
    assert elsewhere.pk


def test_choices_are_the_active_suppliers_of_the_school(school: Any, other_school: Any) -> None:
    active = supplier(school, name="乙")
    supplier(school, name="甲", is_active=False)
    supplier(other_school)
    assert list(supplier_choices(school)) == [active]


def test_reminders_fire_once_per_warning(school: Any) -> None:
    purchaser = f.member(school, "purchaser")
    director = f.member(school, "director")
    f.member(school, "teacher")
    found = supplier(school, name="阳光食品")
    soon = qual(found, TODAY + datetime.timedelta(days=20), kind="food")
    qual(found, TODAY + datetime.timedelta(days=200))  # outside the 30-day window
    qual(found, None)  # never expires
    assert remind(TODAY) == 1
    sent = notices()
    assert {n.recipient_id for n in sent} == {purchaser.pk, director.pk}
    assert "阳光食品" in sent[0].title and sent[0].url == found.get_absolute_url()
    soon.refresh_from_db()
    assert soon.reminded_on == TODAY
    # Nothing new the next days while it is still about to expire.
    assert remind(TODAY + datetime.timedelta(days=1)) == 0
    assert remind(TODAY + datetime.timedelta(days=20)) == 0
    # Once expired, one more warning; then silence.
    expired_day = TODAY + datetime.timedelta(days=21)
    assert remind(expired_day) == 1
    assert "expired" in notices()[-1].title
    assert remind(expired_day + datetime.timedelta(days=5)) == 0
    assert len(notices()) == 4


def test_a_renewed_qualification_is_warned_again_in_its_new_window(school: Any) -> None:
    f.member(school, "purchaser")
    item = qual(supplier(school), TODAY + datetime.timedelta(days=5))
    assert remind(TODAY) == 1
    item.valid_until = TODAY + datetime.timedelta(days=365)
    item.save()
    assert remind(TODAY + datetime.timedelta(days=10)) == 0
    assert remind(TODAY + datetime.timedelta(days=340)) == 1


def test_an_already_expired_qualification_is_warned_once(school: Any) -> None:
    f.member(school, "purchaser")
    qual(supplier(school), TODAY - datetime.timedelta(days=100))
    assert remind(TODAY) == 1
    assert remind(TODAY + datetime.timedelta(days=1)) == 0


def test_reminders_follow_each_schools_warning_days(school: Any, other_school: Any) -> None:
    f.member(school, "purchaser")
    f.member(other_school, "purchaser")
    ProcurementSettings.objects.create(school=other_school, qualification_warning_days=90)
    qual(supplier(school), TODAY + datetime.timedelta(days=60))
    far = qual(supplier(other_school), TODAY + datetime.timedelta(days=60))
    assert remind(TODAY) == 1
    far.refresh_from_db()
    assert far.reminded_on == TODAY


def test_inactive_suppliers_are_not_reminded(school: Any) -> None:
    f.member(school, "purchaser")
    qual(supplier(school, is_active=False), TODAY)
    assert remind(TODAY) == 0


def test_the_daily_job_is_registered_and_runs() -> None:
    from houqin.core.jobs import REGISTRY

    job = REGISTRY["procurement.qualification_reminders"]
    assert job.schedule == "10 7 * * *"
    assert job.task.run_now() == "0 reminders sent"
