"""Attachments: checked by content, images re-encoded, served only to who may see the owner."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import ExifTags, Image

from houqin.core.attachments.models import Attachment
from houqin.core.attachments.services import attachment_upload
from houqin.core.models import AuditEntry
from houqin.core.uploads import check_upload, read_limited, sniff
from tests import factories as f
from tests.conftest import login

from .objects import ole2_bytes, ooxml_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(settings: Any) -> Any:
    """A fresh in-memory storage for every test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    return default_storage


def stored_files(storage: Any, path: str = "") -> list[str]:
    directories, files = storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for directory in directories:
        found += stored_files(storage, f"{path}/{directory}".lstrip("/"))
    return found


@pytest.fixture
def room(school: Any) -> Any:
    return f.RoomFactory(building__campus__school=school)


def upload_url(room: Any) -> str:
    return reverse(
        "core:attachment_upload", args=[ContentType.objects.get_for_model(room).pk, room.pk]
    )


def jpeg_bytes(size: tuple[int, int], exif: Any = None, **kwargs: Any) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif if exif is not None else b"", **kwargs)
    return buffer.getvalue()


# --- Content sniffing ----------------------------------------------------------------------


def test_it_stores_a_png_renamed_pdf_as_png() -> None:
    checked = check_upload(upload("report.pdf", png_bytes(), "application/pdf"))
    assert checked.mime == "image/png"
    assert checked.ext == "png"
    assert Image.open(io.BytesIO(checked.content)).format == "PNG"


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64,
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b"  \n<HTML><a href=x>x</a></HTML>",
        b"\x7fELF\x02\x01\x01" + b"\x00" * 40,
        b"PK\x03\x04 not really a zip",
        ole2_bytes("\x05SummaryInformation"),  # an OLE2 file that is no Office document
    ],
)
def test_it_refuses_other_kinds_renamed_jpg(content: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        check_upload(upload("photo.jpg", content, "image/jpeg"))
    assert "PDF" in exc.value.messages[0]  # the message names the allowed kinds


@pytest.mark.parametrize(
    ("content", "name", "mime", "ext"),
    [
        (pdf_bytes(), "x.bin", "application/pdf", "pdf"),
        (ooxml_bytes("docx"), "a.zip", "wordprocessingml.document", "docx"),
        (ooxml_bytes("xlsx"), "a.docx", "spreadsheetml.sheet", "xlsx"),
        (ooxml_bytes("pptx"), "a", "presentationml.presentation", "pptx"),
        (ole2_bytes("WordDocument"), "a.xls", "application/msword", "doc"),
        (ole2_bytes("Workbook"), "a.doc", "application/vnd.ms-excel", "xls"),
        (ole2_bytes("PowerPoint Document"), "a", "application/vnd.ms-powerpoint", "ppt"),
        ("维修记录\n第一行\r\n".encode(), "notes.exe", "text/plain", "txt"),
        ("名称,数量\n粉笔,10\n".encode("gb18030"), "物品.csv", "text/csv", "csv"),
    ],
)
def test_it_accepts_documents_by_content(content: bytes, name: str, mime: str, ext: str) -> None:
    checked = check_upload(upload(name, content))
    assert mime in checked.mime
    assert checked.ext == ext
    assert checked.content == content
    assert checked.thumbnail is None


def test_it_refuses_office_files_with_macros() -> None:
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("a.docm", ooxml_bytes("docx", macros=True)))
    with pytest.raises(ValidationError, match="macros"):
        check_upload(upload("a.xls", ole2_bytes("Workbook", extra="_VBA_PROJECT_CUR")))


def test_it_refuses_heic_that_pillow_cannot_read() -> None:
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    assert sniff(heic).ext in ("heic", "avif")
    with pytest.raises(ValidationError):
        check_upload(upload("IMG_0001.HEIC", heic))


class CountingFile(io.BytesIO):
    def __init__(self, data: bytes, size: int | None) -> None:
        super().__init__(data)
        self.size = size
        self.bytes_read = 0

    def read(self, n: int | None = -1) -> bytes:
        chunk = super().read(n)
        self.bytes_read += len(chunk)
        return chunk


def test_it_refuses_a_large_file_without_reading_it(settings: Any) -> None:
    settings.HOUQIN_UPLOAD_MAX_BYTES = 1000
    declared = CountingFile(b"x" * 5000, size=5000)
    with pytest.raises(ValidationError, match="larger"):
        check_upload(declared)
    assert declared.bytes_read == 0
    undeclared = CountingFile(b"x" * 5000, size=None)
    with pytest.raises(ValidationError, match="larger"):
        read_limited(undeclared)
    assert undeclared.bytes_read == 1001


def test_it_refuses_empty_files() -> None:
    with pytest.raises(ValidationError, match="empty"):
        check_upload(upload("a.txt", b""))


# --- Images --------------------------------------------------------------------------------


def test_it_strips_exif_and_gps() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (31.0, 14.0, 0.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (121.0, 28.0, 0.0),
        }
    )
    original = jpeg_bytes((300, 200), exif=exif)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    checked = check_upload(upload("gps.jpg", original))
    stored = Image.open(io.BytesIO(checked.content))
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert b"PhoneMaker" not in checked.content
    assert b"Exif" not in checked.content


def test_it_downscales_and_makes_a_thumbnail() -> None:
    checked = check_upload(upload("big.jpg", jpeg_bytes((4000, 3000), quality=70)))
    assert (checked.width, checked.height) == (2560, 1920)
    assert Image.open(io.BytesIO(checked.content)).size == (2560, 1920)
    assert checked.thumbnail is not None
    assert Image.open(io.BytesIO(checked.thumbnail)).size == (320, 240)


def test_it_applies_the_orientation() -> None:
    image = Image.new("RGB", (400, 200), (255, 0, 0))
    image.paste((0, 0, 255), (200, 0, 400, 200))  # left red, right blue
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show it rotated clockwise
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    checked = check_upload(upload("turned.jpg", buffer.getvalue()))
    stored = Image.open(io.BytesIO(checked.content)).convert("RGB")
    assert stored.size == (200, 400)
    top, bottom = stored.getpixel((100, 20)), stored.getpixel((100, 380))
    assert top[0] > 200 and top[2] < 60, top  # red went to the top
    assert bottom[2] > 200 and bottom[0] < 60, bottom
    assert not stored.getexif().get(ExifTags.Base.Orientation)


def test_it_keeps_transparency_as_png() -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, "WEBP", lossless=True)
    checked = check_upload(upload("clear.webp", buffer.getvalue()))
    assert checked.mime == "image/png"
    assert Image.open(io.BytesIO(checked.content)).mode == "RGBA"


def test_it_refuses_decompression_bombs(settings: Any) -> None:
    settings.HOUQIN_UPLOAD_MAX_PIXELS = 10_000
    with pytest.raises(ValidationError, match="too large"):
        check_upload(upload("bomb.png", png_bytes((200, 200))))


def test_it_refuses_damaged_images() -> None:
    with pytest.raises(ValidationError, match="damaged"):
        check_upload(upload("bad.png", png_bytes()[:60]))


def test_it_still_refuses_damaged_images_once_pdfs_are_rendered() -> None:
    from houqin.core.pdf import render_pdf

    render_pdf("core/pdf_base.html", {})
    with pytest.raises(ValidationError, match="damaged"):
        check_upload(upload("bad.png", png_bytes()[:60]))


# --- Storing and serving -------------------------------------------------------------------


def test_it_stores_under_a_random_name(director: Any, room: Any, storage: Any) -> None:
    (attachment,) = attachment_upload(
        actor=director, owner=room, files=[upload("教室 照片.PNG", png_bytes())]
    )
    assert attachment.school_id == room.school_id
    assert attachment.original_name == "教室 照片.PNG"
    name = attachment.file.name
    assert name.startswith(f"attachments/{room.school_id}/")
    assert name.endswith(f"/{attachment.key.hex}.png")
    assert "教室" not in name
    assert attachment.thumbnail.name.endswith("-thumb.png")
    assert sorted(stored_files(storage)) == sorted([name, attachment.thumbnail.name])
    assert len(attachment.sha256) == 64
    assert (attachment.width, attachment.height) == (64, 48)
    assert AuditEntry.objects.filter(object_id=str(attachment.pk), action="create").exists()
    history = AuditEntry.objects.filter(object_id=str(room.pk), action="update")
    assert history.filter(changes__attachments=[None, "教室 照片.PNG"]).exists()


def test_it_writes_nothing_when_one_file_is_refused(
    as_director: Any, room: Any, storage: Any
) -> None:
    audit_before = AuditEntry.objects.count()
    response = as_director.post(
        upload_url(room),
        {"files": [upload("ok.png", png_bytes()), upload("virus.jpg", b"MZ\x00\x00evil")]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "virus.jpg" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(storage) == []
    assert AuditEntry.objects.count() == audit_before


def test_the_view_skips_files_over_the_limit(
    as_director: Any, room: Any, storage: Any, settings: Any
) -> None:
    settings.HOUQIN_UPLOAD_MAX_BYTES = 10_000
    response = as_director.post(
        upload_url(room), {"files": [upload("big.txt", b"a" * 50_000)]}, follow=True
    )
    assert response.status_code == 200
    assert "big.txt" in response.content.decode()
    assert Attachment.objects.count() == 0
    assert stored_files(storage) == []


def test_upload_without_javascript_redirects_to_the_owner(as_director: Any, room: Any) -> None:
    response = as_director.post(
        upload_url(room),
        {"files": [upload("a.png", png_bytes()), upload("b.pdf", pdf_bytes())], "description": "x"},
    )
    assert response.status_code == 302
    assert response["Location"] == room.get_absolute_url() + "#hq-attachments"
    assert Attachment.objects.filter(object_id=room.pk).count() == 2


def test_upload_checks_csrf(director: Any, room: Any) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(director, backend="houqin.accounts.backends.HouqinBackend")
    response = client.post(upload_url(room), {"files": [upload("a.png", png_bytes())]})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_download_permissions(
    director: Any, teacher: Any, nobody: Any, room: Any, other_school: Any, client: Any
) -> None:
    (attachment,) = attachment_upload(
        actor=director, owner=room, files=[upload("照片.png", png_bytes())]
    )
    url = reverse("core:attachment_download", args=[attachment.pk])
    thumb = reverse("core:attachment_thumbnail", args=[attachment.pk])
    outsider = f.member(other_school, "director")

    response = login(teacher).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('照片.png')}"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(teacher).get(thumb).status_code == 200

    assert login(outsider).get(url).status_code == 404
    assert login(outsider).get(thumb).status_code == 404
    assert login(nobody).get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_documents_download_as_attachments_with_their_real_extension(
    as_director: Any, director: Any, room: Any
) -> None:
    workbook = ooxml_bytes("xlsx")
    (attachment,) = attachment_upload(
        actor=director, owner=room, files=[upload("维修报价单.zip", workbook)]
    )
    assert attachment.size == len(workbook)
    response = as_director.get(reverse("core:attachment_download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == workbook
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''{quote('维修报价单.xlsx')}"
    )
    assert response["Content-Type"] == attachment.mime
    no_thumb = as_director.get(reverse("core:attachment_thumbnail", args=[attachment.pk]))
    assert no_thumb.status_code == 404


def test_uploading_needs_the_change_permission(
    as_teacher: Any, as_director: Any, room: Any, other_school: Any
) -> None:
    files = {"files": [upload("a.png", png_bytes())]}
    assert as_teacher.post(upload_url(room), files).status_code == 403
    other_room = f.RoomFactory(building__campus__school=other_school)
    assert as_director.post(upload_url(other_room), files).status_code == 404
    assert Attachment.objects.count() == 0


def test_an_owner_without_scoping_answers_404(as_director: Any, director: Any) -> None:
    content_type = ContentType.objects.get_for_model(director._meta.model)
    url = reverse("core:attachment_upload", args=[content_type.pk, director.pk])
    assert as_director.get(url).status_code == 404


def test_deleting_by_the_uploader_or_a_manager(
    director: Any, teacher: Any, room: Any, storage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    (mine,) = attachment_upload(actor=teacher, owner=room, files=[upload("a.png", png_bytes())])
    (theirs,) = attachment_upload(actor=director, owner=room, files=[upload("b.pdf", pdf_bytes())])
    delete = "core:attachment_delete"
    assert login(teacher).post(reverse(delete, args=[theirs.pk])).status_code == 403
    assert login(teacher).get(reverse(delete, args=[mine.pk])).status_code == 200  # confirm
    with django_capture_on_commit_callbacks(execute=True):
        assert login(teacher).post(reverse(delete, args=[mine.pk])).status_code == 302
        assert login(director).post(reverse(delete, args=[theirs.pk])).status_code == 302
    assert Attachment.objects.count() == 0
    assert stored_files(storage) == []
    assert AuditEntry.objects.filter(changes__attachments=["b.pdf", None]).exists()


def test_attachments_go_with_their_owner(
    director: Any, room: Any, storage: Any, django_capture_on_commit_callbacks: Any
) -> None:
    attachment_upload(actor=director, owner=room, files=[upload("a.png", png_bytes())])
    with django_capture_on_commit_callbacks(execute=True):
        room.delete()
    assert Attachment.objects.count() == 0
    assert stored_files(storage) == []


def test_the_detail_page_shows_thumbnails_and_files(
    as_director: Any, director: Any, room: Any
) -> None:
    attachment_upload(
        actor=director,
        owner=room,
        files=[upload("窗户.png", png_bytes()), upload("报告.pdf", pdf_bytes())],
    )
    page = as_director.get(room.get_absolute_url()).content.decode()
    assert 'data-testid="thumbnails"' in page
    assert "报告.pdf" in page
    assert 'hx-encoding="multipart/form-data"' in page
    assert 'accept="image/*,application/pdf' in page
    assert "capture" not in page
    assert "style=" not in page


def test_viewers_see_attachments_but_no_upload_form(
    as_teacher: Any, director: Any, room: Any
) -> None:
    attachment_upload(actor=director, owner=room, files=[upload("窗户.png", png_bytes())])
    page = as_teacher.get(room.get_absolute_url()).content.decode()
    assert "窗户.png" in page
    assert 'data-testid="upload-form"' not in page
    assert 'data-testid="attachment-delete"' not in page


def test_the_detail_page_makes_a_constant_number_of_queries(
    as_director: Any, director: Any, room: Any
) -> None:
    from houqin.core.attachments.services import comment_add

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_director.get(room.get_absolute_url()).status_code == 200
        return len(queries)

    attachment_upload(actor=director, owner=room, files=[upload("0.png", png_bytes())])
    comment_add(actor=director, owner=room, body="0")
    count()  # warm the caches (content types, permissions)
    one = count()
    attachment_upload(
        actor=director,
        owner=room,
        files=[upload(f"{n}.pdf", pdf_bytes()) for n in range(1, 10)]
        + [upload(f"{n}.png", png_bytes()) for n in range(10, 20)],
    )
    for n in range(19):
        comment_add(actor=director, owner=room, body=str(n))
    assert Attachment.objects.filter(object_id=room.pk).count() == 20
    assert count() == one


def test_s3_storage_is_configured_from_the_environment(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import default_storage as s\n"
        "s._setup()\n"
        "print(type(s._wrapped).__name__, s.bucket_name, s.endpoint_url, s.default_acl,"
        " s.querystring_auth)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOUQIN_", "DJANGO_"))}
    env.update(
        {
            "PYTHONPATH": str(root / "src"),
            "DJANGO_SETTINGS_MODULE": "houqin.settings.base",
            "HOUQIN_VAR_DIR": str(tmp_path),
            "HOUQIN_S3_BUCKET": "houqin-files",
            "HOUQIN_S3_ENDPOINT_URL": "http://minio.local:9000",
            "HOUQIN_S3_ACCESS_KEY": "key",
            "HOUQIN_S3_SECRET_KEY": "secret",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage",
        "houqin-files",
        "http://minio.local:9000",
        "private",
        "True",
    ]


def test_htmx_upload_answers_with_the_section_and_the_timeline(as_director: Any, room: Any) -> None:
    response = as_director.post(
        upload_url(room), {"files": [upload("门锁.png", png_bytes())]}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="hq-attachments"')
    assert 'id="hq-timeline"' in html and 'hx-swap-oob="true"' in html
    assert "门锁.png" in html
    history = as_director.get(room.get_absolute_url() + "?tab=history")
    assert history.status_code == 200
    assert "门锁.png" in history.content.decode()
