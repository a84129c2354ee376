"""``/api/v1/suppliers/``: CRUD, nested qualifications, the expiring filter, scope."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from houqin.procurement.models import Supplier, SupplierQualification
from tests import factories as f
from tests.api.conftest import token_client
from tests.supplies import credit_code, supplier

pytestmark = pytest.mark.django_db
URL = "/api/v1/suppliers/"
TODAY = datetime.date.today()
VALID = "91110108558521630L"


@pytest.fixture
def api(school: Any) -> Any:
    return token_client(f.member(school, "purchaser"))


def test_it_lists_suppliers_with_nested_qualifications(api: Any, school: Any) -> None:
    found = supplier(school, name="晨光文具")
    SupplierQualification.objects.create(
        school=school, supplier=found, kind="licence", valid_until=TODAY - datetime.timedelta(1)
    )
    body = api.get(URL).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "晨光文具"
    assert row["qualifications"][0]["kind"] == "licence"
    assert row["qualifications"][0]["is_expired"] is True
    assert (row["expiring_count"], row["expired_count"], row["order_count"]) == (1, 1, 0)


def test_it_filters_expiring_and_searches(api: Any, school: Any) -> None:
    late = supplier(school, name="过期供应商")
    supplier(school, name="正常供应商")
    SupplierQualification.objects.create(
        school=school, supplier=late, kind="food", valid_until=TODAY + datetime.timedelta(5)
    )
    names = [r["name"] for r in api.get(URL, {"qualifications": "expiring"}).json()["results"]]
    assert names == ["过期供应商"]
    names = [r["name"] for r in api.get(URL, {"search": "正常"}).json()["results"]]
    assert names == ["正常供应商"]


def test_it_creates_and_changes_a_supplier(api: Any, school: Any) -> None:
    created = api.post(URL, {"name": "新供应商", "credit_code": VALID.lower()}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["credit_code"] == VALID
    assert created.json()["school"] == school.pk
    pk = created.json()["id"]
    changed = api.patch(f"{URL}{pk}/", {"phone": "010-1234"}, format="json")
    assert changed.status_code == 200
    assert Supplier.objects.get(pk=pk).phone == "010-1234"


def test_it_refuses_bad_and_duplicate_codes(api: Any, school: Any) -> None:
    bad = api.post(URL, {"name": "X", "credit_code": VALID[:-1] + "A"}, format="json")
    assert bad.status_code == 400
    assert "check character" in str(bad.json())
    supplier(school, credit_code=VALID)
    again = api.post(URL, {"name": "Y", "credit_code": VALID}, format="json")
    assert again.status_code == 400
    assert "already has this credit code" in str(again.json())


def test_a_user_of_several_schools_names_the_school(school: Any, other_school: Any) -> None:
    from houqin.accounts.models import Membership

    user = f.member(school, "purchaser")
    Membership.objects.create(user=user, school=other_school, role=f.role("purchaser"))
    api = token_client(user)
    missing = api.post(URL, {"name": "X", "credit_code": credit_code()}, format="json")
    assert missing.status_code == 400 and "school" in missing.json()["error"]["fields"]
    ok = api.post(
        URL, {"name": "X", "credit_code": credit_code(), "school": other_school.pk}, format="json"
    )
    assert ok.status_code == 201
    assert Supplier.objects.get().school == other_school


def test_other_schools_and_teachers_are_kept_out(api: Any, school: Any, other_school: Any) -> None:
    stranger = supplier(other_school)
    assert api.get(f"{URL}{stranger.pk}/").status_code == 404
    assert api.patch(f"{URL}{stranger.pk}/", {"name": "x"}, format="json").status_code == 404
    assert api.get(URL).json()["count"] == 0
    teacher = token_client(f.member(school, "teacher"))
    assert teacher.get(URL).status_code == 403
