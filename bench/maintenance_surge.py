"""Start-of-term surge: many people report faults through the rooms' QR portal at once.

    cd /work/main && PYTHONPATH=src .venv/bin/python bench/maintenance_surge.py \\
        [--clients 20] [--each 25] [--rooms 200]

Prepares a throwaway SQLite database (and one on the PostgreSQL server that
``HOUQIN_DATABASE_URL`` names, when it names one): migrated, static files collected, one
school with ``--rooms`` rooms, a worker and a catch-all dispatch rule; the portal's limits
per address and per room are raised for the bench (every client comes from 127.0.0.1).
Then starts gunicorn as ``./houqin serve`` does (``gunicorn_conf.py``, 2 workers, a free port
on 127.0.0.1) and runs ``--clients`` concurrent clients (threads, each with its own cookie
jar, plain ``urllib``), each reporting ``--each`` faults in different rooms:

1. every client opens its portal pages (GET ``/maintenance/p/<room code>/``: the form, the
   CSRF cookie and the signed time stamp);
2. the portal refuses forms sent back within 3 s (a person needs longer), so the clients
   wait until their oldest form is 3 s old, as people would while typing;
3. every client sends its forms back (POST, a redirect to the tracking page is a success).

Measured: pages and submissions per second, p50/p95 latency, errors (any answer but the
expected 200 or 302), and afterwards the rows in the database (repair requests and work
orders), so that nothing was lost or doubled. Writes
``bench/results/maintenance-surge-<db>.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "houqin_bench_surge"
MIN_AGE = 3.2  # seconds: the portal wants at least 3 between the form and its answer
FIELD = re.compile(r'name="(csrfmiddlewaretoken|stamp)"[^>]*?value="([^"]+)"')
CATEGORY = re.compile(r'name="category"[^>]*?value="(\d+)"')
DESCRIPTIONS = ("宿舍电扇不转了", "教室日光灯不亮", "水龙头漏水", "门锁坏了", "空调不制冷")


def environment(url: str, workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "houqin.settings.base",
        "HOUQIN_VAR_DIR": str(workdir),
        "HOUQIN_DATABASE_URL": url,
        "HOUQIN_WORKERS": "2",
    }


# -- inside Django (subprocess phases) ---------------------------------------------------------


def phase_prepare(rooms: int) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from houqin.accounts.models import Membership, Role, User
    from houqin.maintenance.models import DispatchRule, MaintenanceSettings
    from houqin.org.models import Building, Campus, District, Room, School

    district = District.objects.create(name="基准区教育局", code="BENCH")
    school = School.objects.create(district=district, name="基准中学", code="BENCH", kind="junior")
    campus = Campus.objects.create(school=school, name="主校区", is_main=True)
    buildings = [
        Building.objects.create(
            school=school, campus=campus, name=name, use="dormitory", structure="rc"
        )
        for name in ("男生宿舍楼", "女生宿舍楼", "教学楼A", "教学楼B")
    ]
    Room.objects.bulk_create(
        Room(
            school=school,
            building=buildings[n % len(buildings)],
            floor=1 + n % 6,
            number=f"{n:03d}",
            name=f"宿舍 {n:03d}",
            use="dormitory",
        )
        for n in range(rooms)
    )
    worker = User.objects.create_user("worker", password=None, real_name="维修工")
    Membership.objects.create(user=worker, school=school, role=Role.objects.get(code="worker"))
    DispatchRule.objects.create(school=school, assignee=worker)
    MaintenanceSettings.objects.update_or_create(
        school=school,
        defaults={"portal_limit_per_address": 1000, "portal_limit_per_room": 1000},
    )
    codes = list(
        Room.objects.filter(school=school).order_by("pk").values_list("public_code", flat=True)
    )
    return {"codes": codes}


def phase_count(_n: int) -> dict[str, Any]:
    from django.db.models import Count

    from houqin.maintenance.models import RepairRequest, WorkOrder

    requests = RepairRequest.objects.all()
    return {
        "repair_requests": requests.count(),
        "without_order": requests.filter(work_order=None).count(),
        "work_orders": WorkOrder.objects.count(),
        "orders_dispatched": WorkOrder.objects.exclude(assignee=None).count(),
        "distinct_numbers": requests.values("number").distinct().count(),
        "distinct_order_numbers": WorkOrder.objects.values("number").distinct().count(),
        "max_per_room": requests.values("room").annotate(n=Count("pk")).order_by("-n")[0]["n"]
        if requests.exists()
        else 0,
    }


def run_phase(phase: str, env: dict[str, str], value: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, "--n", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"phase {phase} failed")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (workdir / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "houqin.wsgi:application",
            "--config",
            str(ROOT / "src" / "houqin" / "gunicorn_conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(ROOT),
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as answer:
                if answer.status == 200:
                    return server, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start: see " + str(workdir / "gunicorn.log"))


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# -- the clients -------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Client:
    """One person's phone: its own cookies, its forms, its timings."""

    def __init__(self, base: str, codes: list[str], number: int) -> None:
        self.base = base
        self.codes = codes
        self.number = number
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
        )
        self.forms: list[tuple[str, dict[str, str], float]] = []
        self.get_ms: list[float] = []
        self.post_ms: list[float] = []
        self.errors: list[str] = []
        self.tracking: list[str] = []

    def _open(self, request: urllib.request.Request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.read().decode(), answer.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            body = error.read().decode(errors="replace")
            return error.code, body, error.headers.get("Location", "")

    def open_forms(self) -> None:
        for code in self.codes:
            url = f"{self.base}/maintenance/p/{code}/"
            started = time.perf_counter()
            status, body, _location = self._open(urllib.request.Request(url))
            self.get_ms.append((time.perf_counter() - started) * 1000)
            if status != 200:
                self.errors.append(f"GET {status}")
                continue
            fields = dict(FIELD.findall(body))
            categories = CATEGORY.findall(body)
            if len(fields) != 2 or not categories:
                self.errors.append("GET form without token, stamp or categories")
                continue
            n = len(self.forms)
            data = {
                **fields,
                "category": categories[(self.number + n) % len(categories)],
                "description": DESCRIPTIONS[(self.number + n) % len(DESCRIPTIONS)],
                "reporter_name": f"学生{self.number:02d}{n:02d}",
                "reporter_unit": f"初二({1 + self.number % 8})班",
                "phone": "",
                "website": "",
            }
            self.forms.append((url, data, time.monotonic()))

    def send_forms(self) -> None:
        for url, data, _opened in self.forms:
            body = urllib.parse.urlencode(data).encode()
            request = urllib.request.Request(
                url, data=body, headers={"Referer": url}, method="POST"
            )
            started = time.perf_counter()
            status, text, location = self._open(request)
            self.post_ms.append((time.perf_counter() - started) * 1000)
            if status == 302 and "/maintenance/t/" in location:
                self.tracking.append(location)
            else:
                message = re.search(r'class="alert[^"]*"[^>]*>\s*([^<]+)', text)
                detail = message.group(1).strip() if message else text[:120].strip()
                self.errors.append(f"POST {status} {detail}")


def in_threads(clients: list[Client], method: str) -> float:
    threads = [threading.Thread(target=getattr(c, method)) for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def surge(env: dict[str, str], workdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    prepared = run_phase("prepare", env, args.rooms)
    prepare_seconds = time.perf_counter() - started
    codes = prepared["codes"]
    server, base = start_server(env, workdir)
    try:
        clients = [
            Client(
                base,
                [codes[(c * args.each + i) % len(codes)] for i in range(args.each)],
                c,
            )
            for c in range(args.clients)
        ]
        # Warm every worker (templates, translations) the way earlier visitors would.
        warm = [Client(base, codes[-4:], 99) for _n in range(4)]
        in_threads(warm, "open_forms")
        get_seconds = in_threads(clients, "open_forms")
        newest = max((f[2] for c in clients for f in c.forms), default=time.monotonic())
        time.sleep(max(0.0, MIN_AGE - (time.monotonic() - newest)))
        post_seconds = in_threads(clients, "send_forms")
    finally:
        stop_server(server)
    counted = run_phase("count", env, 0)
    gets = [ms for c in clients for ms in c.get_ms]
    posts = [ms for c in clients for ms in c.post_ms]
    errors = [e for c in clients for e in c.errors]
    accepted = sum(len(c.tracking) for c in clients)
    tracking = {t for c in clients for t in c.tracking}
    return {
        "clients": args.clients,
        "each": args.each,
        "rooms": args.rooms,
        "prepare_seconds": round(prepare_seconds, 1),
        "pages": len(gets),
        "pages_per_second": round(len(gets) / get_seconds, 1),
        "page_p50_ms": round(statistics.median(gets), 1) if gets else None,
        "page_p95_ms": round(percentile(gets, 0.95), 1),
        "submissions": len(posts),
        "accepted": accepted,
        "distinct_tracking_links": len(tracking),
        "submissions_per_second": round(len(posts) / post_seconds, 1),
        "submission_p50_ms": round(statistics.median(posts), 1) if posts else None,
        "submission_p95_ms": round(percentile(posts, 0.95), 1),
        "post_phase_seconds": round(post_seconds, 2),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "rows": counted,
        "lost": accepted - counted["repair_requests"],
        "orders_missing": counted["repair_requests"] - counted["work_orders"],
    }


# -- running -----------------------------------------------------------------------------------


def postgres_database(url: str, action: str) -> str:
    """The throwaway database of this benchmark (see ``pgdb.py``)."""
    from pgdb import postgres_database as throwaway

    return throwaway(url, action, BENCH_DB)


def report(database: str, result: dict[str, Any]) -> None:
    rows = result["rows"]
    lines = [
        f"# Start-of-term surge on the QR portal, {database}",
        "",
        f"gunicorn (gunicorn_conf.py, 2 workers × {os.environ.get('HOUQIN_THREADS', '2')} "
        f"threads) on 127.0.0.1; {result['clients']} concurrent clients × {result['each']} "
        f"reports over {result['rooms']} rooms; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| portal pages opened (GET) | {result['pages']} |",
        f"| pages per second | {result['pages_per_second']} |",
        f"| page p50 / p95 ms | {result['page_p50_ms']} / {result['page_p95_ms']} |",
        f"| reports sent (POST) | {result['submissions']} |",
        f"| **submissions per second** | **{result['submissions_per_second']}** |",
        f"| submission p50 / p95 ms | {result['submission_p50_ms']} / "
        f"{result['submission_p95_ms']} |",
        f"| errors (not 200/302) | {result['errors']} |",
        f"| accepted (redirected to tracking) | {result['accepted']} |",
        f"| repair requests in the database | {rows['repair_requests']} |",
        f"| work orders in the database (dispatched) | {rows['work_orders']} "
        f"({rows['orders_dispatched']}) |",
        f"| lost (accepted − saved) | {result['lost']} |",
        f"| distinct request / order numbers | {rows['distinct_numbers']} / "
        f"{rows['distinct_order_numbers']} |",
    ]
    if result["error_samples"]:
        lines += ["", "Errors seen: " + "; ".join(result["error_samples"])]
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
        **result,
    }
    stem = out / f"maintenance-surge-{database}"
    stem.with_suffix(".json").write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(text)
    print(f"written to {stem.relative_to(ROOT)}.json and .md")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--each", type=int, default=25)
    parser.add_argument("--rooms", type=int, default=200)
    parser.add_argument(
        "--db", choices=("all", "sqlite", "postgresql"), default="all", help="which databases"
    )
    parser.add_argument("--phase")
    parser.add_argument("--n", type=int, default=0)
    args = parser.parse_args()
    if args.phase:
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        result = phase_prepare(args.n) if args.phase == "prepare" else phase_count(args.n)
        print(json.dumps(result))
        return
    if args.db != "postgresql":
        with tempfile.TemporaryDirectory(prefix="houqin-surge-") as tmp:
            workdir = Path(tmp)
            env = environment(f"sqlite:///{workdir / 'surge.sqlite3'}", workdir)
            report("sqlite", surge(env, workdir, args))
    server = os.environ.get("HOUQIN_DATABASE_URL", "")
    if args.db != "sqlite" and server.startswith(("postgres://", "postgresql://")):
        url = postgres_database(server, "create")
        try:
            with tempfile.TemporaryDirectory(prefix="houqin-surge-") as tmp:
                workdir = Path(tmp)
                report("postgresql", surge(environment(url, workdir), workdir, args))
        finally:
            postgres_database(server, "drop")


if __name__ == "__main__":
    main()
