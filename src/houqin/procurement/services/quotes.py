"""Quotes (报价) and their comparison (三方比价): each supplier prices every line of the
order; the evaluators choose one quote, giving the reason, and its supplier and prices become
the order's."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.core.audit import acting_as
from houqin.core.workflow import transition

from ..choices import OrderStatus
from ..models import PurchaseOrder, PurchaseOrderLine, Quotation, QuotationLine, Supplier
from .orders import OrderError, _editable, _locked_order, money, refresh_totals


@transaction.atomic
def quotation_save(
    *,
    actor: Any,
    order: PurchaseOrder,
    supplier: Supplier,
    quoted_on: datetime.date,
    prices: dict[int, Decimal],
    valid_until: datetime.date | None = None,
    delivery_days: int | None = None,
    notes: str = "",
    quotation: Quotation | None = None,
) -> Quotation:
    """Record (or correct) a supplier's quote with a unit price for every line. The first
    quote moves a draft order to collecting quotes."""
    locked = _locked_order(order)
    _editable(locked)
    if supplier.school_id != locked.school_id or not supplier.is_active:
        raise OrderError(_("Choose an active supplier of this school."))
    lines = list(locked.lines.all())
    missing = [line.item_name for line in lines if prices.get(line.pk) is None]
    if missing:
        raise OrderError(
            _("Enter the quoted unit price of every line: %(items)s.")
            % {"items": "、".join(missing)}
        )
    if any(prices[line.pk] < 0 for line in lines):
        raise OrderError(_("A price cannot be negative."))
    if quotation is None:
        quotation = Quotation(order=locked)
    elif quotation.order_id != locked.pk:
        raise OrderError(_("This quote belongs to another order."))
    quotation.supplier = supplier
    quotation.quoted_on = quoted_on
    quotation.valid_until = valid_until
    quotation.delivery_days = delivery_days
    quotation.notes = notes
    quotation.total = sum((money(line.quantity * prices[line.pk]) for line in lines), Decimal(0))
    twice = Quotation.objects.filter(order=locked, supplier=supplier).exclude(pk=quotation.pk)
    if twice.exists():
        raise OrderError(
            _("%(supplier)s has already quoted for this order: change that quote instead.")
            % {"supplier": supplier}
        )
    try:
        quotation.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise OrderError(" ".join(exc.messages)) from exc
    quotation.save()
    for line in lines:
        QuotationLine.objects.update_or_create(
            quotation=quotation, order_line=line, defaults={"unit_price": money(prices[line.pk])}
        )
    if quotation.is_chosen:
        _apply(locked, quotation)
    if locked.status == OrderStatus.DRAFT:
        transition(locked, OrderStatus.QUOTING, actor=actor, check_permission=False)
    return quotation


def _apply(order: PurchaseOrder, quotation: Quotation) -> None:
    """The chosen quote's supplier and prices become the order's."""
    for order_line_id, price in quotation.lines.values_list("order_line_id", "unit_price"):
        PurchaseOrderLine.objects.filter(pk=order_line_id).update(unit_price=price)
    PurchaseOrder.objects.filter(pk=order.pk).update(supplier=quotation.supplier_id)
    order.supplier_id = quotation.supplier_id
    refresh_totals(order)


@transaction.atomic
def quotation_choose(
    *,
    actor: Any,
    quotation: Quotation,
    evaluators: Iterable[Any],
    reason: str,
) -> PurchaseOrder:
    """The evaluators choose ``quotation``: its supplier and prices become the order's, and
    the order records who evaluated and why this one."""
    order = _locked_order(quotation.order)
    _editable(order)
    if not (reason or "").strip():
        raise OrderError(_("Give the reason for the choice of supplier."))
    people = list(evaluators)
    if not people:
        raise OrderError(_("Name the people who evaluated the quotes."))
    if quotation.lines.count() < order.lines.count():
        raise OrderError(_("This quote does not price every line."))
    order.quotations.exclude(pk=quotation.pk).update(is_chosen=False)
    Quotation.objects.filter(pk=quotation.pk).update(is_chosen=True)
    quotation.is_chosen = True
    order.choice_reason = reason.strip()
    with acting_as(actor):
        order.save()
    order.evaluators.set(people)
    _apply(order, quotation)
    return order


@dataclass
class Comparison:
    """The comparison table of an order's quotes: one row per line, one column per quote."""

    quotes: list[Quotation]
    rows: list[dict[str, Any]]
    lowest_total: Decimal | None

    @property
    def has_quotes(self) -> bool:
        return bool(self.quotes)


def quote_comparison(order: PurchaseOrder) -> Comparison:
    """Prices per line and quote with the lowest of each line marked, and the totals (two
    queries whatever the number of quotes)."""
    quotes = list(order.quotations.select_related("supplier").order_by("total", "pk"))
    prices: dict[tuple[int, int], Decimal] = {}
    for quotation_id, line_id, price in QuotationLine.objects.filter(
        quotation__order=order
    ).values_list("quotation_id", "order_line_id", "unit_price"):
        prices[(quotation_id, line_id)] = price
    rows = []
    for line in order.lines.all():
        cells = [prices.get((quote.pk, line.pk)) for quote in quotes]
        known = [price for price in cells if price is not None]
        lowest = min(known) if known else None
        rows.append(
            {
                "line": line,
                "cells": [
                    {
                        "price": price,
                        "amount": None if price is None else money(price * line.quantity),
                        "lowest": price is not None and price == lowest and len(known) > 1,
                    }
                    for price in cells
                ],
            }
        )
    lowest_total = min((quote.total for quote in quotes), default=None)
    return Comparison(quotes=quotes, rows=rows, lowest_total=lowest_total)
