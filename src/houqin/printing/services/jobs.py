"""Rules for print and copy jobs (文印): request, submit, print, collect, cancel.

A job is numbered WY-YYYY-NNNNNN. On submission the school's policy decides whether it goes
through the ``print_job`` approval chain (PENDING, then QUEUED when approved) or straight to
the print room queue. When the print room finishes it, the sheets used (and spoiled) leave
the paper stock of the job's size in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from houqin.approvals.services import approval_submit
from houqin.core.audit import acting_as
from houqin.core.numbers import next_number
from houqin.core.scoping import has_perm_in_school
from houqin.core.workflow import transition

from ..models import PrintJob, PrintStatus
from . import notices
from .paper import paper_deduct
from .policy import approval_decision, settings_for

S = PrintStatus
PREFIX = "WY"
#: The most sheets one finished job may report (a typing slip, not a real job, above it).
MAX_SHEETS = 1_000_000


class PrintingError(Exception):
    """A refused printing action; the message is meant for the user."""


def _operates(actor: Any, job: PrintJob) -> bool:
    return has_perm_in_school(actor, PrintJob.OPERATE, job.school_id)


def _locked(job: PrintJob) -> PrintJob:
    locked: PrintJob = (
        PrintJob.objects.select_for_update(of=("self",), no_key=True)
        .select_related("department", "requester")
        .get(pk=job.pk)
    )
    return locked


@transaction.atomic
def print_job_save(*, actor: Any, job: PrintJob, files: Iterable[Any] = ()) -> PrintJob:
    """Create (numbered WY-YYYY-NNNNNN) or change a job while its requester may still edit
    it, with the files to print attached; nothing is kept when a file is refused."""
    if job.pk is None:
        job.requester = actor
        job.school_id = job.department.school_id
        job.number = next_number(job.school_id, PREFIX)
    else:
        current = _locked(job)
        if current.requester_id != actor.pk:
            raise PrintingError(_("Only the requester may change this print job."))
        if not current.is_editable:
            raise PrintingError(_("This print job can no longer be changed."))
    job.sheets_estimated = job.estimate_sheets()
    job.full_clean()
    with acting_as(actor):
        job.save()
    files = [f for f in files if f]
    if files:
        from houqin.core.attachments.services import attachment_upload

        attachment_upload(actor=actor, owner=job, files=files)
    return job


@transaction.atomic
def print_job_submit(*, actor: Any, job: PrintJob) -> PrintJob:
    """Send the job on: to approval when the school's policy says so, else to the queue."""
    locked = _locked(job)
    if locked.requester_id != actor.pk:
        raise PrintingError(_("Only the requester may submit this print job."))
    if not locked.is_editable:
        raise PrintingError(_("This print job has already been submitted."))
    decision = approval_decision(locked, settings_for(locked.school_id))
    locked.needs_approval = decision.needed
    locked.sheets_estimated = locked.estimate_sheets()
    locked.submitted_at = timezone.now()
    with acting_as(actor):
        locked.save(update_fields=["needs_approval", "sheets_estimated", "submitted_at"])
    if decision.needed:
        approval_submit(subject=locked, request_type="print_job", actor=actor)
    else:
        transition(locked, S.QUEUED, actor=actor, reason=decision.reason)
    locked.refresh_from_db()
    _copy(locked, job)
    return locked


@transaction.atomic
def print_job_start(*, actor: Any, job: PrintJob) -> PrintJob:
    """The print room takes a queued job."""
    started: PrintJob = transition(job, S.PRINTING, actor=actor, update={"operator": actor})
    return started


@transaction.atomic
def print_job_requeue(*, actor: Any, job: PrintJob, reason: str = "") -> PrintJob:
    """Put a job that was started back in the queue (the machine broke down…)."""
    back: PrintJob = transition(job, S.QUEUED, actor=actor, reason=reason)
    return back


def _sheets(value: Any, *, default: int, label: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise PrintingError(_("%(field)s: enter a whole number.") % {"field": label}) from None
    if number < 0 or number > MAX_SHEETS:
        raise PrintingError(
            _("%(field)s: enter a number from 0 to %(max)s.") % {"field": label, "max": MAX_SHEETS}
        )
    return number


@transaction.atomic
def print_job_done(
    *, actor: Any, job: PrintJob, sheets_used: Any = None, spoiled_sheets: Any = 0
) -> PrintJob:
    """The print room finished the job: record the sheets used (the estimate by default) and
    the spoiled ones, take them from the paper stock of the job's size, tell the requester.

    With no paper item of that size the job is still done (``paper_item`` stays empty); with
    not enough paper the whole action is refused (``StockError``) and nothing changes.
    """
    locked = _locked(job)
    if locked.status not in (S.QUEUED, S.PRINTING):
        raise PrintingError(_("Only a queued or printing job can be finished."))
    if not _operates(actor, locked):
        raise PrintingError(_("You may not do this."))
    used = _sheets(sheets_used, default=locked.sheets_estimated, label=_("Sheets used"))
    spoiled = _sheets(spoiled_sheets, default=0, label=_("Spoiled sheets"))
    if used < 1:
        raise PrintingError(_("Sheets used: a finished job used at least one sheet."))
    movement = paper_deduct(actor=actor, job=locked, sheets=used + spoiled)
    done: PrintJob = transition(
        locked,
        S.DONE,
        actor=actor,
        update={
            "sheets_used": used,
            "spoiled_sheets": spoiled,
            "operator": locked.operator or actor,
            "paper_item": movement.item if movement is not None else None,
            "done_at": timezone.now(),
        },
    )
    notices.job_done(done, actor)
    _copy(done, job)
    return done


@transaction.atomic
def print_job_collect(*, actor: Any, job: PrintJob) -> PrintJob:
    """The requester (or the print room handing it over) marks the job collected."""
    if job.requester_id != actor.pk and not _operates(actor, job):
        raise PrintingError(_("Only the requester or the print room may mark this collected."))
    collected: PrintJob = transition(job, S.COLLECTED, actor=actor)
    return collected


@transaction.atomic
def print_job_cancel(*, actor: Any, job: PrintJob, reason: str = "") -> PrintJob:
    """The requester cancels a job not yet printing; the print room may cancel a queued job,
    saying why. A job waiting for approval is withdrawn from the approval first."""
    own = job.requester_id == actor.pk
    if not own and not (_operates(actor, job) and job.status == S.QUEUED):
        raise PrintingError(_("Only the requester may cancel this print job."))
    if not own and not reason.strip():
        raise PrintingError(_("Say why the job is cancelled."))
    if job.status == S.PENDING:
        raise PrintingError(_("Withdraw the approval request first, then cancel the job."))
    cancelled: PrintJob = transition(job, S.CANCELLED, actor=actor, reason=reason.strip())
    return cancelled


def _copy(source: PrintJob, target: PrintJob) -> None:
    """Bring the caller's instance up to date with the saved row."""
    if source is target:
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
