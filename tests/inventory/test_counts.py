"""Stock counts end to end: snapshot, counting, approval, posting the differences, the
refusal when stock moved, and the bulk paths a 20,000-line count needs."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import ApprovalError, approval_act, approval_withdraw
from houqin.inventory.models import StockCount, StockCountLine, StockItem, StockMovement
from houqin.inventory.services import counts as services
from houqin.inventory.services.counts import CountError, Entry
from houqin.inventory.services.stock import stock_move
from tests import factories as f
from tests import supplies
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def store(school: Any) -> Any:
    keeper = f.member(school, "storekeeper")
    director = f.member(school, "director")
    supplies.chain(school, "stock_count", ("role", "director"))
    paper = supplies.stock_item(school, name="复印纸", unit="包", category="paper")
    supplies.receive(paper, 10, "20")
    pens = supplies.stock_item(school, name="签字笔", unit="支", category="office")
    supplies.receive(pens, 30, "1.5")
    glue = supplies.stock_item(school, name="胶水", unit="瓶", category="office")
    supplies.receive(glue, 5, "4")
    return type(
        "Store",
        (),
        {
            "keeper": keeper,
            "director": director,
            "paper": paper,
            "pens": pens,
            "glue": glue,
            "school": school,
        },
    )


def lines(count: StockCount) -> dict[str, StockCountLine]:
    return {
        line.item.name: line
        for line in StockCountLine.objects.filter(count=count).select_related("item")
    }


def test_starting_snapshots_the_book_of_the_chosen_categories(store: Any) -> None:
    supplies.stock_item(store.school, category="office", is_active=False)
    count = services.count_start(
        actor=store.keeper, school=store.school, title="期末盘点", categories=["office"]
    )
    assert count.number.startswith("KC-") and count.status == "counting"
    found = lines(count)
    assert set(found) == {"签字笔", "胶水"}
    assert found["签字笔"].book_quantity == 30 and found["签字笔"].unit_cost == D("1.5")
    everything = services.count_start(
        actor=store.keeper, school=store.school, title="全盘", categories=[]
    )
    assert len(lines(everything)) == 3
    with pytest.raises(CountError):
        services.count_start(
            actor=store.keeper, school=store.school, title="x", categories=["medical"]
        )
    with pytest.raises(CountError):
        services.count_start(
            actor=f.member(store.school, "teacher"), school=store.school, title="x", categories=[]
        )


def test_a_count_goes_from_counting_to_posted_through_approval(store: Any) -> None:
    count = services.count_start(
        actor=store.keeper, school=store.school, title="盘点", categories=[]
    )
    found = lines(count)
    services.count_enter(
        actor=store.keeper,
        count=count,
        entries={
            found["复印纸"].pk: Entry(D("8"), "两包受潮"),
            found["签字笔"].pk: Entry(D("32")),
        },
    )
    with pytest.raises(CountError, match="not counted"):
        services.count_submit(actor=store.keeper, count=count)
    assert services.count_fill(actor=store.keeper, count=count) == 1
    summary = services.summary(count)
    assert summary["differing"] == 2 and summary["uncounted"] == 0
    assert summary["shortage"] == D("-40.00") and summary["surplus"] == D("3.00")
    count = services.count_submit(actor=store.keeper, count=count)
    assert count.status == "pending"
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    assert request.amount == D("43.00") and request.requester == store.keeper
    with pytest.raises(CountError):  # no more counting while it waits for approval
        services.count_enter(
            actor=store.keeper, count=count, entries={found["胶水"].pk: Entry(D("1"))}
        )
    approval_act(request=request, actor=store.director, action="approve")
    count.refresh_from_db()
    assert count.status == "posted" and count.posted_at is not None
    paper = StockItem.objects.get(pk=store.paper.pk)
    assert paper.quantity == 8 and paper.value == D("160.00")
    pens = StockItem.objects.get(pk=store.pens.pk)
    assert pens.quantity == 32 and pens.value == D("48.00")
    moves = StockMovement.objects.filter(source_type="stock_count", source_id=count.pk)
    assert {(m.item_id, m.kind, m.quantity) for m in moves} == {
        (store.paper.pk, "adjust_down", D("-2")),
        (store.pens.pk, "adjust_up", D("2")),
    }
    assert all(m.reference == count.number and m.balance >= 0 for m in moves)


def test_posting_matches_the_stock_service_arithmetic(store: Any) -> None:
    """A posted count leaves the same totals as the same adjustments through stock_move."""
    twin = supplies.stock_item(store.school, name="双胞胎", unit="包", category="paper")
    supplies.receive(twin, 10, "20")
    supplies.receive(store.paper, 3, "7.77")
    supplies.receive(twin, 3, "7.77")
    count = services.count_start(
        actor=store.keeper, school=store.school, title="x", categories=["paper"]
    )
    found = lines(count)
    services.count_enter(
        actor=store.keeper,
        count=count,
        entries={found["复印纸"].pk: Entry(D("4.5")), found["双胞胎"].pk: Entry(D("13"))},
    )
    services.count_submit(actor=store.keeper, count=count)
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    approval_act(request=request, actor=store.director, action="approve")
    stock_move(item=twin, kind="adjust_down", quantity=D("8.5"), actor=None, reason="x")
    paper, twin = StockItem.objects.get(pk=store.paper.pk), StockItem.objects.get(pk=twin.pk)
    assert (paper.quantity, paper.value, paper.average_cost) == (
        twin.quantity,
        twin.value,
        twin.average_cost,
    )


def test_a_shortage_that_stock_moved_past_is_refused_and_nothing_changes(store: Any) -> None:
    count = services.count_start(actor=store.keeper, school=store.school, title="x", categories=[])
    found = lines(count)
    services.count_enter(actor=store.keeper, count=count, entries={found["胶水"].pk: Entry(D("1"))})
    services.count_fill(actor=store.keeper, count=count)
    services.count_submit(actor=store.keeper, count=count)
    stock_move(item=store.glue, kind="issue", quantity=3, actor=None, reason="领用")  # 5 → 2
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    with pytest.raises(ApprovalError, match="胶水"):
        approval_act(request=request, actor=store.director, action="approve")
    count.refresh_from_db()
    request.refresh_from_db()
    assert count.status == "pending" and request.status == "pending"
    assert StockItem.objects.get(pk=store.glue.pk).quantity == 2
    assert not StockMovement.objects.filter(source_type="stock_count").exists()
    approval_act(request=request, actor=store.director, action="return", reason="重新盘点")
    count.refresh_from_db()
    assert count.status == "returned"
    assert services.count_refresh(actor=store.keeper, count=count) == 1
    line = lines(count)["胶水"]
    assert line.book_quantity == 2 and line.counted_quantity is None
    services.count_enter(actor=store.keeper, count=count, entries={line.pk: Entry(D("1"))})
    services.count_submit(actor=store.keeper, count=count)
    request.refresh_from_db()
    assert request.status == "pending" and request.round == 2
    approval_act(request=request, actor=store.director, action="approve")
    count.refresh_from_db()
    assert count.status == "posted"
    assert StockItem.objects.get(pk=store.glue.pk).quantity == 1


def test_a_count_without_differences_posts_at_once(store: Any) -> None:
    count = services.count_start(actor=store.keeper, school=store.school, title="x", categories=[])
    services.count_fill(actor=store.keeper, count=count)
    count = services.count_submit(actor=store.keeper, count=count)
    assert count.status == "posted"
    assert not ApprovalRequest.objects.filter(
        object_id=count.pk, request_type="stock_count"
    ).exists()
    assert not StockMovement.objects.filter(source_type="stock_count").exists()


def test_rejection_withdrawal_and_cancel(store: Any) -> None:
    count = services.count_start(actor=store.keeper, school=store.school, title="x", categories=[])
    found = lines(count)
    services.count_enter(actor=store.keeper, count=count, entries={found["胶水"].pk: Entry(D("9"))})
    services.count_fill(actor=store.keeper, count=count)
    services.count_submit(actor=store.keeper, count=count)
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    approval_withdraw(request=request, actor=store.keeper)
    count.refresh_from_db()
    assert count.status == "returned"
    services.count_submit(actor=store.keeper, count=count)
    request.refresh_from_db()
    approval_act(request=request, actor=store.director, action="reject", reason="数不对")
    count.refresh_from_db()
    assert count.status == "rejected"
    with pytest.raises(Exception, match="cannot go"):
        services.count_cancel(actor=store.keeper, count=count)
    other = services.count_start(actor=store.keeper, school=store.school, title="y", categories=[])
    assert services.count_cancel(actor=store.keeper, count=other).status == "cancelled"


def test_the_pages_count_on_a_phone_and_export(store: Any) -> None:
    client = login(store.keeper)
    response = client.post(
        reverse("inventory:count_add"),
        {"school": store.school.pk, "title": "月末盘点", "categories": ["office", "paper"]},
    )
    count = StockCount.objects.get(title="月末盘点")
    assert response.status_code == 302 and response["Location"].endswith(
        reverse("inventory:count_enter", args=[count.pk])
    )
    found = lines(count)
    enter = reverse("inventory:count_enter", args=[count.pk])
    page = client.get(enter)
    assert (
        page.status_code == 200 and page.content.decode().count('data-testid="counted-input"') == 3
    )
    saved = client.post(enter, {f"counted_{found['签字笔'].pk}": "29"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200 and 'data-testid="line-saved"' in saved.content.decode()
    bad = client.post(enter, {f"counted_{found['胶水'].pk}": "-1"})
    assert bad.status_code == 422
    whole = client.post(
        enter,
        {
            f"counted_{found['胶水'].pk}": "5",
            f"counted_{found['复印纸'].pk}": "10",
            f"note_{found['复印纸'].pk}": "整齐",
        },
    )
    assert whole.status_code == 302
    assert lines(count)["复印纸"].note == "整齐" and lines(count)["签字笔"].counted_quantity == 29
    detail = client.get(reverse("inventory:count_detail", args=[count.pk]))
    assert detail.status_code == 200 and detail.context["summary"]["differing"] == 1
    submitted = client.post(reverse("inventory:count_action", args=[count.pk, "submit"]))
    assert submitted.status_code == 302
    count.refresh_from_db()
    assert count.status == "pending"
    detail = login(store.director).get(reverse("inventory:count_detail", args=[count.pk]))
    assert 'data-testid="approval-panel"' in detail.content.decode()
    export = client.get(reverse("inventory:count_detail", args=[count.pk]), {"export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    assert len(list(book.active.values)) == 4
    listing = client.get(reverse("inventory:count_list"))
    assert listing.status_code == 200 and count.number in listing.content.decode()


def test_count_pages_refuse_teachers_and_other_schools(store: Any, other_school: Any) -> None:
    count = services.count_start(actor=store.keeper, school=store.school, title="x", categories=[])
    teacher = login(f.member(store.school, "teacher"))
    assert teacher.get(reverse("inventory:count_detail", args=[count.pk])).status_code == 403
    stranger = login(f.member(other_school, "storekeeper"))
    for name in ("count_detail", "count_enter"):
        assert stranger.get(reverse(f"inventory:{name}", args=[count.pk])).status_code == 404
    action = reverse("inventory:count_action", args=[count.pk, "fill"])
    assert stranger.post(action).status_code == 404
    assert StockCountLine.objects.filter(count=count, counted_quantity__isnull=False).count() == 0


def test_a_large_count_uses_bulk_queries(store: Any) -> None:
    school = store.school
    StockItem.objects.bulk_create(
        StockItem(
            school=school,
            code=f"BULK{n:05d}",
            name=f"物品{n}",
            category="office",
            quantity=D("5"),
            value=D("10"),
            average_cost=D("2"),
        )
        for n in range(600)
    )
    with CaptureQueriesContext(connection) as started:
        count = services.count_start(
            actor=store.keeper, school=school, title="大盘点", categories=[]
        )
    assert len(lines(count)) == 603 and len(started) < 30
    ids = list(StockCountLine.objects.filter(count=count).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as entered:
        services.count_enter(
            actor=store.keeper, count=count, entries={pk: Entry(D("4")) for pk in ids}
        )
    assert len(entered) < 30
    services.count_submit(actor=store.keeper, count=count)
    request = ApprovalRequest.objects.get(object_id=count.pk, request_type="stock_count")
    with CaptureQueriesContext(connection) as posted:
        approval_act(request=request, actor=store.director, action="approve")
    assert len(posted) < 60
    assert (
        StockMovement.objects.filter(source_type="stock_count", source_id=count.pk).count() == 603
    )
    bulk = StockItem.objects.get(code="BULK00007")
    assert bulk.quantity == 4 and bulk.value == D("8.00")
