"""Excel import of store items with their opening balances.

A row with an opening quantity becomes the item (with its running totals already set) and
an ``opening`` movement whose balance is that quantity, so the ledger adds up from its first
row. Every error of the file is shown at once and nothing is saved while one remains.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.imports import (
    Boolean,
    Choice,
    Decimal,
    ImportColumn,
    ImportContext,
    ImportSpec,
    Integer,
    Text,
)

from .choices import ItemCategory, MovementKind
from .models import PaperSize, StockItem, StockMovement
from .services.items import item_codes
from .services.stock import CENT, COST

CODES = "inventory.import.codes"


class StockItemImportSpec(ImportSpec):
    model = StockItem
    title = gettext_lazy("store items")
    batch_size = 1000
    columns = (
        ImportColumn(
            "code",
            gettext_lazy("code"),
            Text(max_length=30),
            help=gettext_lazy("Empty: the next code (HC-00001…) is given."),
            example="",
            aliases=("编号", "物品编号", "编码"),
        ),
        ImportColumn(
            "name",
            gettext_lazy("name"),
            Text(max_length=100),
            required=True,
            example="A4复印纸",
            aliases=("名称", "物品名称"),
        ),
        ImportColumn(
            "specification",
            gettext_lazy("specification"),
            Text(max_length=200),
            example="70g 500张/包",
            aliases=("规格", "规格型号"),
        ),
        ImportColumn(
            "unit",
            gettext_lazy("unit"),
            Text(max_length=20),
            required=True,
            example="包",
            aliases=("单位",),
        ),
        ImportColumn(
            "category",
            gettext_lazy("category"),
            Choice(ItemCategory.choices),
            required=True,
            aliases=("类别", "分类"),
        ),
        ImportColumn(
            "min_stock",
            gettext_lazy("minimum stock"),
            Decimal(places=3),
            example="20",
            help=gettext_lazy("Empty means 0 (no reorder alert)."),
            aliases=("最低库存", "库存下限"),
        ),
        ImportColumn(
            "max_stock",
            gettext_lazy("maximum stock"),
            Decimal(places=3),
            example="100",
            aliases=("最高库存", "库存上限"),
        ),
        ImportColumn(
            "shelf",
            gettext_lazy("shelf"),
            Text(max_length=30),
            example="A-01",
            aliases=("货架", "货位"),
        ),
        ImportColumn(
            "is_restricted",
            gettext_lazy("restricted"),
            Boolean(),
            example=False,
            help=gettext_lazy("Requisitions of a restricted item always need approval."),
            aliases=("限制领用", "受控"),
        ),
        ImportColumn(
            "paper_size",
            gettext_lazy("paper size"),
            Choice(PaperSize.choices),
            example="A4",
            aliases=("纸张尺寸", "纸张规格"),
        ),
        ImportColumn(
            "sheets_per_unit",
            gettext_lazy("sheets per unit"),
            Integer(min_value=1, max_value=100000),
            example=500,
            aliases=("每单位张数",),
        ),
        ImportColumn(
            "opening_quantity",
            gettext_lazy("opening quantity"),
            Decimal(places=3),
            example="50",
            help=gettext_lazy("What is on the shelf today; becomes the opening balance."),
            aliases=("期初数量", "库存数量", "数量"),
        ),
        ImportColumn(
            "opening_cost",
            gettext_lazy("opening unit cost (yuan)"),
            Decimal(places=4),
            example="22.5",
            help=gettext_lazy("Needed with an opening quantity."),
            aliases=("期初单价", "单价"),
        ),
        ImportColumn(
            "notes",
            gettext_lazy("notes"),
            Text(max_length=1000),
            example="",
            aliases=("备注",),
        ),
    )

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Model]:
        quantity = values.pop("opening_quantity", None)
        cost = values.pop("opening_cost", None)
        data = {k: v for k, v in values.items() if v is not None}
        data.setdefault("code", "")
        item = StockItem(school=ctx.school, **data)
        if item.code:
            ctx.cache.setdefault(CODES, set()).add(item.code)
        if cost is not None and cost > 0 and not quantity:
            raise ValidationError({"opening_quantity": _("Give the quantity of this cost.")})
        if not quantity:
            return [item]
        if cost is None:
            raise ValidationError({"opening_cost": _("Give the unit cost of the opening stock.")})
        qty = quantity.quantize(decimal.Decimal("0.001"))
        value = (qty * cost).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
        item.quantity, item.value = qty, value
        item.average_cost = cost.quantize(COST, rounding=decimal.ROUND_HALF_UP)
        movement = StockMovement(
            school=ctx.school,
            item=item,
            kind=MovementKind.OPENING,
            quantity=qty,
            unit_cost=item.average_cost,
            amount=value,
            balance=qty,
            reason=_("Opening balance (import)"),
            actor=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
            at=timezone.now(),
        )
        return [item, movement]

    def clean_exclude(self, instance: Model) -> list[str]:
        excluded = super().clean_exclude(instance)
        if isinstance(instance, StockItem) and not instance.code:
            excluded.append("code")  # given in ``before_save``
        return excluded

    def before_save(self, rows: list[list[Model]], ctx: ImportContext) -> None:
        items = [row[0] for row in rows if isinstance(row[0], StockItem) and not row[0].code]
        codes = item_codes(ctx.school.pk, len(items), taken=ctx.cache.get(CODES, set()))
        for item, code in zip(items, codes, strict=True):
            item.code = code
