"""Overdue work orders escalate by themselves: to the director and the worker, once a level."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.core.models import AuditEntry
from houqin.maintenance import tasks
from houqin.maintenance.choices import EscalationLevel, HoldReason, OrderStatus, Urgency
from houqin.maintenance.models import WorkOrder
from houqin.maintenance.services import notices
from houqin.maintenance.services.escalation import escalate_overdue
from houqin.maintenance.services.orders import (
    work_order_accept,
    work_order_finish,
    work_order_hold,
    work_order_start,
)
from houqin.notifications.models import Notification
from tests import factories as f

from .factories import order, rule

pytestmark = pytest.mark.django_db
L = EscalationLevel
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    worker = f.member(school, "worker")
    rule(school, worker)
    return {
        "worker": worker,
        "director": f.member(school, "director"),
        "teacher": f.member(school, "teacher"),
    }


def urgent(school: Any, people: dict[str, Any], ago: datetime.timedelta) -> WorkOrder:
    """An urgent order (respond in 30 min, repair in 4 h) reported ``ago``."""
    return order(
        school,
        requester=people["teacher"],
        urgency=Urgency.URGENT,
        reported_at=timezone.now() - ago,
    )


def escalation_notices(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event=notices.ESCALATED))


def run_job(capture: Any) -> None:
    with capture(execute=True):
        tasks.escalate.run_now()


def test_it_escalates_an_unaccepted_order_by_itself(
    school: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    wo = urgent(school, people, ago=HOUR)
    run_job(django_capture_on_commit_callbacks)
    wo.refresh_from_db()
    assert wo.escalation_level == L.RESPONSE and wo.escalated_at is not None
    for person in (people["director"], people["worker"]):
        [notice] = escalation_notices(person)
        assert wo.number in notice.title and notice.url == wo.get_absolute_url()
    assert not escalation_notices(people["teacher"])
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(WorkOrder),
        object_id=str(wo.pk),
        action="update",
    ).latest("id")
    assert entry.actor is None and entry.actor_repr == "system"
    assert entry.changes["escalation_level"] == [0, 1]


def test_running_twice_notifies_once(
    school: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    urgent(school, people, ago=HOUR)
    run_job(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue() == 0
    assert len(escalation_notices(people["director"])) == 1
    assert len(escalation_notices(people["worker"])) == 1


def test_it_goes_to_repair_overdue_once_and_never_back(
    school: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    wo = urgent(school, people, ago=HOUR)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue() == 1
        wo = work_order_accept(actor=people["worker"], order=WorkOrder.objects.get(pk=wo.pk))
        # Later the repair is overdue too: one more level, one more notice.
        assert escalate_overdue(now=timezone.now() + 4 * HOUR) == 1
        assert escalate_overdue(now=timezone.now() + 5 * HOUR) == 0
    wo.refresh_from_db()
    assert wo.escalation_level == L.RESOLUTION
    assert len(escalation_notices(people["director"])) == 2


def test_a_late_order_jumps_straight_to_repair_overdue_with_one_notice(
    school: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    wo = urgent(school, people, ago=5 * HOUR)
    run_job(django_capture_on_commit_callbacks)
    wo.refresh_from_db()
    assert wo.escalation_level == L.RESOLUTION
    [notice] = escalation_notices(people["director"])
    assert "Repair overdue" in notice.title


def test_the_level_is_never_lowered(school: Any, people: dict[str, Any]) -> None:
    wo = urgent(school, people, ago=HOUR)
    WorkOrder.objects.filter(pk=wo.pk).update(escalation_level=L.RESOLUTION)
    assert escalate_overdue() == 0
    wo.refresh_from_db()
    assert wo.escalation_level == L.RESOLUTION


def test_an_order_on_time_is_untouched(
    school: Any, people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    wo = urgent(school, people, ago=datetime.timedelta(minutes=10))
    normal = order(school, requester=people["teacher"])
    with django_assert_num_queries(1):  # finding the candidates is one query
        assert escalate_overdue() == 0
    for one in (wo, normal):
        one.refresh_from_db()
        assert one.escalation_level == L.NONE and one.escalated_at is None


def test_an_order_on_hold_does_not_escalate_for_the_repair(
    school: Any, people: dict[str, Any]
) -> None:
    wo = urgent(school, people, ago=datetime.timedelta(minutes=10))
    wo = work_order_start(actor=people["worker"], order=wo)
    wo = work_order_hold(actor=people["worker"], order=wo, reason=HoldReason.PARTS)
    assert escalate_overdue(now=timezone.now() + 10 * HOUR) == 0
    wo.refresh_from_db()
    assert wo.status == OrderStatus.ON_HOLD and wo.escalation_level == L.NONE


def test_finished_and_accepted_orders_are_left_alone(school: Any, people: dict[str, Any]) -> None:
    accepted = urgent(school, people, ago=datetime.timedelta(minutes=10))
    work_order_accept(actor=people["worker"], order=accepted)
    done = urgent(school, people, ago=datetime.timedelta(minutes=10))
    done = work_order_start(actor=people["worker"], order=done)
    work_order_finish(actor=people["worker"], order=done, work_notes="换保险丝")
    # Past both response targets, before the repair target: nothing to escalate.
    assert escalate_overdue(now=timezone.now() + HOUR) == 0
    # Past the repair target: only the accepted, unfinished order.
    assert escalate_overdue(now=timezone.now() + 5 * HOUR) == 1
    assert WorkOrder.objects.get(pk=done.pk).escalation_level == L.NONE


def test_other_schools_directors_hear_nothing(
    school: Any,
    other_school: Any,
    people: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    stranger = f.member(other_school, "director")
    urgent(school, people, ago=HOUR)
    run_job(django_capture_on_commit_callbacks)
    assert escalation_notices(people["director"])
    assert not escalation_notices(stranger)


def test_the_job_is_registered_every_five_minutes() -> None:
    from houqin.core.jobs import REGISTRY

    assert REGISTRY["maintenance.escalate"].schedule == "*/5 * * * *"
