"""The monthly depreciation posting at scale: 500,000 asset cards in one school.

    cd /work/main && PYTHONPATH=src .venv/bin/python bench/assets_depreciation.py [--assets 500000]

Builds a throwaway SQLite database (and a throwaway database on the PostgreSQL server that
``HOUQIN_DATABASE_URL`` names, when it names one), fills one school with cards through
``bulk_create``, then times one monthly posting (``depreciation_post``) and a 12-month
catch-up (``depreciation_catch_up``). The baseline, measured in the same run on the same rows,
is the cheapest UPDATE that writes every card of the school:
``UPDATE assets_asset SET accumulated_depreciation = accumulated_depreciation``.
Prints a Markdown table and writes ``bench/results/assets-depreciation-<date>-<db>.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 10_000
BENCH_DB = "houqin_bench_depreciation"


def setup(url: str, workdir: Path) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    os.environ.setdefault("HOUQIN_VAR_DIR", str(workdir))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def build(count: int) -> dict[str, Any]:
    """Migrate, then one school with ``count`` cards of every depreciable minor category."""
    from django.core.management import call_command
    from django.db import transaction

    from houqin.assets.models import Asset, AssetCategory, period_of
    from houqin.assets.services.register import last_closed_period
    from houqin.org.models import Department, District, School

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    district = District.objects.create(name="基准区教育局", code="BENCH")
    school = School.objects.create(district=district, name="基准中学", code="BENCH", kind="junior")
    departments = [
        Department.objects.create(school=school, name=f"部门{n:02d}", kind="office")
        for n in range(20)
    ]
    kinds = []
    for category in AssetCategory.objects.select_related("parent__parent"):
        depreciable, life = category.resolved()
        if depreciable and life:
            kinds.append((category, life * 12))
    last = last_closed_period()
    started = time.perf_counter()
    with transaction.atomic():
        for first in range(0, count, CHUNK):
            cards = []
            for n in range(first, min(first + CHUNK, count)):
                category, life = kinds[n % len(kinds)]
                cents = 100_000 + (n * 7919) % 2_000_000_000
                value = Decimal(cents) / 100
                bought = datetime.date(2010 + n % 16, 1 + n % 12, 1 + n % 28)
                start = period_of(bought)
                cards.append(
                    Asset(
                        school=school,
                        code=f"ZC-{n:07d}",
                        public_code=f"B{n:09d}",
                        name=category.name,
                        category=category,
                        unit_price=value,
                        original_value=value,
                        purchase_date=bought,
                        department=departments[n % len(departments)],
                        status="disposed" if n % 50 == 0 else "in_use",
                        depreciable=True,
                        life_months=life,
                        start_period=start,
                        depreciated_through=min(start, last),
                    )
                )
            Asset.objects.bulk_create(cards, batch_size=2000)
    return {
        "school_id": school.pk,
        "migrate_seconds": round(migrate_seconds, 2),
        "bulk_create_seconds": round(time.perf_counter() - started, 2),
    }


def baseline(school_id: int) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assets_asset SET accumulated_depreciation = accumulated_depreciation "
            "WHERE school_id = %s",
            [school_id],
        )
    return time.perf_counter() - started


def measure(count: int, database: str) -> dict[str, Any]:
    from houqin.assets.models import DepreciationRun
    from houqin.assets.services.depreciation import depreciation_catch_up, depreciation_post
    from houqin.assets.services.register import last_closed_period

    built = build(count)
    school_id = built["school_id"]
    last = last_closed_period()
    baseline(school_id)  # warm the cache: every measured statement finds the rows in memory
    baselines = [baseline(school_id)]
    started = time.perf_counter()
    run = depreciation_post(school_id=school_id, period=last - 12)
    post_seconds = time.perf_counter() - started
    baselines.append(baseline(school_id))
    started = time.perf_counter()
    runs = depreciation_catch_up(school_id=school_id)
    catch_up_seconds = time.perf_counter() - started
    baselines.append(baseline(school_id))
    assert [r.period for r in runs] == list(range(last - 11, last + 1))
    assert DepreciationRun.objects.filter(school_id=school_id).count() == 13
    # Every card still charging was written through the last month; cards written off earlier
    # keep their full value.
    from django.db.models import F

    from houqin.assets.services.depreciation import depreciating

    charging = depreciating(school_id).filter(start_period__gt=last - F("life_months"))
    stale = charging.exclude(depreciated_through=last)
    assert not stale.exists(), list(stale.values("start_period", "life_months", "status")[:3])
    assert runs[-1].amount > 0
    base = min(baselines)
    return {
        "database": database,
        "assets": count,
        **built,
        "baseline_update_seconds": round(base, 3),
        "baseline_runs_seconds": [round(b, 3) for b in baselines],
        "post_seconds": round(post_seconds, 3),
        "post_run_duration_ms": run.duration_ms,
        "post_assets": run.asset_count,
        "post_lines": run.lines.count(),
        "catch_up_12_seconds": round(catch_up_seconds, 3),
        "catch_up_per_month_seconds": round(catch_up_seconds / 12, 3),
        "post_to_baseline_ratio": round(post_seconds / base, 2),
        "catch_up_month_to_baseline_ratio": round(catch_up_seconds / 12 / base, 2),
    }


def postgres_database(url: str, action: str) -> str:
    """The throwaway database of this benchmark (see ``pgdb.py``)."""
    from pgdb import postgres_database as throwaway

    return throwaway(url, action, BENCH_DB)


def run_backend(database: str, url: str, count: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--measure", database, "--url", url]
    command += ["--assets", str(count)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"the {database} run failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(result: dict[str, Any]) -> None:
    database = result["database"]
    lines = [
        f"Depreciation of {result['assets']:,} cards in one school, {database}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs",
        "",
        "| step | seconds | × baseline UPDATE |",
        "|---|---:|---:|",
        f"| baseline UPDATE (no-op) | {result['baseline_update_seconds']:.2f} | 1.0 |",
        f"| one monthly post | {result['post_seconds']:.2f} "
        f"| {result['post_to_baseline_ratio']:.1f} |",
        f"| 12-month catch-up | {result['catch_up_12_seconds']:.2f} "
        f"| {result['catch_up_12_seconds'] / result['baseline_update_seconds']:.1f} |",
        f"| catch-up, per month | {result['catch_up_per_month_seconds']:.2f} "
        f"| {result['catch_up_month_to_baseline_ratio']:.1f} |",
        "",
        f"bulk_create of the cards: {result['bulk_create_seconds']:.1f} s; "
        f"{result['post_assets']:,} cards posted, {result['post_lines']} lines",
    ]
    print("\n".join(lines) + "\n")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.date.today().isoformat()
    payload = {
        "date": stamp,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        **result,
    }
    path = out / f"assets-depreciation-{stamp}-{database}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {path.relative_to(ROOT)}\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=500_000)
    parser.add_argument("--measure")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.measure:
        with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
            setup(args.url, Path(tmp))
            print(json.dumps(measure(args.assets, args.measure)))
        return

    with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
        report(run_backend("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args.assets))
    server = os.environ.get("HOUQIN_DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://")):
        url = postgres_database(server, "create")
        try:
            report(run_backend("postgresql", url, args.assets))
        finally:
            postgres_database(server, "drop")


if __name__ == "__main__":
    main()
