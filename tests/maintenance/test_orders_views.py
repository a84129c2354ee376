"""Work order pages: detail, the office's direct order, and each workflow step as the
worker, the dispatcher, the requester and strangers would use it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import WorkOrder
from houqin.maintenance.services.orders import work_order_finish, work_order_start
from tests import factories as f
from tests.conftest import login as login_as
from tests.core.objects import png_bytes

from .factories import category, order, rule

pytestmark = pytest.mark.django_db


def login(user: Any) -> Any:
    """A signed-in client reading the pages in English."""
    client = login_as(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


S = OrderStatus


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    return {
        "worker": f.member(school, "worker"),
        "other_worker": f.member(school, "worker"),
        "director": f.member(school, "director"),
        "teacher": f.member(school, "teacher"),
        "stranger": f.member(school, "teacher"),
        "principal": f.member(school, "principal"),
    }


@pytest.fixture
def dispatched(school: Any, people: dict[str, Any]) -> WorkOrder:
    rule(school, people["worker"])
    return order(school, requester=people["teacher"])


def in_progress(wo: WorkOrder, people: dict[str, Any]) -> WorkOrder:
    return work_order_start(actor=people["worker"], order=wo)


def awaiting(wo: WorkOrder, people: dict[str, Any]) -> WorkOrder:
    wo = in_progress(wo, people)
    return work_order_finish(actor=people["worker"], order=wo, work_notes="换电容")


def act(client: Any, wo: WorkOrder, action: str, data: dict[str, Any] | None = None) -> Any:
    url = reverse("maintenance:workorder_action", args=[wo.pk, action])
    return client.post(url, data or {}, follow=True)


# (who, action, prepare, data, status afterwards, text on the page)
CASES = [
    ("worker", "accept", None, {}, S.ASSIGNED, "Accepted."),
    ("other_worker", "accept", None, {}, S.ASSIGNED, "Only the worker this order"),
    ("principal", "accept", None, {}, S.ASSIGNED, "Only the worker this order"),
    ("worker", "start", None, {}, S.IN_PROGRESS, "Repair started."),
    ("other_worker", "start", None, {}, S.ASSIGNED, "Only the worker this order"),
    ("worker", "hold", in_progress, {"reason": "parts", "note": "等电容"}, S.ON_HOLD, "On hold"),
    ("worker", "return", None, {"reason": "不是电工的活"}, S.RETURNED, "Returned to"),
    ("director", "assign", None, {"assignee": "other_worker"}, S.ASSIGNED, "Dispatched to"),
    ("worker", "assign", None, {"assignee": "other_worker"}, S.ASSIGNED, "You may not do this."),
    ("teacher", "assign", None, {"assignee": "worker"}, S.ASSIGNED, "You may not do this."),
    ("director", "cancel", None, {"reason": "重复报修"}, S.CANCELLED, "was cancelled"),
    ("teacher", "cancel", None, {"reason": "自己修好了"}, S.CANCELLED, "was cancelled"),
    ("worker", "cancel", None, {"reason": "不想修"}, S.ASSIGNED, "You may not cancel"),
    ("teacher", "verify", awaiting, {"accepted": "1"}, S.COMPLETED, "verification was recorded"),
    ("teacher", "verify", awaiting, {"accepted": "0", "comment": "还是不转"}, S.IN_PROGRESS, ""),
    ("worker", "verify", awaiting, {"accepted": "1"}, S.AWAITING_VERIFICATION, "Only the person"),
    ("teacher", "rate", awaiting, {"rating": "5", "comment": "很快"}, S.RATED, "Thank you for"),
    ("director", "rate", awaiting, {"rating": "5"}, S.AWAITING_VERIFICATION, "Only the person"),
]


@pytest.mark.parametrize(("who", "action", "prepare", "data", "after", "text"), CASES)
def test_it_runs_each_step_for_who_may_and_refuses_the_rest(
    dispatched: WorkOrder,
    people: dict[str, Any],
    who: str,
    action: str,
    prepare: Any,
    data: dict[str, Any],
    after: str,
    text: str,
) -> None:
    wo = prepare(dispatched, people) if prepare else dispatched
    data = {k: people[v].pk if k == "assignee" else v for k, v in data.items()}
    response = act(login(people[who]), wo, action, data)
    assert response.status_code in (200, 422)
    wo.refresh_from_db()
    assert wo.status == after
    assert text in response.content.decode()
    if action == "accept" and who == "worker":
        assert wo.accepted_at is not None
    if action == "assign" and who == "director":
        assert wo.assignee == people["other_worker"]


def test_a_stranger_gets_403_and_another_school_404(
    dispatched: WorkOrder, people: dict[str, Any], other_school: Any
) -> None:
    outsider = f.member(other_school, "director")
    for name in ("workorder_detail", "workorder_finish"):
        url = reverse(f"maintenance:{name}", args=[dispatched.pk])
        assert login(people["stranger"]).get(url).status_code == 403
        assert login(outsider).get(url).status_code == 404
    url = reverse("maintenance:workorder_action", args=[dispatched.pk, "cancel"])
    assert login(people["stranger"]).post(url, {"reason": "x"}).status_code == 403
    assert login(outsider).post(url, {"reason": "x"}).status_code == 404
    dispatched.refresh_from_db()
    assert dispatched.status == S.ASSIGNED


def test_the_requester_sees_their_order_without_the_list_permission(
    dispatched: WorkOrder, people: dict[str, Any]
) -> None:
    client = login(people["teacher"])
    page = client.get(dispatched.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="action-cancel"' in text and 'data-testid="action-assign"' not in text
    assert client.get(reverse("maintenance:workorder_list")).status_code == 403


def test_a_form_error_shows_the_form_again_and_changes_nothing(
    dispatched: WorkOrder, people: dict[str, Any]
) -> None:
    client = login(people["worker"])
    response = act(client, dispatched, "return", {"reason": ""})
    assert response.status_code == 422
    assert 'data-testid="action-form"' in response.content.decode()
    response = act(client, dispatched, "hold", {"reason": "bogus"})
    assert response.status_code == 422
    dispatched.refresh_from_db()
    assert dispatched.status == S.ASSIGNED


def test_unknown_actions_are_404(dispatched: WorkOrder, people: dict[str, Any]) -> None:
    client = login(people["director"])
    assert act(client, dispatched, "explode").status_code == 404


def test_it_follows_a_safe_next_and_ignores_another_site(
    dispatched: WorkOrder, people: dict[str, Any]
) -> None:
    client = login(people["worker"])
    url = reverse("maintenance:workorder_action", args=[dispatched.pk, "accept"])
    response = client.post(url, {"next": "https://evil.example/x"})
    assert response["Location"] == dispatched.get_absolute_url()
    url = reverse("maintenance:workorder_action", args=[dispatched.pk, "start"])
    response = client.post(url, {"next": "/maintenance/orders/"})
    assert response["Location"] == "/maintenance/orders/"


def test_start_takes_before_photos(dispatched: WorkOrder, people: dict[str, Any]) -> None:
    photo = SimpleUploadedFile("before.png", png_bytes(), content_type="image/png")
    act(login(people["worker"]), dispatched, "start", {"photos": [photo]})
    dispatched.refresh_from_db()
    assert dispatched.status == S.IN_PROGRESS
    found = Attachment.objects.get(object_id=dispatched.pk)
    assert found.description == "Before repair"


def test_the_detail_page_shows_the_clock_record_and_buttons(
    dispatched: WorkOrder, people: dict[str, Any]
) -> None:
    worker = login(people["worker"])
    text = worker.get(dispatched.get_absolute_url()).content.decode()
    assert 'data-testid="action-accept"' in text and 'data-testid="action-start"' in text
    assert 'data-testid="sla-clock"' in text and "Due in" in text
    assert 'data-testid="action-assign"' not in text
    wo = awaiting(dispatched, people)
    text = login(people["director"]).get(wo.get_absolute_url()).content.decode()
    assert 'data-testid="work-record"' in text and "换电容" in text
    assert 'data-testid="action-verify"' in text
    assert 'data-testid="order-timeline"' in text
    assert login(people["director"]).get(wo.get_absolute_url() + "?tab=history").status_code == 200


def test_every_step_page_renders_for_the_dispatcher(
    dispatched: WorkOrder, people: dict[str, Any]
) -> None:
    client = login(people["director"])
    for action in ("assign", "accept", "start", "hold", "return", "verify", "rate", "cancel"):
        url = reverse("maintenance:workorder_action", args=[dispatched.pk, action])
        assert client.get(url).status_code == 200, action


def test_the_office_opens_a_direct_order(school: Any, people: dict[str, Any]) -> None:
    room = f.RoomFactory(building__campus__school=school)
    client = login(people["director"])
    data = {
        "room": room.pk,
        "category": category("water").pk,
        "urgency": "urgent",
        "title": "水管爆了",
        "contact_name": "李老师",
        "contact_phone": "13800000000",
        "assignee": people["worker"].pk,
    }
    response = client.post(reverse("maintenance:workorder_add"), data)
    wo = WorkOrder.objects.get(title="水管爆了")
    assert response["Location"] == wo.get_absolute_url()
    assert wo.source == "direct" and wo.status == S.ASSIGNED and wo.assignee == people["worker"]
    assert wo.building_id == room.building_id
    text = client.get(wo.get_absolute_url()).content.decode()
    assert 'href="tel:13800000000"' in text


def test_the_direct_order_form_refuses_bad_input(school: Any, people: dict[str, Any]) -> None:
    client = login(people["director"])
    response = client.post(
        reverse("maintenance:workorder_add"),
        {"category": category("water").pk, "urgency": "normal", "title": "x", "asset": "NOPE"},
    )
    assert response.status_code == 422
    assert "No asset of the school has the code NOPE." in response.content.decode()
    assert not WorkOrder.objects.exists()
    assert login(people["worker"]).get(reverse("maintenance:workorder_add")).status_code == 403


def test_it_offers_a_repair_order_from_a_damage_report(school: Any) -> None:
    from houqin.assets.models import DamageReport
    from houqin.assets.services.damage import damage_report
    from tests.conftest import login as _login

    director = f.member(school, "director")
    room = f.RoomFactory(building__campus__school=school)
    report = damage_report(
        actor=director,
        report=DamageReport(
            school=school,
            room=room,
            item_name="窗户玻璃",
            description="篮球打碎了玻璃",
            responsible_kind="unknown",
        ),
    )
    client = _login(director)
    page = client.get(report.get_absolute_url())
    add_url = f"{reverse('maintenance:workorder_add')}?damage={report.pk}"
    assert add_url in page.content.decode()
    form = client.get(add_url).context["form"]
    assert form.initial["room"] == room.pk
    assert "窗户玻璃" in form.initial["title"] and report.number in form.initial["description"]
    teacher = _login(f.member(school, "teacher"))
    assert add_url not in teacher.get(report.get_absolute_url()).content.decode()


def test_the_order_page_shows_the_reporters_photos(school: Any) -> None:
    from houqin.maintenance.services.requests import repair_request_submit

    from .factories import category as repair_category

    worker = f.member(school, "worker")
    rule(school, worker)
    room = f.RoomFactory(building__campus__school=school)
    teacher = f.member(school, "teacher")
    photo = SimpleUploadedFile("fan.png", png_bytes(), content_type="image/png")
    request = repair_request_submit(
        actor=teacher,
        school_id=school.pk,
        room=room,
        category=repair_category("electric"),
        description="电扇不转",
        reporter_name="李老师",
        photos=[photo],
    )
    assert request.work_order is not None
    page = login_as(worker).get(request.work_order.get_absolute_url())
    assert (
        page.context["reported_photos"] and 'data-testid="reported-photos"' in page.content.decode()
    )
    other = login_as(f.member(school, "director"))
    assert other.get(request.work_order.get_absolute_url()).context["reported_photos"]
