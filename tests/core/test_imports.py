"""Imports from xlsx and CSV: everything valid is written, anything invalid writes nothing and
every problem is listed at once (rows through the room import, the generic engine below)."""

from __future__ import annotations

import datetime
import decimal
import io
from typing import Any
from unittest import mock

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.accounts.models import Membership
from houqin.core.imports import ImportContext, import_file, read_rows
from houqin.core.imports.parsers import Boolean, Choice, Date, Decimal, Integer, normalize
from houqin.core.models import AuditEntry
from houqin.org.choices import RoomUse
from houqin.org.imports import RoomImport
from houqin.org.models import Room
from tests import factories as f
from tests.conftest import login

from .spreadsheets import csv_bytes, error_rows, post_file, xlsx_bytes

pytestmark = pytest.mark.django_db

URL = "/org/rooms/import/"
HEADER = ["楼栋", "楼层", "房间号", "名称", "用途", "容纳人数", "面积（m²）", "在用"]


@pytest.fixture
def building(school: Any) -> Any:
    return f.BuildingFactory(campus__school=school, name="教学楼A", code="JXA", floors_above=5)


def good_rows() -> list[list[Any]]:
    return [
        HEADER,
        ["教学楼A", 1, "101", "七年级(1)班", "教室", 50, 72.5, "是"],
        ["JXA", 2, 201, "", "Office", "", "", ""],
        ["教学楼A", 3, "301", "储藏室", "storeroom", 0, "12.00", "否"],
    ]


def room_count() -> int:
    return Room.objects.count()


def test_it_imports_a_good_xlsx(as_director: Any, director: Any, building: Any) -> None:
    response = post_file(as_director, URL, xlsx_bytes(good_rows()))
    assert response.status_code == 302, error_rows(response)
    assert response["Location"] == "/org/rooms/"
    rooms = {r.number: r for r in Room.objects.filter(building=building)}
    assert set(rooms) == {"101", "201", "301"}
    assert rooms["101"].name == "七年级(1)班"
    assert rooms["101"].area == decimal.Decimal("72.50")
    assert rooms["101"].is_active is True
    assert rooms["201"].use == RoomUse.OFFICE and rooms["201"].capacity is None
    assert rooms["301"].is_active is False and rooms["301"].use == RoomUse.STOREROOM
    assert all(r.school_id == building.school_id for r in rooms.values())
    assert len({r.public_code for r in rooms.values()}) == 3
    page = as_director.get("/org/rooms/")
    assert "3" in "".join(str(m) for m in page.context["messages"])


def test_it_writes_one_audit_entry_per_imported_row(
    as_director: Any, director: Any, building: Any
) -> None:
    post_file(as_director, URL, xlsx_bytes(good_rows()))
    entries = AuditEntry.objects.filter(content_type__model="room", action="create")
    assert entries.count() == 3
    for entry in entries:
        room = Room.objects.get(pk=int(entry.object_id))
        assert entry.actor == director
        assert entry.actor_repr == str(director)
        assert entry.school_id == building.school_id
        assert entry.object_repr == str(room)
        assert entry.changes["number"] == [None, room.number]
        assert entry.changes["building"] == [None, "教学楼A"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("gb18030", ";"), ("utf-8-sig", "\t")],
)
def test_it_imports_csv_in_every_encoding_excel_writes(
    as_director: Any, building: Any, encoding: str, delimiter: str
) -> None:
    data = csv_bytes(good_rows(), encoding, delimiter)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    response = post_file(as_director, URL, data, "rooms.csv")
    assert response.status_code == 302, error_rows(response)
    assert Room.objects.get(number="101").name == "七年级(1)班"
    assert room_count() == 3


def test_it_accepts_english_headers_in_any_case_and_spacing(
    as_director: Any, building: Any
) -> None:
    rows = [
        ["Building *", "FLOOR", "Room  Number", "use", "Area (m2)"],
        ["教学楼A", 1, "101", "Classroom", "70"],
    ]
    response = post_file(as_director, URL, csv_bytes(rows), "rooms.csv")
    assert response.status_code == 302, error_rows(response)
    assert Room.objects.get().area == decimal.Decimal("70.00")


def test_it_reports_unknown_and_missing_headers_and_writes_nothing(
    as_director: Any, building: Any
) -> None:
    rows = [["楼栋", "房号", "用途"], ["教学楼A", "101", "教室"]]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    errors = error_rows(response)
    assert (1, "房号") in [(r, c) for r, c, _m in errors]
    assert any("房间号" in m and "缺少" in m for _r, _c, m in errors)
    assert room_count() == 0


def test_it_explains_a_file_without_a_header_row(as_director: Any, building: Any) -> None:
    rows = [["教学楼A", "101", "教室"], ["教学楼A", "102", "教室"]]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    [(row, _column, message)] = error_rows(response)
    assert row == 1 and "列标题" in message and "房间号" in message


def test_it_lists_every_bad_cell_at_once_and_writes_nothing(
    as_director: Any, building: Any
) -> None:
    rows = [
        HEADER,
        ["教学楼A", 1, "101", "", "教室", "五十", "", ""],
        ["教学楼A", "二", "102", "", "教室", 30, "abc", ""],
        ["教学楼A", 1, "103", "", "游泳池", 30, "", "也许"],
        ["教学楼A", 1, "104", "", "教室", 30, "", ""],
    ]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    errors = error_rows(response)
    assert [(r, c) for r, c, _m in errors] == [
        (2, "容纳人数"),
        (3, "楼层"),
        (3, "面积（m²）"),
        (4, "用途"),
        (4, "在用"),
    ]
    assert "游泳池" in errors[3][2] and "教室" in errors[3][2]
    assert room_count() == 0
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "游泳池" in body


def test_it_names_unknown_buildings_including_another_schools(
    as_director: Any, building: Any, other_school: Any
) -> None:
    f.BuildingFactory(campus__school=other_school, name="幼儿楼")
    rows = [HEADER, ["幼儿楼", 1, "101", "", "教室"], ["不存在楼", 1, "102", "", "教室"]]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    errors = error_rows(response)
    assert [(r, c) for r, c, _m in errors] == [(2, "楼栋"), (3, "楼栋")]
    assert "幼儿楼" in errors[0][2]
    assert room_count() == 0


def test_it_finds_duplicates_within_the_file_and_in_the_database(
    as_director: Any, building: Any
) -> None:
    f.RoomFactory(building=building, number="105")
    rows = [
        HEADER,
        ["教学楼A", 1, "101", "", "教室"],
        ["教学楼A", 1, "102", "", "教室"],
        ["JXA", 1, "101", "", "教室"],  # the same building by its code
        ["教学楼A", 1, "105", "", "教室"],
    ]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    errors = error_rows(response)
    assert [r for r, _c, _m in errors] == [4, 5]
    assert "2" in errors[0][2]
    assert "已存在" in errors[1][2]
    assert room_count() == 1


def test_it_checks_the_model_rules_too(as_director: Any, building: Any) -> None:
    rows = [HEADER, ["教学楼A", 9, "901", "", "教室"]]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    [(row, column, message)] = error_rows(response)
    assert (row, column) == (2, "楼层")
    assert "教学楼A" in message and "5" in message


def test_it_refuses_an_empty_file(as_director: Any, building: Any) -> None:
    response = post_file(as_director, URL, b"", "rooms.csv")
    assert response.status_code == 422
    assert error_rows(response)[0][0] == 0
    assert "文件为空" in error_rows(response)[0][2]


def test_it_refuses_a_header_only_file(as_director: Any, building: Any) -> None:
    response = post_file(as_director, URL, xlsx_bytes([HEADER]))
    assert response.status_code == 422
    assert "没有数据行" in error_rows(response)[0][2]
    response = post_file(as_director, URL, csv_bytes([HEADER, ["", ""], []]), "rooms.csv")
    assert "没有数据行" in error_rows(response)[0][2]


def test_it_refuses_a_file_over_the_size_limit_before_reading_it(
    as_director: Any, building: Any
) -> None:
    data = b"\x00\x01binary" * (settings.HOUQIN_UPLOAD_MAX_BYTES // 8 + 1)
    assert len(data) > 20 * 1024 * 1024
    with mock.patch("houqin.core.imports.engine.read_rows") as reader:
        response = post_file(as_director, URL, data, "rooms.xlsx")
    assert response.status_code == 422
    assert not reader.called
    assert "20 MB" in error_rows(response)[0][2]
    assert room_count() == 0


def test_it_refuses_a_binary_file_just_under_the_limit(as_director: Any, building: Any) -> None:
    data = bytes(range(256)) * (settings.HOUQIN_UPLOAD_MAX_BYTES // 256)
    response = post_file(as_director, URL, data, "rooms.xlsx")
    assert response.status_code == 422
    assert "电子表格" in error_rows(response)[0][2]


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"PK\x03\x04 this is not really a zip archive", "电子表格"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "电子表格"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "PNG"),
    ],
)
def test_it_refuses_files_that_are_not_spreadsheets(
    as_director: Any, building: Any, data: bytes, word: str
) -> None:
    response = post_file(as_director, URL, data, "rooms.xlsx")
    assert response.status_code == 422
    assert word in error_rows(response)[0][2]
    assert room_count() == 0


def test_it_refuses_a_zip_that_is_not_a_workbook(as_director: Any, building: Any) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "不是表格")
    response = post_file(as_director, URL, buffer.getvalue(), "rooms.xlsx")
    assert response.status_code == 422
    assert "电子表格" in error_rows(response)[0][2]


def test_it_refuses_too_many_rows(as_director: Any, building: Any, settings: Any) -> None:
    settings.HOUQIN_IMPORT_MAX_ROWS = 3
    rows = [HEADER] + [["教学楼A", 1, str(100 + n), "", "教室"] for n in range(4)]
    response = post_file(as_director, URL, xlsx_bytes(rows))
    assert response.status_code == 422
    assert "超过 3 行" in error_rows(response)[0][2]
    rows = rows[:4]
    assert post_file(as_director, URL, xlsx_bytes(rows)).status_code == 302


def test_it_imports_into_the_chosen_school_only_if_allowed(
    building: Any, school: Any, other_school: Any
) -> None:
    both = f.member(school, "director", username="both")
    Membership.objects.create(user=both, school=other_school, role=f.role("teacher"))
    client = login(both)
    page = client.get(URL)
    assert [c[0] for c in page.context["form"].fields["school"].choices if c[0]] == [school.pk]
    rows = [HEADER, ["教学楼A", 1, "101", "", "教室"]]
    response = post_file(client, URL, xlsx_bytes(rows), school=other_school.pk)
    assert response.status_code == 422
    assert room_count() == 0


def test_a_director_of_two_schools_chooses_the_school(
    building: Any, school: Any, other_school: Any
) -> None:
    both = f.member(school, "director", username="both")
    Membership.objects.create(user=both, school=other_school, role=f.role("director"))
    f.BuildingFactory(campus__school=other_school, name="幼儿楼")
    client = login(both)
    client.post("/core/school/", {"school": "all"})
    assert client.get(URL).context["school"] is None  # no silent default
    rows = [HEADER, ["幼儿楼", 1, "101", "", "教室"]]
    response = post_file(client, URL, xlsx_bytes(rows))
    assert response.status_code == 422 and "school" in response.context["form"].errors
    response = post_file(client, URL, xlsx_bytes(rows), school=school.pk)
    assert error_rows(response)[0][:2] == (2, "楼栋")  # 幼儿楼 belongs to the other school
    response = post_file(client, URL, xlsx_bytes(rows), school=other_school.pk)
    assert response.status_code == 302
    assert Room.objects.get().school == other_school


def test_the_list_offers_import_to_those_who_may_add(
    as_director: Any, as_teacher: Any, building: Any
) -> None:
    assert 'data-testid="import"' in as_director.get("/org/rooms/").content.decode()
    assert 'data-testid="import"' not in as_teacher.get("/org/rooms/").content.decode()
    assert as_teacher.get(URL).status_code == 403


def test_the_import_page_explains_the_columns(as_director: Any, building: Any) -> None:
    response = as_director.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "/org/rooms/import/template/?school=" in body
    for header in ("楼栋", "房间号", "用途", "教学楼A", "教室"):
        assert header in body


def test_the_template_downloads_and_imports_after_filling_one_row(
    as_director: Any, building: Any
) -> None:
    response = as_director.get("/org/rooms/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["楼栋 *", "楼层", "房间号 *"]
    assert next(c.value for c in sheet[2]) == "教学楼A"  # the example uses the school's data
    allowed = {c.value for column in book.worksheets[1].iter_cols() for c in column}
    assert {"教学楼A", "教室", "是", "否"} <= allowed
    assert len(sheet.data_validations.dataValidation) == 3  # building, use, in use
    sheet.append(["教学楼A", 2, "202", "七年级(2)班", "教室", 48, 70, "是"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = post_file(as_director, URL, buffer.getvalue())
    assert response.status_code == 302, error_rows(response)
    assert list(Room.objects.values_list("number", flat=True)) == ["202"]


def test_the_template_speaks_english_to_english_users(as_director: Any, building: Any) -> None:
    response = as_director.get("/org/rooms/import/template/", HTTP_ACCEPT_LANGUAGE="en")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.worksheets[0][1]][:3] == ["Building *", "Floor", "Room number *"]


def test_it_takes_a_constant_number_of_queries(school: Any, director: Any, building: Any) -> None:
    def queries(count: int) -> int:
        rows = [HEADER] + [["教学楼A", 1, f"{count}-{n}", "", "教室"] for n in range(count)]
        ctx_file = xlsx_bytes(rows)
        with CaptureQueriesContext(connection) as captured:
            result = import_file(spec=RoomImport(), file=ctx_file, school=school, actor=director)
        assert result.ok and result.created == count
        return len(captured)

    assert queries(5) == queries(60)


# The parsers on their own.


def ctx() -> ImportContext:
    return ImportContext(school=None, actor=None)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-09-01", datetime.date(2026, 9, 1)),
        ("2026/9/1", datetime.date(2026, 9, 1)),
        ("2026年9月1日", datetime.date(2026, 9, 1)),
        ("20260901", datetime.date(2026, 9, 1)),
        (46266.0, datetime.date(2026, 9, 1)),
        (datetime.datetime(2026, 9, 1, 0, 0), datetime.date(2026, 9, 1)),
    ],
)
def test_dates_are_read_in_the_usual_forms(raw: Any, expected: datetime.date) -> None:
    assert Date().parse(raw, ctx()) == expected


@pytest.mark.parametrize("raw", ["2026-13-01", "明天", "1.5.2026", "2026-02-30"])
def test_bad_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError):
        Date().parse(raw, ctx())


def test_numbers_and_yes_no() -> None:
    assert Integer().parse(3.0, ctx()) == 3
    assert Integer().parse("1,200", ctx()) == 1200
    for bad in (3.5, "3.5", "three", True):
        with pytest.raises(ValidationError):
            Integer().parse(bad, ctx())
    with pytest.raises(ValidationError):
        Integer(min_value=0).parse(-1, ctx())
    assert Decimal().parse(72.5, ctx()) == decimal.Decimal("72.50")
    assert Decimal().parse(33.333333, ctx()) == decimal.Decimal("33.33")
    for bad in ("1.234", "abc", "NaN", "-1"):
        with pytest.raises(ValidationError):
            Decimal().parse(bad, ctx())
    assert [Boolean().parse(v, ctx()) for v in ("是", "否", "Yes", "no", "√", 1.0, False)] == [
        True,
        False,
        True,
        False,
        True,
        True,
        False,
    ]
    assert Choice(RoomUse.choices).parse(" 教室 ", ctx()) == "classroom"
    assert Choice(RoomUse.choices).parse("CLASSROOM", ctx()) == "classroom"
    assert normalize("面积（m²） *") == normalize("area(m2)".replace("area", "面积"))


def test_csv_encodings_are_detected_without_the_name() -> None:
    rows = [["楼栋", "房间号"], ["教学楼A", "一〇一"]]
    for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"):
        sheet = read_rows(csv_bytes(rows, encoding), 10)
        assert sheet.rows == [(1, ["楼栋", "房间号"]), (2, ["教学楼A", "一〇一"])], encoding
