"""The compensation waiver (赔偿减免) as an approval request type (bound when the app is ready).

The approved amount is the reduction: what is owed now minus the proposed new amount.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from houqin.approvals import registry

from .models import DamageReport
from .services import damage as services


def _reduction(report: DamageReport) -> Decimal | None:
    if report.proposed_amount is None or report.assessed_amount is None:
        return None
    return report.assessed_amount - report.proposed_amount


def _title(report: DamageReport) -> str:
    return f"{report.number} {report.item_label}"


def _approved(report: DamageReport, request: Any, actor: Any) -> None:
    services.waiver_approved(report, actor)


def _refused(report: DamageReport, request: Any, actor: Any) -> None:
    services.waiver_refused(report, actor)


def _submitted(report: DamageReport, request: Any, actor: Any) -> None:
    services.waiver_submitted(report, actor)


COMPENSATION_WAIVER = registry.register(
    registry.RequestType(
        code=services.WAIVER,
        label=registry.get(services.WAIVER).label,
        title=_title,
        amount=_reduction,
        department=lambda report: None,
        category=lambda report: "",
        requester=lambda report: None,
        on_submitted=_submitted,
        on_approved=_approved,
        on_rejected=_refused,
        on_returned=_refused,
        on_withdrawn=_refused,
    )
)
