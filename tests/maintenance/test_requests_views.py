"""The staff pages of repair requests: report, duplicates and join, my requests, the list,
triage, verify and rate, scoping and constant queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.maintenance.choices import Channel, OrderStatus, RequestStatus
from houqin.maintenance.models import RepairRequest, WorkOrder
from houqin.maintenance.services.orders import (
    work_order_accept,
    work_order_finish,
    work_order_start,
)
from houqin.maintenance.services.requests import repair_request_submit
from houqin.maintenance.services.sla import settings_for
from tests import factories as f
from tests.conftest import login

from .factories import category, rule
from .test_requests_services import png

pytestmark = pytest.mark.django_db
R = RequestStatus
ADD = reverse("maintenance:request_add")


@pytest.fixture
def room(school: Any) -> Any:
    return f.RoomFactory(building__campus__school=school)


def form(room: Any, **kw: Any) -> dict[str, Any]:
    data = {
        "room": room.pk,
        "category": category("electric").pk,
        "description": "电扇不转",
        "urgency": "normal",
        "reporter_name": "张老师",
        "phone": "13800138000",
    }
    data.update(kw)
    return data


def test_the_form_renders_with_rooms_and_categories(as_teacher: Any, room: Any) -> None:
    response = as_teacher.get(f"{ADD}?room={room.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-code="{room.public_code}"' in body and 'data-testid="category-electric"' in body
    part = as_teacher.get(f"{ADD}?part=assets&room={room.pk}")
    assert part.status_code == 200 and 'id="asset-field"' in part.content.decode()


def test_it_reports_with_a_photo(as_teacher: Any, teacher: Any, room: Any) -> None:
    response = as_teacher.post(ADD, {**form(room), "photos": [png()]})
    assert response.status_code == 302
    saved = RepairRequest.objects.get()
    assert saved.reporter == teacher and saved.work_order is not None
    assert response["Location"] == saved.get_absolute_url()
    page = as_teacher.get(saved.get_absolute_url())
    assert page.status_code == 200 and saved.number in page.content.decode()


def test_missing_fields_are_shown(as_teacher: Any, room: Any) -> None:
    response = as_teacher.post(ADD, form(room, description="", category=""))
    assert response.status_code == 422
    assert not RepairRequest.objects.exists()


def test_duplicates_are_offered_and_joined(
    as_teacher: Any, school: Any, room: Any, teacher: Any
) -> None:
    first = repair_request_submit(
        actor=f.member(school, "teacher"),
        school_id=school.pk,
        room=room,
        category=category("electric"),
        description="灯不亮",
    )
    live = as_teacher.get(
        f"{ADD}?part=duplicates&room={room.pk}&category={category('electric').pk}"
    )
    assert first.work_order.number in live.content.decode()
    shown = as_teacher.post(ADD, form(room))
    assert shown.status_code == 409 and first.work_order.number in shown.content.decode()
    assert RepairRequest.objects.count() == 1
    joined = as_teacher.post(ADD, form(room, join=first.work_order.pk))
    assert joined.status_code == 302
    mine = RepairRequest.objects.get(reporter=teacher)
    assert mine.status == R.JOINED and mine.work_order == first.work_order
    anyway = as_teacher.post(ADD, form(room, duplicates_seen="1"))
    assert anyway.status_code == 302 and WorkOrder.objects.count() == 2


def test_my_requests_and_the_list_keep_constant_queries(
    school: Any, room: Any, teacher: Any, as_teacher: Any, as_director: Any
) -> None:
    def make(n: int) -> None:
        for _ in range(n):
            repair_request_submit(
                actor=teacher,
                school_id=school.pk,
                room=f.RoomFactory(building__campus__school=school),
                category=category("water"),
                description="漏水",
            )

    make(1)
    counts = []
    for _ in range(2):
        as_teacher.get(reverse("maintenance:request_mine"))  # warm caches (menu, session)
        as_director.get(reverse("maintenance:request_list"))
        with CaptureQueriesContext(connection) as mine:
            assert as_teacher.get(reverse("maintenance:request_mine")).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert as_director.get(reverse("maintenance:request_list")).status_code == 200
        counts.append((len(mine), len(listed)))
        make(6)
    assert counts[0] == counts[1]
    body = as_director.get(reverse("maintenance:request_list") + "?status=open").content.decode()
    assert "BX-" in body


def test_the_list_filters(school: Any, room: Any, teacher: Any, as_director: Any) -> None:
    repair_request_submit(
        actor=teacher, school_id=school.pk, room=room, category=category(), description="x"
    )
    url = reverse("maintenance:request_list")
    for query in (
        "status=triage",
        f"category={category().pk}",
        f"building={room.building_id}",
        "channel=portal",
        "since=2020-01-01&until=2099-01-01",
    ):
        assert as_director.get(f"{url}?{query}").status_code == 200, query


def test_other_schools_and_strangers_get_404(
    school: Any, other_school: Any, room: Any, teacher: Any
) -> None:
    item = repair_request_submit(
        actor=teacher, school_id=school.pk, room=room, category=category(), description="x"
    )
    outsider = login(f.member(other_school, "director"))
    assert outsider.get(item.get_absolute_url()).status_code == 404
    colleague = login(f.member(school, "teacher"))
    assert colleague.get(item.get_absolute_url()).status_code == 404
    assert login(f.member(school, "principal")).get(item.get_absolute_url()).status_code == 200


def test_triage_accept_reject_and_join(school: Any, room: Any, as_director: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    config = settings_for(school.pk)
    config.portal_needs_triage = True
    config.save()

    def portal() -> RepairRequest:
        return repair_request_submit(
            actor=AnonymousUser(),
            school_id=school.pk,
            room=room,
            category=category(),
            description="风扇坏了",
            reporter_name="学生",
            channel=Channel.PORTAL,
        )

    one, two, three = portal(), portal(), portal()
    as_director.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = as_director.get(one.get_absolute_url()).content.decode()
    assert 'data-testid="triage-bar"' in page
    act = "maintenance:request_action"
    as_director.post(reverse(act, args=[one.pk, "accept"]))
    one.refresh_from_db()
    assert one.status == R.OPEN and one.work_order is not None
    refused = as_director.post(reverse(act, args=[two.pk, "reject"]), {"reason": ""}, follow=True)
    two.refresh_from_db()
    assert two.status == R.TRIAGE and "Say why" in refused.content.decode()
    as_director.post(reverse(act, args=[two.pk, "reject"]), {"reason": "重复"})
    as_director.post(reverse(act, args=[three.pk, "join"]), {"order": one.work_order_id})
    two.refresh_from_db()
    three.refresh_from_db()
    assert two.status == R.REJECTED and three.status == R.JOINED
    assert three.work_order_id == one.work_order_id
    listed = as_director.get(reverse("maintenance:request_list") + "?status=triage")
    assert listed.status_code == 200


def test_teachers_cannot_triage(school: Any, room: Any, teacher: Any, as_teacher: Any) -> None:
    item = repair_request_submit(
        actor=teacher, school_id=school.pk, room=room, category=category(), description="x"
    )
    as_teacher.post(
        reverse("maintenance:request_action", args=[item.pk, "reject"]), {"reason": "x"}
    )
    item.refresh_from_db()
    assert item.status == R.OPEN


def test_the_reporter_verifies_and_rates_on_the_detail_page(
    school: Any, room: Any, teacher: Any, as_teacher: Any
) -> None:
    worker = f.member(school, "worker")
    rule(school, worker)
    item = repair_request_submit(
        actor=teacher, school_id=school.pk, room=room, category=category(), description="x"
    )
    order = work_order_accept(actor=worker, order=item.work_order)
    order = work_order_start(actor=worker, order=order)
    work_order_finish(actor=worker, order=order, work_notes="换开关")
    page = as_teacher.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="verify-card"' in page and 'data-testid="rate-card"' in page
    act = "maintenance:request_action"
    as_teacher.post(reverse(act, args=[item.pk, "verify"]), {"accepted": "1"})
    as_teacher.post(reverse(act, args=[item.pk, "rate"]), {"rating": "4", "comment": "好"})
    order.refresh_from_db()
    assert order.status == OrderStatus.RATED and order.rating == 4


def test_posters_pdf(school: Any, room: Any, as_director: Any) -> None:
    url = reverse("maintenance:room_posters")
    assert as_director.get(url).status_code == 200
    response = as_director.get(f"{url}?building={room.building_id}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert login(f.member(school, "teacher")).get(url).status_code == 403


def test_the_reporter_sees_and_opens_their_own_photos(school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    teacher = f.member(school, "teacher")
    request = repair_request_submit(
        actor=teacher,
        school_id=school.pk,
        room=room,
        category=category("electric"),
        description="电扇不转",
        reporter_name="李老师",
        photos=[png()],
    )
    mine = login(teacher)
    page = mine.get(request.get_absolute_url())
    assert 'data-testid="reporter-photos"' in page.content.decode()
    (shown,) = page.context["reporter_photos"]
    assert mine.get(shown.download_url()).status_code == 200
    assert login(f.member(school, "teacher")).get(shown.download_url()).status_code == 403
