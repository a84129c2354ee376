"""Departments from a spreadsheet: kinds by label, heads by username or mobile number."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.core.models import AuditEntry
from houqin.org.models import Department
from tests import factories as f
from tests.core.spreadsheets import csv_bytes, error_rows, post_file, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/org/departments/import/"
HEADER = ["名称", "类别", "负责人", "电话", "排序"]


def test_it_imports_departments_with_their_heads(
    as_director: Any, director: Any, school: Any
) -> None:
    head = f.member(school, "teacher", username="wanglaoshi", phone="13900001111")
    rows = [
        HEADER,
        ["总务处", "General affairs (logistics)", "director", "0571-1234567", 10],
        ["教务处", "academic", "13900001111", "", ""],
        ["食堂", "Canteen", "", "", 90],
    ]
    response = post_file(as_director, URL, xlsx_bytes(rows), "departments.xlsx")
    assert response.status_code == 302, error_rows(response)
    found = {d.name: d for d in Department.objects.filter(school=school)}
    assert found["总务处"].head == director and found["总务处"].kind == "logistics"
    assert found["总务处"].sort_order == 10
    assert found["教务处"].head == head and found["教务处"].sort_order == 100
    assert found["食堂"].head is None and found["食堂"].kind == "canteen"
    assert AuditEntry.objects.filter(content_type__model="department").count() == 3


def test_it_refuses_heads_from_outside_the_school_and_unknown_kinds(
    as_director: Any, school: Any, other_school: Any
) -> None:
    f.member(other_school, "director", username="outsider")
    f.DepartmentFactory(school=school, name="总务处")
    rows = [
        HEADER,
        ["保卫处", "安保", "", "", ""],
        ["校办", "Principal's office", "outsider", "", ""],
        ["总务处", "logistics", "", "", ""],
        ["团委", "other", "", "", "-5"],
    ]
    response = post_file(as_director, URL, csv_bytes(rows, "gbk"), "departments.csv")
    assert response.status_code == 422
    errors = error_rows(response)
    assert [(r, c) for r, c, _m in errors] == [(2, "类别"), (3, "负责人"), (4, "名称"), (5, "排序")]
    assert "outsider" in errors[1][2]
    assert Department.objects.filter(school=school).count() == 1


def test_the_department_template_downloads(as_director: Any, school: Any) -> None:
    response = as_director.get("/org/departments/import/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
