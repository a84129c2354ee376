"""Every URL of Houqin, today's and future ones: anonymous users are sent to log in, users
without the permission get 403, users of another school get 404 for objects of this one.

A new view is covered without anyone remembering; an exemption needs a reason here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f
from tests.assets.objects import asset_objects
from tests.conftest import login
from tests.core.objects import attachment_objects
from tests.finance.objects import finance_objects
from tests.inventory.objects import inventory_objects
from tests.maintenance.objects import maintenance_objects
from tests.notifications.objects import notification_objects
from tests.printing.objects import printing_objects
from tests.procurement.objects import procurement_objects

pytestmark = pytest.mark.django_db

# URL name -> why it is not subject to the rule.
PUBLIC = {
    "accounts:login": "the login page itself",
    "set_language": "choosing a language needs no account",
    "assets:scan": "the page a phone opens from an asset label: members of the asset's school "
    "go on to the card, anyone else sees only the school, code, name and room",
    "maintenance:portal_room": "the no-login repair form a room's QR poster opens (rate-limited, "
    "anti-spam); it shows only the school and the room",
    "maintenance:portal_asset": "the no-login repair form of an asset's label QR code; it shows "
    "only the school, the room and the asset",
    "maintenance:track": "a reporter without an account follows, verifies and rates their repair "
    "by the unguessable tracking code; unknown codes are 404",
}
NO_PERMISSION_NEEDED = {
    "dashboards:home": "every member has a dashboard; it shows only their own schools",
    "accounts:logout": "anyone logged in may log out",
    "accounts:password_change": "anyone logged in may change their own password",
    "core:switch_school": "POST only; it accepts only the user's own schools",
    "approvals:inbox": "everyone sees the requests waiting for their own decision",
    "approvals:mine": "everyone sees the requests they submitted",
    "approvals:request_detail": "taking part in a request is the permission; others get 404",
    "approvals:request_act": "being the step's approver is the permission; others get 404",
    "notifications:centre": "everyone has their own notification centre",
    "notifications:notification_open": "only the recipient opens a notification; others get 404",
    "notifications:mark_read": "POST only; it marks only the user's own notifications",
    "notifications:preferences": "everyone chooses their own notification channels",
    "core:export_list": "everyone has their own exports",
    "core:export_detail": "only the person who asked for an export sees it; others get 404",
    "core:export_download": "only the person who asked for an export downloads it; others 404",
    "core:export_delete": "POST only; only the person who asked for an export deletes it",
}
NOT_SCHOOL_OWNED = {
    "accounts:role_detail": "roles are shared by every school",
    "accounts:role_edit": "roles are shared by every school (the admin of another school "
    "holds change_role and may edit them)",
    "assets:category_detail": "asset categories (GB/T 14885) are shared by every school",
    "assets:category_edit": "asset categories are shared by every school; holders of "
    "change_assetcategory in any school maintain them",
    "maintenance:category_edit": "repair categories are shared by every school; holders of "
    "change_repaircategory in any school maintain them",
}


def walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin: superusers only, guarded by Django itself
            if entry.namespace == "api":
                continue  # the REST API answers 401, not a login redirect: tests/api/test_access.py
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def all_urls() -> list[tuple[str, URLPattern]]:
    return sorted(walk(get_resolver().url_patterns), key=lambda item: item[0])


@pytest.fixture
def world(school: Any) -> dict[str, Any]:
    """One object of every kind in ``school``, a user without permissions, and an outsider
    holding every permission in another school."""
    room = f.RoomFactory(building__campus__school=school)
    department = f.DepartmentFactory(school=school)
    term = f.TermFactory(school_year__school=school)
    person = f.member(school, "teacher", department=department)
    outsider = f.outsider_with_every_permission()
    nobody = f.member_without_permissions(school)
    objects = {
        "district": school.district,
        "school": school,
        "campus": room.building.campus,
        "building": room.building,
        "room": room,
        "department": department,
        "schoolyear": term.school_year,
        "term": term,
        "user": person,
        "membership": person.memberships.get(),
        "role": f.role("teacher"),
        **approval_objects(school, department, person),
        **notification_objects(school, person),
        **attachment_objects(room, person),
        **asset_objects(school, room, department, person),
        **maintenance_objects(school, room, department, person),
        **finance_objects(school, room, department, person),
        **inventory_objects(school, room, department, person),
        **procurement_objects(school, room, department, person),
        **printing_objects(school, room, department, person),
    }
    return {"objects": objects, "nobody": nobody, "outsider": outsider, "person": person}


def approval_objects(school: Any, department: Any, person: Any) -> dict[str, Any]:
    """An expense claim of ``person`` submitted through a one-step chain."""
    from decimal import Decimal

    from houqin.approvals.models import ApprovalChain, ApprovalChainStep, ApprovalRequest
    from houqin.finance.models import Expense
    from houqin.finance.services import expense_save, expense_submit

    chain = ApprovalChain.objects.create(school=school, request_type="expense", name="报销")
    ApprovalChainStep.objects.create(
        chain=chain, order=1, name="总务", approver_kind="role", role=f.role("director")
    )
    expense = expense_save(
        actor=person,
        expense=Expense(
            department=department,
            title="纸",
            category="office",
            amount=Decimal("1"),
            description="x",
        ),
    )
    expense_submit(actor=person, expense=expense)
    return {
        "approvalchain": chain,
        "expense": expense,
        "approvalrequest": ApprovalRequest.objects.get(object_id=expense.pk),
    }


def build(name: str, pattern: URLPattern, world: dict[str, Any]) -> str:
    keys = pattern.pattern.regex.groupindex.keys()
    kwargs: dict[str, Any] = {}
    view = getattr(pattern.callback, "view_class", None)
    model = getattr(view, "model", None)
    for key in keys:
        if key == "pk":
            assert model is not None, f"{name}: a pk URL must name its model"
            kwargs["pk"] = world["objects"][model._meta.model_name].pk
        elif key == "ct":  # attachments and comments of an object: a room of the school
            kwargs["ct"] = ContentType.objects.get_for_model(world["objects"]["room"]).pk
        elif key == "object_id":
            kwargs["object_id"] = world["objects"]["room"].pk
        elif key == "user_pk":
            kwargs["user_pk"] = world["person"].pk
        elif key == "public_code":
            kwargs["public_code"] = world["objects"]["asset"].public_code
        elif key == "action":
            kwargs["action"] = "approve" if name.startswith("approvals:") else "submit"
        else:  # pragma: no cover - a new kind of URL parameter needs a line here
            raise AssertionError(f"{name}: teach this test about <{key}>")
    return reverse(name, kwargs=kwargs)


def test_every_url_asks_anonymous_users_to_log_in(world: dict[str, Any], client: Any) -> None:
    for name, pattern in all_urls():
        if name in PUBLIC:
            continue
        url = build(name, pattern, world)
        response = client.get(url)
        if name in ("core:switch_school", "accounts:logout"):
            assert response.status_code in (302, 405), name  # POST only
            continue
        assert response.status_code == 302, f"{name} answered {response.status_code}"
        assert response["Location"].startswith(reverse("accounts:login")), name


def test_every_url_refuses_users_without_the_permission(world: dict[str, Any]) -> None:
    client = login(world["nobody"])
    for name, pattern in all_urls():
        if name in PUBLIC or name in NO_PERMISSION_NEEDED:
            continue
        url = build(name, pattern, world)
        status = client.get(url).status_code
        assert status == 403, f"{name} ({url}) answered {status} to a user without permission"
        if "delete" in name or "edit" in name or "add" in name:
            assert client.post(url, {}).status_code == 403, name


def test_object_urls_answer_404_to_other_schools(world: dict[str, Any]) -> None:
    client = login(world["outsider"])
    checked = 0
    for name, pattern in all_urls():
        keys = pattern.pattern.regex.groupindex.keys()
        if not keys or name in NOT_SCHOOL_OWNED or name in PUBLIC:
            continue
        url = build(name, pattern, world)
        status = client.get(url).status_code
        assert status == 404, f"{name} ({url}) answered {status} to another school's user"
        if "delete" in name or "edit" in name:
            assert client.post(url, {}).status_code == 404, name
        checked += 1
    assert checked >= 20


def test_the_exemptions_still_exist() -> None:
    names = {name for name, _pattern in all_urls()}
    for exempt in (*PUBLIC, *NO_PERMISSION_NEEDED, *NOT_SCHOOL_OWNED):
        assert exempt in names, f"stale exemption: {exempt}"
