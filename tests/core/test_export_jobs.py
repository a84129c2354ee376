"""Long exports are prepared in the background: same rows, same scope, only for their owner."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from houqin.accounts.models import Membership
from houqin.core.exportjobs import services
from houqin.core.models import ExportFile
from houqin.core.schools import SESSION_KEY
from houqin.notifications.models import Notification
from tests import factories as f
from tests.maintenance.factories import order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_inline_limit(settings: Any) -> None:
    settings.HOUQIN_EXPORT_INLINE_ROWS = 1


@pytest.fixture
def rooms(school: Any) -> list[Any]:
    building = f.BuildingFactory(campus__school=school, name="教学楼A")
    return [
        f.RoomFactory(building=building, number=f"R{n}", use="office" if n % 2 else "classroom")
        for n in range(5)
    ]


def request_export(client: Client, django_capture_on_commit_callbacks: Any, query: str) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/org/rooms/?{query}")
    return response


def workbook_rows(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_a_long_export_is_prepared_in_the_background_with_the_pages_filters(
    as_director: Any, director: Any, rooms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = request_export(
        as_director, django_capture_on_commit_callbacks, "use=office&sort=number&export=xlsx"
    )
    export = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/core/exports/{export.pk}/"
    assert export.owner == director
    assert export.path == "/org/rooms/"
    assert export.rows == 2  # R1, R3: the offices
    assert export.status == ExportFile.Status.DONE
    assert export.filename.endswith(".xlsx") and export.size > 0
    download = as_director.get(f"/core/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = workbook_rows(b"".join(download.streaming_content))
    assert rows[0][:3] == ("房间号", "名称", "楼栋")
    assert [row[0] for row in rows[1:]] == ["R1", "R3"]
    note = Notification.objects.get(recipient=director, event=services.EXPORT_READY)
    assert note.url == f"/core/exports/{export.pk}/"


def test_the_list_and_the_status_page_show_it(
    as_director: Any, rooms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request_export(as_director, django_capture_on_commit_callbacks, "export=xlsx")
    export = ExportFile.objects.get()
    assert export.rows == 5
    page = as_director.get("/core/exports/").content.decode()
    assert export.title in page and 'data-status="done"' in page
    status = as_director.get(f"/core/exports/{export.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "data-auto-download" in status  # ready while the page asked: it downloads itself
    assert "hx-trigger" not in status  # and stops asking


def test_a_short_export_is_still_built_at_once(as_director: Any, school: Any) -> None:
    f.RoomFactory(building=f.BuildingFactory(campus__school=school), number="only")
    response = as_director.get("/org/rooms/?export=xlsx")
    assert response.status_code == 200 and response.streaming
    assert not ExportFile.objects.exists()


def test_nobody_else_sees_or_downloads_it(
    as_director: Any,
    rooms: Any,
    school: Any,
    other_school: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request_export(as_director, django_capture_on_commit_callbacks, "export=xlsx")
    export = ExportFile.objects.get()
    for stranger in (
        f.member(school, "director", username="colleague"),
        f.member(other_school, "director", username="elsewhere"),
    ):
        client = Client()
        client.force_login(stranger)
        assert client.get(f"/core/exports/{export.pk}/").status_code == 404
        assert client.get(f"/core/exports/{export.pk}/download/").status_code == 404
        assert client.post(f"/core/exports/{export.pk}/delete/").status_code == 404
        assert 'data-testid="export-row"' not in client.get("/core/exports/").content.decode()
    assert Client().get(f"/core/exports/{export.pk}/download/").status_code == 302  # to the login


def test_the_file_follows_the_school_chosen_in_the_switcher(
    school: Any, other_school: Any, django_capture_on_commit_callbacks: Any
) -> None:
    bureau = f.member(school, "director", username="bureau")
    Membership.objects.create(user=bureau, school=other_school, role=f.role("director"))
    for place, prefix in ((school, "A"), (other_school, "B")):
        building = f.BuildingFactory(campus__school=place)
        for n in range(3):
            f.RoomFactory(building=building, number=f"{prefix}{n}")
    client = Client()
    client.force_login(bureau)
    session = client.session
    session[SESSION_KEY] = other_school.pk
    session.save()
    request_export(client, django_capture_on_commit_callbacks, "export=xlsx")
    export = ExportFile.objects.get()
    assert export.school_id == other_school.pk
    rows = workbook_rows(export.file.read())
    assert sorted(row[0] for row in rows[1:]) == ["B0", "B1", "B2"]


def test_a_permission_taken_away_before_it_runs_fails_it(
    as_director: Any, director: Any, rooms: Any
) -> None:
    as_director.get("/org/rooms/?export=xlsx")  # queued; the job has not run yet
    export = ExportFile.objects.get()
    assert export.status == ExportFile.Status.QUEUED
    director.memberships.all().delete()
    services.build(export.pk)
    export.refresh_from_db()
    assert export.status == ExportFile.Status.FAILED
    assert export.error == "您已无权访问此页面。"
    assert not export.file
    assert as_director.get(f"/core/exports/{export.pk}/download/").status_code == 404


def test_the_same_export_is_not_queued_twice_and_pending_ones_are_limited(
    as_director: Any, rooms: Any, settings: Any
) -> None:
    settings.HOUQIN_EXPORT_MAX_PENDING = 2
    first = as_director.get("/org/rooms/?export=xlsx")
    again = as_director.get("/org/rooms/?export=xlsx")
    assert first["Location"] == again["Location"]
    as_director.get("/org/rooms/?use=office&export=xlsx")
    refused = as_director.get("/org/rooms/?use=classroom&export=xlsx", follow=True)
    assert ExportFile.objects.count() == 2
    assert "您已有 2 个导出正在准备" in refused.content.decode()


def test_a_job_runs_once_even_if_queued_twice(
    as_director: Any, rooms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request_export(as_director, django_capture_on_commit_callbacks, "export=xlsx")
    export = ExportFile.objects.get()
    assert services.build(export.pk) is None  # already done: nothing is built again


def test_deleting_removes_the_file(
    as_director: Any, rooms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    request_export(as_director, django_capture_on_commit_callbacks, "export=xlsx")
    export = ExportFile.objects.get()
    storage, name = export.file.storage, export.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = as_director.post(f"/core/exports/{export.pk}/delete/")
    assert response.status_code == 302
    assert not ExportFile.objects.exists()
    assert not storage.exists(name)


def test_one_being_prepared_cannot_be_deleted(as_director: Any, rooms: Any) -> None:
    as_director.get("/org/rooms/?export=xlsx")
    ExportFile.objects.update(status=ExportFile.Status.RUNNING)
    as_director.post(f"/core/exports/{ExportFile.objects.get().pk}/delete/")
    assert ExportFile.objects.count() == 1


def test_old_exports_are_purged_and_lost_ones_failed(
    as_director: Any, rooms: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    request_export(as_director, django_capture_on_commit_callbacks, "export=xlsx")
    as_director.get("/org/rooms/?use=office&export=xlsx")  # never run: the job was lost
    done = ExportFile.objects.get(status=ExportFile.Status.DONE)
    storage, name = done.file.storage, done.file.name
    later = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_old(later) == (0, 1)
    lost = ExportFile.objects.get(query="use=office&export=xlsx")
    assert lost.status == ExportFile.Status.FAILED and lost.error
    much_later = timezone.now() + datetime.timedelta(days=settings.HOUQIN_EXPORT_KEEP_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.purge_old(much_later) == (2, 0)
    assert not ExportFile.objects.exists()
    assert not storage.exists(name)


def test_the_empty_list_says_what_comes_here(as_director: Any) -> None:
    page = as_director.get("/core/exports/").content.decode()
    assert 'data-testid="empty"' in page


def test_the_work_order_export_is_offloaded_too(
    as_director: Any, school: Any, django_capture_on_commit_callbacks: Any
) -> None:
    for _n in range(3):
        order(school)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_director.get("/maintenance/orders/export/")
    assert response.status_code == 302
    export = ExportFile.objects.get()
    assert export.status == ExportFile.Status.DONE
    assert len(workbook_rows(export.file.read())) == 4


def test_many_exports_are_paged(as_director: Any, director: Any) -> None:
    ExportFile.objects.bulk_create(
        ExportFile(owner=director, title=f"导出{n}", path="/org/rooms/", rows=5000)
        for n in range(25)
    )
    first = as_director.get("/core/exports/").content.decode()
    second = as_director.get("/core/exports/?page=2").content.decode()
    assert first.count('data-testid="export-row"') == 20
    assert second.count('data-testid="export-row"') == 5
    assert "hx-trigger" in first  # some are waiting: the list refreshes itself


def test_the_job_asks_as_the_site_itself(director: Any, settings: Any) -> None:
    settings.HOUQIN_BASE_URL = "https://houqin.example.edu.cn"
    settings.ALLOWED_HOSTS = ["houqin.example.edu.cn"]
    export = ExportFile.objects.create(owner=director, title="房间", path="/org/rooms/")
    request = services._replayed_request(export)
    assert request.get_host() == "houqin.example.edu.cn"
    assert services.in_background(request)
