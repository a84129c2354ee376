"""Demo scrap and stock counts: a posted year-end count with a few differences, and
today's count of the clinic's supplies still being counted."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from houqin.inventory.models import StockCount, StockCountLine

from .maintenance_story import fast_insert, reserve_keys
from .supplies_common import DAY, Approval, Approvals, Clock, H, People, number
from .supplies_ledger import Count, Out
from .supplies_store import Store

# (day, item name|spec, quantity, reason)
SCRAP = [
    (datetime.date(2025, 12, 19), "医用酒精|75% 500 ml", 3, "过期报废"),
    (datetime.date(2026, 1, 16), "篮球|7 号 PU", 2, "破损无法修复"),
    (datetime.date(2026, 6, 30), "藿香正气水|10 ml×10 支", 2, "过期报废"),
    (datetime.date(2026, 7, 3), "碘伏|100 ml", 4, "过期报废"),
    (datetime.date(2026, 9, 11), "乒乓球|三星 10 只", 3, "受潮变形"),
]


def scrap(store: Store, people: People, clock: Clock) -> None:
    keeper = people.any_of("storekeeper", "kg-director")
    for day, key, qty, reason in SCRAP:
        item_id = store.by_name.get(key)
        if item_id is None or day >= clock.today:
            continue
        store.outs.append(
            Out(
                at=clock.at(day, 14, 16),
                item_id=item_id,
                kind="scrap",
                quantity=Decimal(qty),
                reason=reason,
                actor_id=keeper.pk if keeper else None,
                counts_as_demand=False,
            )
        )


def counts(
    school: Any, store: Store, people: People, approvals: Approvals, clock: Clock, rng: Any
) -> list[Count]:
    """The year-end count of July 2026 (posted with a few differences) and today's count of
    the clinic's supplies, still being counted."""
    keeper = people.any_of("storekeeper", "kg-director")
    director = people.any_of("director", "kg-director")
    posted_at = clock.at(datetime.date(2026, 7, 14), 10, 11)
    if posted_at >= clock.now:
        return []
    started = posted_at - 2 * DAY
    count_row = {
        "school_id": school.pk,
        "title": "2025-2026 学年末库存盘点",
        "categories": [],
        "status": "posted",
        "started_by_id": keeper.pk,
        "posted_at": posted_at,
        "notes": "全库盘点，账实基本相符；差异已查明原因。",
        "created_at": started,
        "updated_at": posted_at,
    }
    candidates = [pk for pk, i in store.items.items() if i["weight"] >= 0.5]
    chosen = rng.sample(candidates, min(5, len(candidates)))
    differences = {pk: Decimal(rng.choice((-3, -2, -1, -1, 1, 2))) for pk in chosen}
    reserve_keys(StockCount, [count_row])
    count = Count(at=posted_at, differences=differences, actor_id=director.pk)
    count.source_id = count_row["id"]
    store.counts.append((count_row, count))
    approvals.add(
        Approval(
            request_type="stock_count",
            model=StockCount,
            object_id=count_row["id"],
            title="",
            amount=None,
            category="",
            department=people.departments.get("总务处") or people.departments.get("后勤处"),
            requester=keeper,
            submitted=started + DAY + 6 * H,
            outcome=["approve"],
            step_gap=datetime.timedelta(hours=18),
        )
    )
    current = {
        "school_id": school.pk,
        "title": "医务室药品耗材月度盘点",
        "categories": ["medical"],
        "status": "counting",
        "started_by_id": keeper.pk,
        "posted_at": None,
        "notes": "",
        "created_at": clock.now - 3 * H,
        "updated_at": clock.now - 3 * H,
        "id": count_row["id"] + 1,
    }
    store.counts.append((current, None))
    return [count]


def write_counts(store: Store, ledger_states: dict[int, Any], people: People, rng: Any) -> None:
    rows = [row for row, _c in store.counts]
    if not rows:
        return
    number(rows, "KC", people.school.pk)
    for row, c in store.counts:
        if c is not None:
            c.reference = row["number"]
    fast_insert(StockCount, rows)
    keeper = people.any_of("storekeeper", "kg-director")
    lines = []
    for row, c in store.counts:
        if c is not None:
            for item_id, (book, cost) in sorted(c.book.items()):
                diff = c.differences.get(item_id, Decimal(0))
                lines.append(
                    {
                        "count_id": row["id"],
                        "item_id": item_id,
                        "book_quantity": book,
                        "unit_cost": cost,
                        "counted_quantity": book + diff,
                        "note": ""
                        if not diff
                        else ("盘盈，入库时少记" if diff > 0 else "盘亏，领用未登记"),
                        "counted_by_id": keeper.pk,
                    }
                )
            continue
        medical = [pk for pk, i in store.items.items() if i["category"] in row["categories"]]
        for n, item_id in enumerate(sorted(medical)):
            state = ledger_states[item_id]
            lines.append(
                {
                    "count_id": row["id"],
                    "item_id": item_id,
                    "book_quantity": state.quantity,
                    "unit_cost": state.average_cost,
                    "counted_quantity": state.quantity if n < len(medical) // 2 else None,
                    "note": "",
                    "counted_by_id": keeper.pk if n < len(medical) // 2 else None,
                }
            )
    fast_insert(StockCountLine, lines)
