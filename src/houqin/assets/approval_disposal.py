"""The asset disposal as an approval request type (bound when the app is ready).

The amount is the total original value, so a school's chain can add steps above its tiers
(e.g. the principal above 100,000 yuan, the bureau above 1,000,000).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from houqin.approvals import registry
from houqin.core.workflow import transition

from .choices import DisposalMethod, RequestStatus
from .models import AssetDisposal
from .services.disposal import REQUEST_TYPE, disposal_hold, disposal_release


def _move(status: str, *, hold: bool = False, release: bool = False) -> registry.Hook:
    def hook(disposal: AssetDisposal, request: Any, actor: Any) -> None:
        moved = transition(disposal, status, actor=actor, check_permission=False)
        if hold:
            disposal_hold(actor=actor, disposal=moved)
        if release:
            disposal_release(actor=actor, disposal=moved)

    return hook


def _title(disposal: AssetDisposal) -> str:
    names = list(
        disposal.lines.order_by("-original_value", "asset_id").values_list("asset__name", flat=True)
    )
    if not names:
        return disposal.number
    if len(names) == 1:
        return f"{disposal.number} {names[0]}"
    return _("%(number)s %(asset)s and %(more)s more") % {
        "number": disposal.number,
        "asset": names[0],
        "more": len(names) - 1,
    }


DISPOSAL = registry.register(
    registry.RequestType(
        code=REQUEST_TYPE,
        label=registry.get(REQUEST_TYPE).label,
        title=_title,
        amount=lambda d: d.total_value,
        department=lambda d: d.department,
        category=lambda d: d.method,
        requester=lambda d: d.requester,
        on_submitted=_move(RequestStatus.PENDING, hold=True),
        on_approved=_move(RequestStatus.APPROVED),
        on_rejected=_move(RequestStatus.REJECTED, release=True),
        on_returned=_move(RequestStatus.RETURNED, release=True),
        on_withdrawn=_move(RequestStatus.WITHDRAWN, release=True),
        categories=list(DisposalMethod.choices),
    )
)
