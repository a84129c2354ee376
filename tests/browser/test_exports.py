"""A long export in the browser (desktop and phone): the list's Export button leads to the
export's page, which waits, then downloads the file by itself; "My exports" keeps it."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_long_export_is_prepared_then_downloaded(
    page: Any, live_server: Any, demo: None, settings: Any
) -> None:
    from django.urls import reverse

    settings.HOUQIN_EXPORT_INLINE_ROWS = 5
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}{reverse('maintenance:workorder_list')}")
    page.click("[data-testid=export]")
    page.wait_for_url("**/core/exports/*/")
    # Jobs run at once in the tests: the file is ready when the page opens.
    status = page.locator("[data-testid=export-status]")
    assert status.get_attribute("data-status") == "done"
    assert "后台" in page.locator(".alert").first.inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "export-ready")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    assert info.value.suggested_filename.endswith(".xlsx")


def test_the_page_waits_and_downloads_when_ready(page: Any, live_server: Any, demo: None) -> None:
    from houqin.accounts.models import User
    from houqin.core.exportjobs import services
    from houqin.core.models import ExportFile

    director = User.objects.get(username="director")
    export = ExportFile.objects.create(
        owner=director,
        title="维修工单",
        path="/maintenance/orders/export/",
        school_choice="",
        language="zh-hans",
        rows=1200,
    )
    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}{export.get_absolute_url()}")
    assert page.locator("[data-testid=export-status]").get_attribute("data-status") == "queued"
    assert page.locator(".spinner-border").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "export-waiting")
    with page.expect_download(timeout=15_000) as info:
        services.build(export.pk)  # the job consumer's turn; the page asks every two seconds
    assert info.value.suggested_filename.endswith(".xlsx")
    page.goto(f"{live_server.url}/core/exports/")
    rows = page.locator("[data-testid=export-row]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-status") == "done"
    assert "1,200 行" in rows.first.inner_text()
    assert_no_horizontal_overflow(page)
    shot(page, "export-list")


def test_someone_without_exports_sees_what_comes_there(
    page: Any, live_server: Any, demo: None
) -> None:
    log_in(page, live_server, "teacher")
    page.goto(f"{live_server.url}/core/exports/")
    assert page.locator("[data-testid=empty]").count() == 1
    assert_no_horizontal_overflow(page)
    shot(page, "export-list-empty")
