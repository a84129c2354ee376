"""Tables of preventive plans and holiday campaigns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from houqin.core.tables import Column, Table


def _compliance(plan: Any) -> str:
    rate = getattr(plan, "compliance", None)
    if rate is None:
        return "—"
    return f"{rate:.0f}% ({plan.on_time_count}/{plan.due_count})"


class PlanTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("recurrence", _("recurrence"), hide_on_phone=True),
        Column("next_due", _("next due")),
        Column(
            "compliance",
            _("on time, last 12 months"),
            accessor=_compliance,
            order_by="compliance",
            align_end=True,
        ),
        Column("category", _("repair category"), hide_on_phone=True),
        Column("assignee", _("worker"), hide_on_phone=True),
        Column("is_active", _("active"), hide_on_phone=True),
    )


class CampaignTable(Table):
    columns = (
        Column("name", _("name"), link=True),
        Column("status", _("status")),
        Column("start_date", _("starts")),
        Column("end_date", _("ends"), hide_on_phone=True),
        Column("category", _("repair category"), hide_on_phone=True),
        Column("rooms", _("rooms"), accessor="room_count", order_by="room_count", align_end=True),
    )
