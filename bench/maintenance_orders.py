"""The work-order list, an order's page and the dashboards with 1,000,000 work orders.

    cd /work/main && PYTHONPATH=src .venv/bin/python bench/maintenance_orders.py \\
        [--orders 1000000] [--schools 1] [--runs 20] [--keep /tmp/hq-bench-orders] \\
        [--pg-name houqin_bench_maintenance --pg-keep] [--tag district]

Builds a throwaway SQLite database (and one on the PostgreSQL server that
``HOUQIN_DATABASE_URL`` names, when it names one): one school with 10 buildings, 400 rooms,
12 workers and ``--orders`` work orders over five years (deterministic; inserted in batches
with one ``executemany`` each, all derived fields filled in as the services would: targets,
clock, on-time flags, costs, ratings; the last days still open in every state). Then, in a
fresh process, the director requests through the Django test client (every middleware, the
templates, the SQL): the work-order list (page 1, filtered by status, by building, sorted by
repair-by date), one order's page, the maintenance dashboard and the home dashboard with its
maintenance panel, and a trivial logged-in page (the password form) as the yardstick in the
same run. Prints p50/p95, the SQL share and the ratios; writes
``bench/results/maintenance-orders-<db>.json`` and ``.md``.

``--keep DIR`` keeps the SQLite database in DIR and reuses it when it already holds the
requested number of orders (building a million takes minutes); ``--pg-keep`` does the same
for the PostgreSQL database ``--pg-name``.

``--schools N`` spreads the orders over N schools of one district: the first school takes
``--big-share`` of them (half by default), the others share the rest. The pages are then
also timed for the district bureau's user, who sees every school, and the maintenance
statistics' pre-aggregated figures are refreshed first (as the nightly job does). ``--tag``
names the result files (``maintenance-orders-<db>-<tag>``).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
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
BATCH = 20_000
BUILDINGS = 10
ROOMS = 400
WORKERS = 12
TEACHERS = 80
YEARS = 5
BENCH_DB = "houqin_bench_maintenance"
CATEGORIES = {
    "electric": 26,
    "water": 20,
    "plumbing": 8,
    "carpentry": 8,
    "doors": 9,
    "appliance": 12,
    "aircon": 6,
    "network": 6,
    "other": 5,
}
TITLES = {
    "electric": ("日光灯不亮", "插座没电", "空气开关跳闸"),
    "water": ("水龙头漏水", "水管漏水", "冲水阀坏了"),
    "plumbing": ("厕所堵塞", "下水道堵塞"),
    "carpentry": ("课桌椅损坏", "床板断裂", "柜门脱落"),
    "doors": ("门锁坏了", "窗户玻璃破裂", "窗户关不上"),
    "appliance": ("电扇不转", "投影仪无信号", "饮水机不出水"),
    "aircon": ("空调不制冷", "空调漏水"),
    "network": ("网络断线", "无线信号弱"),
    "other": ("墙皮脱落", "屋顶漏雨"),
}


def setup(url: str, workdir: Path) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = url
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


# -- building the database ---------------------------------------------------------------------


def phase_prepare(count: int, schools: int = 1, share: float = 0.5) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started

    from houqin.maintenance.models import WorkOrder

    name = str(connection.settings_dict["NAME"])
    built = Path(f"{name}.build.json")
    if WorkOrder.objects.count() == count:
        earlier = json.loads(built.read_text()) if built.exists() else {}
        # migrate analysed again if it added indexes (houqin.core.sqlite_stats)
        return {**earlier, "reused": True, "orders": count, **_refresh_statistics()}
    if WorkOrder.objects.exists():
        raise SystemExit("the kept database holds another number of orders: remove it first")
    world = _world(schools)
    started = time.perf_counter()
    rng = random.Random(2026)
    numbers: dict[tuple[int, int], int] = {}
    with transaction.atomic():
        for first in range(0, count, BATCH):
            rows = [
                _order(n, count, world, rng, numbers, share)
                for n in range(first, min(first + BATCH, count))
            ]
            _insert(rows)
            if first and first % (10 * BATCH) == 0:
                elapsed = time.perf_counter() - started
                sys.stderr.write(f"  {first:,} orders in {elapsed:.0f} s\n")
        from houqin.core.models import DocumentSequence

        for (school_id, year), last in numbers.items():
            DocumentSequence.objects.update_or_create(
                school_id=school_id, prefix="WX", year=year, defaults={"last_number": last}
            )
    insert_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "reused": False,
        "migrate_seconds": round(migrate_seconds, 2),
        "insert_seconds": round(insert_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "orders": WorkOrder.objects.count(),
        "orders_per_second": round(count / insert_seconds),
        "schools": schools,
    }
    result.update(_refresh_statistics())
    if connection.vendor == "sqlite":
        result["db_mb"] = round(Path(name).stat().st_size / 1e6, 1)
        built.write_text(json.dumps(result))
    return result


def _refresh_statistics() -> dict[str, Any]:
    """Pre-aggregate the closed days of every school, as the nightly job does."""
    try:
        from houqin.maintenance.stats_refresh import refresh_all
    except ImportError:  # an older checkout without pre-aggregated statistics
        return {}
    started = time.perf_counter()
    rows = refresh_all()
    return {"aggregate_rows": rows, "aggregate_seconds": round(time.perf_counter() - started, 1)}


def _insert(rows: list[dict[str, Any]]) -> None:
    from houqin.demo.maintenance_story import fast_insert
    from houqin.maintenance.models import WorkOrder

    fast_insert(WorkOrder, rows)


def _world(schools: int) -> dict[str, Any]:
    """The district, its schools with their places and people, settings and dispatch rules;
    the bureau's user and one director per school (``director`` is the first school's)."""
    from houqin.accounts.models import Membership, Role, User
    from houqin.maintenance.models import MaintenanceSettings, RepairCategory
    from houqin.org.models import District

    district = District.objects.create(name="基准区教育局", code="BENCH")
    roles = {
        r.code: r
        for r in Role.objects.filter(code__in=("director", "worker", "teacher", "district"))
    }
    bureau = User.objects.create_user("district", password=None, real_name="区教育局")
    Membership.objects.create(user=bureau, district=district, role=roles["district"])
    categories = {c.code: c for c in RepairCategory.objects.all()}
    places = [_school(n, district, roles, categories) for n in range(schools)]
    config = MaintenanceSettings.objects.get(school_id=places[0]["school"].pk)
    return {
        "schools": places,
        "categories": [(categories[code].pk, code, weight) for code, weight in CATEGORIES.items()],
        "cum": list(itertools.accumulate(CATEGORIES.values())),
        "targets": {u: config.targets(u) for u in ("urgent", "normal", "planned")},
        "now": datetime.datetime.now(datetime.UTC).replace(microsecond=0),
    }


def _school(
    n: int, district: Any, roles: dict[str, Any], categories: dict[str, Any]
) -> dict[str, Any]:
    from houqin.accounts.models import Membership, User
    from houqin.maintenance.models import DispatchRule, MaintenanceSettings, MaintenanceTeam
    from houqin.org.models import Building, Campus, Room, School

    code = "BENCH" if n == 0 else f"BENCH{n:02d}"
    name = "基准中学" if n == 0 else f"基准第{n + 1}中学"
    school = School.objects.create(district=district, name=name, code=code, kind="junior")
    campus = Campus.objects.create(school=school, name="主校区", is_main=True)
    buildings = Building.objects.bulk_create(
        Building(
            school=school,
            campus=campus,
            name=f"教学楼{b + 1:02d}",
            use="teaching",
            structure="rc",
            floors_above=8,
        )
        for b in range(BUILDINGS)
    )
    Room.objects.bulk_create(
        Room(
            school=school,
            building=buildings[r % BUILDINGS],
            floor=1 + r % 8,
            number=f"R{r:04d}",
            name=f"教室{r:04d}",
            use="classroom",
        )
        for r in range(ROOMS)
    )
    rooms = list(Room.objects.filter(school=school).values_list("pk", "building_id"))
    prefix = "" if n == 0 else f"s{n:02d}-"
    director = User.objects.create_user(f"{prefix}director", password=None, real_name="总务主任")
    Membership.objects.create(user=director, school=school, role=roles["director"])
    workers = User.objects.bulk_create(
        User(username=f"{prefix}w{w:02d}", password="!", real_name=f"维修工{w:02d}")
        for w in range(WORKERS)
    )
    teachers = User.objects.bulk_create(
        User(username=f"{prefix}t{t:03d}", password="!", real_name=f"教师{t:03d}")
        for t in range(TEACHERS)
    )
    Membership.objects.bulk_create(
        [Membership(user=u, school=school, role=roles["worker"]) for u in workers]
        + [Membership(user=u, school=school, role=roles["teacher"]) for u in teachers]
    )
    MaintenanceSettings.objects.create(school=school, labour_rate=Decimal("40"))
    team = MaintenanceTeam.objects.create(school=school, name="水电组", leader=workers[0])
    team.members.set(workers)
    DispatchRule.objects.bulk_create(
        DispatchRule(school=school, category=c, assignee=workers[i % WORKERS], team=team)
        for i, c in enumerate(categories.values())
    )
    return {
        "school": school,
        "rooms": rooms,
        "workers": [u.pk for u in workers],
        "teachers": [u.pk for u in teachers],
        "team": team.pk,
    }


def _order(
    n: int,
    count: int,
    world: dict[str, Any],
    rng: random.Random,
    numbers: dict[tuple[int, int], int],
    share: float,
) -> dict[str, Any]:
    """Order ``n`` of ``count``, oldest first: reported over the last years up to now, in
    the first school for ``share`` of them and in one of the others for the rest."""
    now = world["now"]
    places = world["schools"]
    place = places[0] if len(places) == 1 or rng.random() < share else rng.choice(places[1:])
    span = YEARS * 365 * 86400
    reported = now - datetime.timedelta(seconds=int(span * (1 - (n + rng.random()) / count)) + 600)
    year = reported.year
    key = (place["school"].pk, year)
    numbers[key] = numbers.get(key, 0) + 1
    category_id, code, _weight = rng.choices(world["categories"], cum_weights=world["cum"])[0]
    urgency = "urgent" if rng.random() < 0.1 else "planned" if rng.random() < 0.04 else "normal"
    respond, resolve = world["targets"][urgency]
    room_id, building_id = place["rooms"][rng.randrange(ROOMS)]
    worker = place["workers"][rng.randrange(WORKERS)]
    requester = place["teachers"][rng.randrange(TEACHERS)] if rng.random() < 0.7 else None
    respond_due = reported + datetime.timedelta(minutes=respond)
    resolve_due = reported + datetime.timedelta(minutes=resolve)
    response = (
        int(
            respond
            * 60
            * (rng.uniform(1.1, 2.5) if rng.random() < 0.06 else rng.random() ** 1.6 * 0.9)
        )
        + 60
    )
    resolution = max(
        response + 1800,
        int(
            resolve
            * 60
            * (rng.uniform(1.05, 2.2) if rng.random() < 0.07 else rng.random() ** 3 * 0.7)
        ),
    )
    accepted = reported + datetime.timedelta(seconds=response)
    started = accepted + datetime.timedelta(minutes=rng.randrange(5, 40))
    finished = max(
        started + datetime.timedelta(minutes=20), reported + datetime.timedelta(seconds=resolution)
    )
    closed = finished + datetime.timedelta(hours=rng.uniform(0.5, 30))
    status = "rated" if rng.random() < 0.45 else "completed"
    if rng.random() < 0.02:
        status = "cancelled"
    row: dict[str, Any] = {
        "school_id": place["school"].pk,
        "number": f"WX-{year}-{numbers[key]:07d}",
        "source": "request" if requester or rng.random() < 0.8 else "direct",
        "title": TITLES[code][n % len(TITLES[code])],
        "description": "",
        "category_id": category_id,
        "urgency": urgency,
        "room_id": room_id,
        "building_id": building_id,
        "requester_id": requester,
        "contact_name": "",
        "assignee_id": worker,
        "team_id": place["team"],
        "reported_at": reported,
        "respond_due": respond_due,
        "resolve_due": resolve_due,
        "assigned_at": reported + datetime.timedelta(seconds=20),
        "checklist": [],
        "created_at": reported,
        "updated_at": reported,
    }
    moments = {
        "accepted_at": accepted,
        "started_at": started,
        "finished_at": finished,
        "closed_at": closed,
    }
    if status == "cancelled":
        row.update(status="cancelled", cancel_reason="重复报修")
        return row
    # Whatever lies after now has not happened yet: the newest orders are still open.
    if accepted > now:
        row["status"] = "assigned"
    elif started > now:
        row.update(status="assigned", accepted_at=accepted)
    elif finished > now:
        row.update(status="in_progress", accepted_at=accepted, started_at=started)
    else:
        row.update({k: v for k, v in moments.items() if k != "closed_at"})
        row["status"] = "awaiting_verification" if closed > now else status
        if closed <= now:
            row["closed_at"] = closed
    if row.get("accepted_at"):
        row["response_seconds"] = response
        row["responded_on_time"] = accepted <= respond_due
    if row.get("finished_at"):
        parts = Decimal(rng.choice((0, 0, 0, 12, 18, 35, 45, 85, 260)))
        labour = rng.randrange(15, 120)
        labour_cost = (Decimal(labour) / 60 * 40).quantize(Decimal("0.01"))
        row.update(
            resolution_seconds=int((finished - reported).total_seconds()),
            resolved_on_time=finished <= resolve_due,
            work_notes="已修复。",
            labour_minutes=labour,
            parts_cost=parts,
            labour_cost=labour_cost,
            total_cost=parts + labour_cost,
        )
        if row["status"] == "rated":
            row["rating"] = rng.choices((1, 2, 3, 4, 5), weights=(1, 2, 5, 22, 70))[0]
    level = 0
    if (row.get("accepted_at") or now) > respond_due:
        level = 1
    if (row.get("finished_at") or now) > resolve_due:
        level = 2
    if level:
        row["escalation_level"] = level
        row["escalated_at"] = (respond_due if level == 1 else resolve_due) + datetime.timedelta(
            minutes=5
        )
    return row


# -- measuring ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pages() -> dict[str, str]:
    """The pages to time, by name; pages whose URL does not exist (yet) are left out."""
    from django.urls import NoReverseMatch, reverse

    from houqin.maintenance.models import RepairCategory, WorkOrder
    from houqin.org.models import Building

    building = Building.objects.order_by("pk").first()
    category = RepairCategory.objects.order_by("pk").first()
    first_school = Building.objects.order_by("pk").values_list("school_id", flat=True).first()
    recent = (
        WorkOrder.objects.filter(school_id=first_school)
        .order_by("-reported_at")
        .values_list("pk", flat=True)
        .first()
    )
    wanted = {
        "trivial": ("accounts:password_change", {}, ""),
        "list_page1": ("maintenance:workorder_list", {}, ""),
        "list_status": ("maintenance:workorder_list", {}, "?status=in_progress"),
        "list_open": ("maintenance:workorder_list", {}, "?status=open"),
        "list_building": ("maintenance:workorder_list", {}, f"?building={building.pk}"),
        "list_sort_due": ("maintenance:workorder_list", {}, "?sort=due"),
        "list_sort_cost": ("maintenance:workorder_list", {}, "?sort=-cost"),
        "list_category": ("maintenance:workorder_list", {}, f"?category={category.pk}"),
        "list_overdue": ("maintenance:workorder_list", {}, "?overdue=1"),
        "list_page_200": ("maintenance:workorder_list", {}, "?page=200"),
        "detail": ("maintenance:workorder_detail", {"pk": recent}, ""),
        "dashboard": ("maintenance:dashboard", {}, ""),
        "dashboard_building": ("maintenance:dashboard", {}, f"?building={building.pk}"),
        "dashboard_all_time": ("maintenance:dashboard", {}, "?period=&start=&end="),
        "home": ("dashboards:home", {}, ""),
    }
    found = {}
    for name, (url_name, kwargs, query) in wanted.items():
        try:
            found[name] = reverse(url_name, kwargs=kwargs) + query
        except NoReverseMatch:
            if name == "trivial":
                found[name] = "/accounts/password/"
    return found


def _shorten(sql: str) -> str:
    """A slow statement for the report: its columns elided, its FROM… part kept."""
    text = " ".join(sql.split())
    start = text.find(" FROM ")
    if text.startswith("SELECT") and start > 200:
        text = text[:120] + " …" + text[start:]
    return text[:700]


def phase_measure(runs: int) -> dict[str, Any]:
    """The pages as the first school's director and, with several schools, as the bureau."""
    from houqin.org.models import School

    results = _measure_as("director", runs, "")
    if School.objects.count() > 1:
        results.update(_measure_as("district", runs, "district_"))
    return results


def _measure_as(username: str, runs: int, prefix: str) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from houqin.accounts.models import User

    web = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-CN")
    web.force_login(
        User.objects.get(username=username), backend="houqin.accounts.backends.HouqinBackend"
    )
    sql_time = [0.0]
    queries = [0]
    slow: list[tuple[float, str]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        queries[0] += 1
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            sql_time[0] += spent
            slow.append((spent * 1000, sql))

    results: dict[str, Any] = {}
    with connection.execute_wrapper(timer):
        for page, url in pages().items():
            name = prefix + page
            status = web.get(url).status_code
            if status != 200:
                results[name] = {"url": url, "error": f"HTTP {status}"}
                continue
            slow.clear()
            web.get(url)
            slowest = sorted(slow, reverse=True)[:3]
            walls, sqls = [], []
            for _run in range(runs):
                sql_time[0], queries[0] = 0.0, 0
                started = time.perf_counter()
                response = web.get(url)
                walls.append((time.perf_counter() - started) * 1000)
                sqls.append(sql_time[0] * 1000)
                assert response.status_code == 200, url
            results[name] = {
                "url": url,
                "runs": runs,
                "p50_ms": round(statistics.median(walls), 1),
                "p95_ms": round(percentile(walls, 0.95), 1),
                "sql_p50_ms": round(statistics.median(sqls), 1),
                "queries": queries[0],
                "bytes": len(response.content),
                "slowest_sql": [
                    {"ms": round(ms, 1), "sql": _shorten(sql)} for ms, sql in slowest if ms >= 20
                ],
            }
    return results


# -- running -----------------------------------------------------------------------------------


def run_phase(phase: str, url: str, workdir: Path, value: int, *extra: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--phase", phase, "--url", url, "--dir", str(workdir)]
    command += ["--n", str(value), *extra]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"phase {phase} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def postgres_database(url: str, action: str, name: str = BENCH_DB) -> str:
    """The throwaway database of this benchmark (see ``pgdb.py``)."""
    from pgdb import postgres_database as throwaway

    return throwaway(url, action, name)


def kept_postgres_database(url: str, name: str) -> str:
    """The database ``name`` on the server of ``url``, created when missing."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"


def run_backend(database: str, url: str, workdir: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    shape = ["--schools", str(args.schools), "--big-share", str(args.big_share)]
    prepared = run_phase("prepare", url, workdir, args.orders, *shape)
    prepare_wall = time.perf_counter() - started
    measured = run_phase("measure", url, workdir, args.runs)
    report(database, prepared, measured, args, prepare_wall)


def report(
    database: str,
    prepared: dict[str, Any],
    measured: dict[str, Any],
    args: argparse.Namespace,
    wall: float,
) -> None:
    count = args.orders
    built = (
        "reused a kept database"
        if "insert_seconds" not in prepared
        else ("database built earlier: " if prepared.get("reused") else "")
        + f"insert {prepared['insert_seconds']:.0f} s "
        f"({prepared['orders_per_second']:,} orders/s)"
        + (f", database {prepared['db_mb']:.0f} MB" if "db_mb" in prepared else "")
    )
    if "aggregate_rows" in prepared:
        built += (
            f"; statistics pre-aggregated into {prepared['aggregate_rows']:,} rows "
            f"in {prepared['aggregate_seconds']:.0f} s"
        )
    where = (
        "in one school"
        if args.schools == 1
        else f"in {args.schools} schools ({args.big_share:.0%} in the first)"
    )
    users = (
        "Director signed in"
        if args.schools == 1
        else "The first school's director, then the district bureau (`district_…` rows) signed in"
    )
    lines = [
        f"# Work orders at scale: {count:,} orders {where}, {database}",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} while measuring; {built}; preparation {wall:.0f} s in all.",
        f"{users}, Django test client (all middleware, templates and SQL).",
        "",
        "| page | URL | p50 ms | p95 ms | SQL p50 ms | queries | p50 / trivial | p95 / trivial |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    ratios = {}
    for name, r in measured.items():
        if "error" in r:
            lines.append(f"| {name} | `{r['url']}` | {r['error']} | | | | | |")
            continue
        trivial = measured["district_trivial" if name.startswith("district_") else "trivial"]
        ratios[name] = round(r["p50_ms"] / trivial["p50_ms"], 1)
        p95_ratio = r["p95_ms"] / trivial["p50_ms"]
        lines.append(
            f"| {name} | `{r['url']}` | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['sql_p50_ms']:.1f} | {r['queries']} | {ratios[name]:.1f}× | {p95_ratio:.1f}× |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "date": datetime.date.today().isoformat(),
        "database": database,
        "orders": count,
        "schools": args.schools,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "prepare": {**prepared, "wall_seconds": round(wall, 1)},
        "pages": measured,
        "p50_ratio_to_trivial_page": ratios,
    }
    stem = out / "-".join(filter(None, ("maintenance-orders", database, args.tag)))
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(f"written to {stem.relative_to(ROOT)}.json and .md")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--schools", type=int, default=1, help="schools of the district")
    parser.add_argument(
        "--big-share", type=float, default=0.5, help="share of the orders in the first school"
    )
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--keep", help="keep (and reuse) the SQLite database in this folder")
    parser.add_argument("--pg-name", default=BENCH_DB, help="the PostgreSQL database's name")
    parser.add_argument(
        "--pg-keep", action="store_true", help="keep (and reuse) the PostgreSQL database"
    )
    parser.add_argument("--tag", default="", help="added to the result files' names")
    parser.add_argument(
        "--db", choices=("all", "sqlite", "postgresql"), default="all", help="which databases"
    )
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--dir")
    parser.add_argument("--n", type=int)
    args = parser.parse_args()
    if args.phase:
        setup(args.url, Path(args.dir))
        result = (
            phase_prepare(args.n, args.schools, args.big_share)
            if args.phase == "prepare"
            else phase_measure(args.n)
        )
        print(json.dumps(result, default=str))
        return
    if args.db != "postgresql":
        with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
            workdir = Path(args.keep or tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            suffix = "" if args.schools == 1 else f"-{args.schools}s"
            url = f"sqlite:///{workdir / f'orders-{args.orders}{suffix}.sqlite3'}"
            run_backend("sqlite", url, Path(tmp), args)
    server = os.environ.get("HOUQIN_DATABASE_URL", "")
    if args.db != "sqlite" and server.startswith(("postgres://", "postgresql://")):
        if args.pg_keep:
            url = kept_postgres_database(server, args.pg_name)
        else:
            url = postgres_database(server, "create", args.pg_name)
        try:
            with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
                run_backend("postgresql", url, Path(tmp), args)
        finally:
            if not args.pg_keep:
                postgres_database(server, "drop", args.pg_name)


if __name__ == "__main__":
    main()
