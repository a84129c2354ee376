"""待建卡: accepted goods at or above the capitalisation threshold become asset cards once
the asset keeper gives them a category, a room, a custodian and a department."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from houqin.assets.choices import Acquisition, FundingSource
from houqin.assets.models import Asset
from houqin.assets.services.register import AssetError, asset_register

from ..choices import IntakeStatus
from ..models import AssetIntake

PLACE = "procurement.change_assetintake"


class IntakeError(Exception):
    """A refused placing; the message is meant for the user."""


def _same_school(intake: AssetIntake, **things: Any) -> None:
    for name, thing in things.items():
        if thing is not None and getattr(thing, "school_id", intake.school_id) != intake.school_id:
            raise IntakeError(_("Choose a %(what)s of this school.") % {"what": name})


@transaction.atomic
def asset_intake_place(
    *,
    actor: Any,
    intake: AssetIntake,
    category: Any,
    room: Any = None,
    custodian: Any = None,
    department: Any = None,
    funding_source: str = FundingSource.FISCAL,
    purchase_date: datetime.date | None = None,
    life_months: int | None = None,
    notes: str = "",
) -> AssetIntake:
    """Register the card (kind purchase, the acceptance number as reference) for the whole
    quantity of the intake, and mark the intake placed."""
    locked: AssetIntake = (
        AssetIntake.objects.select_for_update(of=("self",))
        .select_related("acceptance_line__acceptance")
        .get(pk=intake.pk)
    )
    if locked.status != IntakeStatus.WAITING:
        raise IntakeError(_("This item already has its asset card."))
    _same_school(locked, room=room, department=department)
    if (
        custodian is not None
        and not custodian.memberships.filter(school_id=locked.school_id, is_active=True).exists()
    ):
        raise IntakeError(_("The custodian must be a member of staff of this school."))
    acceptance = locked.acceptance_line.acceptance
    asset = Asset(
        school_id=locked.school_id,
        name=locked.name,
        category=category,
        specification=locked.specification,
        unit=locked.unit[:20],
        unit_price=locked.unit_price,
        quantity=locked.quantity,
        purchase_date=purchase_date or locked.received_on,
        supplier_name=locked.supplier_name,
        funding_source=funding_source,
        acquisition=Acquisition.PURCHASE,
        room=room,
        custodian=custodian,
        department=department or locked.department,
        life_months=life_months,
        notes=notes,
    )
    try:
        asset_register(
            actor=actor,
            asset=asset,
            reference=acceptance.number,
            note=_("From acceptance %(number)s") % {"number": acceptance.number},
        )
    except ValidationError as exc:
        raise IntakeError(" ".join(exc.messages)) from exc
    except AssetError as exc:
        raise IntakeError(str(exc)) from exc
    locked.status = IntakeStatus.PLACED
    locked.asset = asset
    locked.save(update_fields=["status", "asset", "updated_at"])
    intake.status, intake.asset = locked.status, asset
    return locked
