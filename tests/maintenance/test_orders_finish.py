"""The worker's finish page: work record with parts, photos and checklist; bad input is
answered clearly and leaves the order as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from houqin.core.attachments.models import Attachment
from houqin.maintenance.choices import OrderStatus
from houqin.maintenance.models import WorkOrder, WorkOrderPart
from houqin.maintenance.services.orders import work_order_start
from tests import factories as f
from tests.conftest import login as login_as
from tests.core.objects import png_bytes

from .factories import order, rule

pytestmark = pytest.mark.django_db


def login(user: Any) -> Any:
    """A signed-in client reading the pages in English."""
    client = login_as(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


S = OrderStatus


@pytest.fixture
def worker(school: Any) -> Any:
    return f.member(school, "worker")


@pytest.fixture
def started(school: Any, worker: Any) -> WorkOrder:
    rule(school, worker)
    wo = order(school)
    return work_order_start(actor=worker, order=wo)


def photo(name: str = "after.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def finish(client: Any, wo: WorkOrder, **extra: Any) -> Any:
    data: dict[str, Any] = {
        "work_notes": "换了电容",
        "labour_minutes": "30",
        "contractor": "",
        "contractor_cost": "0",
        "part-name": ["电容", ""],
        "part-quantity": ["2", "1"],
        "part-unit": ["个", ""],
        "part-unit_price": ["4.50", ""],
    }
    data.update(extra)
    return client.post(reverse("maintenance:workorder_finish", args=[wo.pk]), data)


def test_it_finishes_with_parts_and_a_photo(started: WorkOrder, worker: Any) -> None:
    client = login(worker)
    page = client.get(reverse("maintenance:workorder_finish", args=[started.pk]))
    assert page.status_code == 200 and 'data-testid="parts-editor"' in page.content.decode()
    response = finish(client, started, photos=[photo()], next="/maintenance/orders/")
    assert response.status_code == 302 and response["Location"] == "/maintenance/orders/"
    started.refresh_from_db()
    assert started.status == S.AWAITING_VERIFICATION
    assert started.parts_cost == Decimal("9.00") and started.labour_minutes == 30
    assert started.total_cost == started.parts_cost + started.labour_cost
    part = WorkOrderPart.objects.get(work_order=started)
    assert (part.name, part.quantity, part.unit) == ("电容", Decimal("2.00"), "个")
    assert Attachment.objects.get(object_id=started.pk).description == "After repair"


def test_it_saves_the_checklist(school: Any, worker: Any) -> None:
    rule(school, worker)
    wo = order(school, checklist=["检查压力", "检查铅封"], requester=None)
    wo = work_order_start(actor=worker, order=wo)
    client = login(worker)
    page = client.get(reverse("maintenance:workorder_finish", args=[wo.pk])).content.decode()
    assert "检查压力" in page and 'name="check-1"' in page
    finish(client, wo, **{"check-0": "on", "check-note-1": "铅封缺失"})
    wo.refresh_from_db()
    assert wo.checklist == [
        {"item": "检查压力", "done": True, "note": ""},
        {"item": "检查铅封", "done": False, "note": "铅封缺失"},
    ]


BAD = [
    ({"contractor_cost": "-5"}, "greater than or equal to 0"),
    ({"work_notes": ""}, "This field is required."),
    ({"labour_minutes": "-1"}, "greater than or equal to 0"),
    ({"part-unit_price": ["-1", ""]}, "the price cannot be negative"),
    ({"part-quantity": ["0", ""]}, "the quantity must be more than 0"),
    ({"part-quantity": ["abc", ""]}, "enter numbers"),
    ({"part-name": ["", ""], "part-unit_price": ["3", ""]}, "name the item"),
    ({"photos": [photo(f"p{n}.png") for n in range(10)]}, "Attach at most 9 photos."),
    (
        {"photos": [SimpleUploadedFile("notes.pdf", b"%PDF-1.4 x", "application/pdf")]},
        "Only photos can be attached here, not: notes.pdf",
    ),
    (
        {"photos": [SimpleUploadedFile("fake.png", b"GIF89a broken", "image/png")]},
        "fake.png",
    ),
]


@pytest.mark.parametrize(("extra", "message"), BAD)
def test_bad_input_is_refused_and_nothing_changes(
    started: WorkOrder, worker: Any, extra: dict[str, Any], message: str
) -> None:
    response = finish(login(worker), started, **extra)
    assert response.status_code == 422
    shown = response.content.decode() + str(response.context["form"].errors)
    assert message in shown
    started.refresh_from_db()
    assert started.status == S.IN_PROGRESS and started.work_notes == ""
    assert not WorkOrderPart.objects.exists() and not Attachment.objects.exists()


def test_finishing_an_order_not_started_is_refused(school: Any, worker: Any) -> None:
    rule(school, worker)
    wo = order(school)
    response = finish(login(worker), wo, photos=[photo()])
    assert response.status_code == 422
    assert "Start the order before finishing it." in response.content.decode()
    wo.refresh_from_db()
    assert wo.status == S.ASSIGNED and not Attachment.objects.exists()


def test_another_worker_cannot_finish(started: WorkOrder, school: Any) -> None:
    response = finish(login(f.member(school, "worker")), started)
    assert response.status_code == 422
    assert "Only the worker this order is dispatched to" in response.content.decode()
    started.refresh_from_db()
    assert started.status == S.IN_PROGRESS
