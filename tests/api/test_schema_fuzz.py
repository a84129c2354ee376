"""Schemathesis against our own OpenAPI schema: every operation, as ``director`` (who may
write locations) and as ``teacher`` (who may only read), must never answer 5xx.

The Django WSGI application is called in-process on the test database. Examples are few
per operation and derived from a fixed seed, so a run is quick and repeatable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from houqin.api.models import ApiToken
from houqin.api.services import token_create
from houqin.approvals.services import approval_act
from houqin.core.attachments.services import attachment_upload
from houqin.notifications.models import Notification
from tests import factories as f

from .conftest import expense_claim

SCHEMA_URL = "/api/v1/schema/?format=json"
EXAMPLES = 15

CONFIG = {
    "seed": 20261124,
    "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
}
# The coverage phase (every parameter missing, of the wrong type, at its bounds) runs as the
# director, who may call every operation. Most of the teacher's calls are refused before a body
# or a filter is read, and what a teacher may send the director sends too: generated examples
# test the teacher's permissions as well, in a third of the time.
READER_CONFIG = {**CONFIG, "phases": {"coverage": {"enabled": False}}}


@pytest.fixture
def wsgi_app(db: Any) -> Iterator[WSGIHandler]:
    """Django's WSGI application inside the test transaction: like Django's test client,
    keep the connection open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(
    wsgi_app: WSGIHandler, school: Any, other_school: Any, director: Any, teacher: Any
) -> Any:
    return _schema(wsgi_app, school, other_school, director, teacher, CONFIG)


@pytest.fixture
def reader_schema(
    wsgi_app: WSGIHandler, school: Any, other_school: Any, director: Any, teacher: Any
) -> Any:
    return _schema(wsgi_app, school, other_school, director, teacher, READER_CONFIG)


def _schema(
    wsgi_app: WSGIHandler,
    school: Any,
    other_school: Any,
    director: Any,
    teacher: Any,
    config: dict[str, Any],
) -> Any:
    """The schema, with rows in both schools; generated ids and buildings are drawn partly
    from these rows, so requests reach real objects (ours and another school's) as well as
    missing ones."""
    ids: set[int] = set()
    buildings: list[int] = []
    for owner in (school, other_school):
        building = f.BuildingFactory(campus__school=owner, floors_above=6, floors_below=1)
        buildings.append(building.pk)
        rooms = [f.RoomFactory(building=building, floor=floor) for floor in (1, 2, 3)]
        department = f.DepartmentFactory(school=owner)
        person = f.member(owner, "worker", department=department)
        term = f.TermFactory(school_year__school=owner)
        upload = SimpleUploadedFile("plan.txt", b"plan", content_type="text/plain")
        attachment = attachment_upload(actor=person, owner=rooms[0], files=[upload])[0]
        for obj in (owner, building.campus, building, *rooms, department, person, term):
            ids.add(obj.pk)
        ids.add(attachment.pk)
    # An approval waiting for the director's role, and notifications of both personas.
    claim = expense_claim(school)
    approval_act(request=claim.approval, actor=claim.head, action="approve")
    ids.add(claim.approval.pk)
    for user in (director, teacher, claim.head):
        ids.add(Notification.objects.create(recipient=user, event="fuzz", title="fuzz").pk)
    loaded = schemathesis.openapi.from_wsgi(
        SCHEMA_URL, wsgi_app, config=SchemathesisConfig.from_dict(config)
    )
    known_ids = st.sampled_from(sorted(ids))

    @loaded.hook
    def before_generate_path_parameters(context: Any, strategy: Any) -> Any:
        return st.one_of(strategy, strategy.flatmap(lambda p: _with_known_id(p, known_ids)))

    @loaded.hook
    def before_generate_body(context: Any, strategy: Any) -> Any:
        known = st.sampled_from(buildings)
        return st.one_of(strategy, st.tuples(strategy, known).map(_with_building))

    return loaded


def _with_known_id(params: Any, known_ids: Any) -> Any:
    if isinstance(params, dict) and "id" in params:
        return known_ids.map(lambda pk: {**params, "id": pk})
    return st.just(params)


def _with_building(pair: tuple[Any, int]) -> Any:
    body, building = pair
    if isinstance(body, dict) and "building" in body:
        return {**body, "building": building}
    return body


class Persona:
    """A token for ``user``, re-armed before every call: the fuzzer may revoke it."""

    def __init__(self, user: Any) -> None:
        self.token, raw = token_create(user=user, name="schemathesis")
        self.headers = {"Authorization": f"Token {raw}", "Accept-Language": "en"}

    def call(self, case: Any) -> None:
        ApiToken.objects.filter(pk=self.token.pk).update(revoked_at=None)
        case.call_and_validate(headers=self.headers, checks=[not_a_server_error])


@pytest.fixture
def as_director_api(director: Any) -> Persona:
    return Persona(director)


@pytest.fixture
def as_teacher_api(teacher: Any) -> Persona:
    return Persona(teacher)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: Any) -> None:
    """schemathesis 4.32 renames the running node through ``_nodeid``, which pytest 9.2
    no longer has: give it one (reports keep pytest's own node id)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")
reader = schemathesis.pytest.from_fixture("reader_schema")
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ
def test_no_server_errors_as_director(case: Any, as_director_api: Persona) -> None:
    as_director_api.call(case)


@reader.parametrize()
@FUZZ
def test_no_server_errors_as_teacher(case: Any, as_teacher_api: Persona) -> None:
    as_teacher_api.call(case)
