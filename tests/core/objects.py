"""Files for tests, and an attachment, a comment and an export for tests/test_url_access.py."""

from __future__ import annotations

import io
import struct
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from houqin.core.attachments.services import attachment_upload, comment_add
from houqin.core.models import ExportFile


def png_bytes(size: tuple[int, int] = (64, 48), color: Any = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def ooxml_bytes(kind: str = "docx", macros: bool = False) -> bytes:
    part, content_type = {
        "docx": ("word/document.xml", "wordprocessingml.document.main+xml"),
        "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
        "pptx": ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
    }[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/content-types"><Override PartName="/{part}" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{content_type}"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr(part, "<xml/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 10)
    return buffer.getvalue()


def ole2_bytes(stream: str = "WordDocument", extra: str = "") -> bytes:
    """A minimal compound file (512-byte sectors) whose directory names ``stream``."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    directory = bytearray(512)
    for index, (name, kind) in enumerate(
        [("Root Entry", 5), (stream, 2)] + ([(extra, 1)] if extra else [])
    ):
        encoded = (name + "\x00").encode("utf-16-le")
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        struct.pack_into("<HB", entry, 0x40, len(encoded), kind)
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header) + fat + bytes(directory)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def attachment_objects(room: Any, person: Any) -> dict[str, Any]:
    """A photo attached to ``room`` and a comment on it, by ``person``."""
    (attachment,) = attachment_upload(
        actor=person, owner=room, files=[upload("教室.png", png_bytes(), "image/png")]
    )
    comment = comment_add(actor=person, owner=room, body="窗户玻璃裂了")
    export = ExportFile.objects.create(
        owner=person, title="房间", path="/org/rooms/", status=ExportFile.Status.DONE
    )
    export.file.save("房间.xlsx", ContentFile(ooxml_bytes("xlsx")))
    return {"attachment": attachment, "comment": comment, "exportfile": export}
