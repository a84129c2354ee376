"""The store at scale: 10,000 items over 2,000,000 stock movements.

    cd /work/main && PYTHONPATH=src .venv/bin/python bench/inventory_stock.py \\
        [--items 10000] [--movements 2000000] [--runs 20] [--postgres]

Builds a throwaway SQLite database (``--postgres``: a throwaway database on the PostgreSQL
server that ``HOUQIN_DATABASE_URL`` names): one school with 20 departments, 120 staff and
``--items`` store items whose ``--movements`` movements span the last two school years
(receipts, issues to departments and people, printing, returns, count adjustments),
inserted in batches with one ``executemany`` each. Every item's running totals (quantity,
value, average cost) and every movement's balance are those the stock service would have
written: each item keeps one unit cost, so the moving average stays exact.

Then, in a fresh process, the storekeeper requests through the Django test client (every
middleware, the templates, the SQL): the item list (current stock, page 1, and a filtered
page: low stock in one category), one item's ledger page (its page with the paged ledger and
its 12 months of consumption), the year's consumption report (``inventory:consumption_report``,
or the movement list filtered to the year when there is no report), the movement list, and
a trivial logged-in page (the password form) as the yardstick in the same run. Prints p50/p95,
the SQL share and the ratios; writes ``bench/results/inventory-<db>.json`` and ``.md``.
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
BATCH = 20_000
DEPARTMENTS = 20
STAFF = 120
BENCH_DB = "houqin_bench_inventory"
#: Finished print jobs per school (the district preset has 6,000 a school) and spending
#: entries per budget line.
PRINT_JOBS = 6_000
BUDGET_SPENDS = 10
CATEGORIES = (
    ("office", 30),
    ("paper", 4),
    ("printing", 8),
    ("cleaning", 15),
    ("repair", 15),
    ("electrical", 10),
    ("teaching", 10),
    ("sports", 4),
    ("other", 4),
)
NAMES = {
    "office": ("签字笔", "笔记本", "文件夹", "订书钉", "胶带", "档案袋"),
    "paper": ("A4复印纸", "A3复印纸", "B5试卷纸", "8K试卷纸"),
    "printing": ("硒鼓", "墨盒", "碳粉", "色带"),
    "cleaning": ("拖把", "抹布", "洗手液", "垃圾袋", "消毒液"),
    "repair": ("水龙头", "螺丝", "合页", "门锁", "胶水"),
    "electrical": ("LED灯管", "插座", "开关", "电线"),
    "teaching": ("粉笔", "白板笔", "磁贴", "三角板"),
    "sports": ("篮球", "跳绳", "足球"),
    "other": ("纸杯", "电池"),
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


def phase_prepare(items: int, movements: int, schools: int = 1) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    worlds = _worlds(schools)
    rng = random.Random(2026)
    started = time.perf_counter()
    inserted = 0
    offsets = {"item": 0, "movement": 0}
    with transaction.atomic():
        _triggers(connection, on=False)
        for world in worlds:
            specs = _insert_items(world, items, rng)
            inserted += _insert_movements(world, specs, movements // schools, rng, offsets)
            _insert_paper_and_budgets(world, rng)
        _triggers(connection, on=True)
    insert_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result: dict[str, Any] = {
        "migrate_seconds": round(migrate_seconds, 2),
        "insert_seconds": round(insert_seconds, 1),
        "analyze_seconds": round(time.perf_counter() - started, 1),
        "schools": schools,
        "items": items * schools,
        "movements": inserted,
        "movements_per_second": round(inserted / max(insert_seconds, 0.001)),
    }
    if connection.vendor == "sqlite":
        result["db_mb"] = round(Path(str(connection.settings_dict["NAME"])).stat().st_size / 1e6, 1)
    return result


def _triggers(connection: Any, on: bool) -> None:
    """A bulk load sums the monthly consumption tables once at its end, not per row."""
    from houqin.inventory import consumption_sql

    with connection.cursor() as cursor:
        if on:
            for statement in consumption_sql.refill_statements(connection.vendor):
                cursor.execute(statement)
        make = consumption_sql.create_triggers if on else consumption_sql.drop_triggers
        for statement in make(connection.vendor):
            cursor.execute(statement)


def _worlds(count: int) -> list[dict[str, Any]]:
    """``count`` schools of one district, and its bureau's user ``district``."""
    from houqin.accounts.models import Membership, Role, User
    from houqin.org.models import District

    district = District.objects.create(name="基准区教育局", code="BENCH")
    bureau = User.objects.create_user("district", password=None, real_name="区教育局后勤科")
    Membership.objects.create(
        user=bureau, district=district, role=Role.objects.get(code="district")
    )
    return [_world(district, n) for n in range(count)]


def _world(district: Any, index: int) -> dict[str, Any]:
    from houqin.accounts.models import Membership, Role, User
    from houqin.org.choices import TermKind
    from houqin.org.models import Department, School, SchoolYear, Term

    TERMS = list(TermKind.values)
    years = []
    suffix = f"{index:02d}" if index else ""
    school = School.objects.create(
        district=district, name=f"基准中学{suffix}", code=f"BENCH{suffix}", kind="junior"
    )
    today = datetime.date.today()
    first = today.year if today.month >= 9 else today.year - 1
    for year in (first - 1, first):
        school_year = SchoolYear.objects.create(
            school=school,
            name=f"{year}-{year + 1}学年",
            start=datetime.date(year, 9, 1),
            end=datetime.date(year + 1, 8, 31),
        )
        years.append(school_year.pk)
        Term.objects.create(
            school_year=school_year,
            school=school,
            kind=TERMS[0],
            start=datetime.date(year, 9, 1),
            end=datetime.date(year + 1, 1, 31),
        )
        Term.objects.create(
            school_year=school_year,
            school=school,
            kind=TERMS[1],
            start=datetime.date(year + 1, 2, 1),
            end=datetime.date(year + 1, 8, 31),
        )
    departments = [
        Department.objects.create(school=school, name=f"部门{n:02d}", sort_order=n)
        for n in range(DEPARTMENTS)
    ]
    roles = {r.code: r for r in Role.objects.filter(code__in=("storekeeper", "teacher"))}
    keeper = User.objects.create_user(f"storekeeper{suffix}", password=None, real_name="库管员")
    Membership.objects.create(user=keeper, school=school, role=roles["storekeeper"])
    staff = User.objects.bulk_create(
        User(username=f"t{suffix}{n:03d}", password="!", real_name=f"教师{n:03d}")
        for n in range(STAFF)
    )
    Membership.objects.bulk_create(
        Membership(
            user=user, school=school, role=roles["teacher"], department=departments[n % DEPARTMENTS]
        )
        for n, user in enumerate(staff)
    )
    return {
        "school": school.pk,
        "index": index,
        "years": years,
        "keeper": keeper.pk,
        "departments": [
            (d.pk, [u.pk for i, u in enumerate(staff) if i % DEPARTMENTS == n])
            for n, d in enumerate(departments)
        ],
        "start": datetime.datetime(first - 1, 9, 1, tzinfo=datetime.UTC),
        "end": datetime.datetime.now(datetime.UTC),
    }


def _insert_items(world: dict[str, Any], count: int, rng: random.Random) -> list[dict[str, Any]]:
    """The items without their totals (set once their movements are known)."""
    weights = [w for _c, w in CATEGORIES]
    codes = [c for c, _w in CATEGORIES]
    specs = []
    for n in range(count):
        category = rng.choices(codes, weights)[0]
        name = NAMES[category][n % len(NAMES[category])]
        cost = (
            Decimal(rng.choice((1, 2, 3, 5, 8, 12, 25, 40, 120, 300)))
            + Decimal(rng.randrange(0, 100)) / 100
        )
        min_stock = rng.choice((0, 5, 10, 20, 50))
        specs.append(
            {
                "school_id": world["school"],
                "code": f"HC-{n + 1:05d}",
                "name": f"{name}{n + 1:05d}",
                "specification": "标准",
                "unit": "个",
                "category": category,
                "min_stock": Decimal(min_stock),
                "max_stock": Decimal(min_stock * 4) if min_stock else None,
                "shelf": f"{chr(65 + n % 12)}-{n % 40:02d}",
                "paper_size": "A4" if category == "paper" and n % 4 == 0 else "",
                "sheets_per_unit": 500 if category == "paper" and n % 4 == 0 else None,
                "average_cost": cost,
                "created_at": world["start"],
                "updated_at": world["start"],
            }
        )
    return specs


def _insert_movements(
    world: dict[str, Any],
    specs: list[dict[str, Any]],
    total: int,
    rng: random.Random,
    offsets: dict[str, int],
) -> int:
    """Each item's movements in time order with exact running balances; each batch writes
    its items (with their final totals) before their movements."""
    from houqin.demo.maintenance_story import fast_insert
    from houqin.inventory.models import StockItem

    span = (world["end"] - world["start"]).total_seconds()
    per_item = max(2, total // len(specs))
    pending: list[dict[str, Any]] = []
    inserted = offsets["movement"]
    item_rows = []
    for n, spec in enumerate(specs):
        item_id = offsets["item"] + n + 1
        rows, quantity = _item_movements(
            world, item_id, spec, sorted(rng.random() * span for _n in range(per_item)), rng
        )
        item_rows.append(
            {
                **spec,
                "id": item_id,
                "quantity": Decimal(quantity),
                "value": (Decimal(quantity) * spec["average_cost"]).quantize(Decimal("0.01")),
            }
        )
        pending.extend(rows)
        if len(pending) >= BATCH:
            if item_rows:
                fast_insert(StockItem, item_rows)
                item_rows = []
            _flush(pending, inserted)
            inserted += len(pending)
            pending = []
    if item_rows:
        fast_insert(StockItem, item_rows)
    _flush(pending, inserted)
    inserted += len(pending)
    offsets["item"] += len(specs)
    written = inserted - offsets["movement"]
    offsets["movement"] = inserted
    return written


def _flush(rows: list[dict[str, Any]], offset: int) -> None:
    from houqin.demo.maintenance_story import fast_insert
    from houqin.inventory.models import StockMovement

    for n, row in enumerate(rows):
        row["id"] = offset + n + 1
    fast_insert(StockMovement, rows)
    if offset and offset % 200_000 < BATCH:
        sys.stderr.write(f"  {offset:,} movements\n")


def _item_movements(
    world: dict[str, Any],
    item_id: int,
    spec: dict[str, Any],
    times: list[float],
    rng: random.Random,
) -> tuple[list[dict[str, Any]], int]:
    cost = spec["average_cost"]
    consume = "print" if spec["paper_size"] else "issue"
    quantity = 0
    rows = []
    for n, offset in enumerate(times):
        at = world["start"] + datetime.timedelta(seconds=offset)
        roll = rng.random()
        department = person = None
        if n == 0:
            kind, delta = "opening", rng.randrange(20, 200)
        elif quantity < 5 or roll < 0.12:
            kind, delta = "receipt", rng.randrange(20, 120)
        elif roll < 0.14:
            kind, delta = "return", 1
        elif roll < 0.15:
            kind, delta = rng.choice((("adjust_up", 1), ("adjust_down", -1)))
        else:
            kind, delta = consume, -rng.randrange(1, min(quantity, 6) + 1)
            department, people = rng.choice(world["departments"])
            person = rng.choice(people) if people else None
        if quantity + delta < 0:
            kind, delta = "receipt", rng.randrange(20, 120)
            department = person = None
        quantity += delta
        amount = (Decimal(delta) * cost).quantize(Decimal("0.01"))
        rows.append(
            {
                "school_id": world["school"],
                "item_id": item_id,
                "kind": kind,
                "quantity": Decimal(delta),
                "unit_cost": cost,
                "amount": amount,
                "balance": Decimal(quantity),
                "department_id": department,
                "person_id": person,
                "reason": "基准数据",
                "source_type": "",
                "source_id": None,
                "reference": "",
                "actor_id": world["keeper"],
                "at": at,
            }
        )
    return rows, quantity


def _insert_paper_and_budgets(world: dict[str, Any], rng: random.Random) -> None:
    """``PRINT_JOBS`` finished print jobs over the two school years, and a budget per
    department, category and school year with its spending entries (the paper and budget
    reports, the savings report and the home panel read them)."""
    from houqin.demo.maintenance_story import fast_insert
    from houqin.finance.models import BudgetEntry, BudgetLine
    from houqin.printing.models import PrintJob

    span = (world["end"] - world["start"]).total_seconds()
    jobs = []
    for n in range(PRINT_JOBS):
        department, people = rng.choice(world["departments"])
        done = world["start"] + datetime.timedelta(seconds=rng.random() * span)
        pages, copies = rng.randrange(1, 9), rng.choice((1, 5, 30, 45, 50))
        sheets = (pages + 1) // 2 * copies
        jobs.append(
            {
                "school_id": world["school"],
                "number": f"PR-{done.year}-{n + 1:06d}",
                "title": "基准印刷",
                "department_id": department,
                "requester_id": rng.choice(people),
                "purpose": rng.choice(("exam", "exam", "lesson", "notice", "other")),
                "pages": pages,
                "copies": copies,
                "colour": rng.random() < 0.05,
                "sheets_estimated": sheets,
                "sheets_used": sheets,
                "spoiled_sheets": rng.choice((0, 0, 0, 1, 2)),
                "status": rng.choice(("done", "collected")),
                "submitted_at": done - datetime.timedelta(hours=2),
                "done_at": done,
                "created_at": done - datetime.timedelta(hours=2),
                "updated_at": done,
            }
        )
    fast_insert(PrintJob, jobs)
    lines, entries = [], []
    for year_index, year in enumerate(world["years"]):
        first = world["start"] + datetime.timedelta(days=365 * year_index)
        for department, _people in world["departments"]:
            for category in ("office", "teaching", "repair", "equipment"):
                spends = [Decimal(rng.randrange(100, 3000)) for _n in range(BUDGET_SPENDS)]
                amount = Decimal(sum(spends) + rng.randrange(0, 20000))
                line = {
                    "school_id": world["school"],
                    "school_year_id": year,
                    "department_id": department,
                    "category": category,
                    "amount": amount,
                    "initial_amount": amount,
                    "spent": sum(spends),
                    "created_at": first,
                    "updated_at": first,
                }
                lines.append(line)
                entries.append((line, spends, first))
    fast_insert(BudgetLine, lines)
    rows = []
    for line, spends, first in entries:
        spent = Decimal("0")
        for spend in spends:
            spent += spend
            at = first + datetime.timedelta(seconds=rng.random() * 364 * 86400)
            rows.append(
                {
                    "school_id": world["school"],
                    "line_id": line["id"],
                    "kind": "spend",
                    "amount": spend,
                    "committed_after": Decimal("0"),
                    "spent_after": spent,
                    "budget_after": line["amount"],
                    "actor_id": world["keeper"],
                    "at": min(at, world["end"]),
                }
            )
    fast_insert(BudgetEntry, rows)


# -- measuring ---------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def pages() -> dict[str, str]:
    from django.urls import NoReverseMatch, reverse

    from houqin.inventory.models import StockItem

    item = (
        StockItem.objects.filter(category="office", school__code="BENCH")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    today = datetime.date.today()
    first = today.year if today.month >= 9 else today.year - 1
    year = f"date_from={first}-09-01&date_to={first + 1}-08-31"
    found = {
        "trivial": reverse("accounts:password_change"),
        "items_page1": reverse("inventory:item_list"),
        "items_low_office": reverse("inventory:item_list") + "?low=1&category=office",
        "items_search": reverse("inventory:item_list") + "?q=硒鼓",
        "item_ledger": reverse("inventory:item_detail", args=[item.first()]),
        "movements_page1": reverse("inventory:movement_list"),
    }
    try:
        found["consumption_year"] = reverse("inventory:consumption_report")
    except NoReverseMatch:
        found["consumption_year"] = reverse("inventory:movement_list") + f"?kind=issue&{year}"
    return found


DISTRICT_PAGES = (
    "trivial",
    "movements_page1",
    "movements_issue",
    "consumption_year",
    "consumption_last_year",
    "consumption_print",
    "consumption_school",
    "paper",
    "paper_last_year",
    "budget",
    "savings",
    "home",
)


def extra_pages() -> dict[str, str]:
    """The reports beyond the store's own pages, where they exist: the consumption report
    of last school year, of paper alone and of one school (the district's drill-down), the
    paper and budget execution reports, the savings report and the home page."""
    from django.urls import NoReverseMatch, reverse

    from houqin.org.models import School

    today = datetime.date.today()
    last = (today.year if today.month >= 9 else today.year - 1) - 1
    school = School.objects.filter(code="BENCH").values_list("pk", flat=True).first()
    found = {"movements_issue": reverse("inventory:movement_list") + "?kind=issue"}
    for name, url_name, query in (
        ("consumption_last_year", "inventory:consumption_report", f"?period=c{last}"),
        ("consumption_print", "inventory:consumption_report", "?kind=print"),
        ("consumption_school", "inventory:consumption_report", f"?school={school}"),
        ("paper", "printing:paper_report", ""),
        ("paper_last_year", "printing:paper_report", f"?period=g{last}"),
        ("budget", "finance:budget_report", ""),
        ("savings", "dashboards:savings", ""),
        ("home", "dashboards:home", ""),
    ):
        try:
            found[name] = reverse(url_name) + query
        except NoReverseMatch:
            continue
    return found


def phase_measure(runs: int) -> dict[str, Any]:
    results = _measure("storekeeper", {**pages(), **extra_pages()}, runs)
    from houqin.org.models import School

    if School.objects.count() > 1:
        every = {**pages(), **extra_pages()}
        chosen = {name: every[name] for name in DISTRICT_PAGES if name in every}
        for name, found in _measure("district", chosen, runs).items():
            results[f"district_{name}"] = found
    return results


def _measure(username: str, urls: dict[str, str], runs: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from houqin.accounts.models import User

    web = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-CN")
    web.force_login(
        User.objects.get(username=username), backend="houqin.accounts.backends.HouqinBackend"
    )
    sql_time = [0.0]
    queries = [0]

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        queries[0] += 1
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    results: dict[str, Any] = {}
    with connection.execute_wrapper(timer):
        for name, url in urls.items():
            status = web.get(url).status_code
            if status != 200:
                results[name] = {"url": url, "error": f"HTTP {status}"}
                continue
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
            }
    return results


# -- driver ------------------------------------------------------------------------------------


def run_phase(phase: str, url: str, workdir: Path, args: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, __file__, "--phase", phase, "--url", url, "--dir", str(workdir)]
    done = subprocess.run(command + args, capture_output=True, text=True, env=env, check=False)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"phase {phase} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(
    database: str, prepared: dict[str, Any], measured: dict[str, Any], wall: float, tag: str = ""
) -> None:
    trivial = measured["trivial"]["p50_ms"]
    lines = [
        f"# The store at scale: {prepared.get('schools', 1)} school(s), {prepared['items']:,} "
        f"items, {prepared['movements']:,} movements, {database}",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} while measuring; insert {prepared['insert_seconds']:.0f} s "
        f"({prepared['movements_per_second']:,} movements/s)"
        + (f", database {prepared['db_mb']:.0f} MB" if "db_mb" in prepared else "")
        + f"; preparation {wall:.0f} s in all.",
        "Storekeeper of the first school signed in (``district_*``: the bureau's user, who "
        "sees every school), Django test client (all middleware, templates and SQL).",
        "",
        "| page | URL | p50 ms | p95 ms | SQL p50 ms | queries | p50 / trivial page |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    ratios = {}
    for name, r in measured.items():
        if "error" in r:
            lines.append(f"| {name} | `{r['url']}` | {r['error']} | | | | |")
            continue
        ratios[name] = round(r["p50_ms"] / trivial, 1)
        lines.append(
            f"| {name} | `{r['url']}` | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['sql_p50_ms']:.1f} | {r['queries']} | {ratios[name]:.1f}× |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    payload = {
        "date": datetime.date.today().isoformat(),
        "database": database,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "prepare": {**prepared, "wall_seconds": round(wall, 1)},
        "pages": measured,
        "p50_ratio_to_trivial_page": ratios,
    }
    stem = out / f"inventory-{database}{tag}"
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(f"written to {stem.relative_to(ROOT)}.json and .md")


def run_backend(database: str, url: str, workdir: Path, args: argparse.Namespace) -> None:
    started = time.perf_counter()
    sizes = ["--items", str(args.items), "--movements", str(args.movements)]
    sizes += ["--schools", str(args.schools)]
    saved = workdir / "prepared.json"
    if args.reuse and saved.exists():
        prepared = json.loads(saved.read_text())
    else:
        prepared = run_phase("prepare", url, workdir, sizes)
        saved.write_text(json.dumps(prepared))
    wall = prepared.get("wall_seconds") or time.perf_counter() - started
    prepared["wall_seconds"] = wall
    saved.write_text(json.dumps(prepared))
    measured = run_phase("measure", url, workdir, ["--runs", str(args.runs)])
    report(database, prepared, measured, wall, f"-{args.tag}" if args.tag else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--movements", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--schools", type=int, default=1, help="items and a share each")
    parser.add_argument("--tag", default="", help="results as inventory-<db>-<tag>.json")
    parser.add_argument("--database-name", default=BENCH_DB, help="the PostgreSQL database")
    parser.add_argument("--postgres", action="store_true", help="the throwaway PostgreSQL")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the database (SQLite: DIR/inventory.sqlite3; PostgreSQL: not dropped)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: measure the database kept there"
    )
    parser.add_argument("--phase")
    parser.add_argument("--url")
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.phase:
        setup(args.url, Path(args.dir))
        if args.phase == "prepare":
            result = phase_prepare(args.items, args.movements, args.schools)
        else:
            result = phase_measure(args.runs)
        print(json.dumps(result, default=str))
        return
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    if not args.postgres:
        if args.keep:
            keep = Path(args.keep).resolve()
            if not args.reuse:
                (keep / "inventory.sqlite3").unlink(missing_ok=True)
            run_backend("sqlite", f"sqlite:///{keep / 'inventory.sqlite3'}", keep, args)
            return
        with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'inventory.sqlite3'}"
            run_backend("sqlite", url, Path(tmp), args)
        return
    server = os.environ.get("HOUQIN_DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--postgres needs HOUQIN_DATABASE_URL=postgres://… (the server)")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pgdb import postgres_database

    if args.keep:
        keep = Path(args.keep).resolve()
        if args.reuse:
            url = server.rsplit("/", 1)[0] + f"/{args.database_name}"
        else:
            url = postgres_database(server, "create", args.database_name)
        run_backend("postgresql", url, keep, args)
        return
    url = postgres_database(server, "create", args.database_name)
    try:
        with tempfile.TemporaryDirectory(prefix="houqin-bench-") as tmp:
            run_backend("postgresql", url, Path(tmp), args)
    finally:
        postgres_database(server, "drop", args.database_name)


if __name__ == "__main__":
    main()
