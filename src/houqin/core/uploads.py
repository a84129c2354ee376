"""Checking uploaded files by their content, and re-encoding images.

A file is accepted only when its bytes are one of the allowed kinds: JPEG, PNG, GIF, WebP,
HEIC/HEIF (when Pillow can read it), PDF, Word/Excel/PowerPoint (OOXML and the legacy OLE2
formats, without macros) and plain text or CSV in UTF-8 or GB18030. The file name and the
browser's content type are never trusted; the stored extension comes from the detected kind.

Images are decoded with a pixel limit (decompression bombs), turned upright from the EXIF
orientation, stripped of all metadata (EXIF with GPS, XMP, comments), converted to sRGB,
downscaled to at most 2,560 px on the longest side and re-encoded, with a 320 px thumbnail.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

#: The longest side of a stored image and of its thumbnail, in pixels.
MAX_IMAGE_SIDE: Final = 2560
THUMBNAIL_SIDE: Final = 320
#: Images with more pixels than this are refused before they are decoded.
DEFAULT_MAX_PIXELS: Final = 64_000_000
JPEG_QUALITY: Final = 85
#: How much of a text file is examined for markup and control characters.
TEXT_SAMPLE: Final = 256 * 1024

# Pillow's own decompression-bomb guard for the whole process (it warns above the limit and
# refuses above twice the limit); uploads are also checked against the setting below.
Image.MAX_IMAGE_PIXELS = DEFAULT_MAX_PIXELS

ALLOWED_KINDS = gettext_lazy(
    "photos and images (JPEG, PNG, GIF, WebP, HEIC), PDF, Word, Excel, PowerPoint "
    "and plain text or CSV"
)


@dataclass(frozen=True)
class Kind:
    """A detected file type."""

    mime: str
    ext: str
    is_image: bool = False
    #: The Pillow format name used to decode an image of this kind.
    pil_format: str = ""


JPEG = Kind("image/jpeg", "jpg", True, "JPEG")
PNG = Kind("image/png", "png", True, "PNG")
GIF = Kind("image/gif", "gif", True, "GIF")
WEBP = Kind("image/webp", "webp", True, "WEBP")
HEIF = Kind("image/heif", "heic", True, "HEIF")
AVIF = Kind("image/avif", "avif", True, "AVIF")
PDF = Kind("application/pdf", "pdf")
DOCX = Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
DOC = Kind("application/msword", "doc")
XLS = Kind("application/vnd.ms-excel", "xls")
PPT = Kind("application/vnd.ms-powerpoint", "ppt")
TEXT = Kind("text/plain", "txt")
CSV = Kind("text/csv", "csv")

#: OOXML: the main part that makes a ZIP a Word, Excel or PowerPoint file.
OOXML_PARTS: Final = (
    ("word/document.xml", "wordprocessingml.document.main+xml", DOCX),
    ("xl/workbook.xml", "spreadsheetml.sheet.main+xml", XLSX),
    ("ppt/presentation.xml", "presentationml.presentation.main+xml", PPTX),
)
#: OLE2: the stream that makes a compound file a Word, Excel or PowerPoint file.
OLE_STREAMS: Final = (
    ("worddocument", DOC),
    ("workbook", XLS),
    ("book", XLS),
    ("powerpoint document", PPT),
)
OLE_MACRO_STORAGES: Final = frozenset({"macros", "_vba_project_cur", "vba"})
HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
)
AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
CONTROL: Final = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
MARKUP: Final = (b"<html", b"<script", b"<svg", b"<!doctype", b"<?xml", b"<iframe", b"<body")


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload, ready to store."""

    content: bytes
    mime: str
    ext: str
    sha256: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")


def max_upload_bytes() -> int:
    return int(getattr(settings, "HOUQIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def refuse_kind() -> ValidationError:
    return ValidationError(
        _("This kind of file is not accepted. Allowed are %(kinds)s.") % {"kinds": ALLOWED_KINDS},
        code="kind",
    )


def refuse_size(limit: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="size"
    )


def read_limited(file: IO[bytes] | Any, limit: int | None = None) -> bytes:
    """The whole file, refusing it before reading when its declared size is over the limit,
    and after ``limit + 1`` bytes when it has no declared size or lied about it."""
    limit = max_upload_bytes() if limit is None else limit
    declared = getattr(file, "size", None)
    if isinstance(declared, int) and declared > limit:
        raise refuse_size(limit)
    if hasattr(file, "seek"):
        file.seek(0)
    data: bytes = file.read(limit + 1)
    if len(data) > limit:
        raise refuse_size(limit)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    return data


# --- Sniffing ------------------------------------------------------------------------------


def sniff(data: bytes, name: str = "") -> Kind:
    """The kind of ``data`` from its bytes; ``name`` only chooses between .txt and .csv."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp":
        return _sniff_isobmff(data)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_ooxml(data)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole2(data)
    if b"%PDF-" in data[:1024]:  # readers accept a header within the first kilobyte
        return PDF
    return _sniff_text(data, name)


def _sniff_isobmff(data: bytes) -> Kind:
    """HEIC/HEIF and AVIF photos: an ISO media file whose brands say so."""
    (box_size,) = struct.unpack(">I", data[:4])
    box_end = min(max(box_size, 16), 4096, len(data))
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, box_end - 3, 4)}
    if brands & AVIF_BRANDS:
        return AVIF
    if brands & HEIF_BRANDS:
        return HEIF
    raise refuse_kind()


def _sniff_ooxml(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = {info.filename: info for info in archive.infolist()}
        types = names.get("[Content_Types].xml")
        if types is None or types.file_size > 1024 * 1024:
            raise refuse_kind()
        content_types = archive.read(types).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError) as exc:
        raise refuse_kind() from exc
    lowered = {n.lower() for n in names}
    for part, content_type, kind in OOXML_PARTS:
        if part in names and content_type in content_types:
            if any(n.endswith("vbaproject.bin") for n in lowered) or "macroenabled" in (
                content_types.lower()
            ):
                raise ValidationError(
                    _("Office files with macros are not accepted. Save it without macros."),
                    code="macros",
                )
            return kind
    raise refuse_kind()


def _ole_names(data: bytes) -> list[str]:
    """The names of the storages and streams of an OLE2 compound file (lower case)."""
    if len(data) < 512:
        raise refuse_kind()
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise refuse_kind()
    sector_size = 1 << sector_shift
    num_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, num_difat = struct.unpack_from("<II", data, 0x44)
    max_sector = len(data) // sector_size

    def sector(number: int) -> bytes:
        if not 0 <= number < max_sector:
            raise refuse_kind()
        start = (number + 1) * sector_size
        return data[start : start + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    per_sector = sector_size // 4
    difat = first_difat
    for _i in range(min(num_difat, max_sector)):
        if difat >= 0xFFFFFFFA:
            break
        entries = struct.unpack(f"<{per_sector}I", sector(difat))
        fat_sectors.extend(entries[:-1])
        difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors[: min(num_fat, max_sector)]:
        fat.extend(struct.unpack(f"<{per_sector}I", sector(number)))
    names: list[str] = []
    current, seen = first_dir, 0
    while current < 0xFFFFFFFA and seen < max_sector:
        block = sector(current)
        for offset in range(0, sector_size, 128):
            entry = block[offset : offset + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            if entry[0x42] in (1, 2) and 2 <= length <= 64:
                names.append(entry[: length - 2].decode("utf-16-le", "replace").lower())
        current = fat[current] if current < len(fat) else 0xFFFFFFFE
        seen += 1
    return names


def _sniff_ole2(data: bytes) -> Kind:
    try:
        names = _ole_names(data)
    except (struct.error, IndexError) as exc:
        raise refuse_kind() from exc
    if OLE_MACRO_STORAGES & set(names):
        raise ValidationError(
            _("Office files with macros are not accepted. Save it without macros."),
            code="macros",
        )
    for stream, kind in OLE_STREAMS:
        if stream in names:
            return kind
    raise refuse_kind()


def _sniff_text(data: bytes, name: str) -> Kind:
    """Plain text or CSV: UTF-8 or GB18030, no NULs or other control characters, no markup."""
    if b"\x00" in data:
        raise refuse_kind()
    sample = data[:TEXT_SAMPLE]
    text = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise refuse_kind()
    if CONTROL.search(text, 0, TEXT_SAMPLE):
        raise refuse_kind()
    lowered = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(b"<") or any(tag in lowered for tag in MARKUP):
        raise refuse_kind()
    return CSV if name.lower().endswith(".csv") else TEXT


# --- Images --------------------------------------------------------------------------------


def _has_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        alpha = image.convert("RGBA").getchannel("A")
        low = alpha.getextrema()[0]
        return isinstance(low, int | float) and low < 255
    return False


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert from an embedded colour profile (Display P3 photos…) to sRGB, if there is one."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=mode)
    except Exception:  # a damaged or unusual profile: keep the pixels as they are
        return image
    return converted if converted is not None else image


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.info = {}
    if fmt == "PNG":
        image.save(buffer, "PNG", compress_level=6)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _refuse_heic() -> ValidationError:
    return ValidationError(
        _(
            "HEIC photos cannot be read on this server. Set the camera to save JPEG "
            "(“Most compatible”) or share the photo as JPEG."
        ),
        code="heic",
    )


def _open_image(data: bytes, kind: Kind) -> Image.Image:
    """Decode with the decoder of the sniffed kind only, refusing more pixels than allowed
    (checked from the header, before the pixels are decoded)."""
    limit = int(getattr(settings, "HOUQIN_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))
    unreadable = ValidationError(
        _("The image cannot be read: it is damaged or too large."), code="image"
    )
    Image.init()
    if kind.pil_format not in Image.OPEN:
        raise _refuse_heic()
    try:
        image = Image.open(io.BytesIO(data), formats=[kind.pil_format])
        if image.width * image.height > limit:
            raise unreadable
        image.seek(0)
        if kind is JPEG:
            image.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
        image.load()
    except UnidentifiedImageError as exc:
        if kind in (HEIF, AVIF):
            raise _refuse_heic() from exc
        raise unreadable from exc
    except (
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
        EOFError,
        MemoryError,
    ) as exc:
        raise unreadable from exc
    return image


def process_image(data: bytes, kind: Kind) -> CheckedFile:
    """Decode, turn upright, strip metadata, downscale and re-encode an image."""
    image = _open_image(data, kind)
    image = ImageOps.exif_transpose(image) or image
    image = _to_srgb(image)
    alpha = _has_alpha(image)
    lossless = kind in (PNG, GIF) or alpha
    if alpha:
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    fmt = "PNG" if lossless else "JPEG"
    content = _encode(image, fmt)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    out = PNG if lossless else JPEG
    return CheckedFile(
        content=content,
        mime=out.mime,
        ext=out.ext,
        sha256=hashlib.sha256(content).hexdigest(),
        width=image.width,
        height=image.height,
        thumbnail=_encode(thumb, fmt),
    )


# --- Entry point ---------------------------------------------------------------------------


def check_upload(file: IO[bytes] | Any, name: str = "", *, limit: int | None = None) -> CheckedFile:
    """Accept ``file`` or raise ``ValidationError`` with a message for the user."""
    name = name or str(getattr(file, "name", "") or "")
    data = read_limited(file, limit)
    kind = sniff(data, name)
    if kind.is_image:
        return process_image(data, kind)
    return CheckedFile(
        content=data, mime=kind.mime, ext=kind.ext, sha256=hashlib.sha256(data).hexdigest()
    )


def accept_attribute() -> str:
    """The ``accept`` of a file input: what the allow-list takes (the server checks anyway)."""
    return ",".join(
        [
            "image/*",
            "application/pdf",
            ".doc",
            ".docx",
            ".xls",
            ".xlsx",
            ".ppt",
            ".pptx",
            ".txt",
            ".csv",
            DOCX.mime,
            XLSX.mime,
            PPTX.mime,
        ]
    )
