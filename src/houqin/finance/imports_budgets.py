"""Excel import of a school year's budget: one row per department and category.

Every row is checked first (all errors are reported at once); only a file without errors is
saved. An imported line starts with its amount as the budget first approved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from houqin.core.imports import (
    Choice,
    Decimal,
    ImportColumn,
    ImportContext,
    ImportSpec,
    Lookup,
    Text,
)
from houqin.org.models import Department, SchoolYear

from .models import BudgetLine, ExpenseCategory


def school_years(ctx: ImportContext) -> QuerySet[Any]:
    return SchoolYear.objects.filter(school=ctx.school).order_by("-start")


def departments(ctx: ImportContext) -> QuerySet[Any]:
    return Department.objects.filter(school=ctx.school).order_by("sort_order", "name")


class BudgetLineImport(ImportSpec):
    model = BudgetLine
    title = _("budget lines")
    columns = (
        ImportColumn(
            "school_year",
            _("school year"),
            Lookup(
                school_years,
                keys=("name",),
                not_found=_("There is no school year “%(value)s” in this school."),
                description=_("The name of a school year of the school"),
            ),
            required=True,
        ),
        ImportColumn(
            "department",
            _("department"),
            Lookup(
                departments,
                keys=("name",),
                not_found=_("There is no department “%(value)s” in this school."),
                description=_("The name of a department of the school"),
            ),
            required=True,
        ),
        ImportColumn("category", _("category"), Choice(ExpenseCategory.choices), required=True),
        ImportColumn(
            "amount",
            _("budget (yuan)"),
            Decimal(places=2),
            required=True,
            example="12000.00",
            aliases=("budget", "amount", "预算", "金额"),
        ),
        ImportColumn("notes", _("notes"), Text()),
    )

    def build(self, values: dict[str, Any], ctx: ImportContext) -> list[Any]:
        amount: Any = values.get("amount")
        line = BudgetLine(
            school=ctx.school,
            school_year=values.get("school_year"),
            department=values.get("department"),
            category=values.get("category") or "",
            amount=amount,
            initial_amount=amount if amount is not None else 0,
            notes=values.get("notes") or "",
        )
        return [line]
