"""Supplier pages: list with figures and badges, create/edit with the credit code checked,
detail with qualifications and orders, qualifications, settings; scope and query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.procurement.models import ProcurementSettings, Supplier, SupplierQualification
from tests import factories as f
from tests.conftest import login
from tests.dashboards.builders import acceptance, order
from tests.supplies import credit_code, supplier

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
VALID = "91440300708461136T"


@pytest.fixture
def purchaser(school: Any) -> Any:
    return f.member(school, "purchaser")


@pytest.fixture
def as_purchaser(purchaser: Any) -> Any:
    client = login(purchaser)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the pages' messages are checked in English
    return client


def qualification(found: Supplier, days: int | None, kind: str = "licence") -> Any:
    until = TODAY + datetime.timedelta(days=days) if days is not None else None
    return SupplierQualification.objects.create(
        school_id=found.school_id, supplier=found, kind=kind, valid_until=until
    )


def form_data(**kw: Any) -> dict[str, Any]:
    data = {"name": "文具批发部", "credit_code": VALID, "supplies": "办公用品", "is_active": "on"}
    data.update(kw)
    return data


def test_it_creates_a_supplier_with_a_valid_code(as_purchaser: Any, school: Any) -> None:
    response = as_purchaser.post(
        reverse("procurement:supplier_add"), form_data(credit_code=VALID.lower())
    )
    assert response.status_code == 302
    found = Supplier.objects.get()
    assert found.school == school
    assert found.credit_code == VALID
    assert response["Location"] == found.get_absolute_url()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("9144030070846113", "18 characters"),
        ("9144030070846113OT", "cannot contain O"),
        ("91440300708461136U", "check character"),
    ],
)
def test_it_refuses_a_bad_code_with_the_reason(as_purchaser: Any, code: str, words: str) -> None:
    response = as_purchaser.post(reverse("procurement:supplier_add"), form_data(credit_code=code))
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Supplier.objects.exists()


def test_it_refuses_a_code_taken_in_the_school_but_not_elsewhere(
    as_purchaser: Any, school: Any, other_school: Any
) -> None:
    supplier(other_school, credit_code=VALID)
    first = as_purchaser.post(reverse("procurement:supplier_add"), form_data())
    assert first.status_code == 302
    again = as_purchaser.post(reverse("procurement:supplier_add"), form_data(name="另一家"))
    assert again.status_code == 422
    assert "already has this credit code" in again.content.decode()
    assert Supplier.objects.filter(school=school).count() == 1


def test_it_edits_a_supplier_keeping_its_own_code(as_purchaser: Any, school: Any) -> None:
    found = supplier(school, credit_code=VALID)
    url = reverse("procurement:supplier_edit", args=[found.pk])
    assert as_purchaser.get(url).status_code == 200
    response = as_purchaser.post(url, form_data(name="改名后", phone="13800000000"))
    assert response.status_code == 302
    found.refresh_from_db()
    assert (found.name, found.phone) == ("改名后", "13800000000")


def test_the_live_check_answers_as_the_code_is_typed(as_purchaser: Any, school: Any) -> None:
    url = reverse("procurement:supplier_check_code")
    assert "code-ok" in as_purchaser.get(url, {"credit_code": VALID}).content.decode()
    wrong = as_purchaser.get(url, {"credit_code": "91440300708461136U"}).content.decode()
    assert "code-problem" in wrong and "check character" in wrong
    short = as_purchaser.get(url, {"credit_code": "9144"}).content.decode()
    assert "this one has 4" in short
    assert as_purchaser.get(url, {"credit_code": ""}).content.decode().strip() == ""
    found = supplier(school, credit_code=VALID)
    taken = as_purchaser.get(url, {"credit_code": VALID}).content.decode()
    assert found.name in taken
    own = as_purchaser.get(url, {"credit_code": VALID, "supplier": found.pk}).content.decode()
    assert "code-ok" in own


def test_the_live_check_of_another_schools_supplier_is_404(
    as_purchaser: Any, other_school: Any
) -> None:
    stranger = supplier(other_school)
    url = reverse("procurement:supplier_check_code")
    assert as_purchaser.get(url, {"credit_code": VALID, "supplier": stranger.pk}).status_code == 404


def test_the_list_shows_figures_and_badges(as_purchaser: Any, school: Any, purchaser: Any) -> None:
    fine = supplier(school, name="甲文具")
    late = supplier(school, name="乙电器")
    qualification(fine, 400)
    qualification(late, 10)
    qualification(late, -3, kind="food")
    order(school, purchaser, supplier=fine, placed=TODAY, lines=[("2", "10", "9.50")])
    order(school, purchaser, supplier=fine, status="draft", lines=[("1", "5", "5")])
    response = as_purchaser.get(reverse("procurement:supplier_list"))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["page"].object_list}
    assert rows["甲文具"].order_count == 1
    assert rows["甲文具"].order_amount == 19
    assert (rows["甲文具"].expiring_count, rows["甲文具"].expired_count) == (0, 0)
    assert (rows["乙电器"].expiring_count, rows["乙电器"].expired_count) == (2, 1)
    body = response.content.decode()
    assert 'data-testid="badge-expired"' in body
    expiring = as_purchaser.get(
        reverse("procurement:supplier_list"), {"qualifications": "expiring"}
    )
    assert [s.name for s in expiring.context["page"].object_list] == ["乙电器"]
    valid = as_purchaser.get(reverse("procurement:supplier_list"), {"qualifications": "valid"})
    assert [s.name for s in valid.context["page"].object_list] == ["甲文具"]
    found = as_purchaser.get(reverse("procurement:supplier_list"), {"q": "电器"})
    assert [s.name for s in found.context["page"].object_list] == ["乙电器"]


def test_the_warning_days_follow_the_schools_setting(as_purchaser: Any, school: Any) -> None:
    found = supplier(school)
    qualification(found, 50)
    url = reverse("procurement:supplier_list")
    assert as_purchaser.get(url).context["page"].object_list[0].expiring_count == 0
    ProcurementSettings.objects.create(school=school, qualification_warning_days=60)
    assert as_purchaser.get(url).context["page"].object_list[0].expiring_count == 1


def test_the_list_keeps_a_constant_number_of_queries(
    as_purchaser: Any, school: Any, purchaser: Any
) -> None:
    url = reverse("procurement:supplier_list")
    first = supplier(school)
    qualification(first, 5)
    as_purchaser.get(url)
    with CaptureQueriesContext(connection) as one:
        assert as_purchaser.get(url).status_code == 200
    for _n in range(15):
        more = supplier(school)
        qualification(more, -1)
        order(school, purchaser, supplier=more, placed=TODAY, lines=[("1", "1", "1")])
    with CaptureQueriesContext(connection) as many:
        response = as_purchaser.get(url)
    assert len(response.context["page"].object_list) == 16
    assert len(many) == len(one)


def test_the_list_exports_to_excel(as_purchaser: Any, school: Any) -> None:
    supplier(school, name="导出测试")
    response = as_purchaser.get(reverse("procurement:supplier_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_detail_shows_qualifications_orders_and_rating(
    as_purchaser: Any, school: Any, purchaser: Any
) -> None:
    found = supplier(school, bank_name="工商银行", bank_account="6222000011112222")
    qualification(found, -1)
    qualification(found, 5, kind="food")
    placed = order(school, purchaser, supplier=found, placed=TODAY, lines=[("3", "10", "8")])
    acceptance(placed, purchaser, 4)
    from houqin.procurement.services.suppliers import supplier_rate

    supplier_rate(supplier=found)
    response = as_purchaser.get(found.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "6222000011112222" in body
    assert 'data-testid="qual-expired"' in body and 'data-testid="qual-expiring"' in body
    assert response.context["orders_placed"] == 1
    assert response.context["orders_amount"] == 24
    assert "4.00" in body
    assert placed.number in body
    assert 'data-testid="qualification-add"' in body


def test_a_reader_sees_the_detail_without_edit_buttons(school: Any) -> None:
    found = supplier(school)
    qualification(found, 30)
    client = login(f.member(school, "principal"))
    body = client.get(found.get_absolute_url()).content.decode()
    assert 'data-testid="qualification-add"' not in body
    assert 'data-testid="qualification-edit"' not in body
    assert client.get(reverse("procurement:supplier_add")).status_code == 403


def test_qualifications_are_added_edited_and_deleted(as_purchaser: Any, school: Any) -> None:
    found = supplier(school)
    response = as_purchaser.post(
        reverse("procurement:qualification_add", args=[found.pk]),
        {"kind": "food", "number": "JY123", "issued_by": "市场监管局", "valid_until": "2030-01-31"},
    )
    qual = SupplierQualification.objects.get()
    assert response["Location"] == reverse("procurement:qualification_edit", args=[qual.pk])
    assert qual.school_id == school.pk
    page = as_purchaser.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="attachments"' in page.content.decode()
    edit = as_purchaser.post(
        response["Location"], {"kind": "food", "number": "JY124", "valid_until": "2031-01-31"}
    )
    assert edit.status_code == 302
    qual.refresh_from_db()
    assert qual.number == "JY124" and qual.valid_until == datetime.date(2031, 1, 31)
    delete = reverse("procurement:qualification_delete", args=[qual.pk])
    assert as_purchaser.get(delete).status_code == 200
    assert as_purchaser.post(delete)["Location"] == found.get_absolute_url()
    assert not SupplierQualification.objects.exists()


def test_another_schools_supplier_is_404(as_purchaser: Any, other_school: Any) -> None:
    stranger = supplier(other_school)
    qual = qualification(stranger, 10)
    for url in (
        stranger.get_absolute_url(),
        reverse("procurement:supplier_edit", args=[stranger.pk]),
        reverse("procurement:qualification_add", args=[stranger.pk]),
        reverse("procurement:qualification_edit", args=[qual.pk]),
        reverse("procurement:qualification_delete", args=[qual.pk]),
    ):
        assert as_purchaser.get(url).status_code == 404, url
    assert (
        stranger.name not in as_purchaser.get(reverse("procurement:supplier_list")).content.decode()
    )


def test_a_teacher_may_not_see_suppliers(as_teacher: Any) -> None:
    assert as_teacher.get(reverse("procurement:supplier_list")).status_code == 403
    assert as_teacher.get(reverse("procurement:procurement_settings")).status_code == 403


def test_the_settings_show_sources_and_only_the_office_changes_them(
    as_purchaser: Any, as_director: Any, school: Any
) -> None:
    url = reverse("procurement:procurement_settings")
    read = as_purchaser.get(url)
    assert read.status_code == 200
    body = read.content.decode()
    assert 'data-testid="settings-fields"' in body and "财库〔2020〕10号" in body
    assert as_purchaser.post(url, {"quote_threshold": "1"}).status_code == 403
    form = as_director.get(url)
    assert 'data-testid="settings-form"' in form.content.decode()
    data = {
        "quote_threshold": "8000",
        "min_quotes": "3",
        "min_evaluators": "3",
        "intention_threshold": "1000000",
        "intention_days": "30",
        "bulk_acceptance_threshold": "2000",
        "qualification_warning_days": "45",
    }
    assert as_director.post(url, data).status_code == 302
    saved = ProcurementSettings.objects.get(school=school)
    assert saved.quote_threshold == 8000 and saved.qualification_warning_days == 45
    bad = as_director.post(url, {**data, "min_quotes": "0"})
    assert bad.status_code == 422


def test_a_new_supplier_goes_to_the_active_school(school: Any, other_school: Any) -> None:
    user = f.member(school, "purchaser")
    from houqin.accounts.models import Membership

    Membership.objects.create(user=user, school=other_school, role=f.role("purchaser"))
    client = login(user)
    client.post(reverse("core:switch_school"), {"school": other_school.pk})
    client.post(reverse("procurement:supplier_add"), form_data(credit_code=credit_code()))
    assert Supplier.objects.get().school == other_school
