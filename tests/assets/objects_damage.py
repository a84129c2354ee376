"""Objects of this part of the asset register for the URL meta-tests (keyed by model name)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    from houqin.assets.models import CompensationPriceItem, DamageReport
    from houqin.assets.services.damage import damage_report

    price = CompensationPriceItem.objects.create(
        school=school, name="玻璃", unit="m²", price=Decimal("60")
    )
    report = damage_report(
        actor=person,
        report=DamageReport(
            school=school,
            price_item=price,
            quantity=Decimal("1.5"),
            room=room,
            description="窗户玻璃被篮球砸碎",
            responsible_kind="class",
            student_class="初二(3)班",
        ),
    )
    return {"compensationpriceitem": price, "damagereport": report}
