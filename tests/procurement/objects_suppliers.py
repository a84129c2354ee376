"""Objects of procurement (suppliers) for the URL meta-tests, keyed by model name."""

from __future__ import annotations

import datetime
from typing import Any

from houqin.procurement.models import SupplierQualification
from tests.supplies import supplier


def objects(school: Any, room: Any, department: Any, person: Any) -> dict[str, Any]:
    found = supplier(school, name="世界供应商")
    qualification = SupplierQualification.objects.create(
        school=school,
        supplier=found,
        kind="licence",
        number="L-1",
        valid_until=datetime.date.today() + datetime.timedelta(days=365),
    )
    return {"supplier": found, "supplierqualification": qualification}
