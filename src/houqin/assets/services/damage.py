"""Damage reports and compensation (公物损坏赔偿): report, assess, reduce, notify, pay.

Amounts: ``assessed_amount`` is what the asset keeper assessed; an approved reduction keeps
it and puts the new amount in ``proposed_amount`` (so statistics can show what was waived);
``amount_due`` below is what the responsible party owes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.services import ApprovalError, approval_submit
from houqin.core.audit import acting_as, current_actor
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school, school_ids
from houqin.core.workflow import TransitionError, transition

from ..choices import INACTIVE_STATUSES, AssetStatus, DamageStatus, MovementKind, ResponsibleKind
from ..models import AssetSettings, DamageReport
from . import compensation as rules
from .register import AssetError, asset_set_status

PREFIX = "SH"
VIEW = "assets.view_damagereport"
ADD = "assets.add_damagereport"
ASSESS = "assets.assess_damagereport"
RECORD = "assets.record_compensation"
REPORTS = "assets.view_asset_reports"
#: Holders of any of these see every report of their school; others only their own.
SEE_ALL = (ASSESS, RECORD, REPORTS)
WAIVER = "compensation_waiver"
S = DamageStatus
K = ResponsibleKind


class DamageError(Exception):
    """A rule of damage compensation was broken; the message is for the user."""


# -- selectors -----------------------------------------------------------------------------


def damage_visible_to(user: Any, perm: str = VIEW) -> QuerySet[DamageReport]:
    """Reports ``user`` may see with ``perm``: all of a school where they assess, record
    payments or read asset reports; elsewhere only those they reported or are responsible for."""
    queryset: QuerySet[DamageReport] = DamageReport.objects.visible_to(user, perm)
    every: set[int] = set()
    for name in SEE_ALL:
        every.update(school_ids(user, name))
    return queryset.filter(
        Q(school_id__in=sorted(every)) | Q(reporter_id=user.pk) | Q(responsible_user_id=user.pk)
    )


def amount_due(report: DamageReport) -> Decimal | None:
    """What the responsible party owes: the reduced amount once a reduction is approved."""
    return report.amount_due


def waived_amount(report: DamageReport) -> Decimal:
    due = amount_due(report)
    if report.assessed_amount is None or due is None:
        return Decimal("0.00")
    return report.assessed_amount - due


def compute(report: DamageReport, policy: rules.Policy | None = None) -> rules.Compensation | None:
    """The amount by the school's rule; ``None`` for an item neither priced nor registered."""
    if report.responsible_kind == K.WEAR:
        return rules.natural_wear()
    policy = policy or rules.Policy.of(AssetSettings.for_school(report.school_id))
    if report.price_item_id:
        item = report.price_item
        assert item is not None
        return rules.by_price_list(
            name=item.name,
            unit=item.unit,
            price=item.price,
            quantity=report.quantity,
            deliberate=report.deliberate,
            policy=policy,
        )
    if report.asset_id:
        asset = report.asset
        assert asset is not None
        when = timezone.localdate(report.occurred_at)
        return rules.for_registered_item(
            name=asset.name,
            unit_value=asset.unit_price,
            quantity=report.quantity,
            life_months=asset.life_months,
            depreciable=asset.depreciable,
            months_used=rules.months_of_life_used(asset.purchase_date, when),
            age_months=rules.age_in_months(asset.purchase_date, when),
            deliberate=report.deliberate,
            policy=policy,
        )
    return None


# -- helpers -------------------------------------------------------------------------------


@contextmanager
def _acting(actor: Any) -> Iterator[None]:
    """Attribute audit rows to ``actor`` when no request did already (demo, API, tests)."""
    if current_actor() is not None:
        yield
        return
    with acting_as(actor):
        yield


def _require(actor: Any, perm: str, report: DamageReport) -> None:
    if not has_perm_in_school(actor, perm, report.school_id):
        raise DamageError(_("You may not do this."))


def room_class(room: Any) -> str:
    """The class using a classroom (its name, e.g. 初二(3)班), if the room says so."""
    if room is None or room.use != "classroom":
        return ""
    name = (room.name or "").strip()
    return name if name.endswith("班") else ""


def _check_party(report: DamageReport) -> None:
    """Who is responsible, by kind: what must be given, and what is cleared."""
    kind = report.responsible_kind
    errors: dict[str, str] = {}
    if kind != K.PERSON:
        report.responsible_user = None
    if kind == K.PERSON and not report.responsible_user_id:
        errors["responsible_user"] = _("Choose the member of staff who is responsible.")
    if kind == K.STUDENT:
        if not report.responsible_name.strip():
            errors["responsible_name"] = _("Enter the student's name.")
        if not report.student_class.strip():
            errors["student_class"] = _("Enter the student's class.")
    if kind == K.CLASS and not report.student_class.strip():
        errors["student_class"] = _("Enter the class that is responsible.")
    if kind == K.OUTSIDER and not report.responsible_name.strip():
        errors["responsible_name"] = _("Enter the name of the outsider.")
    if kind in (K.CLASS, K.UNKNOWN, K.WEAR, K.PERSON):
        report.responsible_name = ""
    if kind in (K.PERSON, K.OUTSIDER, K.WEAR):
        report.student_class = ""
    if kind == K.UNKNOWN and not report.student_class.strip():
        # Unknown person: the class of the room pays (school practice).
        report.student_class = room_class(report.room)
    if kind == K.WEAR and report.deliberate:
        errors["deliberate"] = _("Natural wear cannot be deliberate.")
    if errors:
        raise ValidationError(errors)


def _check_school(report: DamageReport) -> None:
    school_id = report.school_id
    errors: dict[str, str] = {}
    for field in ("asset", "room", "price_item"):
        related = getattr(report, field)
        if related is not None and related.school_id != school_id:
            errors[field] = _("Choose one of this school.")
    user = report.responsible_user
    if user is not None and not has_perm_in_school(user, VIEW, school_id):
        errors["responsible_user"] = _("Choose a member of staff of this school.")
    if errors:
        raise ValidationError(errors)


def _new_number(report: DamageReport) -> str:
    """The school's next SH-YYYY-NNNNNN, in the year the damage happened."""
    return next_number(report.school_id, PREFIX, timezone.localdate(report.occurred_at))


# -- services ------------------------------------------------------------------------------


@transaction.atomic
def damage_report(
    *,
    actor: Any,
    report: DamageReport,
    mark_under_repair: bool = False,
    photos: Iterable[Any] = (),
) -> DamageReport:
    """Record damage (numbered SH-YYYY-NNNNNN); any member of staff may report.

    The item is a registered asset, a price-list item or a name; the room defaults to the
    asset's room; an unknown person leaves the class of the room responsible. With
    ``mark_under_repair`` the asset card goes under repair (a "damage reported" movement).
    """
    if report.pk is not None:
        raise DamageError(_("This damage has already been reported."))
    asset = report.asset
    if asset is not None:
        report.school_id = asset.school_id
        if asset.status in INACTIVE_STATUSES:
            raise DamageError(_("This asset is no longer on the register."))
        if report.room_id is None:
            report.room = asset.room
    elif report.price_item_id is None and not report.item_name.strip():
        raise ValidationError(
            {
                "item_name": _(
                    "Name the damaged item, choose it from the price list or the register."
                )
            }
        )
    if not report.school_id:
        raise DamageError(_("Choose the school."))
    if not has_perm_in_school(actor, ADD, report.school_id):
        raise DamageError(_("You may not report damage in this school."))
    _check_school(report)
    _check_party(report)
    report.reporter = actor
    report.number = _new_number(report)
    report.status = S.REPORTED
    report.full_clean()
    with _acting(actor):
        report.save()
        if mark_under_repair and asset is not None:
            try:
                asset_set_status(
                    actor=actor,
                    asset=asset,
                    status=AssetStatus.UNDER_REPAIR,
                    kind=MovementKind.DAMAGED,
                    reference=report.number,
                    reference_url=report.get_absolute_url(),
                    note=report.description[:500],
                )
            except AssetError as exc:
                raise DamageError(str(exc)) from exc
        files = list(photos)
        if files:
            from houqin.core.attachments.services import attachment_upload

            attachment_upload(actor=actor, owner=report, files=files)
    return report


@transaction.atomic
def damage_assess(
    *,
    actor: Any,
    report: DamageReport,
    amount: Decimal | None = None,
    reason: str = "",
) -> DamageReport:
    """The asset keeper computes the amount by the rule (shown in ``rule_text``). A different
    amount needs a reason; natural wear or an amount of 0 means no charge."""
    _require(actor, ASSESS, report)
    if report.status not in (S.REPORTED, S.ASSESSED):
        raise TransitionError(
            _("Only a reported or assessed (not yet notified) damage can be assessed.")
        )
    reason = reason.strip()
    result = compute(report)
    computed = result.amount if result is not None else None
    if amount is not None:
        amount = rules.cents(Decimal(amount))
        if amount < 0:
            raise ValidationError({"amount": _("The amount cannot be negative.")})
    final = amount if amount is not None else computed
    if final is None:
        raise ValidationError(
            {
                "amount": _(
                    "This item is neither on the price list nor registered: enter the amount."
                )
            }
        )
    changed = computed is not None and final != computed
    if changed and not reason:
        raise ValidationError({"reason": _("Give the reason for an amount other than the rule's.")})
    lines = [result.explanation] if result is not None else []
    if changed or computed is None:
        note = _("Assessed at %(amount)s yuan by the asset keeper") % {"amount": rules.money(final)}
        lines.append(f"{note}: {reason}" if reason else note)
    to = S.NO_CHARGE if final == 0 else S.ASSESSED
    update = {
        "method": result.method if result is not None else "",
        "computed_amount": computed,
        "rule_text": "\n".join(lines),
        "assessed_amount": final,
        "adjust_reason": reason if (changed or computed is None) else "",
        "assessed_by": actor,
        "assessed_at": timezone.now(),
        "proposed_amount": None,
        "waiver_reason": "",
    }
    with _acting(actor):
        done: DamageReport = transition(
            report, to, actor=actor, reason=reason, check_permission=False, update=update
        )
    return done


@transaction.atomic
def damage_request_waiver(
    *, actor: Any, report: DamageReport, amount: Decimal, reason: str
) -> DamageReport:
    """Ask to reduce (or waive, amount 0) what is owed: the ``compensation_waiver`` chain
    approves the reduction (its amount); approved → the new amount (0 → waived), rejected →
    back with the original amount."""
    report = DamageReport.objects.select_for_update().get(pk=report.pk)
    may = has_perm_in_school(actor, ASSESS, report.school_id) or (
        report.responsible_user_id == actor.pk
    )
    if not may:
        raise DamageError(_("You may not do this."))
    if report.status not in (S.ASSESSED, S.NOTIFIED):
        raise TransitionError(_("A reduction can be asked for once the damage is assessed."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reduction.")})
    current = amount_due(report) or Decimal(0)
    amount = rules.cents(Decimal(amount))
    if amount < 0 or amount >= current:
        raise ValidationError(
            {
                "amount": _("The reduced amount must be at least 0 and less than %(due)s yuan.")
                % {"due": rules.money(current)}
            }
        )
    report.proposed_amount = amount
    report.waiver_reason = reason
    with _acting(actor):
        report.save(update_fields=["proposed_amount", "waiver_reason", "updated_at"])
        try:
            approval_submit(subject=report, request_type=WAIVER, actor=actor)
        except ApprovalError as exc:
            raise DamageError(str(exc)) from exc
    report.refresh_from_db()
    return report


@transaction.atomic
def damage_notify(*, actor: Any, report: DamageReport) -> DamageReport:
    """Issue the compensation notice (赔偿通知书)."""
    _require(actor, ASSESS, report)
    with _acting(actor):
        done: DamageReport = transition(
            report, S.NOTIFIED, actor=actor, update={"notified_at": timezone.now()}
        )
    return done


@transaction.atomic
def damage_record_payment(
    *,
    actor: Any,
    report: DamageReport,
    receipt_number: str,
    amount: Decimal,
    paid_at: Any = None,
) -> DamageReport:
    """The accountant records the payment with its receipt number."""
    _require(actor, RECORD, report)
    receipt_number = receipt_number.strip()
    if not receipt_number:
        raise ValidationError({"receipt_number": _("Enter the receipt number.")})
    due = amount_due(report)
    amount = rules.cents(Decimal(amount))
    if due is None or amount != due:
        raise ValidationError(
            {
                "amount": _("The amount paid must be the amount due, %(due)s yuan.")
                % {"due": rules.money(due or Decimal(0))}
            }
        )
    with _acting(actor):
        done: DamageReport = transition(
            report,
            S.PAID,
            actor=actor,
            update={
                "paid_amount": amount,
                "receipt_number": receipt_number,
                "paid_at": paid_at or timezone.now(),
                "payment_recorded_by": actor,
            },
        )
    return done


# -- approval outcomes (bound in ``approval_damage``) ---------------------------------------


def _back(report: DamageReport) -> str:
    return S.NOTIFIED if report.notified_at else S.ASSESSED


def waiver_submitted(report: DamageReport, actor: Any) -> None:
    transition(report, S.WAIVER_PENDING, actor=actor, check_permission=False)


def waiver_approved(report: DamageReport, actor: Any) -> None:
    """The reduced amount stands: 0 is waived; otherwise a new notice is issued."""
    report.refresh_from_db()
    if report.proposed_amount == 0:
        transition(report, S.WAIVED, actor=actor, check_permission=False)
    else:
        transition(
            report, S.ASSESSED, actor=actor, check_permission=False, update={"notified_at": None}
        )


def waiver_refused(report: DamageReport, actor: Any, reason: str = "") -> None:
    """Rejected, returned or withdrawn: back with the original amount."""
    report.refresh_from_db()
    if report.status != S.WAIVER_PENDING:
        return
    transition(
        report,
        _back(report),
        actor=actor,
        reason=reason,
        check_permission=False,
        update={"proposed_amount": None},
    )
