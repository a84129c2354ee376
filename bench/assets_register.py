"""The asset register list at scale, on a fresh SQLite database.

    cd /work/main && DJANGO_SETTINGS_MODULE=houqin.settings.base HOUQIN_VAR_DIR=/tmp/hq-bench \\
        PYTHONPATH=src .venv/bin/python bench/assets_register.py [--assets 500000] [--runs 20]

One school holds ``--assets`` cards (``bulk_create`` in batches, values and depreciation filled
in as the register service would). Then, in a second process, the asset keeper requests the
register through the Django test client (every middleware, the template, the totals
aggregate): page 1, a category filter, a search, a sort by value, page 1 of all cards; and a
trivial logged-in page (the password form) in the same run as the yardstick. Prints p50/p95,
the SQL share and the ratios, and writes ``bench/results/assets-register-<date>-sqlite.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000
ROOMS = 300
PEOPLE = 60


def setup(workdir: Path) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    os.environ.setdefault("HOUQIN_VAR_DIR", str(workdir))
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def phase_prepare(workdir: Path, count: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started

    from houqin.accounts.models import Membership, Role, User
    from houqin.assets.choices import AssetStatus
    from houqin.assets.models import Asset, AssetCategory
    from houqin.assets.services.depreciation_math import accumulated, months_elapsed
    from houqin.assets.services.register import last_closed_period
    from houqin.org.models import Building, Campus, Department, District, Room, School

    district = District.objects.create(name="基准区教育局", code="BENCH")
    school = School.objects.create(district=district, name="基准中学", code="BENCH", kind="junior")
    campus = Campus.objects.create(school=school, name="主校区", is_main=True)
    buildings = [
        Building.objects.create(
            school=school,
            campus=campus,
            name=f"教学楼{b + 1:02d}",
            use="teaching",
            structure="rc",
            floors_above=20,
        )
        for b in range(10)
    ]
    Room.objects.bulk_create(
        Room(
            school=school,
            building=buildings[n % 10],
            floor=1 + n % 20,
            number=f"R{n:04d}",
            use="classroom",
        )
        for n in range(ROOMS)
    )
    rooms = list(Room.objects.filter(school=school))
    departments = [
        Department.objects.create(school=school, name=f"部门{n}", kind="teaching")
        for n in range(12)
    ]
    keeper = User.objects.create_user("keeper", password=None, real_name="资产管理员")
    Membership.objects.create(user=keeper, school=school, role=Role.objects.get(code="assetkeeper"))
    teacher = Role.objects.get(code="teacher")
    teachers = User.objects.bulk_create(
        User(username=f"t{n}", password="!", real_name=f"教师{n}") for n in range(PEOPLE)
    )
    people = [keeper, *teachers]
    Membership.objects.bulk_create(
        Membership(user=person, school=school, role=teacher) for person in people[1:]
    )
    categories = [
        c for c in AssetCategory.objects.select_related("parent__parent") if c.resolved()[1]
    ]
    lives = {c.pk: c.resolved()[1] for c in categories}
    rng = random.Random(2026)
    through = last_closed_period()
    today = datetime.date.today()
    names = ("台式计算机", "投影仪", "课桌椅", "空调", "打印机", "钢琴", "显微镜", "书架")
    brands = ("联想", "爱普生", "格力", "惠普", "星海", "奥林巴斯", "")
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, count)):
                category = categories[n % len(categories)]
                price = Decimal(rng.choice((180, 450, 980, 1200, 3500, 4800, 12000, 56000)))
                quantity = 1 if price >= 1000 else rng.choice((1, 1, 10, 50))
                bought = today - datetime.timedelta(days=rng.randrange(1, 3650))
                value = price * quantity
                low = price < 1000
                life = None if low else lives[category.pk] * 12
                start_period = bought.year * 12 + bought.month - 1
                depreciation = (
                    Decimal(0)
                    if low
                    else accumulated(value, life or 1, months_elapsed(start_period, through))
                )
                roll = rng.random()
                status = AssetStatus.IN_USE
                if roll < 0.05:
                    status = AssetStatus.DISPOSED
                elif roll < 0.08:
                    status = AssetStatus.IDLE
                batch.append(
                    Asset(
                        school=school,
                        code=f"ZC-{bought.year}-{n:07d}",
                        name=names[n % len(names)],
                        category=category,
                        brand=brands[n % len(brands)],
                        specification=f"型号{n % 997}",
                        serial_number=f"SN{n:09d}",
                        unit_price=price,
                        quantity=quantity,
                        original_value=value,
                        accumulated_depreciation=depreciation,
                        is_low_value=low,
                        depreciable=not low,
                        life_months=life,
                        start_period=None if low else start_period,
                        depreciated_through=None if low else through,
                        purchase_date=bought,
                        room=rooms[n % len(rooms)],
                        department=departments[n % len(departments)],
                        custodian=people[n % len(people)],
                        status=status,
                    )
                )
            Asset.objects.bulk_create(batch)
    insert_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "migrate_seconds": round(migrate_seconds, 2),
        "insert_seconds": round(insert_seconds, 2),
        "assets": Asset.objects.count(),
        "db_mb": round((workdir / "bench.sqlite3").stat().st_size / 1e6, 1),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def phase_measure(workdir: Path, runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from houqin.accounts.models import User
    from houqin.assets.models import AssetCategory

    web = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-CN")
    web.force_login(
        User.objects.get(username="keeper"), backend="houqin.accounts.backends.HouqinBackend"
    )
    major = AssetCategory.objects.get(name="计算机设备")
    pages = {
        "trivial": "/accounts/password/",
        "register_page1": "/assets/register/",
        "register_filter": f"/assets/register/?category={major.pk}",
        "register_search": "/assets/register/?q=SN00012",
        "register_sort": "/assets/register/?sort=-value",
        "register_all_page5": "/assets/register/?show=all&page=5",
    }
    sql_time = [0.0]

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    results: dict[str, Any] = {}
    with connection.execute_wrapper(timer):
        for name, url in pages.items():
            for _warm in range(2):
                assert web.get(url).status_code == 200, url
            walls, sqls = [], []
            for _run in range(runs):
                sql_time[0] = 0.0
                started = time.perf_counter()
                response = web.get(url)
                walls.append((time.perf_counter() - started) * 1000)
                sqls.append(sql_time[0] * 1000)
                assert response.status_code == 200
            results[name] = {
                "url": url,
                "runs": runs,
                "p50_ms": round(statistics.median(walls), 1),
                "p95_ms": round(percentile(walls, 0.95), 1),
                "sql_p50_ms": round(statistics.median(sqls), 1),
                "bytes": len(response.content),
            }
    return results


PHASES = {"prepare": phase_prepare, "measure": phase_measure}


def run_phase(name: str, workdir: Path, value: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--phase", name, "--dir", str(workdir), "--n", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {name} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--phase")
    parser.add_argument("--dir")
    parser.add_argument("--n", type=int)
    args = parser.parse_args()
    if args.phase:
        workdir = Path(args.dir)
        setup(workdir)
        print(json.dumps(PHASES[args.phase](workdir, args.n)))
        return
    with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
        workdir = Path(tmp)
        prepared = run_phase("prepare", workdir, args.assets)
        measured = run_phase("measure", workdir, args.runs)
    report(prepared, measured, args.assets)


def report(prepared: dict[str, Any], measured: dict[str, Any], count: int) -> None:
    trivial = measured["trivial"]["p50_ms"]
    lines = [
        f"Asset register with {count:,} cards in one school, SQLite, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs "
        f"(insert {prepared['insert_seconds']:.0f} s, database {prepared['db_mb']:.0f} MB)",
        "",
        "| page | p50 ms | p95 ms | SQL p50 ms | p50 / trivial page |",
        "|---|---:|---:|---:|---:|",
    ]
    ratios = {}
    for name, r in measured.items():
        ratios[name] = round(r["p50_ms"] / trivial, 1)
        lines.append(
            f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['sql_p50_ms']:.1f} "
            f"| {ratios[name]:.1f}× |"
        )
    lines.append(f"\nload average while measuring: {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.date.today().isoformat()
    payload = {
        "date": stamp,
        "database": "sqlite",
        "assets": count,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "prepare": prepared,
        "pages": measured,
        "p50_ratio_to_trivial_page": ratios,
        "load_average": round(os.getloadavg()[0], 2),
    }
    path = out / f"assets-register-{stamp}-sqlite.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
