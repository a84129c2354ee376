"""The school's printing policy: its settings, and whether a job needs approval and why."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ApprovalRule, PrintJob, PrintSettings, Purpose

CENT = Decimal("0.01")


def settings_for(school_id: int) -> PrintSettings:
    """The school's printing settings, or the defaults (not saved) when it has none."""
    found = PrintSettings.objects.filter(school_id=school_id).first()
    return found or PrintSettings(school_id=school_id)


def settings_by_school(school_ids: list[int] | tuple[int, ...]) -> dict[int, PrintSettings]:
    """Settings of several schools in one query; missing ones are the defaults."""
    found = {s.school_id: s for s in PrintSettings.objects.filter(school_id__in=school_ids)}
    return {pk: found.get(pk) or PrintSettings(school_id=pk) for pk in school_ids}


def sheets_for(*, pages: int, copies: int, duplex: bool) -> int:
    """Sheets of paper a job takes: a double-sided copy of an odd number of pages leaves the
    back of its last sheet blank (5 pages → 3 sheets)."""
    per_copy = (pages + 1) // 2 if duplex else pages
    return per_copy * copies


def estimated_cost(sheets: int, config: PrintSettings) -> Decimal:
    return (Decimal(sheets) * config.sheet_cost).quantize(CENT)


@dataclass(frozen=True)
class Decision:
    """Whether a job goes through approval, and the reason shown to the requester."""

    needed: bool
    reason: str


def approval_decision(job: PrintJob, config: PrintSettings) -> Decision:
    """Apply the school's rule to ``job`` (its purpose, colour and estimated sheets)."""
    sheets = sheets_for(pages=job.pages or 0, copies=job.copies or 0, duplex=job.duplex)
    limit = config.approval_sheets
    rule = config.approval_rule
    exam = job.purpose == Purpose.EXAM
    above = sheets >= limit
    facts = {"sheets": sheets, "limit": limit}
    if job.colour and config.colour_needs_approval:
        return Decision(True, _("Colour printing always needs approval."))
    if rule == ApprovalRule.ALWAYS:
        return Decision(True, _("Every print job of this school needs approval."))
    if rule == ApprovalRule.NEVER:
        return Decision(False, _("Print jobs of this school need no approval."))
    if rule in (ApprovalRule.NON_EXAM, ApprovalRule.NON_EXAM_OR_ABOVE) and not exam:
        return Decision(True, _("Material other than exam papers needs approval."))
    if rule in (ApprovalRule.ABOVE_SHEETS, ApprovalRule.NON_EXAM_OR_ABOVE) and above:
        return Decision(
            True,
            _("%(sheets)s sheets: jobs from %(limit)s sheets need approval.") % facts,
        )
    if rule == ApprovalRule.NON_EXAM:
        return Decision(False, _("Exam papers need no approval."))
    if rule == ApprovalRule.ABOVE_SHEETS:
        return Decision(
            False, _("%(sheets)s sheets: only jobs from %(limit)s sheets need approval.") % facts
        )
    return Decision(
        False,
        _("Exam papers below %(limit)s sheets need no approval (this job: %(sheets)s).") % facts,
    )


@transaction.atomic
def print_settings_save(*, actor: object, config: PrintSettings) -> PrintSettings:
    """Save the school's printing settings (the audit trail records the change)."""
    from houqin.core.audit import acting_as

    config.full_clean()
    with acting_as(actor):
        config.save()
    return config
