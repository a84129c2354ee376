"""Requisition pages: the phone form, the detail and its buttons, the issue queue and page,
constant queries on the lists, and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.approvals.models import ApprovalRequest
from houqin.inventory.models import Requisition, StockMovement
from tests import factories as f
from tests import supplies
from tests.api.conftest import token_client
from tests.conftest import login as login_as

from .objects_requisitions import make_requisition

pytestmark = pytest.mark.django_db
S = Requisition.S


def login(user: Any) -> Any:
    """A signed-in client reading the pages in English."""
    client = login_as(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def store(school: Any) -> SimpleNamespace:
    today = timezone.localdate()
    f.TermFactory(
        school_year=supplies.school_year(school),
        start=today - datetime.timedelta(days=10),
        end=today + datetime.timedelta(days=90),
    )
    head = f.member(school, "depthead")
    department = f.DepartmentFactory(school=school, name="教务处", head=head)
    teacher = f.member(school, "teacher", department=department)
    keeper = f.member(school, "storekeeper")
    pens = supplies.stock_item(school, name="签字笔", unit="支")
    toner = supplies.stock_item(school, name="硒鼓", is_restricted=True)
    supplies.receive(pens, 20, "2")
    supplies.receive(toner, 2, "300")
    supplies.chain(school, "requisition", ("department_head", None))
    return SimpleNamespace(
        school=school,
        head=head,
        department=department,
        teacher=teacher,
        keeper=keeper,
        pens=pens,
        toner=toner,
    )


def test_the_form_preselects_the_own_department_and_lists_the_store(
    store: SimpleNamespace,
) -> None:
    page = login(store.teacher).get(reverse("inventory:requisition_add"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{store.department.pk}" selected' in html
    assert "签字笔" in html and "20支" in html


def test_save_and_submit_from_the_form(store: SimpleNamespace) -> None:
    client = login(store.teacher)
    response = client.post(
        reverse("inventory:requisition_add"),
        {
            "department": store.department.pk,
            "purpose": "期中考试",
            "line-item": [str(store.pens.pk), ""],
            "line-quantity": ["25", "1"],
            "line-note": ["", ""],
            "submit": "1",
        },
        follow=True,
    )
    made = Requisition.objects.get()
    assert made.status == S.APPROVED and made.requester_id == store.teacher.pk
    messages = [str(m) for m in response.context["messages"]]
    assert any("sent to the store" in m for m in messages)
    assert any("20" in m and "25" in m for m in messages)  # more than in stock: a warning
    assert response.status_code == 200


def test_the_form_shows_its_errors_and_writes_nothing(store: SimpleNamespace) -> None:
    client = login(store.teacher)
    response = client.post(
        reverse("inventory:requisition_add"),
        {"department": store.department.pk, "purpose": "x", "line-item": [""]},
    )
    assert response.status_code == 422
    assert "Add at least one item" in response.content.decode()
    assert not Requisition.objects.exists()


def test_a_draft_is_edited_only_by_its_requester(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 2)])
    url = reverse("inventory:requisition_edit", args=[made.pk])
    other = f.member(store.school, "teacher", department=store.department)
    assert login(other).get(url).status_code in (403, 404)
    page = login(store.teacher).get(url)
    assert page.status_code == 200 and 'value="2"' in page.content.decode()
    login(store.teacher).post(
        url,
        {
            "department": store.department.pk,
            "purpose": "改",
            "line-item": [str(store.pens.pk)],
            "line-quantity": ["3"],
            "line-note": [""],
            "save": "1",
        },
    )
    made.refresh_from_db()
    assert made.purpose == "改" and made.lines.get().quantity == 3 and made.status == S.DRAFT


def test_the_detail_shows_why_approval_is_needed_and_the_panel(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.toner, 1)], submit=True)
    page = login(store.head).get(made.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="approval-reason"' in html and "硒鼓" in html
    assert 'data-testid="approve"' in html


def test_the_store_issues_from_the_queue(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 5)], submit=True)
    keeper = login(store.keeper)
    queue = keeper.get(reverse("inventory:issue_queue"))
    assert made.number in queue.content.decode()
    url = reverse("inventory:requisition_issue", args=[made.pk])
    page = keeper.get(url)
    line = made.lines.get()
    assert f'name="issue-{line.pk}" value="5"' in page.content.decode()
    keeper.post(url, {f"issue-{line.pk}": "2"})
    made.refresh_from_db()
    assert made.status == S.PARTIAL
    refused = keeper.post(url, {f"issue-{line.pk}": "9"})
    assert refused.status_code == 422
    keeper.post(url, {f"issue-{line.pk}": "3"})
    made.refresh_from_db()
    assert made.status == S.ISSUED
    keeper.get(reverse("inventory:issue_queue"))  # shows the success message
    assert made.number not in keeper.get(reverse("inventory:issue_queue")).content.decode()
    teacher = login(store.teacher)
    detail = teacher.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="confirm"' in detail
    teacher.post(reverse("inventory:requisition_action", args=[made.pk, "confirm"]))
    made.refresh_from_db()
    assert made.status == S.RECEIVED


def test_the_teacher_cannot_issue(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 5)], submit=True)
    url = reverse("inventory:requisition_issue", args=[made.pk])
    assert login(store.teacher).get(url).status_code == 403


def test_return_and_cancel_buttons(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 5)], submit=True)
    keeper = login(store.keeper)
    line = made.lines.get()
    keeper.post(reverse("inventory:requisition_issue", args=[made.pk]), {f"issue-{line.pk}": "5"})
    assert 'data-testid="return-card"' in keeper.get(made.get_absolute_url()).content.decode()
    keeper.post(
        reverse("inventory:requisition_action", args=[made.pk, "return"]),
        {f"back-{line.pk}": "2", "reason": "多领"},
    )
    assert StockMovement.objects.filter(kind="return", quantity=2).exists()
    other = make_requisition(store.teacher, store.department, [(store.pens, 1)])
    login(store.teacher).post(reverse("inventory:requisition_action", args=[other.pk, "cancel"]))
    other.refresh_from_db()
    assert other.status == S.CANCELLED


def test_lists_keep_a_constant_number_of_queries(store: SimpleNamespace) -> None:
    client = login(store.keeper)
    urls = [
        reverse("inventory:requisition_list"),
        reverse("inventory:issue_queue"),
        reverse("inventory:requisition_mine"),
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    make_requisition(store.teacher, store.department, [(store.pens, 1)], submit=True)
    counts()  # warm the per-process caches (menus, content types)
    one = counts()
    for n in range(6):
        person = f.member(
            store.school, "teacher", department=f.DepartmentFactory(school=store.school)
        )
        make_requisition(
            person, store.department, [(store.pens, 1), (store.toner, 1)], submit=n % 2 == 0
        )
    assert counts() == one


def test_the_api_creates_submits_issues_and_confirms(store: SimpleNamespace) -> None:
    teacher = token_client(store.teacher)
    created = teacher.post(
        reverse("api:requisition-list"),
        {
            "department": store.department.pk,
            "purpose": "API",
            "lines": [{"item": store.pens.pk, "quantity": "4"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["lines"][0]["quantity"] == "4.000"
    pk = body["id"]
    submitted = teacher.post(reverse("api:requisition-submit", args=[pk]), {}, format="json")
    assert submitted.json()["status"] == "approved"
    line = body["lines"][0]["id"]
    keeper = token_client(store.keeper)
    assert (
        teacher.post(
            reverse("api:requisition-issue", args=[pk]),
            {"lines": [{"line": line, "quantity": "4"}]},
            format="json",
        ).status_code
        == 403
    )
    too_many = keeper.post(
        reverse("api:requisition-issue", args=[pk]),
        {"lines": [{"line": line, "quantity": "400"}]},
        format="json",
    )
    assert too_many.status_code == 400
    issued = keeper.post(
        reverse("api:requisition-issue", args=[pk]),
        {"lines": [{"line": line, "quantity": "4"}]},
        format="json",
    )
    assert issued.json()["status"] == "issued"
    confirmed = teacher.post(reverse("api:requisition-confirm", args=[pk]), {}, format="json")
    assert confirmed.json()["status"] == "received"
    listed = teacher.get(reverse("api:requisition-list")).json()
    assert [row["id"] for row in listed["results"]] == [pk]


def test_the_api_refuses_items_of_another_school(store: SimpleNamespace, other_school: Any) -> None:
    foreign = supplies.stock_item(other_school)
    response = token_client(store.teacher).post(
        reverse("api:requisition-list"),
        {
            "department": store.department.pk,
            "purpose": "x",
            "lines": [{"item": foreign.pk, "quantity": 1}],
        },
        format="json",
    )
    assert response.status_code == 400


def test_the_api_cancels_a_draft(store: SimpleNamespace) -> None:
    made = make_requisition(store.teacher, store.department, [(store.pens, 1)])
    response = token_client(store.teacher).post(
        reverse("api:requisition-cancel", args=[made.pk]), {"reason": "不要了"}, format="json"
    )
    assert response.json()["status"] == "cancelled"
    assert not ApprovalRequest.objects.exists()
    assert Decimal(response.json()["estimated_amount"]) == Decimal("2.00")
