"""Monthly consumption totals (耗材月度消耗汇总), kept by the database itself.

Every movement adds its amount, quantity and one to the count of its row per school, local
month, kind and department (every kind: the ledger list counts its rows from there), and a
movement of a consumption kind (issue, print, repair, return) also to its rows per person
and per item, through triggers on the ledger table (``inventory.consumption_sql``).
Whatever writes the ledger (the stock service, a count posting, a bulk load) keeps these
rows equal to the ledger's own sums in the same transaction. Reports read whole months
here and only the days at a period's edges from the ledger. ``0`` stands for "no
department" and "no person".

The rankings of people and items read their rows from an index that also holds the sums,
so PostgreSQL answers them from the index alone instead of visiting the rows scattered
over the table as the triggers updated them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .items import StockItem

SUMS = ["amount", "quantity", "movements"]


class ConsumptionMonth(models.Model):
    school = models.ForeignKey(
        "org.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the local month."))
    kind = models.CharField(_("kind"), max_length=20)
    department_key = models.BigIntegerField(_("department"), default=0)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, default=Decimal("0")
    )
    movements = models.IntegerField(_("movements"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:%Y-%m} {self.kind}"


class DepartmentConsumption(ConsumptionMonth):
    class Meta:
        verbose_name = _("monthly consumption of a department")
        verbose_name_plural = _("monthly consumption of departments")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "kind", "department_key"],
                name="inventory_consumption_department_key",
            )
        ]


class PersonConsumption(ConsumptionMonth):
    person_key = models.BigIntegerField(_("person"), default=0)

    class Meta:
        verbose_name = _("monthly consumption of a person")
        verbose_name_plural = _("monthly consumption of people")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "kind", "department_key", "person_key"],
                name="inventory_consumption_person_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["school", "month", "kind", "person_key", *SUMS],
                name="inventory_person_sums",
            )
        ]


class ItemConsumption(ConsumptionMonth):
    item = models.ForeignKey(
        StockItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("item")
    )

    class Meta:
        verbose_name = _("monthly consumption of an item")
        verbose_name_plural = _("monthly consumption of items")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "kind", "department_key", "item"],
                name="inventory_consumption_item_key",
            )
        ]
        indexes = [
            models.Index(fields=["item", "month"]),
            models.Index(
                fields=["school", "month", "kind", "item", *SUMS], name="inventory_item_sums"
            ),
        ]
