"""Purchase request pages: the form with its lines, own versus all, the detail with its
progress, the actions, 403/404, constant queries, reorder and purchase intentions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.procurement.choices import RequestStatus
from houqin.procurement.models import ProcurementSettings, PurchaseOrder, PurchaseRequest
from houqin.procurement.services import requests as services
from tests import factories as f
from tests import supplies
from tests.conftest import login
from tests.procurement.test_requests_services import approve_all, draft, make_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(school: Any) -> SimpleNamespace:
    return make_office(school)


S = RequestStatus


def form_data(office: SimpleNamespace, rows: list[dict[str, str]], **kw: str) -> dict[str, str]:
    data = {
        "title": "期中考试用品",
        "department": str(office.department.pk),
        "category": "office",
        "budget_line": str(office.line.pk),
        "reason": "期中考试",
        "needed_by": "",
        "lines-TOTAL_FORMS": str(max(len(rows), 5)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    data.update(kw)
    return data


def test_the_form_offers_five_lines_and_the_department_budget(office: SimpleNamespace) -> None:
    other_department = f.DepartmentFactory(school=office.school, name="总务处")
    supplies.budget_line(office.school, other_department, "repair", "500")
    response = login(office.teacher).get(reverse("procurement:request_add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="lines-TOTAL_FORMS" value="5"' in html
    assert f'data-department="{office.department.pk}"' in html
    assert 'data-available="10000.00"' in html
    assert response.context["form"].initial["department"] == office.department.pk
    assert "procurement-requests.js" in html


def test_a_teacher_saves_a_three_line_request_and_submits_it(office: SimpleNamespace) -> None:
    item = supplies.stock_item(office.school, name="A4纸", unit="包")
    supplies.receive(item, "10", "22.5")
    client = login(office.teacher)
    rows = [
        {"item_name": "红笔", "quantity": "300", "unit": "支", "estimated_price": "1.2"},
        {"stock_item": str(item.pk), "quantity": "10"},  # the store item fills the rest
        {"item_name": "订书机", "quantity": "2", "unit": "个", "estimated_price": "15"},
    ]
    response = client.post(reverse("procurement:request_add"), form_data(office, rows))
    assert response.status_code == 302, response.context and response.context["form"].errors
    request = PurchaseRequest.objects.get()
    assert response["Location"] == request.get_absolute_url()
    assert request.estimated_total == Decimal("360.00") + Decimal("225.00") + Decimal("30.00")
    paper = request.lines.get(stock_item=item)
    assert (paper.item_name, paper.unit, paper.estimated_price) == ("A4纸", "包", Decimal("22.50"))
    detail = client.get(request.get_absolute_url())
    assert detail.status_code == 200
    assert 'data-testid="submit"' in detail.content.decode()
    response = client.post(reverse("procurement:request_action", args=[request.pk, "submit"]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.PENDING
    page = client.get(request.get_absolute_url()).content.decode()
    assert 'data-testid="approval-panel"' in page
    # The head finds it in their department's list and approves.
    head = login(office.head)
    assert request.number in head.get(reverse("procurement:request_list")).content.decode()


def test_save_and_submit_with_a_budget_warning(office: SimpleNamespace) -> None:
    from houqin.finance.models import FinanceSettings

    FinanceSettings.objects.create(school=office.school, budget_policy="warn")
    client = login(office.teacher)
    rows = [{"item_name": "电脑", "quantity": "3", "unit": "台", "estimated_price": "4000"}]
    response = client.post(
        reverse("procurement:request_add"), form_data(office, rows, submit="1"), follow=True
    )
    page = response.content.decode()
    assert "alert-warning" in page
    assert PurchaseRequest.objects.get().status == S.PENDING


def test_invalid_lines_and_no_lines_are_shown_on_the_form(office: SimpleNamespace) -> None:
    client = login(office.teacher)
    response = client.post(reverse("procurement:request_add"), form_data(office, []))
    assert response.status_code == 422
    assert 'data-testid="line-errors"' in response.content.decode()
    rows = [{"item_name": "红笔", "quantity": "-1", "unit": "", "estimated_price": "1"}]
    response = client.post(reverse("procurement:request_add"), form_data(office, rows))
    assert response.status_code == 422
    assert not PurchaseRequest.objects.exists()
    # A budget line of another department is refused.
    other = supplies.budget_line(office.school, f.DepartmentFactory(school=office.school))
    rows = [{"item_name": "红笔", "quantity": "1", "unit": "支", "estimated_price": "1"}]
    response = client.post(
        reverse("procurement:request_add"), form_data(office, rows, budget_line=str(other.pk))
    )
    assert response.status_code == 422


def test_editing_keeps_the_lines_and_deleted_rows_go(office: SimpleNamespace) -> None:
    request = draft(office, ("红笔", "300", "1.2"), ("订书机", "2", "15"))
    client = login(office.teacher)
    page = client.get(reverse("procurement:request_edit", args=[request.pk]))
    assert page.status_code == 200
    assert page.context["formset"].initial[1]["item_name"] == "订书机"
    rows = [
        {"item_name": "红笔", "quantity": "100", "unit": "支", "estimated_price": "1.2"},
        {
            "item_name": "订书机",
            "quantity": "2",
            "unit": "个",
            "estimated_price": "15",
            "DELETE": "on",
        },
    ]
    response = client.post(
        reverse("procurement:request_edit", args=[request.pk]), form_data(office, rows)
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.estimated_total == Decimal("120.00")
    assert list(request.lines.values_list("item_name", flat=True)) == ["红笔"]
    # Someone else may not edit it; a submitted request cannot be edited.
    assert (
        login(office.head).get(reverse("procurement:request_edit", args=[request.pk])).status_code
        == 403
    )
    services.purchase_request_submit(actor=office.teacher, request=request)
    assert client.get(reverse("procurement:request_edit", args=[request.pk])).status_code == 403


def test_own_versus_all(office: SimpleNamespace) -> None:
    mine = draft(office)
    colleague = f.member(office.school, "teacher", username="colleague")
    theirs = draft(office, actor=colleague, title="别人的申请")
    client = login(office.teacher)
    own = client.get(reverse("procurement:request_mine")).content.decode()
    assert mine.number in own and theirs.number not in own
    # A teacher's "all" list holds only what they may see.
    every = client.get(reverse("procurement:request_list")).content.decode()
    assert theirs.number not in every
    assert client.get(theirs.get_absolute_url()).status_code == 404
    # The purchaser sees the whole school; the head the department's.
    buyer = login(office.purchaser).get(reverse("procurement:request_list")).content.decode()
    assert mine.number in buyer and theirs.number in buyer
    assert login(office.head).get(theirs.get_absolute_url()).status_code == 200
    export = login(office.purchaser).get(reverse("procurement:request_list") + "?export=xlsx")
    assert export.status_code == 200


def test_other_schools_get_404_and_the_powerless_403(
    office: SimpleNamespace, other_school: Any
) -> None:
    request = draft(office)
    outsider = f.member(other_school, "director")
    client = login(outsider)
    for name in ("procurement:request_detail", "procurement:request_edit"):
        assert client.get(reverse(name, args=[request.pk])).status_code == 404
    url = reverse("procurement:request_action", args=[request.pk, "cancel"])
    assert client.post(url).status_code == 404
    nobody = login(f.member_without_permissions(office.school))
    for name in ("request_list", "request_mine", "request_add", "intention_list", "intake_list"):
        assert nobody.get(reverse(f"procurement:{name}")).status_code == 403
    assert nobody.post(reverse("procurement:request_from_reorder")).status_code == 403


def test_the_list_keeps_a_constant_number_of_queries(office: SimpleNamespace) -> None:
    client = login(office.purchaser)
    url = reverse("procurement:request_list")
    draft(office)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(12):
        draft(office, title=f"申请{n}", actor=f.member(office.school, "teacher"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)


def test_withdraw_and_cancel_from_the_page(office: SimpleNamespace) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    client = login(office.teacher)
    client.post(reverse("procurement:request_action", args=[request.pk, "withdraw"]))
    request.refresh_from_db()
    assert request.status == S.WITHDRAWN
    client.post(reverse("procurement:request_action", args=[request.pk, "cancel"]))
    request.refresh_from_db()
    assert request.status == S.CANCELLED


def test_the_purchaser_cancels_an_approved_request_with_a_reason(office: SimpleNamespace) -> None:
    request = draft(office)
    services.purchase_request_submit(actor=office.teacher, request=request)
    approve_all(request, office.head)
    client = login(office.purchaser)
    page = client.get(request.get_absolute_url()).content.decode()
    assert 'data-testid="cancel-open"' in page
    url = reverse("procurement:request_action", args=[request.pk, "cancel"])
    response = client.post(url, follow=True)
    assert "alert-danger" in response.content.decode()
    request.refresh_from_db()
    assert request.status == S.APPROVED
    client.post(url, {"reason": "库存已足"})
    request.refresh_from_db()
    office.line.refresh_from_db()
    assert request.status == S.CANCELLED and office.line.committed == 0


def test_reorder_makes_a_draft_and_opens_it(office: SimpleNamespace) -> None:
    keeper = f.member(office.school, "storekeeper", department=office.department)
    pens = supplies.stock_item(office.school, name="红笔", min_stock=Decimal("10"))
    client = login(keeper)
    url = reverse("procurement:request_from_reorder")
    assert client.get(url).status_code == 405
    response = client.post(url, {"item": [str(pens.pk)]})
    request = PurchaseRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:request_edit", args=[request.pk])
    assert request.department == office.department and request.requester == keeper
    assert client.get(response["Location"]).status_code == 200
    # Without a department of their own nor a chosen one the request is refused.
    loner = login(f.member(office.school, "storekeeper"))
    response = loner.post(url, {"item": [str(pens.pk)]})
    assert response.status_code == 302 and PurchaseRequest.objects.count() == 1
    loner.post(url, {"item": [str(pens.pk)], "department": str(office.department.pk)})
    assert PurchaseRequest.objects.count() == 2


def test_purchase_intentions_list_large_requests_and_orders(office: SimpleNamespace) -> None:
    ProcurementSettings.objects.create(
        school=office.school, intention_threshold=Decimal("5000"), intention_days=30
    )
    from houqin.finance.models import BudgetLine

    BudgetLine.objects.filter(pk=office.line.pk).update(amount=Decimal("100000"))
    big = draft(office, ("投影仪", "2", "3000"))
    small = draft(office, ("红笔", "1", "1"))
    for request in (big, small):
        services.purchase_request_submit(actor=office.teacher, request=request)
        approve_all(request, office.head)
    approve_all(big, office.vp)
    published = datetime.date.today() - datetime.timedelta(days=10)
    order = PurchaseOrder.objects.create(
        school=office.school,
        number="DD-2026-000001",
        title="投影仪采购",
        purchaser=office.purchaser,
        estimated_total=Decimal("6000"),
        intention_published_on=published,
    )
    response = login(office.purchaser).get(reverse("procurement:intention_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert big.number in page and small.number not in page
    assert order.number in page
    assert (published + datetime.timedelta(days=30)).isoformat() in page
