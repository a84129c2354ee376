"""Links from a ledger row back to the document that caused it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

# source_type -> URL name of the document's page (pk argument)
SOURCES: dict[str, str] = {
    "requisition": "inventory:requisition_detail",
    "stock_count": "inventory:count_detail",
    "acceptance": "procurement:acceptance_detail",
    "print_job": "printing:job_detail",
    "work_order": "maintenance:workorder_detail",
    "purchase_request": "procurement:request_detail",
    "budget_adjustment": "finance:adjustment_detail",
}


def url_for(source_type: str, source_id: int | None) -> str | None:
    name = SOURCES.get(source_type)
    if not name or source_id is None:
        return None
    try:
        return reverse(name, args=[source_id])
    except NoReverseMatch:
        return None
