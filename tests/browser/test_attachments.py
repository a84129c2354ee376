"""The director attaches a photo and a PDF to a room and comments on it, on desktop and phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from houqin.accounts.models import Membership
from houqin.core.attachments.models import Attachment, Comment
from houqin.org.models import Room
from tests.core.objects import pdf_bytes

from .conftest import assert_no_horizontal_overflow, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def photo(path: Path) -> Path:
    """A 'photo' of a cracked window: sky, a frame and a crack."""
    image = Image.new("RGB", (1600, 1200), (170, 200, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 200, 1300, 1000), outline=(90, 70, 50), width=40)
    draw.line((800, 200, 800, 1000), fill=(90, 70, 50), width=30)
    draw.line((420, 320, 620, 640, 520, 900), fill=(30, 30, 30), width=8)
    image.save(path, "PNG")
    return path


def test_director_attaches_a_photo_and_a_pdf_and_comments(
    page: Any, live_server: Any, demo: None, tmp_path: Path
) -> None:
    school_id = Membership.objects.filter(user__username="director").values("school_id")[:1]
    room = Room.objects.filter(school_id__in=school_id).order_by("pk").first()
    assert room is not None
    report = tmp_path / "维修报告.pdf"
    report.write_bytes(pdf_bytes())

    log_in(page, live_server, "director")
    page.goto(f"{live_server.url}{room.get_absolute_url()}")
    assert page.locator("[data-testid=attachments]").is_visible()
    assert page.locator("[data-testid=upload-input]").get_attribute("capture") is None
    wrong = tmp_path / "物品清单.csv"
    wrong.write_text("名称,数量\n粉笔,10\n", encoding="utf-8")
    page.set_input_files(
        "[data-testid=upload-input]",
        [str(photo(tmp_path / "窗户裂缝.png")), str(report), str(wrong)],
    )
    page.fill("#hq-upload-description", "三楼东侧窗户")
    page.click("[data-testid=upload]")
    thumbnail = page.locator("[data-testid=thumbnails] img").first
    thumbnail.wait_for()
    for _attempt in range(50):  # wait_for_function evaluates strings, which the CSP forbids
        if thumbnail.evaluate("img => img.complete && img.naturalWidth"):
            break
        page.wait_for_timeout(100)
    assert thumbnail.evaluate("img => img.naturalWidth") == 320
    assert page.locator("[data-testid=files]").inner_text().count("维修报告.pdf") == 1
    assert page.locator("[data-testid=attachment-count]").inner_text().strip() == "3"
    assert "窗户裂缝.png" in page.locator("[data-testid=timeline]").inner_text()
    assert Attachment.objects.filter(object_id=room.pk).count() == 3

    page.once("dialog", lambda dialog: dialog.accept())  # "Delete …?"
    page.click("[data-testid=files] li:has-text('物品清单.csv') [data-testid=attachment-delete]")
    page.locator("[data-testid=files] >> text=物品清单.csv").wait_for(state="detached")
    assert page.locator("[data-testid=attachment-count]").inner_text().strip() == "2"
    assert Attachment.objects.filter(object_id=room.pk).count() == 2

    full = page.locator("[data-testid=thumbnails] a").first.get_attribute("href")
    response = page.request.get(f"{live_server.url}{full}")
    assert response.status == 200
    assert response.headers["content-type"] == "image/png"

    page.fill("[data-testid=comment-body]", "已通知维修组，周五前更换玻璃。")
    page.click("[data-testid=comment-submit]")
    page.locator("[data-testid=comment]").first.wait_for()
    assert "周五前更换玻璃" in page.locator("[data-testid=comment]").first.inner_text()
    assert Comment.objects.filter(object_id=room.pk).count() == 1
    assert page.locator("[data-testid=comment-body]").input_value() == ""

    assert_no_horizontal_overflow(page)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top
    shot(page, "room-attachments")

    page.reload()  # without htmx: the same page from the server
    assert page.locator("[data-testid=thumbnails] img").count() == 1
    assert page.locator("[data-testid=comment]").count() == 1
    assert page.locator("[data-testid=files]").inner_text().count("维修报告.pdf") == 1
    assert "物品清单.csv" in page.locator("[data-testid=timeline]").inner_text()  # removed
    assert_no_horizontal_overflow(page)
