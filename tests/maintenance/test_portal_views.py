"""The no-login QR portal and the tracking page: success, every refusal answered clearly
with nothing saved, verify and rate through the tracking link."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import OrderStatus, RequestStatus
from houqin.maintenance.forms_requests import portal_stamp
from houqin.maintenance.models import RepairRequest, WorkOrder
from houqin.maintenance.services.orders import (
    work_order_accept,
    work_order_finish,
    work_order_start,
)
from houqin.maintenance.services.sla import settings_for
from tests import factories as f

from .factories import category, rule
from .test_requests_services import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    """Messages are checked in English (a browser without a preference gets Chinese)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def room(school: Any) -> Any:
    return f.RoomFactory(building__campus__school=school)


def url(room: Any) -> str:
    return reverse("maintenance:portal_room", args=[room.public_code])


def data(room: Any, **kw: Any) -> dict[str, Any]:
    values = {
        "category": category("appliance").pk,
        "description": "宿舍吊扇不转",
        "reporter_name": "李明",
        "reporter_unit": "高一(2)班",
        "phone": "13900139000",
        "website": "",
        "stamp": portal_stamp(room.public_code, at=time.time() - 10),
    }
    values.update(kw)
    return values


def nothing_saved() -> bool:
    return (
        not RepairRequest.objects.exists()
        and not WorkOrder.objects.exists()
        and not Attachment.objects.exists()
    )


def test_the_form_page_is_public_and_not_indexed(client: Client, room: Any) -> None:
    response = client.get(url(room))
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    body = response.content.decode()
    assert room.number in body and 'name="website"' in body and 'name="stamp"' in body
    assert "csrftoken" in response.cookies
    assert client.get("/maintenance/p/NOSUCHCODE22/").status_code == 404


def test_a_visitor_reports_with_a_photo_and_gets_the_tracking_page(school: Any, room: Any) -> None:
    worker = f.member(school, "worker")
    rule(school, worker, code="appliance")
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    page = client.get(url(room))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(
        url(room),
        {**data(room), "photos": [png()], "csrfmiddlewaretoken": token.group(1)},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302, response.content.decode()[:500]
    saved = RepairRequest.objects.get()
    assert saved.channel == "portal" and saved.reporter is None
    assert saved.source_address == "10.1.2.3" and saved.reporter_unit == "高一(2)班"
    assert saved.work_order.assignee == worker
    assert Attachment.objects.filter(object_id=saved.pk).count() == 1
    assert response["Location"] == f"{saved.get_tracking_url()}?new=1"
    thanks = client.get(response["Location"])
    body = thanks.content.decode()
    assert thanks.status_code == 200 and saved.number in body and 'data-testid="thanks"' in body
    assert "noindex" in thanks["X-Robots-Tag"]


def test_the_asset_portal_names_the_asset(client: Client, school: Any, room: Any) -> None:
    from tests.assets.objects_register import make_asset

    asset = make_asset(school, room=room)
    target = reverse("maintenance:portal_asset", args=[asset.public_code])
    assert asset.code in client.get(target).content.decode()
    response = client.post(
        target, data(room, stamp=portal_stamp(asset.public_code, time.time() - 9))
    )
    assert response.status_code == 302, response.content.decode()
    assert RepairRequest.objects.get().asset == asset


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": ""}, "Describe what is wrong"),
        ({"category": ""}, "Choose what kind of fault"),
        ({"reporter_name": ""}, "Enter your name"),
        ({"phone": "no phone"}, "phone number"),
        ({"website": "http://spam.example"}, "could not be accepted"),
        ({"stamp": "forged"}, "expired"),
        ({"stamp": "NOW"}, "too fast"),
        ({"stamp": "OLD"}, "expired"),
        ({"photos": [SimpleUploadedFile("x.exe", b"MZ\x90\x00 not a photo")]}, "only photos"),
        ({"photos": [SimpleUploadedFile("a.pdf", b"%PDF-1.4 paper")]}, "only photos"),
        ({"photos": "MANY"}, "at most 9 photos"),
    ],
)
def test_refusals_are_clear_and_save_nothing(
    client: Client, room: Any, change: dict[str, Any], message: str
) -> None:
    if change.get("stamp") == "NOW":
        change = {"stamp": portal_stamp(room.public_code)}
    elif change.get("stamp") == "OLD":
        change = {"stamp": portal_stamp(room.public_code, at=time.time() - 3 * 3600)}
    elif change.get("photos") == "MANY":
        change = {"photos": [png(f"{n}.png") for n in range(10)]}
    response = client.post(url(room), data(room, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


def test_an_oversized_photo_is_refused(client: Client, room: Any, settings: Any) -> None:
    settings.HOUQIN_UPLOAD_MAX_BYTES = 200
    response = client.post(url(room), data(room, photos=[png(size=(300, 300))]))
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert nothing_saved()


def test_the_rate_limits_answer_429(client: Client, school: Any, room: Any) -> None:
    config = settings_for(school.pk)
    config.portal_limit_per_address = 2
    config.portal_limit_per_room = 3
    config.save()
    for _ in range(2):
        assert client.post(url(room), data(room), REMOTE_ADDR="10.0.0.1").status_code == 302
    limited = client.post(url(room), data(room), REMOTE_ADDR="10.0.0.1")
    assert limited.status_code == 429 and "Too many reports" in limited.content.decode()
    # A forwarded header is not trusted unless the deployment says so.
    forged = client.post(
        url(room), data(room), REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert forged.status_code == 429
    assert client.post(url(room), data(room), REMOTE_ADDR="10.0.0.2").status_code == 302
    full = client.post(url(room), data(room), REMOTE_ADDR="10.0.0.3")
    assert full.status_code == 429 and "This room" in full.content.decode()
    assert RepairRequest.objects.count() == 3


def test_a_closed_portal_says_so(client: Client, school: Any, room: Any) -> None:
    config = settings_for(school.pk)
    config.portal_enabled = False
    config.save()
    assert 'data-testid="portal-closed"' in client.get(url(room)).content.decode()
    response = client.post(url(room), data(room))
    assert response.status_code == 400 and "closed" in response.content.decode()
    assert nothing_saved()


def test_triage_shows_on_the_tracking_page(client: Client, school: Any, room: Any) -> None:
    config = settings_for(school.pk)
    config.portal_needs_triage = True
    config.save()
    response = client.post(url(room), data(room))
    saved = RepairRequest.objects.get()
    assert saved.status == RequestStatus.TRIAGE and not WorkOrder.objects.exists()
    assert client.get(response["Location"]).status_code == 200


def test_the_visitor_verifies_and_rates_on_the_tracking_page(
    client: Client, school: Any, room: Any
) -> None:
    worker = f.member(school, "worker")
    rule(school, worker, code="appliance")
    client.post(url(room), data(room))
    saved = RepairRequest.objects.get()
    order = work_order_accept(actor=worker, order=saved.work_order)
    order = work_order_start(actor=worker, order=order)
    work_order_finish(actor=worker, order=order, work_notes="换电容")
    track = saved.get_tracking_url()
    page = client.get(track).content.decode()
    assert str(worker) in page and 'data-testid="verify-card"' in page
    back = client.post(track, {"action": "verify", "accepted": "0", "comment": ""}, follow=True)
    assert "Say what is still wrong" in back.content.decode()
    client.post(track, {"action": "verify", "accepted": "1"})
    client.post(track, {"action": "rate", "rating": "5", "comment": "修得快"})
    order.refresh_from_db()
    assert order.status == OrderStatus.RATED and order.rating == 5
    assert 'data-testid="rated"' in client.get(track).content.decode()
    assert client.get("/maintenance/t/NOSUCHCODE22/").status_code == 404
