"""The home page's "开源节流" panel: what waits in budgets, purchasing, the store and the print
room, one SQL query per figure and only the figures the reader's permissions cover."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from houqin.core.scoping import school_ids
from houqin.core.views.generic import optional_url


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise
    perms: tuple[str, ...]
    url_name: str
    query: str
    compute: Callable[[list[int]], Any]


def budget_used(schools: list[int]) -> int | None:
    """Committed and spent as a percentage of this school year's budget."""
    from houqin.finance.models import BudgetLine

    today = timezone.localdate()
    row = BudgetLine.objects.filter(
        school_id__in=schools, school_year__start__lte=today, school_year__end__gte=today
    ).aggregate(amount=Sum("amount"), used=Sum(F("committed") + F("spent")))
    if not row["amount"]:
        return None
    return int(row["used"] * 100 / row["amount"])


def lines_to_order(schools: list[int]) -> int:
    from houqin.procurement.choices import LineStatus, RequestStatus
    from houqin.procurement.models import PurchaseRequestLine

    return PurchaseRequestLine.objects.filter(
        request__school_id__in=schools,
        request__status__in=(RequestStatus.APPROVED, RequestStatus.ORDERING),
        status=LineStatus.OPEN,
    ).count()


def orders_awaiting_delivery(schools: list[int]) -> int:
    from houqin.procurement.choices import OrderStatus
    from houqin.procurement.models import PurchaseOrder

    return PurchaseOrder.objects.filter(
        school_id__in=schools, status__in=(OrderStatus.PLACED, OrderStatus.PARTIAL)
    ).count()


def requisitions_to_issue(schools: list[int]) -> int:
    from houqin.inventory.models import Requisition

    return Requisition.objects.filter(school_id__in=schools, status__in=Requisition.OPEN).count()


def low_stock(schools: list[int]) -> int:
    from houqin.inventory.figures import low_stock_count

    return low_stock_count(schools)


def print_queue(schools: list[int]) -> int:
    from houqin.printing.models import PrintJob, PrintStatus

    return PrintJob.objects.filter(
        school_id__in=schools, status__in=(PrintStatus.QUEUED, PrintStatus.PRINTING)
    ).count()


FIGURES = (
    Figure(
        "budget_used",
        _("Budget used this school year"),
        ("finance.view_budget_reports", "finance.view_budgetline"),
        "finance:budget_list",
        "",
        budget_used,
    ),
    Figure(
        "lines_to_order",
        _("Approved lines waiting to be ordered"),
        ("procurement.add_purchaseorder",),
        "procurement:consolidate",
        "",
        lines_to_order,
    ),
    Figure(
        "orders_awaiting",
        _("Orders awaiting delivery"),
        ("procurement.view_purchaseorder",),
        "procurement:order_list",
        "status=placed",
        orders_awaiting_delivery,
    ),
    Figure(
        "requisitions_to_issue",
        _("Requisitions awaiting issue"),
        ("inventory.move_stock",),
        "inventory:issue_queue",
        "",
        requisitions_to_issue,
    ),
    Figure(
        "low_stock",
        _("Items at or below minimum stock"),
        ("inventory.move_stock", "inventory.view_inventory_reports"),
        "inventory:reorder_list",
        "",
        low_stock,
    ),
    Figure(
        "print_queue",
        _("Print jobs in the queue"),
        ("printing.operate_printjob", "printing.view_all_printjob"),
        "printing:queue",
        "",
        print_queue,
    ),
)


def supplies_figures(user: Any, scope: Sequence[int]) -> list[dict[str, Any]]:
    """The panel's figures the user may see in the schools of ``scope`` (empty: no panel)."""
    found = []
    for figure in FIGURES:
        schools = sorted(
            {pk for perm in figure.perms for pk in school_ids(user, perm) if pk in scope}
        )
        if not schools:
            continue
        url = optional_url(figure.url_name)
        if url and figure.query:
            url = f"{url}?{figure.query}"
        value = figure.compute(schools)
        found.append(
            {
                "code": figure.code,
                "label": figure.label,
                "value": value,
                "url": url,
                "percent": figure.code == "budget_used",
                "alert": figure.code != "budget_used" and bool(value),
            }
        )
    return found
