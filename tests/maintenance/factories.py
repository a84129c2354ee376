"""Shared set-up for maintenance tests: a school with a dispatch rule and an order."""

from __future__ import annotations

from typing import Any

from houqin.maintenance.choices import OrderSource, Urgency
from houqin.maintenance.models import DispatchRule, RepairCategory, WorkOrder
from houqin.maintenance.services.orders import work_order_open
from tests import factories as f


def category(code: str = "electric") -> RepairCategory:
    return RepairCategory.objects.get(code=code)


def rule(school: Any, worker: Any, code: str | None = "electric", building: Any = None) -> Any:
    return DispatchRule.objects.create(
        school=school,
        category=category(code) if code else None,
        building=building,
        assignee=worker,
    )


def order(
    school: Any,
    *,
    requester: Any = None,
    room: Any = None,
    code: str = "electric",
    urgency: str = Urgency.NORMAL,
    **kw: Any,
) -> WorkOrder:
    room = room or f.RoomFactory(building__campus__school=school)
    requester = requester or f.member(school, "teacher")
    return work_order_open(
        actor=requester,
        school_id=school.pk,
        category=category(code),
        title=kw.pop("title", "电扇不转"),
        urgency=urgency,
        room=room,
        requester=requester,
        source=kw.pop("source", OrderSource.REQUEST),
        **kw,
    )


def png(name: str = "photo.png", colour: tuple[int, int, int] = (20, 160, 40)) -> Any:
    """A small real PNG upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def api_world(school: Any) -> Any:
    """A worker with a dispatch rule for electricity, a director, a teacher, a room, and an
    API client for each of them."""
    from types import SimpleNamespace

    from tests.api.conftest import token_client

    worker = f.member(school, "worker")
    director = f.member(school, "director")
    teacher = f.member(school, "teacher")
    room = f.RoomFactory(building__campus__school=school)
    rule(school, worker)
    return SimpleNamespace(
        school=school,
        worker=worker,
        director=director,
        teacher=teacher,
        room=room,
        as_worker=token_client(worker),
        as_director=token_client(director),
        as_teacher=token_client(teacher),
    )
