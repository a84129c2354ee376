"""Submitting and triaging repair requests through the services."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import Channel, OrderStatus, RequestStatus
from houqin.maintenance.models import MaintenanceSettings, RepairRequest, WorkOrder
from houqin.maintenance.services.requests import (
    RequestError,
    repair_request_submit,
    repair_request_triage,
)
from houqin.maintenance.services.sla import settings_for
from tests import factories as f

from .factories import category, rule

pytestmark = pytest.mark.django_db
R = RequestStatus


def png(name: str = "fan.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def submit(actor: Any, room: Any, **kw: Any) -> RepairRequest:
    kw.setdefault("category", category("electric"))
    kw.setdefault("description", "电扇不转了")
    return repair_request_submit(actor=actor, school_id=room.school_id, room=room, **kw)


@pytest.fixture
def room(school: Any) -> Any:
    return f.RoomFactory(building__campus__school=school)


def test_it_opens_and_dispatches_an_order(school: Any, room: Any, teacher: Any) -> None:
    worker = f.member(school, "worker")
    rule(school, worker)
    request = submit(teacher, room, phone="13800138000", photos=[png()])
    assert request.number.startswith("BX-") and request.status == R.OPEN
    order = request.work_order
    assert order is not None and order.status == OrderStatus.ASSIGNED
    assert order.assignee == worker and order.requester == teacher
    assert order.reported_at == request.created_at and order.title.startswith("电：")
    assert order.contact_name == str(teacher) and order.contact_phone == "13800138000"
    assert Attachment.objects.filter(object_id=request.pk).count() == 1


def test_it_takes_the_room_of_the_asset(school: Any, room: Any, teacher: Any) -> None:
    from tests.assets.objects_register import make_asset

    asset = make_asset(school, room=room)
    request = repair_request_submit(
        actor=teacher,
        school_id=school.pk,
        room=None,
        asset=asset,
        category=category("appliance"),
        description="投影仪不亮",
    )
    assert request.room == room and request.work_order.asset == asset


def test_it_accepts_file_like_photos(school: Any, room: Any, teacher: Any) -> None:
    photo = io.BytesIO(png().read())
    photo.name = "api.png"  # type: ignore[attr-defined]
    request = submit(teacher, room, photos=[photo])
    assert Attachment.objects.filter(object_id=request.pk).count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"description": "  "}, "description"),
        ({"description": "x" * 2001}, "description"),
        ({"category": None}, "category"),
        ({"urgency": "whenever"}, "urgency"),
        ({"phone": "call me"}, "phone"),
        ({"photos": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 hello")]}, "not_image"),
        ({"photos": [SimpleUploadedFile("x.jpg", b"not a photo at all")]}, "not_image"),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(
    school: Any, room: Any, teacher: Any, change: dict[str, Any], code: str
) -> None:
    with pytest.raises(RequestError) as caught:
        submit(teacher, room, **change)
    assert caught.value.code == code
    assert not RepairRequest.objects.exists() and not WorkOrder.objects.exists()


def test_it_refuses_ten_photos(school: Any, room: Any, teacher: Any) -> None:
    with pytest.raises(RequestError, match="at most 9"):
        submit(teacher, room, photos=[png(f"{i}.png") for i in range(10)])
    assert not RepairRequest.objects.exists()


def test_a_broken_image_refuses_everything(school: Any, room: Any, teacher: Any) -> None:
    broken = SimpleUploadedFile("b.png", png().read()[:60])
    with pytest.raises(RequestError):
        submit(teacher, room, photos=[png(), broken])
    assert not RepairRequest.objects.exists() and not WorkOrder.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_other_schools(school: Any, other_school: Any, teacher: Any) -> None:
    foreign = f.RoomFactory(building__campus__school=other_school)
    with pytest.raises(RequestError):
        repair_request_submit(
            actor=teacher,
            school_id=school.pk,
            room=foreign,
            category=category(),
            description="x",
        )
    outsider = f.member(other_school, "teacher")
    with pytest.raises(RequestError, match="may not"):
        submit(outsider, f.RoomFactory(building__campus__school=school))


def test_it_joins_an_open_order(school: Any, room: Any, teacher: Any) -> None:
    first = submit(teacher, room)
    second = submit(f.member(school, "teacher"), room, join_order=first.work_order)
    assert second.status == R.JOINED and second.work_order == first.work_order
    assert WorkOrder.objects.count() == 1
    foreign = submit(f.member(school, "teacher"), room)
    foreign.work_order.status = OrderStatus.CANCELLED
    foreign.work_order.save()
    with pytest.raises(RequestError):
        submit(teacher, room, join_order=foreign.work_order)


def test_portal_requests_wait_for_triage(school: Any, room: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    director = f.member(school, "director")
    config = settings_for(school.pk)
    config.portal_needs_triage = True
    config.save()
    request = submit(
        AnonymousUser(),
        room,
        channel=Channel.PORTAL,
        reporter_name="李同学",
        source_address="1.2.3.4",
    )
    assert request.status == R.TRIAGE and request.work_order is None and request.reporter is None
    with pytest.raises(RequestError):
        repair_request_triage(actor=director, request=request, decision="reject")
    accepted = repair_request_triage(actor=director, request=request, decision="accept")
    assert accepted.status == R.OPEN and accepted.work_order.status == OrderStatus.NEW
    with pytest.raises(RequestError):
        repair_request_triage(actor=director, request=accepted, decision="accept")


def test_triage_rejects_and_joins(school: Any, room: Any, teacher: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    director = f.member(school, "director")
    settings_for(school.pk)
    MaintenanceSettings.objects.filter(school=school).update(portal_needs_triage=True)
    kw = {"channel": Channel.PORTAL, "reporter_name": "王", "source_address": "5.6.7.8"}
    one = submit(AnonymousUser(), room, **kw)
    two = submit(AnonymousUser(), room, **kw)
    with pytest.raises(RequestError):
        repair_request_triage(actor=teacher, request=one, decision="reject", reason="重复")
    one = repair_request_triage(actor=director, request=one, decision="reject", reason="玩笑")
    assert one.status == R.REJECTED and one.reject_reason == "玩笑"
    order = submit(teacher, room).work_order
    two = repair_request_triage(actor=director, request=two, decision="join", order=order)
    assert two.status == R.JOINED and two.work_order == order


def test_the_portal_limits_per_address_and_room(school: Any, room: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    config = settings_for(school.pk)
    config.portal_limit_per_address = 2
    config.portal_limit_per_room = 3
    config.save()
    kw = {"channel": Channel.PORTAL, "reporter_name": "王"}
    submit(AnonymousUser(), room, source_address="9.9.9.9", **kw)
    submit(AnonymousUser(), room, source_address="9.9.9.9", **kw)
    with pytest.raises(RequestError) as caught:
        submit(AnonymousUser(), room, source_address="9.9.9.9", **kw)
    assert caught.value.code == "rate_limited"
    submit(AnonymousUser(), room, source_address="8.8.8.8", **kw)
    with pytest.raises(RequestError):
        submit(AnonymousUser(), room, source_address="7.7.7.7", **kw)
    assert RepairRequest.objects.count() == 3
    config.portal_enabled = False
    config.save()
    other = f.RoomFactory(building__campus__school=school)
    with pytest.raises(RequestError) as caught:
        submit(AnonymousUser(), other, source_address="6.6.6.6", **kw)
    assert caught.value.code == "closed"
