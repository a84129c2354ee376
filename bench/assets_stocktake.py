"""A stocktake of 20,000 assets in one building, on a fresh SQLite database.

    cd /work/main && DJANGO_SETTINGS_MODULE=houqin.settings.base HOUQIN_VAR_DIR=/tmp/hq-bench \\
        PYTHONPATH=src .venv/bin/python bench/assets_stocktake.py [--assets 20000]

One building holds ``--assets`` cards in 400 rooms. Timed through the services: starting the
stocktake (one line per asset, bulk), counting every line through the bulk service path (93 %
found, 5 % in the wrong room, 2 % missing), finishing, applying (moves, losses: one ledger and one
audit row per changed card), the figures and the room task list. The baseline, in the same run:
a plain ``bulk_update`` of the same line rows (counting) and of the same changed cards
(applying). Prints a Markdown table and writes
``bench/results/assets-stocktake-<date>-sqlite.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROOMS = 400
BATCH = 5000


def setup(workdir: Path) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    os.environ.setdefault("HOUQIN_VAR_DIR", str(workdir))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def prepare(count: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from houqin.accounts.models import Membership, Role, User
    from houqin.assets.models import Asset, AssetCategory
    from houqin.org.models import Building, Campus, District, Room, School

    district = District.objects.create(name="基准区教育局", code="BENCH")
    school = School.objects.create(district=district, name="基准中学", code="BENCH", kind="junior")
    campus = Campus.objects.create(school=school, name="主校区", is_main=True)
    building = Building.objects.create(
        school=school, campus=campus, name="综合楼", use="teaching", structure="rc", floors_above=20
    )
    Room.objects.bulk_create(
        Room(
            school=school, building=building, floor=1 + n % 20, number=f"R{n:04d}", use="classroom"
        )
        for n in range(ROOMS)
    )
    rooms = list(Room.objects.filter(school=school).order_by("pk"))
    keeper = User.objects.create_user("keeper", password=None, real_name="资产管理员")
    Membership.objects.create(user=keeper, school=school, role=Role.objects.get(code="assetkeeper"))
    category = AssetCategory.objects.get(name="台式计算机")
    today = datetime.date.today()
    with transaction.atomic():
        for start in range(0, count, BATCH):
            Asset.objects.bulk_create(
                Asset(
                    school=school,
                    code=f"ZC-2024-{n:07d}",
                    name="台式计算机",
                    category=category,
                    unit_price=Decimal("4500"),
                    quantity=1,
                    original_value=Decimal("4500"),
                    depreciable=False,
                    purchase_date=today,
                    room=rooms[n % ROOMS],
                )
                for n in range(start, min(start + BATCH, count))
            )
    return {"school": school, "building": building, "rooms": rooms, "keeper": keeper}


def run(count: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from houqin.assets.choices import CountResult
    from houqin.assets.models import Asset, AssetMovement, StocktakeLine
    from houqin.assets.reports_stocktakes import figures, room_tasks
    from houqin.assets.services import stocktakes as st

    world = prepare(count)
    keeper, rooms = world["keeper"], world["rooms"]
    rng = random.Random(2026)
    figures_out: dict[str, Any] = {"assets": count, "rooms": ROOMS}

    start_s, stocktake = timed(
        lambda: st.stocktake_start(
            actor=keeper, name="基准盘点", scope="building", building=world["building"]
        )
    )
    figures_out["start_seconds"] = round(start_s, 3)
    figures_out["lines"] = stocktake.lines.count()

    lines = list(stocktake.lines.values_list("pk", "expected_room_id"))
    results: list[tuple[int, str, int | None]] = []
    for pk, room_id in lines:
        roll = rng.random()
        if roll < 0.05:
            other = rooms[(rooms.index(next(r for r in rooms if r.pk == room_id)) + 1) % ROOMS]
            results.append((pk, CountResult.FOUND, other.pk))
        elif roll < 0.07:
            results.append((pk, CountResult.MISSING, None))
        else:
            results.append((pk, CountResult.FOUND, room_id))
    count_s, _n = timed(
        lambda: st.stocktake_count_lines(actor=keeper, stocktake=stocktake, results=results)
    )
    figures_out["count_seconds"] = round(count_s, 3)

    scan_assets = list(
        Asset.objects.filter(school=world["school"])
        .order_by("?")
        .values_list("code", "room_id")[:100]
    )
    by_pk = {r.pk: r for r in rooms}
    scan_s, _none = timed(
        lambda: [
            st.stocktake_scan(actor=keeper, stocktake=stocktake, code=code, room=by_pk[room_id])
            for code, room_id in scan_assets
        ]
    )
    figures_out["scan_ms_each"] = round(scan_s * 1000 / len(scan_assets), 2)

    with CaptureQueriesContext(connection) as queries:
        tasks_s, tasks = timed(lambda: room_tasks(stocktake))
    figures_out["room_task_list_seconds"] = round(tasks_s, 3)
    figures_out["room_task_list_queries"] = len(queries)
    figures_out["room_task_list_rows"] = len(tasks)
    fig_s, numbers = timed(lambda: figures(stocktake))
    figures_out["figures_seconds"] = round(fig_s, 3)

    finish_s, _st = timed(lambda: st.stocktake_finish_counting(actor=keeper, stocktake=stocktake))
    figures_out["finish_seconds"] = round(finish_s, 3)
    numbers = figures(stocktake)
    figures_out["wrong_room"] = numbers["wrong_room"]
    figures_out["missing"] = numbers["missing"]
    figures_out["match_rate"] = str(numbers["match_rate"])

    changed = list(
        StocktakeLine.objects.filter(
            stocktake=stocktake, result__in=("wrong_room", "missing")
        ).values_list("asset_id", "result", "found_room_id")
    )
    apply_s, done = timed(lambda: st.stocktake_apply(actor=keeper, stocktake=stocktake))
    figures_out["apply_seconds"] = round(apply_s, 3)
    figures_out["applied"] = done
    figures_out["movements"] = AssetMovement.objects.filter(reference=stocktake.number).count()

    # Baselines: plain bulk_update of the same rows with the same values.
    line_rows = list(StocktakeLine.objects.filter(stocktake=stocktake).only("pk", "result"))
    for row in line_rows:
        row.result = CountResult.FOUND
    base_count_s, _ = timed(
        lambda: StocktakeLine.objects.bulk_update(
            line_rows, ["result", "found_room"], batch_size=2000
        )
    )
    figures_out["baseline_count_bulk_update_seconds"] = round(base_count_s, 3)
    assets = Asset.objects.in_bulk([c[0] for c in changed])
    rows = []
    for asset_id, result, found_room_id in changed:
        asset = assets[asset_id]
        if result == "missing":
            asset.status = "lost"
        else:
            asset.room_id = found_room_id
        rows.append(asset)
    base_apply_s, _ = timed(
        lambda: Asset.objects.bulk_update(rows, ["room", "status"], batch_size=2000)
    )
    figures_out["baseline_apply_bulk_update_seconds"] = round(base_apply_s, 3)
    figures_out["count_vs_baseline"] = round(count_s / max(base_count_s, 1e-6), 2)
    figures_out["apply_vs_baseline"] = round(apply_s / max(base_apply_s, 1e-6), 2)
    return figures_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assets", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hq-stocktake-") as tmp:
        setup(Path(tmp))
        out = run(args.assets)
    out["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    print("| measure | value |\n|---|---|")
    for key, value in out.items():
        if key != "machine":
            print(f"| {key} | {value} |")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"assets-stocktake-{datetime.date.today():%Y-%m-%d}-sqlite.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
