"""Import of an existing asset ledger (资产台账) from Excel or CSV.

Every row is checked before anything is written; a file with a single error writes nothing.
Cards are written in batches with their value and depreciation derived exactly as the
register service derives them (``services.register.prepare``), one "imported" movement and
one audit entry each. A card keeps its old code when the file has one, else it is numbered.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from houqin.core.imports import (
    Choice,
    Date,
    Decimal,
    ImportColumn,
    ImportContext,
    ImportSpec,
    Integer,
    Lookup,
    Text,
)
from houqin.core.imports.parsers import normalize
from houqin.core.models import DocumentSequence
from houqin.core.numbers import next_number
from houqin.org.models import Building, Department, Room

from .choices import Acquisition, AssetStatus, FundingSource, MovementKind
from .models import Asset, AssetCategory, AssetMovement, AssetSettings
from .services.register import PREFIX, AssetError, prepare

IMPORT_STATUSES = (AssetStatus.IN_USE, AssetStatus.IDLE, AssetStatus.UNDER_REPAIR)


def categories(ctx: ImportContext) -> QuerySet[Any]:
    return AssetCategory.objects.filter(is_active=True).select_related("parent__parent")


def buildings(ctx: ImportContext) -> QuerySet[Any]:
    return Building.objects.filter(school=ctx.school).order_by("name")


def departments(ctx: ImportContext) -> QuerySet[Any]:
    return Department.objects.filter(school=ctx.school).order_by("sort_order", "name")


def members(ctx: ImportContext) -> QuerySet[Any]:
    from houqin.accounts.models import User

    found: QuerySet[Any] = (
        User.objects.filter(memberships__school=ctx.school, memberships__is_active=True)
        .distinct()
        .order_by("username")
    )
    return found


def _category_label(category: Any) -> str:
    return str(category.code or category.name)


class AssetImport(ImportSpec):
    model = Asset
    title = gettext_lazy("asset ledger")
    batch_size = 500
    columns = (
        ImportColumn(
            "code",
            gettext_lazy("asset code"),
            Text(max_length=30),
            help=gettext_lazy(
                "Empty: the card is numbered ZC-year-number. Filled: the old code "
                "is kept and must be unique in the school."
            ),
            example="",
            aliases=("资产编号", "编号", "code"),
        ),
        ImportColumn(
            "name",
            gettext_lazy("name"),
            Text(max_length=200),
            required=True,
            example=gettext_lazy("Desktop computer"),
            aliases=("资产名称", "名称"),
        ),
        ImportColumn(
            "category",
            gettext_lazy("category"),
            Lookup(
                categories,
                keys=("code", "name", "name_en"),
                display=_category_label,
                not_found=gettext_lazy("There is no asset category “%(value)s”."),
                description=gettext_lazy("The name or GB/T 14885 code of one category"),
            ),
            required=True,
            aliases=("分类", "资产分类"),
        ),
        ImportColumn(
            "specification",
            gettext_lazy("specification / model"),
            Text(max_length=200),
            example="",
            aliases=("规格型号", "规格", "型号"),
        ),
        ImportColumn(
            "brand", gettext_lazy("brand"), Text(max_length=100), example="", aliases=("品牌",)
        ),
        ImportColumn(
            "serial_number",
            gettext_lazy("serial number"),
            Text(max_length=100),
            example="",
            aliases=("序列号",),
        ),
        ImportColumn(
            "unit",
            gettext_lazy("unit"),
            Text(max_length=20),
            example="台",
            help=gettext_lazy("Empty means 台."),
            aliases=("单位",),
        ),
        ImportColumn(
            "unit_price",
            gettext_lazy("unit price (yuan)"),
            Decimal(places=2),
            required=True,
            example="4500.00",
            aliases=("单价", "单价（元）"),
        ),
        ImportColumn(
            "quantity",
            gettext_lazy("quantity"),
            Integer(min_value=1),
            example=1,
            help=gettext_lazy("Empty means 1."),
            aliases=("数量",),
        ),
        ImportColumn(
            "purchase_date",
            gettext_lazy("purchase date"),
            Date(),
            required=True,
            example="2024-09-01",
            aliases=("购置日期",),
        ),
        ImportColumn(
            "supplier_name",
            gettext_lazy("supplier"),
            Text(max_length=200),
            example="",
            aliases=("供应商",),
        ),
        ImportColumn(
            "funding_source",
            gettext_lazy("funding source"),
            Choice(FundingSource.choices),
            aliases=("经费来源",),
            help=gettext_lazy("Empty means government funding."),
        ),
        ImportColumn(
            "acquisition",
            gettext_lazy("acquisition"),
            Choice(Acquisition.choices),
            aliases=("取得方式",),
            help=gettext_lazy("Empty means purchase."),
        ),
        ImportColumn(
            "building",
            gettext_lazy("building"),
            Lookup(
                buildings,
                keys=("name", "code"),
                not_found=gettext_lazy("There is no building “%(value)s” in this school."),
                description=gettext_lazy("The name or code of a building of the school"),
            ),
            aliases=("楼宇", "楼栋"),
        ),
        ImportColumn(
            "room",
            gettext_lazy("room number"),
            Text(max_length=30),
            example="",
            help=gettext_lazy("A room of the building in the previous column."),
            aliases=("房间号", "房间"),
        ),
        ImportColumn(
            "department",
            gettext_lazy("using department"),
            Lookup(
                departments,
                keys=("name",),
                not_found=gettext_lazy("There is no department “%(value)s” in this school."),
                description=gettext_lazy("The name of a department of the school"),
            ),
            example="",
            aliases=("使用部门", "部门"),
        ),
        ImportColumn(
            "custodian",
            gettext_lazy("custodian"),
            Lookup(
                members,
                keys=("real_name", "username", "phone"),
                display=lambda user: user.username,
                not_found=gettext_lazy("“%(value)s” is not a member of staff of this school."),
                description=gettext_lazy(
                    "The name, username or mobile number of a member of staff"
                ),
            ),
            example="",
            aliases=("保管人",),
        ),
        ImportColumn(
            "status",
            gettext_lazy("status"),
            Choice([(s.value, s.label) for s in IMPORT_STATUSES]),
            help=gettext_lazy("Empty means in use."),
            aliases=("状态",),
        ),
        ImportColumn(
            "warranty_end",
            gettext_lazy("warranty ends"),
            Date(),
            example="",
            aliases=("保修截止", "保修截止日期"),
        ),
        ImportColumn("notes", gettext_lazy("notes"), Text(), example="", aliases=("备注",)),
    )

    def policy(self, ctx: ImportContext) -> AssetSettings:
        if "policy" not in ctx.cache:
            ctx.cache["policy"] = AssetSettings.for_school(ctx.school.pk)
        policy: AssetSettings = ctx.cache["policy"]
        return policy

    def rooms(self, ctx: ImportContext) -> dict[tuple[int, str], Room]:
        if "rooms" not in ctx.cache:
            ctx.cache["rooms"] = {
                (room.building_id, normalize(room.number)): room
                for room in Room.objects.filter(school=ctx.school).select_related("building")
            }
        rooms: dict[tuple[int, str], Room] = ctx.cache["rooms"]
        return rooms

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Model]:
        asset = Asset(
            school=ctx.school,
            name=values["name"] or "",
            category=values["category"],
            specification=values["specification"] or "",
            brand=values["brand"] or "",
            serial_number=values["serial_number"] or "",
            unit=values["unit"] or "台",
            unit_price=values["unit_price"],
            quantity=values["quantity"] or 1,
            purchase_date=values["purchase_date"],
            supplier_name=values["supplier_name"] or "",
            funding_source=values["funding_source"] or FundingSource.FISCAL,
            acquisition=values["acquisition"] or Acquisition.PURCHASE,
            department=values["department"],
            custodian=values["custodian"],
            status=values["status"] or AssetStatus.IN_USE,
            warranty_end=values["warranty_end"],
            notes=values["notes"] or "",
            original_value=D(0),
        )
        asset.code = values["code"] or ""
        errors: dict[str, str] = {}
        if values["room"]:
            building = values["building"]
            if building is None:
                errors["building"] = _("Give the building of the room.")
            else:
                room = self.rooms(ctx).get((building.pk, normalize(values["room"])))
                if room is None:
                    errors["room"] = _("%(building)s has no room “%(room)s”.") % {
                        "building": building.name,
                        "room": values["room"],
                    }
                asset.room = room
        if None not in (asset.category_id, asset.unit_price, asset.purchase_date):
            try:
                prepare(asset, self.policy(ctx))
            except AssetError as exc:
                errors["category"] = str(exc)
        if errors:
            raise ValidationError(errors)
        movement = AssetMovement(
            school=ctx.school,
            asset=asset,
            kind=MovementKind.IMPORTED,
            actor=ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None,
            to_room=asset.room,
            to_custodian=asset.custodian,
            to_department=asset.department,
            to_status=asset.status,
        )
        return [asset, movement]

    def clean_exclude(self, instance: Model) -> list[str]:
        # The code is given by the file or numbered just before the batch is written.
        return [*super().clean_exclude(instance), "code"]

    def before_save(self, rows: list[list[Model]], ctx: ImportContext) -> None:
        unnumbered = [row[0] for row in rows if not getattr(row[0], "code", "")]
        for asset, code in zip(
            unnumbered, reserve_codes(ctx.school.pk, len(unnumbered)), strict=True
        ):
            asset.code = code  # type: ignore[attr-defined]


def reserve_codes(school_id: int, count: int) -> list[str]:
    """``count`` consecutive card numbers, taken from the school's sequence at once (inside
    the import's transaction, so a failed import gives them back)."""
    if count <= 0:
        return []
    first = next_number(school_id, PREFIX)
    _prefix, year, number = first.rsplit("-", 2)
    if count > 1:
        DocumentSequence.objects.filter(school_id=school_id, prefix=PREFIX, year=int(year)).update(
            last_number=F("last_number") + (count - 1)
        )
    start = int(number)
    return [f"{PREFIX}-{year}-{n:06d}" for n in range(start, start + count)]
