"""The logistics director imports rooms from a CSV file, fixing the one bad row first."""

from __future__ import annotations

from typing import Any

import pytest

from houqin.org.models import Room

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "楼栋,楼层,房间号,名称,用途,容纳人数,面积（m²）,在用"


def csv_file(rows: list[str]) -> dict[str, Any]:
    # What Chinese Excel writes when saving as "CSV (逗号分隔)": GBK without BOM.
    text = "\r\n".join([HEADER.replace("²", "?"), *rows]) + "\r\n"
    return {"name": "新增房间.csv", "mimeType": "text/csv", "buffer": text.encode("gbk")}


def test_director_fixes_a_bad_row_and_imports_rooms(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}/org/rooms/")
    before = Room.objects.count()
    page.click("[data-testid=import]")
    page.wait_for_url("**/org/rooms/import/")
    assert page.locator("[data-testid=import-template]").is_visible()
    assert_no_horizontal_overflow(page)
    shot(page, "import-form")

    rows = [
        "教学楼A,1,IMP-1,七年级(9)班,教室,50,72.5,是",
        "教学楼A,1,IMP-2,七年级(10)班,游泳池,50,72.5,是",
        "教学楼A,1,IMP-3,器材室,storeroom,,20,是",
    ]
    page.set_input_files("input[name=file]", csv_file(rows))
    page.click("[data-testid=import-submit]")
    errors = page.locator("[data-testid=import-errors] tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert "游泳池" in errors.first.inner_text()
    assert "3" in errors.first.locator("td").first.inner_text()
    assert Room.objects.count() == before
    assert_no_horizontal_overflow(page)
    shot(page, "import-errors")

    rows[1] = rows[1].replace("游泳池", "教室")
    page.set_input_files("input[name=file]", csv_file(rows))
    page.click("[data-testid=import-submit]")
    page.wait_for_url("**/org/rooms/")
    assert "3" in page.locator(".hq-messages").inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "import-success")
    assert Room.objects.count() == before + 3
    assert Room.objects.get(number="IMP-2").name == "七年级(10)班"
    page.goto(f"{live_server.url}/org/rooms/?q=IMP-")
    assert page.locator("table.hq-table tbody tr").count() == 3
    assert_no_horizontal_overflow(page)
    shot(page, "import-done")
