"""Figures of a benchmark run: percentiles, the machine, row counts, the JSON and Markdown files."""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import exports

GOAL_P95_MS = 200.0
GOAL_RATIO = 10.0

# The tables whose size the figures depend on (those that exist in this build).
MAIN_TABLES = (
    "org.School",
    "accounts.User",
    "org.Room",
    "assets.Asset",
    "maintenance.RepairRequest",
    "maintenance.WorkOrder",
    "inventory.StockItem",
    "inventory.StockMovement",
    "inventory.Requisition",
    "procurement.PurchaseRequest",
    "procurement.PurchaseOrder",
    "procurement.PurchaseOrderLine",
    "printing.PrintJob",
    "finance.Expense",
    "finance.BudgetLine",
    "approvals.ApprovalRequest",
    "core.Attachment",
    "core.AuditEntry",
)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) by linear interpolation between the closest ranks."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 1),
        "p95": round(percentile(values, 0.95), 1),
        "max": round(max(values), 1) if values else 0.0,
        "n": len(values),
    }


def machine() -> dict[str, Any]:
    """The machine and the database the figures were taken on."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return {
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "database": connection.vendor,
        "database_version": version,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _memory_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def row_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for label in MAIN_TABLES:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counts[label] = model._default_manager.count()
    return counts


def output_paths(folder: Path, vendor: str, day: datetime.date) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{day.isoformat()}-{vendor}"
    return folder / f"{stem}.json", folder / f"{stem}.md"


def write(result: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    day = datetime.date.fromisoformat(result["date"][:10])
    json_path, md_path = output_paths(folder, result["machine"]["database"], day)
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(result), encoding="utf-8")
    return json_path, md_path


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    floor = result["floor"]
    lines = [
        f"# Benchmark {result['date'][:10]} — {m['database_version']}, preset `{result['preset']}`",
        "",
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, "
        f"{m['database_version']}; load average before the run "
        f"{' / '.join(str(v) for v in m['load_average'])}; {result['date']}.",
        f"School measured: {result['school']['name']} (id {result['school']['id']}); "
        f"{result['settings']['runs']} timed requests per page after "
        f"{result['settings']['warmups']} warm-ups, {result['settings']['workers']} gunicorn "
        f"workers × {result['settings']['threads']} threads.",
        "",
        "Rows: " + ", ".join(f"{label} {count:,}" for label, count in result["rows"].items()),
        "",
        f"Floor (`{floor['path']}`, interleaved through the run): p50 {_ms(floor['p50'])} ms, "
        f"p95 {_ms(floor['p95'])} ms. Goal: p95 ≤ {GOAL_P95_MS:.0f} ms and p50 ≤ "
        f"{GOAL_RATIO:.0f}× the floor's p50.",
        "",
        "| page | kind | user | p50 ms | p95 ms | ×floor | goal met |",
        "|---|---|---|---:|---:|---:|:---:|",
    ]
    for page in result["pages"]:
        met = "yes" if page["goal_met"] else "**no**"
        if page["errors"]:
            met = f"**HTTP {','.join(page['errors'])}**"
        lines.append(
            f"| {page['name']} | {page['kind']} | {page['username']} | {_ms(page['p50'])} | "
            f"{_ms(page['p95'])} | {page['ratio']:.1f} | {met} |"
        )
    missed = [page["name"] for page in result["pages"] if not page["goal_met"]]
    lines += [
        "",
        f"{len(result['pages']) - len(missed)} of {len(result['pages'])} pages meet the goal.",
    ]
    if missed:
        lines.append("Over the goal: " + ", ".join(f"`{name}`" for name in missed) + ".")
    lines += exports.markdown(result.get("background_exports", []))
    lines += _load_table(result.get("load", []))
    lines += _memory_lines(result.get("memory", {}))
    return "\n".join(lines) + "\n"


def _load_table(phases: list[dict[str, Any]]) -> list[str]:
    if not phases:
        return []
    lines = [
        "",
        "## Load",
        "",
        "Closed loop, no think time: each client thread browses (or submits repair requests "
        "through the staff web form) as fast as the server answers.",
        "",
        "| workers | clients | seconds | page views/s | submissions/s | errors | p50 ms | p95 ms "
        "| submit p95 ms | saved / answered | peak worker MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for phase in phases:
        lines.append(
            f"| {phase['workers']} | {phase['clients']} | {phase['seconds']:.0f} | "
            f"{phase['page_views_per_s']:.1f} | {phase['submissions_per_s']:.1f} | "
            f"{phase['errors']} | {_ms(phase['p50'])} | {_ms(phase['p95'])} | "
            f"{_ms(phase['submit_p95'])} | {phase['saved']} / {phase['submissions']} | "
            f"{phase['peak_worker_mb']:.0f} |"
        )
    lost = sum(phase["submissions"] - phase["saved"] for phase in phases)
    lines += [
        "",
        "Every answered submission is in the database."
        if not lost
        else f"**{lost} answered submissions are missing.**",
    ]
    return lines


def _memory_lines(memory: dict[str, Any]) -> list[str]:
    if not memory:
        return []
    lines = ["", "## Memory", "", "Peak resident memory (VmHWM) of the gunicorn workers:", ""]
    for phase, peaks in memory.items():
        values = ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks.values()) or "—"
        lines.append(f"- {phase}: {values}")
    return lines
