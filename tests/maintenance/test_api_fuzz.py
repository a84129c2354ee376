"""Schemathesis on the maintenance operations only, with real orders (in every state),
requests and plans in both schools, so that generated ids reach them: the dispatcher, the
worker and the requester must never get a 5xx. ``tests/api/test_schema_fuzz.py`` covers the
whole API without maintenance rows."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from houqin.maintenance.models import MaintenancePlan, MaintenanceTeam
from houqin.maintenance.services.closing import work_order_cancel
from houqin.maintenance.services.orders import (
    work_order_accept,
    work_order_finish,
    work_order_hold,
    work_order_start,
)
from houqin.maintenance.services.requests import repair_request_submit
from tests import factories as f
from tests.api.test_schema_fuzz import (
    CONFIG,
    FUZZ,
    SCHEMA_URL,
    Persona,
    _node_id_for_schemathesis,  # noqa: F401  (autouse fixture)
    _with_known_id,
    wsgi_app,  # noqa: F401  (fixture)
)

from .factories import category, order, rule

PATHS = r"^/api/v1/(work-orders|repair-requests|pm-plans|repair-categories)/"


def _rows(owner: Any) -> tuple[set[int], dict[str, Any]]:
    worker = f.member(owner, "worker")
    teacher = f.member(owner, "teacher")
    room = f.RoomFactory(building__campus__school=owner)
    rule(owner, worker)
    team = MaintenanceTeam.objects.create(school=owner, name="水电组", leader=worker)
    orders = [order(owner, requester=teacher, room=room) for _ in range(5)]
    work_order_accept(actor=worker, order=orders[1])
    work_order_start(actor=worker, order=orders[2])
    work_order_start(actor=worker, order=orders[3])
    work_order_finish(actor=worker, order=orders[3], work_notes="好了")
    work_order_start(actor=worker, order=orders[4])
    work_order_hold(actor=worker, order=orders[4], reason="parts")
    cancelled = order(owner, requester=teacher, room=room)
    work_order_cancel(actor=teacher, order=cancelled, reason="重复")
    request = repair_request_submit(
        actor=teacher,
        school_id=owner.pk,
        room=room,
        category=category("water"),
        description="漏水",
    )
    plan = MaintenancePlan.objects.create(
        school=owner,
        name="灭火器月检",
        category=category("other"),
        recurrence="weekly",
        start_date=timezone.localdate(),
    )
    plan.rooms.add(room)
    ids = {o.pk for o in orders} | {cancelled.pk, request.pk, plan.pk, room.pk, worker.pk}
    ids |= {team.pk, teacher.pk}
    return ids, {"worker": worker, "teacher": teacher}


@pytest.fixture
def people(school: Any, other_school: Any) -> dict[str, Any]:
    ids, ours = _rows(school)
    theirs, _people = _rows(other_school)
    return {**ours, "ids": sorted(ids | theirs), "director": f.member(school, "director")}


@pytest.fixture
def maintenance_schema(wsgi_app: Any, people: dict[str, Any]) -> Any:  # noqa: F811
    loaded = schemathesis.openapi.from_wsgi(
        SCHEMA_URL, wsgi_app, config=SchemathesisConfig.from_dict(CONFIG)
    )
    known = st.sampled_from(people["ids"])

    @loaded.hook
    def before_generate_path_parameters(context: Any, strategy: Any) -> Any:
        return st.one_of(strategy, strategy.flatmap(lambda p: _with_known_id(p, known)))

    return loaded


schema = schemathesis.pytest.from_fixture("maintenance_schema").include(path_regex=PATHS)


@schema.parametrize()
@settings(FUZZ, max_examples=8)
def test_no_server_errors_in_maintenance(case: Any, people: dict[str, Any]) -> None:
    for role in ("director", "worker", "teacher"):
        Persona(people[role]).call(case)
