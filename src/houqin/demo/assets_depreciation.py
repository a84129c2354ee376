"""Demo data of this part of the asset register, made through its services."""

from __future__ import annotations

from typing import Any

from houqin.accounts.models import Membership
from houqin.assets.models import DepreciationRun
from houqin.assets.services.depreciation import depreciation_catch_up, depreciation_post
from houqin.assets.services.register import last_closed_period

MONTHS = 3


def load(school: Any) -> None:
    """Called by ``demo/assets.py`` for each demo school after its assets exist.

    Posts the last three closed months (the cards already carry their depreciation through
    last month, so the postings only confirm it); months already posted are left alone.
    """
    last = last_closed_period()
    membership = (
        Membership.objects.filter(school=school, is_active=True, role__code="accountant")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    actor = membership.user if membership is not None else None
    if not DepreciationRun.objects.filter(school=school).exists():
        depreciation_post(school_id=school.pk, period=last - MONTHS + 1, actor=actor)
    depreciation_catch_up(school_id=school.pk, through=last, actor=actor)
