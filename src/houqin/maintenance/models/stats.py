"""Pre-aggregated statistics: a month's figures of a school's work orders.

One row per (school, month, dimension, key): the month's orders as a whole (dimension ``""``,
key 0), per repair category (``c``), per building (``b``, key 0 without a building), per
worker (``w``) and the histograms of response and repair times (``r`` and ``s``, key = the
bucket of ``time_buckets``). Counters cover the orders *reported* in the month, cancelled ones
apart. Triggers keep the rows equal to the orders (``houqin.maintenance.stats_sql``); the
statistics read every whole month of a period here and count only the days at its edges
from the orders.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class WorkOrderMonthStat(models.Model):
    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day
    dim = models.CharField(max_length=1, blank=True)
    key = models.IntegerField(default=0)
    volume = models.IntegerField(default=0)
    cancelled = models.IntegerField(default=0)
    done = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    responded = models.IntegerField(default=0)
    responded_on_time = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    response_count = models.IntegerField(default=0)
    response_sum = models.BigIntegerField(default=0)
    resolution_count = models.IntegerField(default=0)
    resolution_sum = models.BigIntegerField(default=0)
    rated = models.IntegerField(default=0)
    rating_sum = models.IntegerField(default=0)
    stars_1 = models.IntegerField(default=0)
    stars_2 = models.IntegerField(default=0)
    stars_3 = models.IntegerField(default=0)
    stars_4 = models.IntegerField(default=0)
    stars_5 = models.IntegerField(default=0)
    repeat_faults = models.IntegerField(default=0)
    cost = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal("0"))
    labour_minutes = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "month", "dim", "key"], name="maintenance_monthstat_unique"
            )
        ]
        # The time histograms count only their volume: read from the index alone.
        indexes = [
            models.Index(
                fields=["dim", "school", "month", "key", "volume"], name="maintenance_stat_volume"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.month:%Y-%m} {self.dim}{self.key}"
