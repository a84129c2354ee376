"""PDFs are written in Noto Sans CJK cut down to GB 2312; what the cut face lacks (a rare
character, a bold weight) comes from the full face, and without the cut face PDFs still work."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.template import engines
from fontTools.ttLib import TTFont

from houqin.core import pdf, pdf_font
from tests.assets.test_labels_pdf import pdf_fonts

PROBE = (
    '{% extends "core/pdf_base.html" %}{% block style %}'
    '.paid { font-weight: bold; font-family: "{{ pdf_full_font_family }}"; }{% endblock %}'
    "{% block content %}<h1>维修工单 BX-2026-000123</h1><p>报修人：张堃，室温 26℃，№ ①</p>"
    '<p class="paid">赔偿金额 ￥120.00</p>{% endblock %}'
)


@pytest.fixture(scope="module")
def cut_face() -> Path:
    """The face ``./houqin`` builds when it sets up; built here if this checkout has none."""
    if not pdf_font.available():
        call_command("build_pdf_font")
    return pdf_font.font_path()


def _render(tmp_path: Path) -> tuple[bytes, str, str]:
    html = engines["django"].from_string(PROBE).render(pdf.font_context())
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=pdf._fetcher())
    data = bytes(document.write_pdf(font_config=pdf._font_config()))
    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return data, text, pdf_fonts(data, tmp_path)


def test_the_cut_face_holds_gb2312_under_its_own_name(cut_face: Path) -> None:
    font = TTFont(cut_face)
    assert font["name"].getDebugName(1) == "Houqin Sans SC"
    mapped = set(font.getBestCmap())
    assert len(pdf_font.gb2312()) == 7445
    assert pdf_font.gb2312() <= mapped
    assert {ord(c) for c in "采购订单维修赔偿，。：（）￥℃①ABCabc0123"} <= mapped
    assert ord("堃") not in mapped  # outside GB 2312


def test_a_document_embeds_the_cut_face_and_the_full_one_only_where_needed(
    cut_face: Path, tmp_path: Path
) -> None:
    _data, text, fonts = _render(tmp_path)
    for words in ("维修工单 BX-2026-000123", "张堃", "26℃", "赔偿金额 ￥120.00"):
        assert words in text
    assert "Houqin-Sans-SC" in fonts  # the text
    assert "Noto-Sans-CJK-SC " in fonts or "Noto-Sans-CJK-SC\n" in fonts  # 堃 only
    assert "Noto-Sans-CJK-SC-Bold" in fonts  # the amount, in a real bold face


def test_without_the_cut_face_pdfs_use_the_full_face(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_font, "font_path", lambda: tmp_path / "missing.otf")
    assert pdf.font_context()["pdf_font_url"] == ""
    _data, text, fonts = _render(tmp_path)
    assert "张堃" in text
    assert "Houqin-Sans-SC" not in fonts
    assert "Noto-Sans-CJK-SC" in fonts


def test_the_command_leaves_an_up_to_date_face_alone(cut_face: Path) -> None:
    before = cut_face.stat().st_mtime_ns
    call_command("build_pdf_font", "--if-missing")
    assert cut_face.stat().st_mtime_ns == before
