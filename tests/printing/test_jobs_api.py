"""``/api/v1/print-jobs/``: list, create, and the submit / start / done / collect / cancel
actions, with refusals as 400 in the API's error format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from houqin.printing.models import PrintJob
from tests import factories as f
from tests.api.conftest import token_client

from .conftest import make_job

pytestmark = pytest.mark.django_db
URL = "/api/v1/print-jobs/"


def test_a_job_from_request_to_collection(
    requester: Any, department: Any, operator: Any, paper: Any
) -> None:
    teacher = token_client(requester)
    created = teacher.post(
        URL,
        {
            "title": "期末试卷",
            "description": "原稿在文印室",
            "department": department.pk,
            "purpose": "exam",
            "pages": 40,
            "copies": 2,
            "duplex": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft"
    assert body["sheets_estimated"] == 40
    pk = body["id"]
    submitted = teacher.post(f"{URL}{pk}/submit/", {}, format="json")
    assert submitted.json()["status"] == "queued"
    room = token_client(operator)
    assert room.post(f"{URL}{pk}/start/", {}, format="json").json()["status"] == "printing"
    finished = room.post(f"{URL}{pk}/done/", {"spoiled_sheets": 5}, format="json")
    assert finished.status_code == 200
    assert finished.json()["sheets_used"] == 40
    assert finished.json()["paper_item"] == paper.pk
    paper.refresh_from_db()
    assert paper.quantity == Decimal("9.910")
    assert teacher.post(f"{URL}{pk}/collect/", {}, format="json").json()["status"] == "collected"


def test_refusals_are_400_with_the_message(
    school: Any, requester: Any, department: Any, operator: Any
) -> None:
    job = make_job(requester, department)
    teacher = token_client(requester)
    response = teacher.post(f"{URL}{job.pk}/collect/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "printing_refused"
    # Only the print room starts and finishes: the teacher lacks the permission.
    assert teacher.post(f"{URL}{job.pk}/start/", {}, format="json").status_code == 403
    room = token_client(operator)
    assert room.post(f"{URL}{job.pk}/done/", {"sheets_used": 0}, format="json").status_code == 400
    cancel = room.post(f"{URL}{job.pk}/cancel/", {}, format="json")
    assert cancel.status_code == 400  # a draft is not the print room's to cancel


def test_the_list_is_scoped_and_filtered(
    school: Any, other_school: Any, requester: Any, department: Any, operator: Any
) -> None:
    make_job(requester, department, title="试卷")
    make_job(requester, department, title="通知", purpose="notice")
    other = f.member(school, "teacher", department=department)
    make_job(other, department, title="别人的")
    mine = token_client(requester).get(URL).json()
    assert {row["title"] for row in mine["results"]} == {"试卷", "通知"}
    room = token_client(operator).get(URL, {"purpose": "notice"}).json()
    assert [row["title"] for row in room["results"]] == ["通知"]
    outsider = token_client(f.member(other_school, "director")).get(URL).json()
    assert outsider["count"] == 0


def test_create_refuses_another_schools_department(other_school: Any, requester: Any) -> None:
    foreign = f.DepartmentFactory(school=other_school)
    response = token_client(requester).post(
        URL,
        {
            "title": "x",
            "description": "y",
            "department": foreign.pk,
            "purpose": "exam",
            "pages": 1,
            "copies": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert not PrintJob.objects.exists()
