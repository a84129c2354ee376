"""Exports the catalogue's export pages sent to the background, built and timed afterwards.

A long export answers at once with the page of its background job; the file is then built by
the job consumer. The benchmark runs no consumer while it measures pages (it would share the
machine with them), so after the pages it builds every export queued during the run here, the
way the consumer does (``services.build``), times it, and deletes it.
"""

from __future__ import annotations

import datetime
import time
from typing import Any


def build_queued(since: datetime.datetime) -> list[dict[str, Any]]:
    from django.db import transaction

    from houqin.core.exportjobs import services
    from houqin.core.models import ExportFile

    results = []
    queued = ExportFile.objects.filter(created_at__gte=since, status=ExportFile.Status.QUEUED)
    for export in queued.select_related("owner").order_by("pk"):
        started = time.perf_counter()
        built = services.build(export.pk)
        seconds = time.perf_counter() - started
        if built is None:
            continue
        results.append(
            {
                "title": built.title,
                "path": built.source_url,
                "username": built.owner.username,
                "rows": built.rows,
                "status": built.status,
                "error": built.error,
                "seconds": round(seconds, 2),
                "bytes": built.size,
            }
        )
        with transaction.atomic():
            services.delete(built)
        print(f"{seconds * 1000:8.0f}          background {built.source_url}", flush=True)
    return results


def markdown(exports: list[dict[str, Any]]) -> list[str]:
    if not exports:
        return []
    lines = [
        "",
        "## Background exports",
        "",
        "Exports longer than the inline limit answer with their job's page (timed above); the "
        "file is built afterwards by the job consumer, timed here:",
        "",
        "| export | user | rows | seconds | size MB | status |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in exports:
        lines.append(
            f"| `{row['path']}` | {row['username']} | {row['rows'] or 0:,} | "
            f"{row['seconds']:.1f} | {row['bytes'] / 1e6:.1f} | {row['status']} |"
        )
    return lines
