"""Importing the store's items with opening balances: all rows or none, every error at once,
codes kept or given, the ledger adding up from its opening rows; and the reorder alert."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from houqin.core.imports import import_file
from houqin.inventory.imports import StockItemImportSpec
from houqin.inventory.models import StockItem, StockMovement
from houqin.inventory.services.reorder import alert_low_stock, newly_low
from houqin.inventory.services.stock import stock_move
from houqin.inventory.tasks import reorder_alert
from houqin.notifications.models import Notification
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = [
    "编号",
    "名称",
    "规格",
    "单位",
    "类别",
    "最低库存",
    "最高库存",
    "货架",
    "期初数量",
    "期初单价",
]


def csv(rows: list[list[Any]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def run(school: Any, actor: Any, data: bytes) -> Any:
    return import_file(spec=StockItemImportSpec(), file=data, school=school, actor=actor)


def test_items_come_in_with_their_opening_balance(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    data = csv(
        [
            ["", "A4复印纸", "70g", "包", "paper", "20", "100", "A-01", "50", "22.5"],
            ["JX-01", "粉笔", "白色", "盒", "Teaching supplies", "", "", "", "", ""],
            ["", "抹布", "", "块", "cleaning", "5", "", "", "3", "1.2"],
        ]
    )
    result = run(school, keeper, data)
    assert result.ok, result.errors
    assert result.created == 3
    paper = StockItem.objects.get(name="A4复印纸")
    assert paper.code == "HC-00001" and paper.category == "paper"
    assert (paper.quantity, paper.value, paper.average_cost) == (D("50"), D("1125.00"), D("22.5"))
    opening = StockMovement.objects.get(item=paper)
    assert opening.kind == "opening" and opening.balance == 50 and opening.amount == D("1125.00")
    assert StockItem.objects.get(name="粉笔").code == "JX-01"
    assert not StockMovement.objects.filter(item__name="粉笔").exists()
    assert StockItem.objects.get(name="抹布").code == "HC-00002"
    stock_move(item=paper, kind="issue", quantity=10, actor=None, reason="x")
    paper.refresh_from_db()
    assert paper.quantity == 40 and paper.value == D("900.00")


def test_every_error_is_shown_and_nothing_is_saved(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    supplies.stock_item(school, code="OLD-1")
    data = csv(
        [
            ["OLD-1", "重复", "", "个", "office", "", "", "", "", ""],
            ["", "", "", "个", "火箭", "", "", "", "", ""],
            ["", "无单价", "", "个", "office", "", "", "", "5", ""],
            ["", "上下限反了", "", "个", "office", "10", "5", "", "-1", "1"],
            ["", "好的", "", "个", "office", "", "", "", "1", "1"],
        ]
    )
    result = run(school, keeper, data)
    assert not result.ok
    rows = {error.row for error in result.errors}
    assert rows == {2, 3, 4, 5}
    assert StockItem.objects.filter(school=school).count() == 1
    assert not StockMovement.objects.exists()


def test_the_import_page_imports_for_the_storekeeper(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    client = login(keeper)
    assert client.get(reverse("inventory:item_import")).status_code == 200
    template = client.get(reverse("inventory:item_import_template"))
    assert template.status_code == 200
    upload = SimpleUploadedFile(
        "items.csv", csv([["", "胶带", "", "卷", "office", "2", "", "", "4", "3"]])
    )
    response = client.post(reverse("inventory:item_import"), {"school": school.pk, "file": upload})
    assert response.status_code == 302
    assert StockItem.objects.get(name="胶带").quantity == 4
    assert (
        login(f.member(school, "teacher")).get(reverse("inventory:item_import")).status_code == 403
    )


def test_the_alert_tells_storekeepers_once_per_low_spell(school: Any) -> None:
    keeper = f.member(school, "storekeeper")
    item = supplies.stock_item(school, name="硒鼓", min_stock=D("3"))
    supplies.receive(item, 5, "300")
    start = timezone.now() - datetime.timedelta(seconds=1)
    stock_move(item=item, kind="issue", quantity=2, actor=None, reason="x")  # 5 → 3: low
    assert list(newly_low(start)) == [item]
    assert alert_low_stock(since=start) == 1
    note = Notification.objects.get(recipient=keeper)
    assert "硒鼓" in note.body and note.event == "inventory.low_stock"
    later = timezone.now()
    stock_move(item=item, kind="issue", quantity=1, actor=None, reason="x")  # still low
    assert alert_low_stock(since=later) == 0
    supplies.receive(item, 10, "300")  # back above
    stock_move(item=item, kind="issue", quantity=11, actor=None, reason="x")  # low again
    assert alert_low_stock(since=later) == 1
    assert Notification.objects.filter(recipient=keeper).count() == 2


def test_the_daily_job_runs(school: Any) -> None:
    f.member(school, "storekeeper")
    item = supplies.stock_item(school, min_stock=D("1"))
    supplies.receive(item, 2)
    stock_move(item=item, kind="issue", quantity=1, actor=None, reason="x")
    assert reorder_alert.run_now() == "1 items ran low"
