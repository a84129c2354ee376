"""What the crash and concurrency scripts share: the database, Django in this process, SQL
checks of the documents, and the result files."""

from __future__ import annotations

import datetime
import json
import os
import platform
from pathlib import Path
from typing import Any

from bench.cli_generate import ROOT, database_url, setup_django

RESULTS = ROOT / "bench" / "results"


def open_database(preset: str) -> tuple[str, str]:
    """Django set up on the preset's database; returns (url, vendor)."""
    url = database_url(preset)
    if url.startswith("sqlite") and not Path(url.split("sqlite:///", 1)[1]).exists():
        raise SystemExit(
            f"{url} does not exist: run ./houqin bench generate --preset {preset} first"
        )
    setup_django(url)
    from django.db import connection

    from houqin.org.models import School

    if not School.objects.exists():
        raise SystemExit(
            f"{url} holds no school: run ./houqin bench generate --preset {preset} first"
        )
    if connection.vendor == "postgresql":
        reset_sequences()
    return url, connection.vendor


def reset_sequences() -> None:
    """Key sequences past the rows present (a generation cut short leaves them behind)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(apps.get_models())):
            cursor.execute(statement)


def sql(query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall()) if cursor.description else []


def number_problems(table: str, where: str = "", params: tuple[Any, ...] = ()) -> dict[str, int]:
    """Duplicate document numbers per school, and gaps in each school/prefix/year series of
    the rows selected by ``where`` (numbers look like ``BX-2026-000123``)."""
    condition = f"WHERE {where}" if where else ""
    duplicates = sql(
        f"SELECT COUNT(*) FROM (SELECT school_id, number FROM {table} {condition} "
        "GROUP BY school_id, number HAVING COUNT(*) > 1) d",
        params,
    )[0][0]
    series: dict[tuple[int, str], list[int]] = {}
    for school_id, number in sql(f"SELECT school_id, number FROM {table} {condition}", params):
        prefix, _sep, serial = str(number).rpartition("-")
        if serial.isdigit():
            series.setdefault((school_id, prefix), []).append(int(serial))
    gaps = sum(max(values) - min(values) + 1 - len(set(values)) for values in series.values())
    return {"duplicates": int(duplicates), "gaps": gaps, "series": len(series)}


def machine() -> dict[str, Any]:
    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
    }


def write_results(stem: str, payload: dict[str, Any], markdown: str) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / stem
    path.with_suffix(".json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    path.with_suffix(".md").write_text(markdown)
    print(markdown)
    print(f"written to {path.relative_to(ROOT)}.json and .md")


def table(rows: list[tuple[str, Any]]) -> list[str]:
    return ["| measure | value |", "|---|---:|", *(f"| {name} | {value} |" for name, value in rows)]
