"""Loan pages: lend from a card, return, the list and its filters."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from houqin.assets.choices import AssetStatus, LoanStatus
from houqin.assets.models import AssetLoan
from tests import factories as f
from tests.assets.objects_movements import make_asset, make_loan
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper", username="assetkeeper")


def test_lend_from_the_card_and_return(school: Any, keeper: Any) -> None:
    teacher = f.member(school, "teacher")
    asset = make_asset(school, keeper, name="单反相机")
    client = login(keeper)
    page = client.get(f"/assets/loans/add/?asset={asset.pk}")
    assert page.status_code == 200
    assert page.context["form"]["asset_code"].value() == asset.code
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        "/assets/loans/add/",
        {
            "asset_code": asset.code,
            "borrower": teacher.pk,
            "purpose": "运动会拍照",
            "due_date": due.isoformat(),
        },
    )
    loan = AssetLoan.objects.get()
    assert response["Location"] == loan.get_absolute_url()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.ON_LOAN
    detail = client.get(loan.get_absolute_url())
    assert detail.status_code == 200
    assert [a["label"] for a in detail.context["actions"]] == ["归还"]
    form = client.get(f"/assets/loans/{loan.pk}/return/")
    assert form.status_code == 200
    client.post(f"/assets/loans/{loan.pk}/return/", {"condition": "镜头有划痕"})
    loan.refresh_from_db()
    asset.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert loan.return_condition == "镜头有划痕"
    assert asset.status == AssetStatus.IN_USE
    again = client.post(f"/assets/loans/{loan.pk}/return/", {}, follow=True)
    assert "该借用已归还" in again.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"asset_code": "NOPE", "borrower_name": "王", "purpose": "x"}, "asset_code"),
        ({"purpose": "x"}, "borrower"),
        ({"borrower_name": "王", "purpose": "x", "past": True}, "due_date"),
    ],
)
def test_the_lend_form_shows_errors(
    school: Any, keeper: Any, data: dict[str, Any], field: str
) -> None:
    asset = make_asset(school, keeper)
    days = -1 if data.pop("past", False) else 3
    payload = {
        "asset_code": asset.code,
        "due_date": (timezone.localdate() + datetime.timedelta(days=days)).isoformat(),
        **data,
    }
    response = login(keeper).post("/assets/loans/add/", payload)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not AssetLoan.objects.exists()


def test_lending_a_lent_asset_is_refused_with_a_message(school: Any, keeper: Any) -> None:
    asset = make_asset(school, keeper)
    make_loan(asset, keeper, borrower_name="王老师")
    response = login(keeper).post(
        "/assets/loans/add/",
        {
            "asset_code": asset.code,
            "borrower_name": "李老师",
            "purpose": "x",
            "due_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 422
    assert "无法借出" in response.content.decode()


def test_the_list_filters_and_keeps_a_constant_number_of_queries(school: Any, keeper: Any) -> None:
    client = login(keeper)
    first = make_loan(make_asset(school, keeper), keeper, borrower=f.member(school, "teacher"))
    client.get("/assets/loans/")
    with CaptureQueriesContext(connection) as one:
        client.get("/assets/loans/")
    late = make_loan(make_asset(school, keeper), keeper, borrower_name="王老师")
    AssetLoan.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    for _ in range(3):
        make_loan(
            make_asset(school, keeper),
            keeper,
            borrower=f.member(school, "teacher"),
            department=f.DepartmentFactory(school=school),
        )
    from houqin.assets.services.movements import loan_return

    loan_return(actor=keeper, loan=first)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/assets/loans/")
    assert len(page.context["page"].object_list) == 5
    assert len(many) == len(one)

    def numbers(state: str) -> set[str]:
        response = client.get(f"/assets/loans/?state={state}")
        return {loan.number for loan in response.context["page"].object_list}

    assert numbers("overdue") == {late.number}
    assert numbers("returned") == {first.number}
    assert len(numbers("open")) == 4
    assert "逾期" in client.get("/assets/loans/?state=overdue").content.decode()
