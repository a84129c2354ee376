"""Print job pages: the request form with its file and live estimate, the job page, the
print room queue, the lists (constant queries) and the settings page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.core.attachments.models import Attachment
from houqin.printing.models import PrintJob, PrintSettings
from houqin.printing.services import jobs as services
from tests import factories as f
from tests.conftest import login

from .conftest import make_job

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def form_data(department: Any, **kw: Any) -> dict[str, Any]:
    data = {
        "department": department.pk,
        "title": "高一语文期中试卷",
        "purpose": "exam",
        "description": "",
        "pages": "40",
        "copies": "2",
        "duplex": "on",
        "paper_size": "A4",
        "needed_by": "2030-05-06T08:00",
    }
    data.update(kw)
    return data


def test_a_teacher_requests_with_a_file_and_it_queues(requester: Any, department: Any) -> None:
    client = login(requester)
    page = client.get(reverse("printing:job_add"))
    assert page.status_code == 200
    assert page.context["form"].initial["department"] == department.pk
    upload = SimpleUploadedFile("试卷.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("printing:job_add"), {**form_data(department), "file": upload, "then": "submit"}
    )
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert job.status == "queued"
    assert job.sheets_estimated == 40
    files = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(PrintJob), object_id=job.pk
    )
    assert [a.original_name for a in files] == ["试卷.pdf"]
    detail = client.get(job.get_absolute_url())
    assert detail.status_code == 200
    assert "试卷.pdf" in detail.content.decode()


def test_the_form_refuses_a_file_that_is_not_printable(requester: Any, department: Any) -> None:
    client = login(requester)
    upload = SimpleUploadedFile("a.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = client.post(reverse("printing:job_add"), {**form_data(department), "file": upload})
    assert response.status_code == 422
    assert "file" in response.context["form"].errors
    assert not PrintJob.objects.exists()


def test_the_form_needs_a_file_or_a_description(requester: Any, department: Any) -> None:
    client = login(requester)
    response = client.post(reverse("printing:job_add"), form_data(department))
    assert response.status_code == 422
    assert "description" in response.context["form"].errors
    response = client.post(
        reverse("printing:job_add"), form_data(department, description="原稿已交文印室")
    )
    assert response.status_code == 302
    assert PrintJob.objects.get().status == "draft"


def test_the_estimate_shows_sheets_and_why_approval_is_needed(
    requester: Any, department: Any
) -> None:
    client = login(requester)
    url = reverse("printing:job_estimate")
    exam = client.get(url, {"pages": 41, "copies": 2, "duplex": "on", "purpose": "exam"})
    text = exam.content.decode()
    assert "42" in text
    assert "直接送文印室" in text
    lesson = client.get(url, {"pages": 3, "copies": 1, "purpose": "lesson"})
    assert "需审批" in lesson.content.decode()
    blank = client.get(url, {"pages": "", "copies": 1})
    assert "填写页数和份数" in blank.content.decode()


def test_only_the_requester_edits_and_only_while_editable(
    school: Any, requester: Any, department: Any
) -> None:
    job = make_job(requester, department)
    url = reverse("printing:job_edit", args=[job.pk])
    assert login(requester).get(url).status_code == 200
    assert login(f.member(school, "director")).get(url).status_code == 403
    assert login(f.member(school, "teacher")).get(url).status_code == 404
    response = login(requester).post(url, form_data(department, description="改", copies="3"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.copies == 3
    services.print_job_submit(actor=requester, job=job)
    assert login(requester).get(url).status_code == 403


def test_the_job_page_follows_scope(
    school: Any, other_school: Any, requester: Any, department: Any, head: Any
) -> None:
    job = make_job(requester, department)
    url = job.get_absolute_url()
    assert login(requester).get(url).status_code == 200
    assert login(head).get(url).status_code == 200  # the department's head
    assert login(f.member(school, "storekeeper")).get(url).status_code == 200
    assert login(f.member(school, "teacher")).get(url).status_code == 404
    assert login(f.member(other_school, "director")).get(url).status_code == 404
    assert login(f.member_without_permissions(school)).get(url).status_code == 403


def test_submit_button_and_messages(requester: Any, department: Any) -> None:
    job = make_job(requester, department)
    client = login(requester)
    page = client.get(job.get_absolute_url())
    assert b'data-testid="submit"' in page.content
    assert b'data-testid="decision"' in page.content
    response = client.post(reverse("printing:job_action", args=[job.pk, "submit"]), follow=True)
    assert "文印室队列" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "queued"


def test_the_queue_finishes_a_job_and_returns_to_the_queue(
    school: Any, requester: Any, department: Any, operator: Any, paper: Any
) -> None:
    job = make_job(requester, department)
    services.print_job_submit(actor=requester, job=job)
    client = login(operator)
    queue = client.get(reverse("printing:queue"))
    assert queue.status_code == 200
    assert job.number in queue.content.decode()
    assert "A4复印纸" in queue.content.decode()
    url = reverse("printing:job_action", args=[job.pk, "done"])
    response = client.post(
        url, {"sheets_used": "40", "spoiled_sheets": "2", "next": reverse("printing:queue")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("printing:queue")
    job.refresh_from_db()
    assert job.status == "done"
    paper.refresh_from_db()
    assert paper.quantity == Decimal("9.916")
    assert client.get(reverse("printing:queue")).context["cards"] == []
    assert login(requester).get(reverse("printing:queue")).status_code == 403
    # The requester collects it.
    login(requester).post(reverse("printing:job_action", args=[job.pk, "collect"]))
    job.refresh_from_db()
    assert job.status == "collected"


def test_done_with_bad_sheets_shows_the_error(
    requester: Any, department: Any, operator: Any
) -> None:
    job = make_job(requester, department)
    services.print_job_submit(actor=requester, job=job)
    client = login(operator)
    response = client.post(
        reverse("printing:job_action", args=[job.pk, "done"]),
        {"sheets_used": "0", "spoiled_sheets": "0"},
        follow=True,
    )
    assert "实际用纸张数" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "queued"


def test_done_without_paper_of_the_size_says_so(
    requester: Any, department: Any, operator: Any
) -> None:
    job = make_job(requester, department, paper_size="B4")
    services.print_job_submit(actor=requester, job=job)
    response = login(operator).post(
        reverse("printing:job_action", args=[job.pk, "done"]),
        {"sheets_used": "40", "spoiled_sheets": "0"},
        follow=True,
    )
    assert "未扣减用纸" in response.content.decode()


def test_my_jobs_shows_only_mine(school: Any, requester: Any, department: Any) -> None:
    mine = make_job(requester, department, title="我的试卷")
    other = make_job(f.member(school, "teacher", department=department), department, title="别人")
    page = login(requester).get(reverse("printing:job_mine"))
    text = page.content.decode()
    assert mine.title in text
    assert other.title not in text


def _list_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_keep_a_constant_number_of_queries(
    school: Any, requester: Any, department: Any, operator: Any
) -> None:
    client = login(operator)
    first = make_job(requester, department)
    services.print_job_submit(actor=requester, job=first)
    for name in ("printing:job_list", "printing:queue", "printing:job_mine"):
        client.get(reverse(name))  # warm the per-process caches (content types…)
    one = [_list_queries(client, reverse(n)) for n in ("printing:job_list", "printing:queue")]
    mine_one = _list_queries(login(requester), reverse("printing:job_mine"))
    for n in range(6):
        teacher = f.member(school, "teacher", department=f.DepartmentFactory(school=school))
        job = make_job(teacher, department, title=f"卷{n}")
        services.print_job_submit(actor=teacher, job=job)
        make_job(requester, department)
    many = [_list_queries(client, reverse(n)) for n in ("printing:job_list", "printing:queue")]
    assert many == one
    assert _list_queries(login(requester), reverse("printing:job_mine")) == mine_one


def test_the_list_filters_and_exports(requester: Any, department: Any, operator: Any) -> None:
    make_job(requester, department, title="试卷A")
    make_job(requester, department, title="通知B", purpose="notice")
    client = login(operator)
    page = client.get(reverse("printing:job_list"), {"purpose": "notice"})
    text = page.content.decode()
    assert "通知B" in text and "试卷A" not in text
    export = client.get(reverse("printing:job_list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_settings_page(school: Any) -> None:
    url = reverse("printing:printing_settings")
    director = login(f.member(school, "director"))
    assert director.get(url).status_code == 200
    response = director.post(
        url,
        {
            "approval_rule": "above_sheets",
            "approval_sheets": "300",
            "colour_needs_approval": "on",
            "sheet_cost": "0.080",
        },
    )
    assert response.status_code == 302
    config = PrintSettings.objects.get(school=school)
    assert config.approval_sheets == 300
    assert config.sheet_cost == Decimal("0.080")
    bad = director.post(url, {"approval_rule": "above_sheets", "approval_sheets": "0"})
    assert bad.status_code == 422
    keeper = login(f.member(school, "storekeeper"))
    page = keeper.get(url)
    assert b"settings-fields" in page.content
    assert keeper.post(url, {"approval_sheets": "1"}).status_code == 403
    assert login(f.member(school, "teacher")).get(url).status_code == 403
