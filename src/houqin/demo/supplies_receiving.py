"""Demo purchasing, continued: quotes compared (三方比价), deliveries accepted by two people
(partial deliveries and goods sent back included), and the budget spent and released line
by line as the acceptance service does."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from houqin.procurement.models import (
    Acceptance,
    AcceptanceLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Quotation,
    QuotationLine,
)

from .supplies_common import DAY, H, money

if TYPE_CHECKING:
    from .supplies_purchasing import Request

# Who else is asked for a quote when a group has fewer than three suppliers.
PEERS = {
    "office": ("paper", "printing", "teaching"),
    "paper": ("office", "printing"),
    "printing": ("it", "office"),
    "cleaning": ("office", "protective"),
    "hardware": ("electrical", "safety"),
    "electrical": ("hardware", "safety"),
    "lab": ("teaching",),
    "teaching": ("lab", "office"),
    "sports": ("teaching", "office"),
    "medical": ("protective",),
    "protective": ("medical", "cleaning"),
    "signage": ("office", "books"),
    "books": ("teaching", "office"),
    "safety": ("hardware", "electrical"),
    "canteen": ("cleaning", "hardware"),
}


class Receiving:
    """Quotes, cancelled orders, acceptances and the budget they move (mixed into
    ``Purchasing``, whose attributes these methods use)."""

    suppliers: dict[str, list[dict[str, Any]]]
    rng: Any
    school: Any
    book: Any
    kg: bool
    threshold: Decimal
    purchaser: Any
    director: Any
    accountant: Any
    keeper: Any
    assetkeeper: Any
    orders: list[dict[str, Any]]
    order_lines: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    quote_lines: list[dict[str, Any]]
    acceptances: list[dict[str, Any]]
    acceptance_lines: list[dict[str, Any]]
    acceptors: list[tuple[int, int]]
    evaluators: list[tuple[int, int]]
    accepted_assets: list[tuple[dict[str, Any], dict[str, Any], Request]]

    if TYPE_CHECKING:  # provided by the purchasing builder this mixes into

        def _id(self, model: type[Any]) -> int: ...

        def _supplier(self, group: str) -> dict[str, Any]: ...

    def _quotes(
        self,
        order: dict[str, Any],
        lines: list[dict[str, Any]],
        group: str,
        supplier: dict[str, Any],
        created: datetime.datetime,
        state: str,
    ) -> None:
        others = [s for s in self.suppliers.get(group, []) if s["id"] != supplier["id"]]
        for peer in PEERS.get(group, ("office",)):
            others += [s for s in self.suppliers.get(peer, []) if s not in others]
        competitors = others[:2] if state != "quoting" else others[:1]
        for n, who in enumerate([supplier, *competitors]):
            factor = (
                Decimal("1") if n == 0 else Decimal(str(round(self.rng.uniform(1.03, 1.12), 3)))
            )
            qid = self._id(Quotation)
            prices = [(line, money(line["unit_price"] * factor)) for line in lines]
            quoted = created + datetime.timedelta(days=1 + n)
            self.quotes.append(
                {
                    "id": qid,
                    "order_id": order["id"],
                    "supplier_id": who["id"],
                    "total": sum((money(x["quantity"] * p) for x, p in prices), Decimal(0)),
                    "quoted_on": timezone.localdate(quoted),
                    "valid_until": timezone.localdate(quoted) + 30 * DAY,
                    "delivery_days": self.rng.choice((3, 5, 7, 10)),
                    "notes": "含税含运费，送货上门",
                    "is_chosen": n == 0 and state != "quoting",
                    "created_at": quoted,
                }
            )
            for line, price in prices:
                self.quote_lines.append(
                    {
                        "id": self._id(QuotationLine),
                        "quotation_id": qid,
                        "order_line_id": line["id"],
                        "unit_price": price,
                    }
                )
        if state != "quoting":
            order["choice_reason"] = (
                "三家报价中总价最低，供货周期和售后服务满足要求，经比价小组一致同意选定。"
            )
            for user in dict.fromkeys((self.purchaser, self.director, self.accountant)):
                self.evaluators.append((order["id"], user.pk))

    def _cancelled_copy(
        self, group: str, lines: list[tuple[Request, dict[str, Any]]], due: datetime.datetime
    ) -> None:
        """An earlier order for the same goods that the supplier could not deliver."""
        supplier = self._supplier(group)
        pk = self._id(PurchaseOrder)
        created = due - 24 * DAY
        total = Decimal(0)
        for _request, line in lines[:3]:
            price = money(line["estimated_price"] * Decimal("0.97"))
            total += money(line["quantity"] * price)
            self.order_lines.append(
                {
                    "id": self._id(PurchaseOrderLine),
                    "order_id": pk,
                    "item_name": line["item_name"],
                    "specification": line["specification"],
                    "unit": line["unit"],
                    "quantity": line["quantity"],
                    "unit_price": price,
                    "estimated_price": line["estimated_price"],
                    "stock_item_id": line["stock_item_id"],
                    "is_asset": price >= self.threshold,
                    "received": Decimal(0),
                    "returned": Decimal(0),
                }
            )
        self.orders.append(
            {
                "id": pk,
                "school_id": self.school.pk,
                "title": f"{lines[0][1]['item_name']}等采购",
                "supplier_id": supplier["id"],
                "purchaser_id": self.purchaser.pk,
                "status": "cancelled",
                "total": total,
                "estimated_total": total,
                "line_count": len(lines[:3]),
                "expected_on": timezone.localdate(due - 14 * DAY),
                "delivery_address": "学校总务处仓库",
                "choice_reason": "",
                "intention_published_on": None,
                "intention_url": "",
                "placed_at": created + DAY,
                "notes": "供应商无法按期供货，订单取消，申请行退回待采购后另行下单。",
                "created_at": created,
                "updated_at": created + 8 * DAY,
            }
        )

    # -- acceptance ----------------------------------------------------------------------

    def _accept(
        self,
        order: dict[str, Any],
        lines: list[dict[str, Any]],
        at: datetime.datetime,
        *,
        full: bool,
    ) -> None:
        store = any(x["stock_item_id"] for x in lines)
        rejected_line = None
        if full and not store and len(lines) > 0 and self.rng.random() < 0.06:
            rejected_line = lines[0]
        parts: list[tuple[datetime.datetime, list[tuple[dict[str, Any], Decimal, Decimal]]]] = []
        if not full:
            first = [
                (x, (x["quantity"] / 2).to_integral_value() or x["quantity"], Decimal(0))
                for x in lines[: max(1, len(lines) // 2)]
            ]
            parts.append((at, first))
        elif rejected_line is not None:
            bad = max(Decimal(1), (rejected_line["quantity"] / 10).to_integral_value())
            first = [(x, x["quantity"], bad if x is rejected_line else Decimal(0)) for x in lines]
            parts.append((at - 3 * DAY, first))
            parts.append((at, [(rejected_line, bad, Decimal(0))]))
        else:
            parts.append((at, [(x, x["quantity"], Decimal(0)) for x in lines]))
        for when, deliveries in parts:
            pk = self._id(Acceptance)
            score = self.rng.choices((5, 4, 3), weights=(6, 3, 1))[0]
            if any(rej for _x, _q, rej in deliveries):
                score = 3
            amount = Decimal(0)
            accepted_lines = []
            for line, delivered, rejected in deliveries:
                accepted = delivered - rejected
                amount += money(accepted * line["unit_price"])
                row = {
                    "id": self._id(AcceptanceLine),
                    "acceptance_id": pk,
                    "order_line_id": line["id"],
                    "delivered": delivered,
                    "accepted": accepted,
                    "rejected": rejected,
                    "note": "外包装破损，退回换货" if rejected else "",
                }
                self.acceptance_lines.append(row)
                accepted_lines.append((line, accepted, row))
                line["received"] += accepted
            result = "partly" if any(rej for _x, _q, rej in deliveries) else "accepted"
            self.acceptances.append(
                {
                    "id": pk,
                    "school_id": self.school.pk,
                    "order_id": order["id"],
                    "delivered_on": timezone.localdate(when),
                    "delivery_note": f"SH{timezone.localtime(when):%Y%m%d}{pk % 1000:03d}",
                    "result": result,
                    "quality_score": score,
                    "notes": "数量、规格与订单一致，质量合格。"
                    if result == "accepted"
                    else "部分货物外包装破损，已退回换货。",
                    "status": "confirmed",
                    "amount": amount,
                    "confirmed_at": when,
                    "recorded_by_id": (self.keeper if store else self.purchaser).pk,
                    "created_at": when - H,
                    "updated_at": when,
                }
            )
            first_request = accepted_lines[0][0]["_requests"][0][0] if accepted_lines else None
            second = self.keeper if store else self.assetkeeper
            if first_request is not None and not store:
                second = first_request.row["_requester"]
            for user in dict.fromkeys([self.purchaser, second, self.keeper]):
                if len([a for a in self.acceptors if a[0] == pk]) < 2:
                    self.acceptors.append((pk, user.pk))
            for line, accepted, row in accepted_lines:
                self._settle_line(line, accepted, when, pk)
                if line["is_asset"] and accepted >= 1:
                    self.accepted_assets.append((line, row, line["_requests"][0][0]))
        if full:
            order["updated_at"] = at
        else:
            order["updated_at"] = at

    def _settle_line(
        self, line: dict[str, Any], accepted: Decimal, when: datetime.datetime, acceptance: int
    ) -> None:
        """Spread what was accepted over the request lines; spend and release budget."""
        left = accepted
        for request, request_line in line["_requests"]:
            if left <= 0:
                break
            take = min(left, request_line["quantity"] - request_line["received"])
            if take <= 0:
                continue
            left -= take
            request_line["received"] += take
            if request_line["received"] >= request_line["quantity"]:
                request_line["status"] = "received"
            row = request.row
            spend = money(take * line["unit_price"])
            release = min(money(take * request_line["estimated_price"]), row["committed"])
            row["committed"] -= release
            self.book.add(
                row["_line"],
                when,
                "release",
                release,
                source_type="acceptance",
                source_id=acceptance,
                _acceptance=acceptance,
            )
            self.book.add(
                row["_line"],
                when,
                "spend",
                spend,
                source_type="acceptance",
                source_id=acceptance,
                _acceptance=acceptance,
            )
            if all(x["status"] in ("received", "cancelled") for x in request.lines):
                row["status"] = "received"
                row["updated_at"] = when
                if row["committed"] > 0:
                    self.book.add(
                        row["_line"],
                        when,
                        "release",
                        row["committed"],
                        source_type="purchase_request",
                        source_id=row["id"],
                        _request=row,
                        note="采购完成，释放剩余预算",
                    )
                    row["committed"] = Decimal(0)

    def _cancel_request(self, request: Request, at: datetime.datetime) -> None:
        row = request.row
        row["status"], row["updated_at"] = "cancelled", at
        for line in request.lines:
            line["status"] = "cancelled"
        if row["committed"] > 0:
            self.book.add(
                row["_line"],
                at,
                "release",
                row["committed"],
                source_type="purchase_request",
                source_id=row["id"],
                _request=row,
                note="采购取消，释放预算",
            )
            row["committed"] = Decimal(0)
