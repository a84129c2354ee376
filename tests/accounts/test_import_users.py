"""People from a spreadsheet: each row creates a user and their membership of the school."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from houqin.accounts.models import Membership, User
from houqin.core.models import AuditEntry
from tests import factories as f
from tests.conftest import login
from tests.core.spreadsheets import error_rows, post_file, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/accounts/users/import/"
HEADER = ["用户名", "姓名", "手机号", "工号", "电子邮件地址", "角色", "部门", "职务", "密码"]
PASSWORD = "Houqin-Start-2026"


@pytest.fixture
def admin_client(admin_user: Any) -> Any:
    return login(admin_user)


def test_it_creates_people_with_their_memberships(
    admin_client: Any, admin_user: Any, school: Any
) -> None:
    department = f.DepartmentFactory(school=school, name="总务处")
    rows = [
        HEADER,
        ["wangwu", "王五", 13900002222, "T0101", "", "维修工", "总务处", "电工", PASSWORD],
        ["zhaoliu", "赵六", "", "", "zl@example.cn", "Storekeeper", "", "", PASSWORD],
        ["sunqi", "孙七", "", "", "", "teacher", "", "", "Another-Start-2026"],
    ]
    response = post_file(admin_client, URL, xlsx_bytes(rows), "people.xlsx")
    assert response.status_code == 302, error_rows(response)
    wangwu = User.objects.get(username="wangwu")
    assert wangwu.real_name == "王五" and wangwu.phone == "13900002222"
    assert wangwu.default_school == school
    assert wangwu.check_password(PASSWORD)
    membership = wangwu.memberships.get()
    assert membership.school == school and membership.role.code == "worker"
    assert membership.department == department and membership.title == "电工"
    zhaoliu = User.objects.get(username="zhaoliu")
    assert zhaoliu.phone is None and zhaoliu.memberships.get().role.code == "storekeeper"
    assert User.objects.get(username="sunqi").check_password("Another-Start-2026")
    people = AuditEntry.objects.filter(
        content_type__model="user", action="create", actor=admin_user
    )
    assert people.count() == 3
    assert all("password" not in e.changes for e in people)
    memberships = AuditEntry.objects.filter(content_type__model="membership", actor=admin_user)
    assert memberships.count() == 3
    assert all(e.actor == admin_user for e in people)


def test_it_refuses_existing_people_and_weak_passwords(
    admin_client: Any, admin_user: Any, school: Any
) -> None:
    before = User.objects.count(), Membership.objects.count()
    f.UserFactory(username="taken", phone="13900003333")
    rows = [
        HEADER,
        ["taken", "重名", "", "", "", "教职工", "", "", PASSWORD],
        ["newbie", "新人", "", "", "", "教职工", "", "", "12345678"],
        ["phoneuser", "同号", "13900003333", "", "", "教职工", "", "", PASSWORD],
        ["newbie2", "新人二", "1234", "", "not-an-email", "校长助理", "不存在的部门", "", PASSWORD],
        ["twice", "一", "", "", "", "教职工", "", "", PASSWORD],
        ["twice", "二", "", "", "", "教职工", "", "", PASSWORD],
    ]
    response = post_file(admin_client, URL, xlsx_bytes(rows), "people.xlsx")
    assert response.status_code == 422
    errors = error_rows(response)
    assert {(r, c) for r, c, _m in errors} == {
        (2, "用户名"),
        (3, "密码"),
        (4, "手机号"),
        (5, "手机号"),
        (5, "部门"),
        (5, "电子邮件地址"),
        (5, "角色"),
        (7, "用户名"),
    }
    assert [m for r, _c, m in errors if r == 7] == ["用户名与第 6 行相同。"]
    assert User.objects.count() == before[0] + 1  # only the factory's user
    assert Membership.objects.count() == before[1]


def test_it_checks_phone_and_email_format_once_lookups_pass(admin_client: Any) -> None:
    rows = [HEADER, ["newbie3", "新人三", "1234", "", "not-an-email", "教职工", "", "", PASSWORD]]
    response = post_file(admin_client, URL, xlsx_bytes(rows), "people.xlsx")
    assert response.status_code == 422
    assert [(r, c) for r, c, _m in error_rows(response)] == [(2, "手机号"), (2, "电子邮件地址")]


def test_the_people_template_lists_roles_and_reimports(admin_client: Any, school: Any) -> None:
    f.DepartmentFactory(school=school, name="总务处")
    response = admin_client.get("/accounts/users/import/template/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [c.value for col in book.worksheets[1].iter_cols() for c in col]
    assert "维修工" in values and "总务处" in values
    sheet = book.worksheets[0]
    sheet.append(["lisi", "李四", "13900004444", "", "", "维修工", "总务处", "", PASSWORD])
    buffer = io.BytesIO()
    book.save(buffer)
    response = post_file(admin_client, URL, buffer.getvalue(), "people.xlsx")
    assert response.status_code == 302, error_rows(response)
    assert User.objects.get(username="lisi").memberships.get().role.code == "worker"
    assert not User.objects.filter(username="zhangsan").exists()  # the example row


def test_directors_may_not_import_people(as_director: Any) -> None:
    assert as_director.get(URL).status_code == 403
    page = as_director.get("/accounts/users/")
    assert 'data-testid="import"' not in page.content.decode()
