"""Tables of the asset register: the list, its export, and the lists on an asset's page."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table, display


def _net(asset: Any) -> Any:
    return asset.net_value


def _room(asset: Any) -> Any:
    return asset.room


class AssetTable(Table):
    columns = (
        Column("code", _("asset code"), link=True),
        Column("name", _("name"), link=True),
        Column("category", _("category"), accessor="category.name", sortable=False),
        Column("room", _("location"), accessor=_room, sortable=False, hide_on_phone=True),
        Column(
            "custodian",
            _("custodian"),
            accessor="custodian",
            sortable=False,
            hide_on_phone=True,
        ),
        Column("status", _("status"), sortable=False),
        Column("value", _("original value (yuan)"), accessor="original_value", align_end=True),
        Column(
            "net",
            _("net value (yuan)"),
            accessor=_net,
            sortable=False,
            align_end=True,
            hide_on_phone=True,
        ),
        Column("purchase_date", _("purchase date"), hide_on_phone=True),
    )


class AssetExportTable(Table):
    """Every field of the card, for the xlsx export of the filtered register."""

    columns = (
        Column("code", _("asset code")),
        Column("name", _("name")),
        Column("category_code", _("category code"), accessor="category.code"),
        Column("category", _("category"), accessor="category.name"),
        Column("specification", _("specification / model")),
        Column("brand", _("brand")),
        Column("serial_number", _("serial number")),
        Column("unit", _("unit")),
        Column("unit_price", _("unit price (yuan)")),
        Column("quantity", _("quantity")),
        Column("original_value", _("original value (yuan)")),
        Column("accumulated_depreciation", _("accumulated depreciation (yuan)")),
        Column("net_value", _("net value (yuan)"), accessor=_net),
        Column("is_low_value", _("low-value item")),
        Column("purchase_date", _("purchase date")),
        Column("supplier_name", _("supplier")),
        Column("funding_source", _("funding source")),
        Column("acquisition", _("acquisition")),
        Column("building", _("building"), accessor="room.building.name"),
        Column("room_number", _("room number"), accessor="room.number"),
        Column("department", _("using department"), accessor="department.name"),
        Column("custodian", _("custodian"), accessor="custodian"),
        Column("status", _("status")),
        Column("warranty_end", _("warranty ends")),
        Column("public_code", _("public code")),
        Column("notes", _("notes")),
    )


class SafeLinkTable(Table):
    """Rows link to their objects where those pages exist (other areas add them)."""

    def rows(self) -> list[dict[str, Any]]:
        result = []
        for obj in self.object_list:
            try:
                url = obj.get_absolute_url()
            except (AttributeError, NoReverseMatch):
                url = None
            cells = [
                {
                    "text": display(col.raw(obj)),
                    "url": url if col.link else None,
                    "end": col.align_end,
                    "phone_hidden": col.hide_on_phone,
                }
                for col in self.columns
            ]
            result.append({"cells": cells, "url": url})
        return result


def _place(room_attr: str, custodian_attr: str, department_attr: str) -> Any:
    def value(movement: Any) -> str:
        parts = [
            str(part)
            for part in (
                getattr(movement, room_attr),
                getattr(movement, department_attr),
                getattr(movement, custodian_attr),
            )
            if part is not None
        ]
        return " · ".join(parts)

    return value


def _status_change(movement: Any) -> str:
    before = movement.get_from_status_display() if movement.from_status else ""
    after = movement.get_to_status_display() if movement.to_status else ""
    if before and before != after:
        return f"{before} → {after}"
    return str(after)


class MovementTable(SafeLinkTable):
    columns = (
        Column("at", _("time")),
        Column("kind", _("kind")),
        Column(
            "from",
            _("from"),
            accessor=_place("from_room", "from_custodian", "from_department"),
            hide_on_phone=True,
        ),
        Column("to", _("to"), accessor=_place("to_room", "to_custodian", "to_department")),
        Column("status", _("status"), accessor=_status_change, hide_on_phone=True),
        Column("reference", _("document"), hide_on_phone=True),
        Column("actor", _("by"), accessor="actor", hide_on_phone=True),
        Column("note", _("note")),
    )


def _borrower(loan: Any) -> str:
    return str(loan.borrower_label)


class LoanTable(SafeLinkTable):
    columns = (
        Column("number", _("number"), link=True),
        Column("borrower", _("borrower"), accessor=_borrower),
        Column("lent_at", _("lent at")),
        Column("due_date", _("due date")),
        Column("status", _("status")),
        Column("returned_at", _("returned at"), hide_on_phone=True),
    )


class DamageTable(SafeLinkTable):
    columns = (
        Column("number", _("number"), link=True),
        Column("occurred_at", _("when it happened")),
        Column("description", _("what happened"), hide_on_phone=True),
        Column("status", _("status")),
        Column("assessed_amount", _("amount (yuan)"), align_end=True),
    )
