"""The depreciation pages: runs, one run's table, posting, the monthly report and its Excel."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.assets.models import DepreciationRun, period_label
from houqin.assets.services.depreciation import depreciation_post
from houqin.assets.services.register import last_closed_period
from tests import factories as f
from tests.conftest import login

from .objects_depreciation import card

pytestmark = pytest.mark.django_db

LAST = last_closed_period()
LIST = "/assets/depreciation/"
REPORT = "/assets/depreciation/report/"
POST = "/assets/depreciation/post/"


def day_of(period: int) -> datetime.date:
    return datetime.date(period // 12, period % 12 + 1, 5)


@pytest.fixture
def accountant(school: Any) -> Any:
    return f.member(school, "accountant", username="accountant")


@pytest.fixture
def register(school: Any) -> dict[str, Any]:
    office = f.DepartmentFactory(school=school, name="总务处")
    grade = f.DepartmentFactory(school=school, name="初一年级组")
    card(school, "台式计算机", "6000", day_of(LAST - 2), department=office)
    card(school, "台式计算机", "6000", day_of(LAST - 2), department=grade)
    card(school, "空调", "4800", day_of(LAST - 12), department=grade)
    card(school, "学生课桌椅", "30000", day_of(LAST - 40), department=grade)  # a batch card
    card(school, "图书和档案", "50000", day_of(LAST - 40))  # not depreciated
    return {"office": office, "grade": grade}


def test_the_accountant_posts_the_missing_months_from_the_list(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    depreciation_post(school_id=school.pk, period=LAST - 2)
    client = login(accountant)
    page = client.get(LIST).content.decode()
    assert 'data-testid="post-missing"' in page
    assert period_label(LAST - 1) in page and period_label(LAST) in page
    response = client.post(POST, {"school": school.pk})
    assert response.status_code == 302 and response["Location"] == LIST
    periods = sorted(DepreciationRun.objects.values_list("period", flat=True))
    assert periods == [LAST - 2, LAST - 1, LAST]
    run = DepreciationRun.objects.get(period=LAST)
    assert run.posted_by == accountant
    page = client.get(LIST).content.decode()
    assert "post-missing" not in page
    assert f"/assets/depreciation/{run.pk}/" in page
    again = client.post(POST, {"school": school.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Every month is already posted." in again.content.decode()


def test_readers_see_the_runs_but_cannot_post(school: Any, register: dict[str, Any]) -> None:
    depreciation_post(school_id=school.pk, period=LAST - 1)
    principal = login(f.member(school, "principal"))
    page = principal.get(LIST)
    assert page.status_code == 200 and "post-missing" not in page.content.decode()
    assert principal.post(POST, {"school": school.pk}).status_code == 403
    assert login(f.member(school, "teacher")).get(LIST).status_code == 403
    assert DepreciationRun.objects.count() == 1


def test_posting_for_another_school_is_404(school: Any, other_school: Any, accountant: Any) -> None:
    assert login(accountant).post(POST, {"school": other_school.pk}).status_code == 404
    assert not DepreciationRun.objects.exists()


def test_a_refused_post_says_why(school: Any, accountant: Any, register: dict[str, Any]) -> None:
    depreciation_post(school_id=school.pk, period=LAST)
    client = login(accountant)
    page = client.post(
        POST,
        {"school": school.pk, "month": period_label(LAST)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert f"The depreciation of {period_label(LAST)} is already posted." in page
    future = client.post(
        POST,
        {"school": school.pk, "month": period_label(LAST + 1)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "not over yet" in future
    assert DepreciationRun.objects.count() == 1


def test_the_runs_list_keeps_a_constant_number_of_queries(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    client = login(accountant)
    depreciation_post(school_id=school.pk, period=LAST - 20, actor=accountant)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for period in range(LAST - 19, LAST + 1):
        depreciation_post(school_id=school.pk, period=period, actor=accountant)
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST).content.decode()
    assert page.count("/assets/depreciation/") >= 21
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_a_run_shows_its_table_by_category_and_department(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    run = depreciation_post(school_id=school.pk, period=LAST)
    page = login(accountant).get(f"/assets/depreciation/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Depreciation of {period_label(LAST)}" in text
    assert "Equipment" in text and "Computers" in text and "Electrical equipment" in text
    assert "总务处" in text and "初一年级组" in text
    assert "Books and archives" not in text
    # 2 × 83.34 + 80.00 + 500.00 (30,000 over 5 years)
    assert run.amount == Decimal("746.68")
    assert "746.68" in text
    assert "Scheduled job" in text


def test_the_report_of_a_month_without_a_run_offers_to_post_it(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    client = login(accountant)
    month = period_label(LAST)
    page = client.get(REPORT, {"month": month}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The depreciation of {month} is not posted" in page
    assert 'data-testid="post-month"' in page
    assert "Equipment" in page and "Computers" in page and "Furniture and fixtures" in page
    assert "746.68" in page
    response = client.post(POST, {"school": school.pk, "month": month})
    run = DepreciationRun.objects.get(period=LAST)
    assert response["Location"] == f"/assets/depreciation/{run.pk}/"
    page = client.get(REPORT, {"month": month}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"The depreciation of {month} is posted." in page and "post-month" not in page


def test_the_report_of_an_older_month_or_a_future_month(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    client = login(accountant)
    depreciation_post(school_id=school.pk, period=LAST)
    older = client.get(REPORT, {"month": period_label(LAST - 5)}, HTTP_ACCEPT_LANGUAGE="en")
    text = older.content.decode()
    assert "is not posted" in text and "post-month" not in text
    assert "months are posted in order" in text
    assert "Computers" not in text and "Electrical equipment" in text  # desktops came later
    future = client.get(REPORT, {"month": period_label(LAST + 1)}, HTTP_ACCEPT_LANGUAGE="en")
    assert "forecast" in future.content.decode()
    bad = client.get(REPORT, {"month": "soon"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is-invalid" in bad


def test_the_report_downloads_as_excel(
    school: Any, accountant: Any, register: dict[str, Any]
) -> None:
    response = login(accountant).get(
        REPORT, {"month": period_label(LAST), "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["By category", "By department"]
    rows = list(book["By category"].iter_rows(values_only=True))
    assert period_label(LAST) in rows[0][0]
    assert rows[2][:2] == ("Category", "Assets")
    by_label = {str(r[0]).strip(): r for r in rows[3:]}
    assert by_label["Equipment"][1] == 3
    assert by_label["Equipment"][3] == pytest.approx(246.68)
    assert by_label["Computers"][2] == pytest.approx(12000)
    assert by_label["Furniture and fixtures"][3] == pytest.approx(500)
    total = by_label["Total"]
    assert total[1:] == (4, 46800, pytest.approx(746.68), total[4], pytest.approx(46800 - total[4]))
    departments = {
        str(r[0]): r for r in list(book["By department"].iter_rows(values_only=True))[3:]
    }
    assert departments["总务处"][1] == 1 and departments["初一年级组"][1] == 3
    assert departments["Total"][3] == pytest.approx(746.68)
