"""The shared PDF helper renders Chinese with an embedded CJK font."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from houqin.core.pdf import pdf_response, render_pdf


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    line = next(line for line in info.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def test_render_pdf_embeds_cjk_font(settings: Any, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "probe.html").write_text(
        '{% extends "core/pdf_base.html" %}{% block content %}<h1>{{ heading }}</h1>'
        '<img src="/static/houqin/favicon.svg" alt="">{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [templates, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pdf = render_pdf("probe.html", {"heading": "示范中学 固定资产标签"})
    assert pdf.startswith(b"%PDF")
    assert "示范中学 固定资产标签" in pdf_text(pdf, tmp_path)
    fonts = pdf_fonts(pdf, tmp_path)
    cjk = [line for line in fonts.splitlines() if "Houqin-Sans-SC" in line or "Noto-Sans" in line]
    assert cjk
    assert all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


@pytest.mark.parametrize(("inline", "expected"), [(True, "inline"), (False, "attachment")])
def test_pdf_response_has_utf8_filename(inline: bool, expected: str) -> None:
    response = pdf_response(b"%PDF-1.7", "资产标签 2026.pdf", inline=inline)
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith(expected)
    assert "filename*=UTF-8''%E8%B5%84%E4%BA%A7" in disposition
    assert 'filename="2026.pdf"' in disposition


# Asset labels ------------------------------------------------------------------------------


@pytest.fixture
def keeper(school: Any) -> Any:
    from tests import factories as f

    return f.member(school, "assetkeeper", username="assetkeeper")


@pytest.mark.django_db
def test_one_label_shows_the_school_and_embeds_the_font(
    school: Any, keeper: Any, tmp_path: Path
) -> None:
    from tests import factories as f
    from tests.assets.objects_movements import make_asset
    from tests.conftest import login

    room = f.RoomFactory(building__campus__school=school, number="301")
    asset = make_asset(school, keeper, name="多媒体讲台", room=room)
    client = login(keeper)
    page = client.get(f"/assets/register/{asset.pk}/label/")
    assert page.status_code == 200
    assert b"layout-printer" in page.content
    for layout in ("printer", "a4"):
        response = client.get(f"/assets/register/{asset.pk}/label/?layout={layout}")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response.streaming_content) if response.streaming else response.content
        text = pdf_text(pdf, tmp_path)
        assert "示范中学" in text
        assert asset.code in text
        assert "多媒体讲台" in text
        assert "301" in text
        assert "Noto-Sans-CJK-SC-Bold" in pdf_fonts(pdf, tmp_path)  # the code, in bold
        assert pdf_pages(pdf, tmp_path) == 1


@pytest.mark.django_db
def test_a4_sheets_hold_24_labels(school: Any, keeper: Any, tmp_path: Path) -> None:
    from tests import factories as f
    from tests.assets.objects_movements import make_asset
    from tests.conftest import login

    room = f.RoomFactory(building__campus__school=school)
    other = f.RoomFactory(building__campus__school=school)
    assets = [make_asset(school, keeper, name=f"课桌{i}", room=room) for i in range(25)]
    make_asset(school, keeper, name="别处的椅子", room=other)
    client = login(keeper)
    response = client.get(f"/assets/register/labels/?room={room.pk}&layout=a4")
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content, tmp_path) == 2
    text = pdf_text(response.content, tmp_path)
    assert "课桌24" in text and "别处的椅子" not in text
    ids = ",".join(str(a.pk) for a in assets[:3])
    printer = client.get(f"/assets/register/labels/?ids={ids}&layout=printer")
    assert pdf_pages(printer.content, tmp_path) == 3
    choose = client.get(f"/assets/register/labels/?room={room.pk}")
    assert choose.status_code == 200
    assert choose.context["count"] == 25
    assert ("room", str(room.pk)) in choose.context["hidden"]


@pytest.mark.django_db
def test_too_many_labels_are_refused_with_a_message(
    school: Any, keeper: Any, monkeypatch: Any
) -> None:
    from houqin.assets.services import labels
    from tests.assets.objects_movements import make_asset
    from tests.conftest import login

    monkeypatch.setattr(labels, "MAX_LABELS", 2)
    from houqin.assets.views import labels as label_views

    monkeypatch.setattr(label_views, "MAX_LABELS", 2)
    for i in range(3):
        make_asset(school, keeper, name=f"椅子{i}")
    client = login(keeper)
    response = client.get("/assets/register/labels/?layout=a4")
    assert response["Content-Type"].startswith("text/html")
    assert "一次最多打印 2 张标签" in response.content.decode()
    assert response.context["too_many"]


@pytest.mark.django_db
def test_labels_need_the_print_permission_and_stay_in_the_school(
    school: Any, other_school: Any, keeper: Any
) -> None:
    from tests import factories as f
    from tests.assets.objects_movements import make_asset
    from tests.conftest import login

    asset = make_asset(school, keeper)
    theirs = make_asset(other_school, f.member(other_school, "assetkeeper"))
    assert login(f.member(school, "teacher")).get("/assets/register/labels/").status_code == 403
    client = login(keeper)
    assert client.get(f"/assets/register/{theirs.pk}/label/").status_code == 404
    response = client.get(f"/assets/register/labels/?ids={asset.pk},{theirs.pk}")
    assert response.context["count"] == 1


@pytest.mark.django_db
def test_the_qr_code_holds_the_absolute_scan_url(school: Any, keeper: Any, settings: Any) -> None:
    from django.test import RequestFactory

    from houqin.assets.models import Asset
    from houqin.assets.services.labels import label_rows, qr_data_uri, scan_url
    from tests.assets.objects_movements import make_asset

    asset = make_asset(school, keeper)
    settings.HOUQIN_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["houqin.example.cn"]
    request = RequestFactory().get("/", HTTP_HOST="houqin.example.cn")
    url = scan_url(asset, request)
    assert url == f"http://houqin.example.cn/assets/a/{asset.public_code}/"
    settings.HOUQIN_BASE_URL = "https://hq.school.cn/"
    url = scan_url(asset, request)
    assert url == f"https://hq.school.cn/assets/a/{asset.public_code}/"
    rows = label_rows(Asset.objects.filter(pk=asset.pk).select_related("school", "room"), request)
    assert rows[0]["qr"] == qr_data_uri(url)
    assert rows[0]["qr"].startswith("data:image/png")
