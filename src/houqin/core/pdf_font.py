"""The face PDFs are written in: Noto Sans CJK SC cut down to the characters of GB 2312.

A PDF embeds only the glyphs it uses, but WeasyPrint keeps every glyph's place up to the
highest one used, so a document with sixty characters of the full CJK face (65,535 glyphs)
still carries tables for all of them: about 160 kB and a third of the rendering time. The same
face holding the 6,763 characters of GB 2312 (plus Latin, punctuation and full-width forms)
makes the same page half the size and its writing twice as fast.

The cut face is built once from the system's Noto Sans CJK (``manage build_pdf_font``, run by
``./houqin`` when it sets up); it is renamed, as a modified font should be (SIL Open Font
License 1.1). A character outside it (a rare name such as 堃) is taken from the full face,
and bold text always is: the cut face has one weight.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

FAMILY = "Houqin Sans SC"
FULL_FAMILY = "Noto Sans CJK SC"
FILE_NAME = "HouqinSansSC-Regular.otf"
FORMAT_VERSION = "1"  # change when the character set or the options change


def font_path() -> Path:
    """Beside the installation, not under ``HOUQIN_VAR_DIR``: the face is built from the
    machine's fonts when the code is set up, like its environment, not kept with the data."""
    return Path(settings.HOUQIN_PDF_FONT_DIR) / FILE_NAME


def available() -> bool:
    return font_path().is_file()


def characters() -> set[int]:
    """GB 2312 (both levels and its symbols), ASCII and Latin-1, general and CJK punctuation,
    letterlike symbols (℃, №), circled numbers and full-width forms."""
    wanted: set[int] = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180))
    for first, last in ((0x2000, 0x206F), (0x2100, 0x215F), (0x2460, 0x249F), (0x3000, 0x303F)):
        wanted |= set(range(first, last + 1))
    wanted |= set(range(0xFF00, 0xFFEF))
    return wanted | gb2312()


def gb2312() -> set[int]:
    """Every character of GB 2312: 6,763 hanzi and 682 symbols, kana and letters."""
    found: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def source_font() -> tuple[Path, int]:
    """The system's Noto Sans CJK SC Regular: its file and its index in a collection."""
    matcher = shutil.which("fc-match")
    if matcher is None:
        raise FileNotFoundError("fc-match is missing (Debian: fontconfig)")
    pattern = f"{FULL_FAMILY}:style=Regular"
    found = subprocess.run(  # noqa: S603 - fixed arguments
        [matcher, "-f", "%{file}|%{index}|%{family}", pattern],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    path, _sep, rest = found.partition("|")
    index, _sep, families = rest.partition("|")
    if FULL_FAMILY not in families.split(","):
        raise FileNotFoundError(f"{FULL_FAMILY} is not installed (Debian: fonts-noto-cjk)")
    return Path(path), int(index or 0)


def build(target: Path | None = None) -> Path:
    """Cut the face and write it (atomically) to ``target`` (default: ``font_path()``)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target = target or font_path()
    source, index = source_font()
    font = TTFont(source, fontNumber=index, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx", "VORG"]  # PDFs here are written horizontally
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    names = {1: FAMILY, 16: FAMILY, 4: f"{FAMILY} Regular", 3: f"{FAMILY} Regular"}
    names[6] = FILE_NAME.removesuffix(".otf")
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
        elif record.nameID == 5:
            record.string = f"{record.toUnicode()}; cut for Houqin {FORMAT_VERSION}"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(partial)
    partial.replace(target)
    return target
