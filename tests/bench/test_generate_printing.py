"""The generated print jobs follow the school's policy and their paper is in the store's
ledger, job by job."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.contrib.contenttypes.models import ContentType

from bench.generate import Ctx, Preset, rows_preset
from bench.generate.base import TZ
from houqin.approvals.models import ApprovalRequest
from houqin.core.models import StatusChange
from houqin.inventory.models import StockItem, StockMovement
from houqin.printing.models import PrintJob, PrintSettings
from houqin.printing.services.paper import units_for
from houqin.printing.services.policy import approval_decision
from tests.printing.test_paper_months import assert_tables_match

PARTS = ("org", "inventory", "printing")


def build(preset: Preset) -> Ctx:
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in PARTS:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    return ctx


@pytest.mark.django_db
def test_it_writes_the_jobs_of_the_smallest_preset() -> None:
    build(rows_preset(10))
    assert PrintJob.objects.count() == 10
    assert PrintSettings.objects.count() == 1


@pytest.mark.django_db
def test_it_writes_jobs_like_the_services_with_their_paper_in_the_ledger() -> None:
    preset = rows_preset(600, schools=2)
    ctx = build(preset)
    assert PrintJob.objects.count() == preset.print_jobs
    assert not PrintJob.objects.exclude(number__startswith="WY-").exists()
    statuses = set(PrintJob.objects.values_list("status", flat=True))
    assert {"collected", "done", "cancelled", "queued"} <= statuses

    # Paper: one print movement per finished job of a size the store keeps, with its sheets.
    outs = {m.source_id: m for m in StockMovement.objects.filter(kind="print")}
    items = {item.pk: item for item in StockItem.objects.exclude(paper_size="")}
    finished = 0
    for job in PrintJob.objects.filter(status__in=("done", "collected")):
        finished += 1
        assert job.paper_item_id is not None
        movement = outs.pop(job.pk)
        sheets = (job.sheets_used or 0) + job.spoiled_sheets
        assert movement.item_id == job.paper_item_id
        assert items[job.paper_item_id].paper_size == job.paper_size
        assert movement.quantity == -units_for(sheets, items[job.paper_item_id])
        assert (movement.reference, movement.at) == (job.number, job.done_at)
        assert movement.department_id == job.department_id
    assert outs == {}
    assert finished > preset.print_jobs // 2
    assert_tables_match()  # the monthly paper tables, kept by the triggers as it wrote

    # Policy and approvals: the school's rule decided; approvals exist exactly where needed.
    settings = {s.school_id: s for s in PrintSettings.objects.all()}
    requests = {
        r.object_id: r.status for r in ApprovalRequest.objects.filter(request_type="print_job")
    }
    for job in PrintJob.objects.all():
        assert job.sheets_estimated == job.estimate_sheets()
        if job.submitted_at is None:
            assert job.status == "draft" and job.pk not in requests
            continue
        assert job.needs_approval == approval_decision(job, settings[job.school_id]).needed
        assert (job.pk in requests) == job.needs_approval
        assert job.created_at <= job.submitted_at <= ctx.now
        if job.done_at is not None:
            assert job.submitted_at <= job.done_at <= ctx.now

    content_type = ContentType.objects.get_for_model(PrintJob)
    last = {
        c.object_id: c.to_status
        for c in StatusChange.objects.filter(content_type=content_type).order_by("created_at", "id")
    }
    for pk, status in PrintJob.objects.values_list("pk", "status"):
        assert last.get(str(pk), "draft") == status
