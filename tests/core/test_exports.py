"""List exports: what the filters show, headers in the user's language, streamed from disk.

The 100,000-row measurement lives in ``bench/import_export.py``; 2,000 rows here."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from houqin.org.models import Room
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _built_inline(settings: Any) -> None:
    """These tests read the file itself; longer exports otherwise go to the background."""
    settings.HOUQIN_EXPORT_INLINE_ROWS = 100_000


@pytest.fixture
def many_rooms(school: Any) -> Any:
    building = f.BuildingFactory(campus__school=school, name="教学楼A")
    Room.objects.bulk_create(
        Room(
            school=school,
            building=building,
            floor=1 + n % 5,
            number=f"{n:04d}",
            name='=HYPERLINK("http://example.com")' if n == 7 else f"房间{n}",
            use="classroom" if n % 2 else "office",
            capacity=40,
        )
        for n in range(2000)
    )
    return building


def export(client: Any, query: str = "", **headers: Any) -> Any:
    response = client.get(f"/org/rooms/?{query}&export=xlsx", **headers)
    assert response.status_code == 200
    assert response.streaming  # a FileResponse over a temporary file, not a string in memory
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_it_exports_every_row_with_chinese_headers(as_director: Any, many_rooms: Any) -> None:
    rows = export(as_director)
    assert rows[0] == ("房间号", "名称", "楼栋", "楼层", "用途", "容纳人数", "面积（m²）")
    assert len(rows) == 2001
    assert rows[1][:5] == ("0000", "房间0", "教学楼A", 1, "办公室")


def test_it_exports_exactly_what_the_filters_show(as_director: Any, many_rooms: Any) -> None:
    rows = export(as_director, "use=classroom")
    assert len(rows) == 1001
    assert {row[4] for row in rows[1:]} == {"教室"}
    rows = export(as_director, "q=房间19")  # 19, 190–199 and 1900–1999
    assert len(rows) == 1 + 1 + 10 + 100
    assert {"0019", "0195", "1999"} <= {row[0] for row in rows[1:]}


def test_it_speaks_the_users_language(as_director: Any, many_rooms: Any) -> None:
    rows = export(as_director, "q=0001", HTTP_ACCEPT_LANGUAGE="en")
    assert rows[0][:3] == ("Room number", "Name", "Building")
    assert rows[1][4] == "Classroom"


def test_text_that_looks_like_a_formula_stays_text(as_director: Any, many_rooms: Any) -> None:
    rows = export(as_director, "q=HYPERLINK")
    assert rows[1][1] == '=HYPERLINK("http://example.com")'


@pytest.mark.django_db
def test_an_export_past_the_limit_says_so(as_director: Any, school: Any, settings: Any) -> None:
    settings.HOUQIN_EXPORT_MAX_ROWS = 2
    building = f.BuildingFactory(campus__school=school)
    for number in ("L1", "L2", "L3"):
        f.RoomFactory(building=building, number=number)
    response = as_director.get("/org/rooms/?export=xlsx", HTTP_ACCEPT_LANGUAGE="en")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert rows[:2] == ["L1", "L2"]
    assert "first 2 rows" in rows[2]
