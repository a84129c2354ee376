"""Importing an existing ledger: all rows or none, every error at once, codes kept or issued."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from houqin.assets.choices import AssetStatus, MovementKind
from houqin.assets.imports import AssetImport
from houqin.assets.models import Asset, AssetMovement
from houqin.core.imports import import_file
from houqin.core.models import AuditEntry
from tests import factories as f
from tests.conftest import login as _login

from .objects_register import make_asset

pytestmark = pytest.mark.django_db

HEADER = [
    "资产编号",
    "资产名称",
    "分类",
    "规格型号",
    "品牌",
    "序列号",
    "单位",
    "单价",
    "数量",
    "购置日期",
    "供应商",
    "经费来源",
    "取得方式",
    "楼宇",
    "房间号",
    "使用部门",
    "保管人",
    "状态",
    "保修截止",
    "备注",
]


def login(user: Any) -> Any:
    client = _login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def place(school: Any) -> dict[str, Any]:
    room = f.RoomFactory(building__campus__school=school, building__name="实验楼", number="301")
    department = f.DepartmentFactory(school=school, name="教务处")
    person = f.member(school, "teacher", real_name="李老师", username="lils", phone="13800000001")
    keeper = f.member(school, "assetkeeper")
    return {"room": room, "department": department, "person": person, "keeper": keeper}


def csv(rows: list[list[Any]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def row(**cells: Any) -> list[Any]:
    values = {
        "资产编号": "",
        "资产名称": "台式计算机",
        "分类": "台式计算机",
        "规格型号": "M720",
        "品牌": "联想",
        "序列号": "",
        "单位": "台",
        "单价": "4500",
        "数量": "1",
        "购置日期": "2023-09-01",
        "供应商": "",
        "经费来源": "财政拨款",
        "取得方式": "购置",
        "楼宇": "实验楼",
        "房间号": "301",
        "使用部门": "教务处",
        "保管人": "李老师",
        "状态": "",
        "保修截止": "",
        "备注": "",
        **cells,
    }
    return [values[h] for h in HEADER]


def run(school: Any, actor: Any, data: bytes) -> Any:
    return import_file(spec=AssetImport(), file=data, school=school, actor=actor)


def test_a_good_ledger_is_imported_with_codes_movements_and_audit(
    school: Any, place: dict[str, Any]
) -> None:
    data = csv(
        [
            row(资产编号="JX-2019-001", 序列号="SN-1"),
            row(
                资产名称="课桌椅",
                分类="设备",
                单价="120",
                数量="50",
                保管人="lils",
                状态="闲置",
                楼宇="",
                房间号="",
                使用部门="",
            ),
            row(资产名称="投影仪", 保管人="13800000001", 保修截止="2026-09-01"),
        ]
    )
    result = run(school, place["keeper"], data)
    assert result.ok, result.errors
    assert result.created == 3
    kept = Asset.objects.get(code="JX-2019-001")
    assert kept.room == place["room"] and kept.custodian == place["person"]
    assert kept.department == place["department"]
    assert kept.original_value == Decimal("4500.00")
    assert kept.accumulated_depreciation > 0 and kept.life_months == 72
    desks = Asset.objects.get(name="课桌椅")
    assert desks.is_low_value and not desks.depreciable
    assert desks.original_value == Decimal("6000.00") and desks.status == AssetStatus.IDLE
    numbered = Asset.objects.get(name="投影仪")
    assert numbered.code.startswith("ZC-")
    assert AssetMovement.objects.filter(kind=MovementKind.IMPORTED).count() == 3
    assert AuditEntry.objects.filter(content_type__model="asset", action="create").count() == 3
    # The next card gets the next number: the import took its numbers from the sequence.
    later = make_asset(school)
    assert later.code > numbered.code


def test_every_error_is_reported_and_nothing_is_written(school: Any, place: dict[str, Any]) -> None:
    f.member(school, "teacher", real_name="李老师")  # a namesake: ambiguous
    data = csv(
        [
            row(),
            row(分类="不存在的类"),
            row(单价="abc", 购置日期="2099-01-01"),
            row(房间号="999"),
            row(保管人="李老师", 状态="已报废"),
            row(资产名称=""),
        ]
    )
    result = run(school, place["keeper"], data)
    assert not result.ok
    by_row = {}
    for error in result.errors:
        by_row.setdefault(error.row, []).append((error.column, error.message))
    assert 3 in by_row and "分类" in dict(by_row[3])
    assert "单价" in dict(by_row[4])
    assert any("999" in message for _c, message in by_row[5])
    assert {c for c, _m in by_row[6]} >= {"保管人", "状态"}
    assert "资产名称" in dict(by_row[7])
    assert Asset.objects.count() == 0
    assert AssetMovement.objects.count() == 0


def test_a_duplicate_code_in_the_file_or_the_register_is_refused(
    school: Any, place: dict[str, Any]
) -> None:
    make_asset(school, code="JX-OLD")
    data = csv([row(资产编号="JX-NEW"), row(资产编号="JX-NEW"), row(资产编号="JX-OLD")])
    result = run(school, place["keeper"], data)
    messages = [(e.row, e.message) for e in result.errors]
    assert any(r == 3 and "row 2" in m for r, m in messages), messages
    assert any(r == 4 and "already exists" in m for r, m in messages), messages
    assert Asset.objects.count() == 1


def test_the_import_page_and_template(school: Any, place: dict[str, Any]) -> None:
    client = login(place["keeper"])
    page = client.get("/assets/register/import/")
    assert page.status_code == 200
    template = client.get("/assets/register/import/template/")
    assert template.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(template.streaming_content)))
    header = book.get_sheet_by_index(0).to_python()[0]
    assert "Asset code" in header and "Room number" in header
    upload = SimpleUploadedFile("台账.csv", csv([row()]))
    response = client.post("/assets/register/import/", {"file": upload, "school": school.pk})
    assert response.status_code == 302
    assert Asset.objects.filter(school=school).count() == 1


def test_teachers_cannot_import(school: Any) -> None:
    teacher = login(f.member(school, "teacher"))
    assert teacher.get("/assets/register/import/").status_code == 403
