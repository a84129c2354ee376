"""The savings report (开源节流): a period against the same period a year earlier.

Spending against budget, what central purchasing saved, consumables taken from the store and
paper used by print jobs, with headline figures phrased for the yearly summary. Every figure
is an SQL aggregate from the area's ``figures`` module; each block is computed only for the
schools where the reader may see that area (``Scope``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from houqin.finance import figures as budget_figures
from houqin.finance.figures import money, rate
from houqin.inventory import figures as store_figures
from houqin.printing import figures as paper_figures
from houqin.procurement import figures as purchase_figures

#: Block -> the permission that shows it.
BLOCK_PERMISSIONS = {
    "budget": "finance.view_budget_reports",
    "purchasing": "procurement.view_procurement_reports",
    "consumables": "inventory.view_inventory_reports",
    "paper": "printing.view_printing_reports",
}
BLOCKS = tuple(BLOCK_PERMISSIONS)
ZERO = Decimal("0")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str = ""

    def previous(self, label: str = "") -> Period:
        return Period(year_earlier(self.start), year_earlier(self.end), label)

    def months(self) -> list[str]:
        """``YYYY-MM`` of every month the period touches."""
        found = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


@dataclass
class Scope:
    """The schools each block is computed for (a block without schools is left out)."""

    blocks: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def every_block(cls, school_ids: Sequence[int]) -> Scope:
        return cls({name: list(school_ids) for name in BLOCKS})

    def schools(self, block: str) -> list[int]:
        return self.blocks.get(block, [])

    def all_schools(self) -> list[int]:
        return sorted({pk for ids in self.blocks.values() for pk in ids})


def year_earlier(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def change(now: Decimal | int, before: Decimal | int) -> float | None:
    """Percentage change from ``before`` to ``now`` (one decimal), None without a base."""
    if not before:
        return None
    return round((float(now) - float(before)) * 100.0 / float(before), 1)


def _series(values: dict[str, Any], months: list[str], key: str | None = None) -> list[Any]:
    found = []
    for month in months:
        value = values.get(month)
        if key is not None and value is not None:
            value = value[key]
        found.append(value if value is not None else 0)
    return found


def _sum(values: dict[int, Any], key: str | None = None) -> Any:
    total: Any = 0
    for value in values.values():
        total += value[key] if key is not None else value
    return total


# The blocks ----------------------------------------------------------------------------------


def budget_block(school_ids: list[int], period: Period, before: Period) -> dict[str, Any]:
    now = budget_figures.totals(school_ids, period.start, period.end)
    then = budget_figures.totals(school_ids, before.start, before.end)
    budget, spent = _sum(now, "budget") or ZERO, _sum(now, "spent") or ZERO
    committed = _sum(now, "committed") or ZERO
    spent_before = _sum(then, "spent") or ZERO
    months = period.months()
    before_months = before.months()
    return {
        "categories": budget_figures.by_category(school_ids, period.start, period.end),
        "budget": money(budget),
        "committed": money(committed),
        "spent": money(spent),
        "available": money(budget - committed - spent),
        "spent_rate": rate(spent, budget),
        "used_rate": rate(committed + spent, budget),
        "spent_before": money(spent_before),
        "budget_before": money(_sum(then, "budget") or ZERO),
        "spent_change": change(spent, spent_before),
        "monthly": _series(budget_figures.monthly(school_ids, period.start, period.end), months),
        "monthly_before": _series(
            budget_figures.monthly(school_ids, before.start, before.end), before_months
        ),
        "per_school": now,
    }


def purchasing_block(school_ids: list[int], period: Period, before: Period) -> dict[str, Any]:
    now, monthly = purchase_figures.by_school_month(school_ids, period.start, period.end)
    then, _before = purchase_figures.by_school_month(school_ids, before.start, before.end)

    def summed(values: dict[int, dict[str, Any]]) -> dict[str, Any]:
        keys = ("orders", "order_lines", "request_lines", "estimated", "actual", "saving")
        result = {key: _sum(values, key) for key in keys}
        for key in ("estimated", "actual", "saving"):
            result[key] = money(result[key])
        result["saving_rate"] = rate(result["saving"], result["estimated"])
        result["merged"] = max(result["request_lines"] - result["order_lines"], 0)
        return result

    months = period.months()
    return {
        "now": summed(now),
        "before": summed(then),
        "monthly_estimated": _series(monthly, months, "estimated"),
        "monthly_actual": _series(monthly, months, "actual"),
        "per_school": now,
    }


def consumables_block(school_ids: list[int], period: Period, before: Period) -> dict[str, Any]:
    now, per_school = store_figures.by_school_month(school_ids, period.start, period.end)
    then, per_school_before = store_figures.by_school_month(school_ids, before.start, before.end)
    total, total_before = money(sum(now.values(), ZERO)), money(sum(then.values(), ZERO))
    return {
        "monthly": _series(now, period.months()),
        "monthly_before": _series(then, before.months()),
        "total": total,
        "total_before": total_before,
        "change": change(total, total_before),
        "per_school": per_school,
        "per_school_before": per_school_before,
    }


def paper_block(school_ids: list[int], period: Period, before: Period) -> dict[str, Any]:
    now, per_school = paper_figures.by_school_month(school_ids, period.start, period.end)
    then, per_school_before = paper_figures.by_school_month(school_ids, before.start, before.end)
    sheets = sum(row["sheets"] for row in now.values())
    sheets_before = sum(row["sheets"] for row in then.values())
    monthly = _series(now, period.months(), "sheets")
    monthly_before = _series(then, before.months(), "sheets")
    return {
        "monthly": monthly,
        "monthly_before": monthly_before,
        "monthly_change": [change(a, b) for a, b in zip(monthly, monthly_before, strict=True)],
        "sheets": sheets,
        "sheets_before": sheets_before,
        "jobs": sum(row["jobs"] for row in now.values()),
        "jobs_before": sum(row["jobs"] for row in then.values()),
        "change": change(sheets, sheets_before),
        "per_school": per_school,
        "per_school_before": per_school_before,
    }


BUILDERS = {
    "budget": budget_block,
    "purchasing": purchasing_block,
    "consumables": consumables_block,
    "paper": paper_block,
}


def savings_figures(scope: Scope, period: Period) -> dict[str, Any]:
    """Every block the scope allows for ``period`` and the year before, with headlines."""
    before = period.previous()
    result: dict[str, Any] = {"period": period, "before": before}
    for name in BLOCKS:
        schools = scope.schools(name)
        result[name] = BUILDERS[name](schools, period, before) if schools else None
    result["headlines"] = headlines(result)
    result["months"] = period.months()
    return result


# Headlines -----------------------------------------------------------------------------------


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def _trend(pct: float, fell: str, rose: str, same: str) -> str:
    if pct < 0:
        return fell % {"pct": f"{abs(pct):g}"}
    if pct > 0:
        return rose % {"pct": f"{pct:g}"}
    return same


def headlines(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """Sentences for the yearly summary, each with its code and main value."""
    found: list[dict[str, Any]] = []
    budget = figures.get("budget")
    if budget and budget["budget"]:
        found.append(
            {
                "code": "budget",
                "value": budget["spent_rate"],
                "text": _(
                    "Budget execution %(rate)s%%: %(spent)s of %(budget)s yuan spent, "
                    "%(available)s yuan still available."
                )
                % {
                    "rate": f"{budget['spent_rate']:g}",
                    "spent": _yuan(budget["spent"]),
                    "budget": _yuan(budget["budget"]),
                    "available": _yuan(budget["available"]),
                },
            }
        )
    purchasing = figures.get("purchasing")
    if purchasing and purchasing["now"]["orders"]:
        now = purchasing["now"]
        found.append(
            {
                "code": "consolidation",
                "value": now["saving"],
                "text": _(
                    "Central purchasing saved %(saving)s yuan (%(rate)s%% of the estimated "
                    "%(estimated)s yuan) on %(orders)s orders."
                )
                % {
                    "saving": _yuan(now["saving"]),
                    "rate": f"{now['saving_rate'] or 0:g}",
                    "estimated": _yuan(now["estimated"]),
                    "orders": now["orders"],
                },
            }
        )
        if now["request_lines"]:
            found.append(
                {
                    "code": "merged",
                    "value": now["request_lines"],
                    "text": _(
                        "%(requests)s request lines from departments were bought as "
                        "%(lines)s order lines."
                    )
                    % {"requests": now["request_lines"], "lines": now["order_lines"]},
                }
            )
    store = figures.get("consumables")
    if store and store["change"] is not None:
        found.append(
            {
                "code": "consumables",
                "value": store["change"],
                "text": _trend(
                    store["change"],
                    _("Consumables issued fell by %(pct)s%% year on year."),
                    _("Consumables issued rose by %(pct)s%% year on year."),
                    _("Consumables issued stayed the same as last year."),
                ),
            }
        )
    paper = figures.get("paper")
    if paper and paper["change"] is not None:
        found.append(
            {
                "code": "paper",
                "value": paper["change"],
                "text": _trend(
                    paper["change"],
                    _("Paper use fell by %(pct)s%% year on year."),
                    _("Paper use rose by %(pct)s%% year on year."),
                    _("Paper use stayed the same as last year."),
                ),
            }
        )
    return found


def savings_summary(school: Any, start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """The headline figures of one school for the period (for the yearly summary)."""
    school_id = getattr(school, "pk", school)
    figures = savings_figures(Scope.every_block([school_id]), Period(start, end))
    return list(figures["headlines"])


def per_school_rows(figures: dict[str, Any], names: dict[int, str]) -> list[dict[str, Any]]:
    """One row per school for the side-by-side table (district readers)."""
    rows = []
    budget, purchasing = figures.get("budget"), figures.get("purchasing")
    store, paper = figures.get("consumables"), figures.get("paper")
    for pk, name in names.items():
        row: dict[str, Any] = {"school_id": pk, "name": name}
        if budget is not None:
            b = budget["per_school"].get(pk, {})
            row["budget"] = b.get("budget", ZERO)
            row["spent"] = b.get("spent", ZERO)
            row["spent_rate"] = rate(row["spent"], row["budget"])
        if purchasing is not None:
            p = purchasing["per_school"].get(pk, {})
            row["saving"] = p.get("saving", ZERO)
            row["saving_rate"] = rate(row["saving"], p.get("estimated", ZERO))
        if store is not None:
            row["consumables"] = store["per_school"].get(pk, ZERO)
            row["consumables_change"] = change(
                row["consumables"], store["per_school_before"].get(pk, ZERO)
            )
        if paper is not None:
            row["sheets"] = paper["per_school"].get(pk, {}).get("sheets", 0)
            before = paper["per_school_before"].get(pk, {}).get("sheets", 0)
            row["sheets_change"] = change(row["sheets"], before)
        rows.append(row)
    return rows
