"""Every URL of the REST API, today's and future ones, under the API's rules (the web's
``tests/test_url_access.py`` skips the ``api`` namespace and points here):

- anonymous requests get 401 with ``WWW-Authenticate: Token`` (never a login redirect);
- a user without permissions gets 403, or only their own rows where the resource is theirs;
- a user holding every permission in another school gets 404 for this school's objects.

A new endpoint is covered without anyone remembering; an exemption needs a reason here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from houqin.api.services import token_create
from houqin.core.attachments.services import attachment_upload
from houqin.notifications.models import Notification
from tests import factories as f
from tests.assets.objects import asset_objects
from tests.finance.objects import finance_objects
from tests.inventory.objects import inventory_objects
from tests.maintenance.objects import maintenance_objects
from tests.printing.objects import printing_objects
from tests.procurement.objects import procurement_objects

from .conftest import expense_claim, token_client

pytestmark = pytest.mark.django_db

# URL name -> why anonymous users may call it.
PUBLIC = {
    "api:auth_token": "exchanging a password for a token is how one authenticates",
    "api:schema": "the OpenAPI description holds no data and lets clients be generated",
    "api:docs": "Swagger UI only renders the public schema; its requests still need a token",
}
# URL name -> why a user without any permission may call it: the caller's own data only.
OWN_DATA = {
    "api:me": "the caller's own account, memberships and permissions",
    "api:token-list": "the caller's own tokens",
    "api:token-detail": "revokes one of the caller's own tokens (others' are 404)",
    "api:approval-inbox": "what waits for the caller's own decision",
    "api:approval-mine": "the requests the caller submitted",
    "api:notification-list": "the caller's own notifications",
    "api:notification-read": "marks one of the caller's own notifications (others' are 404)",
    "api:notification-read_all": "marks the caller's own notifications",
    "api:attachment-list": "only attachments of owners the caller may see (none without "
    "permissions); one attachment follows the usual rules",
}
# URL name -> why no permission is needed: visible to whoever takes part (else 404), as on
# the web's approval pages.
TAKING_PART = {
    name: "an approval request is seen and decided by those taking part in it"
    for name in (
        "api:approval-detail",
        "api:approval-approve",
        "api:approval-reject",
        "api:approval-return",
        "api:approval-withdraw",
    )
}


# URL name -> why another school's user may read it: data shared by every school.
SHARED = {
    "api:assetcategory-list": "asset categories (GB/T 14885) are shared by every school",
    "api:assetcategory-detail": "asset categories (GB/T 14885) are shared by every school",
    "api:repaircategory-list": "repair categories (水/电/木工…) are shared by every school",
}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def api_urls() -> list[tuple[str, URLPattern]]:
    found = [(n, p) for n, p in walk(get_resolver().url_patterns) if n.startswith("api:")]
    return sorted(found, key=lambda item: item[0])


def methods(pattern: URLPattern) -> list[str]:
    """The HTTP methods an API URL answers (a viewset's routed actions, or the view's)."""
    actions = getattr(pattern.callback, "actions", None)
    if actions:
        return sorted(m for m in actions if m != "head")
    view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    assert view is not None, pattern
    return sorted(m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m))


def model_of(pattern: URLPattern) -> Any:
    view = getattr(pattern.callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


@pytest.fixture
def world(school: Any) -> dict[str, Any]:
    """One object of every kind in ``school``, a user without permissions, and an outsider
    holding every permission in another school."""
    room = f.RoomFactory(building__campus__school=school)
    department = f.DepartmentFactory(school=school)
    term = f.TermFactory(school_year__school=school)
    person = f.member(school, "teacher", department=department)
    token, _raw = token_create(user=person, name="world")
    claim = expense_claim(school)
    notification = Notification.objects.create(recipient=person, event="x", title="world")
    upload = SimpleUploadedFile("plan.txt", b"plan", content_type="text/plain")
    attachment = attachment_upload(actor=person, owner=room, files=[upload])[0]
    outsider = f.outsider_with_every_permission()
    nobody = f.member_without_permissions(school)
    objects = {
        "school": school,
        "campus": room.building.campus,
        "building": room.building,
        "room": room,
        "department": department,
        "term": term,
        "user": person,
        "apitoken": token,
        "approvalrequest": claim.approval,
        "notification": notification,
        "attachment": attachment,
        **asset_objects(school, room, department, person),
        **maintenance_objects(school, room, department, person),
        **finance_objects(school, room, department, person),
        **inventory_objects(school, room, department, person),
        **procurement_objects(school, room, department, person),
        **printing_objects(school, room, department, person),
    }
    return {"objects": objects, "nobody": nobody, "outsider": outsider}


def build(name: str, pattern: URLPattern, world: dict[str, Any]) -> str:
    kwargs: dict[str, Any] = {}
    for key in pattern.pattern.regex.groupindex:
        if key == "pk":
            model = model_of(pattern)
            assert model is not None, f"{name}: a pk URL must name its model (queryset)"
            kwargs["pk"] = world["objects"][model._meta.model_name].pk
        else:  # pragma: no cover - a new kind of URL parameter needs a line here
            raise AssertionError(f"{name}: teach this test about <{key}>")
    return reverse(name, kwargs=kwargs)


def call(client: Any, method: str, url: str) -> Any:
    return getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)


def test_every_api_url_answers_401_to_anonymous_requests(world: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    checked = 0
    for name, pattern in api_urls():
        if name in PUBLIC:
            continue
        url = build(name, pattern, world)
        for method in methods(pattern):
            response = call(client, method, url)
            assert response.status_code == 401, f"{method} {name} answered {response.status_code}"
            assert response["WWW-Authenticate"] == "Token", name
            assert response.json()["error"]["code"] == "not_authenticated", name
            checked += 1
    assert checked >= 15


def test_the_public_urls_are_what_they_claim(world: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    assert client.get(reverse("api:schema")).status_code == 200
    assert client.get(reverse("api:docs")).status_code == 200
    # The token endpoint only exchanges credentials.
    assert client.get(reverse("api:auth_token")).status_code == 405
    assert client.post(reverse("api:auth_token"), {}).status_code == 400


def test_every_api_url_refuses_users_without_the_permission(world: dict[str, Any]) -> None:
    client = token_client(world["nobody"])
    for name, pattern in api_urls():
        if name in PUBLIC:
            continue
        url = build(name, pattern, world)
        for method in methods(pattern):
            status = call(client, method, url).status_code
            if name in OWN_DATA:
                # Someone else's token is not found; the own lists hold only the caller's rows.
                assert status in (200, 404), f"{method} {name} answered {status}"
                continue
            if name in TAKING_PART:
                assert status == 404, f"{method} {name} answered {status} to a bystander"
                continue
            assert status == 403, f"{method} {name} ({url}) answered {status} without permission"
    own = client.get(reverse("api:token-list")).json()
    assert own["count"] == 1  # the token this client authenticates with
    for name in ("api:approval-inbox", "api:notification-list", "api:attachment-list"):
        assert client.get(reverse(name)).json()["count"] == 0, name


def test_object_urls_answer_404_to_other_schools(world: dict[str, Any]) -> None:
    client = token_client(world["outsider"])
    checked = 0
    for name, pattern in api_urls():
        if name in PUBLIC:
            continue
        url = build(name, pattern, world)
        if name in SHARED:
            continue
        if not pattern.pattern.regex.groupindex:
            # Lists show none of this school's objects.
            model = model_of(pattern)
            if "get" in methods(pattern) and model is not None:
                body = client.get(url).json()
                ids = {row["id"] for row in body["results"]}
                assert world["objects"][model._meta.model_name].pk not in ids, name
            continue
        for method in methods(pattern):
            status = call(client, method, url).status_code
            assert status == 404, f"{method} {name} ({url}) answered {status} to another school"
            checked += 1
    assert checked >= 10
    room = world["objects"]["room"]
    assert type(room).objects.filter(pk=room.pk).exists()


def test_the_exemptions_still_exist() -> None:
    names = {name for name, _pattern in api_urls()}
    for exempt in (*PUBLIC, *OWN_DATA, *TAKING_PART, *SHARED):
        assert exempt in names, f"stale exemption: {exempt}"
