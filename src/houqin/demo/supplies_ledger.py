"""The demo stock ledger: every movement computed as ``stock_move`` would, in time order.

The demand (issues to requisitions, paper for print jobs, parts for repairs, scrap) is
known first; the store is then replenished in purchasing rounds, each ordering what the
demand until the next round needs on top of the minimum stock, so stock never goes below
zero and the running balances, values and moving-average costs are exactly those the
service would have written.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from houqin.inventory.choices import INCOMING

QTY = Decimal("0.001")
CENT = Decimal("0.01")
COST = Decimal("0.0001")


@dataclass
class State:
    quantity: Decimal = Decimal("0")
    value: Decimal = Decimal("0")
    average_cost: Decimal = Decimal("0")


@dataclass
class Out:
    """A movement out of the store that the demand asks for."""

    at: datetime.datetime
    item_id: int
    kind: str
    quantity: Decimal
    reason: str
    department_id: int | None = None
    person_id: int | None = None
    source_type: str = ""
    source_id: int | None = None
    reference: str = ""
    actor_id: int | None = None
    done: Callable[[Decimal], None] | None = None  # told the quantity actually moved
    counts_as_demand: bool = True


@dataclass
class Round:
    """A replenishment: goods accepted at ``at`` (or, when ``future``, still on order)."""

    at: datetime.datetime
    future: bool = False
    opening: bool = False
    # item id -> (quantity, unit cost); filled by the simulation
    needs: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    # item id -> the receipt movement row, to be linked to its acceptance
    receipts: dict[int, dict[str, Any]] = field(default_factory=dict)
    low: set[int] = field(default_factory=set)  # left below the minimum on purpose


@dataclass
class Count:
    """A stock count posted at ``at``: item id -> counted minus book."""

    at: datetime.datetime
    differences: dict[int, Decimal]
    book: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)
    source_id: int | None = None
    reference: str = ""
    actor_id: int | None = None


class Ledger:
    def __init__(
        self,
        school_id: int,
        items: dict[int, dict[str, Any]],
        price: Callable[[int, int], Decimal],
    ) -> None:
        self.school_id = school_id
        self.items = items
        self.price = price  # (item id, round index) -> unit cost of that purchase
        self.states = {pk: State() for pk in items}
        self.rows: list[dict[str, Any]] = []

    # -- the service's arithmetic --------------------------------------------------------

    def move(
        self, item_id: int, kind: str, quantity: Decimal, at: datetime.datetime, **extra: Any
    ) -> dict[str, Any]:
        s = self.states[item_id]
        qty = Decimal(quantity).quantize(QTY, rounding=ROUND_HALF_UP)
        assert qty > 0, (item_id, kind, quantity)
        unit_cost = extra.pop("unit_cost", None)
        if kind in INCOMING:
            cost = s.average_cost if unit_cost is None else Decimal(unit_cost)
            amount = (qty * cost).quantize(CENT, rounding=ROUND_HALF_UP)
            new_q, new_v = s.quantity + qty, s.value + amount
            signed_q, signed_a = qty, amount
        else:
            assert qty <= s.quantity, (item_id, kind, qty, s.quantity)
            cost = s.average_cost
            new_q = s.quantity - qty
            if new_q == 0:
                amount = s.value
            else:
                amount = min((qty * cost).quantize(CENT, rounding=ROUND_HALF_UP), s.value)
            new_v = s.value - amount
            signed_q, signed_a = -qty, -amount
        if new_q > 0:
            average = (new_v / new_q).quantize(COST, rounding=ROUND_HALF_UP)
        else:
            average = cost if kind in INCOMING else s.average_cost
        row = {
            "school_id": self.school_id,
            "item_id": item_id,
            "kind": kind,
            "quantity": signed_q,
            "unit_cost": Decimal(cost).quantize(COST, rounding=ROUND_HALF_UP),
            "amount": signed_a,
            "balance": new_q,
            "department_id": extra.get("department_id"),
            "person_id": extra.get("person_id"),
            "reason": extra.get("reason", "")[:300],
            "source_type": extra.get("source_type", ""),
            "source_id": extra.get("source_id"),
            "reference": extra.get("reference", "")[:60],
            "actor_id": extra.get("actor_id"),
            "at": at,
        }
        s.quantity, s.value, s.average_cost = new_q, new_v, average
        self.rows.append(row)
        return row

    # -- the simulation ------------------------------------------------------------------

    def run(
        self,
        outs: list[Out],
        rounds: list[Round],
        counts: list[Count],
        *,
        opening_reason: str,
        receipt_reason: str,
        low_wanted: int,
    ) -> None:
        demand: dict[int, tuple[list[datetime.datetime], list[Decimal]]] = {}
        for out in sorted(outs, key=lambda o: o.at):
            if not out.counts_as_demand:
                continue
            times, sums = demand.setdefault(out.item_id, ([], []))
            times.append(out.at)
            sums.append((sums[-1] if sums else Decimal("0")) + out.quantity)

        def wanted(item_id: int, start: datetime.datetime, end: datetime.datetime) -> Decimal:
            times, sums = demand.get(item_id, ([], []))
            lo = bisect.bisect_right(times, start)
            hi = bisect.bisect_right(times, end)
            before = sums[lo - 1] if lo else Decimal("0")
            upto = sums[hi - 1] if hi else Decimal("0")
            return upto - before

        rounds = sorted(rounds, key=lambda r: r.at)
        events: list[tuple[datetime.datetime, int, int, Any]] = []
        serial = itertools.count()
        for n, r in enumerate(rounds):
            events.append((r.at, 0, next(serial), (n, r)))
        for c in counts:
            events.append((c.at, 1, next(serial), c))
        for o in outs:
            events.append((o.at, 2, next(serial), o))
        events.sort(key=lambda e: (e[0], e[1], e[2]))
        last_past = max((n for n, r in enumerate(rounds) if not r.future), default=-1)
        for _at, kind, _serial, payload in events:
            if kind == 0:
                n, r = payload
                following = rounds[n + 1].at if n + 1 < len(rounds) else None
                self._replenish(n, r, following, wanted, n == last_past, low_wanted)
                for item_id, (qty, cost) in sorted(r.needs.items()):
                    if r.future:
                        continue
                    r.receipts[item_id] = self.move(
                        item_id,
                        "opening" if r.opening else "receipt",
                        qty,
                        r.at,
                        unit_cost=cost,
                        reason=opening_reason if r.opening else receipt_reason,
                    )
            elif kind == 1:
                self._count(payload)
            else:
                self._out(payload)

    def ensure_low(self, wanted: int) -> None:
        """Leave ``wanted`` items below their minimum however quiet the last weeks were (a
        holiday): the storekeeper raised the minimum of those closest to it."""
        low = {i for i, item in self.items.items() if self.states[i].quantity < item["min_stock"]}
        candidates = sorted(
            (
                i
                for i, item in self.items.items()
                if i not in low
                and item["weight"] > 0
                and item["category"] != "paper"
                and self.states[i].quantity > 0
            ),
            key=lambda i: (self.states[i].quantity / max(self.items[i]["min_stock"], 1), i),
        )
        for item_id in candidates[: max(0, wanted - len(low))]:
            item = self.items[item_id]
            item["min_stock"] = Decimal(math.floor(self.states[item_id].quantity)) + 1
            item["max_stock"] = max(item["max_stock"], item["min_stock"] + 1)
            item["raised"] = True

    def _replenish(
        self,
        n: int,
        r: Round,
        following: datetime.datetime | None,
        wanted: Callable[[int, datetime.datetime, datetime.datetime], Decimal],
        last_past: bool,
        low_wanted: int,
    ) -> None:
        end = following or (r.at + datetime.timedelta(days=30))
        low = 0
        for item_id, item in self.items.items():
            s = self.states[item_id]
            minimum, maximum = item["min_stock"], item["max_stock"]
            need = wanted(item_id, r.at, end)
            if r.future:
                # the order on its way: fill what is low now back up to the maximum
                if s.quantity <= minimum:
                    r.needs[item_id] = (
                        Decimal(math.ceil(maximum - s.quantity)),
                        self.price(item_id, n),
                    )
                continue
            if (
                last_past
                and low < low_wanted
                and item["weight"] > 0
                and need > 0
                and item["category"] != "paper"
            ):
                left = s.quantity - need
                if 0 <= left < minimum:
                    r.low.add(item_id)
                    low += 1
                    continue
            target = need + minimum
            if s.quantity >= target and s.quantity > minimum:
                continue
            want = max(target, min(maximum, target + (maximum - minimum) * Decimal("0.3")))
            qty = Decimal(math.ceil(want - s.quantity))
            if qty > 0:
                r.needs[item_id] = (qty, self.price(item_id, n))

    def _count(self, c: Count) -> None:
        for item_id in self.items:
            s = self.states[item_id]
            c.book[item_id] = (s.quantity, s.average_cost)
        for item_id, diff in sorted(c.differences.items()):
            s = self.states[item_id]
            if diff < 0 and -diff > s.quantity:
                diff = -s.quantity
                c.differences[item_id] = diff
            if diff == 0:
                continue
            self.move(
                item_id,
                "adjust_up" if diff > 0 else "adjust_down",
                abs(diff),
                c.at,
                reason=f"盘点调整（{c.reference}）",
                source_type="stock_count",
                source_id=c.source_id,
                reference=c.reference,
                actor_id=c.actor_id,
            )

    def _out(self, o: Out) -> None:
        s = self.states[o.item_id]
        qty = min(o.quantity, s.quantity)
        if qty > 0:
            self.move(
                o.item_id,
                o.kind,
                qty,
                o.at,
                reason=o.reason,
                department_id=o.department_id,
                person_id=o.person_id,
                source_type=o.source_type,
                source_id=o.source_id,
                reference=o.reference,
                actor_id=o.actor_id,
            )
        if o.done is not None:
            o.done(qty)
