"""``./houqin bench crash``: kill the server while people report repairs; nothing answered is lost.

    ./houqin bench crash [--preset small] [--clients 8] [--seconds 60]
                         [--worker-kills 4] [--server-kills 3]

On the generated database of the preset (``var/bench/<preset>.sqlite3`` or the one
``HOUQIN_DATABASE_URL`` names) starts gunicorn with 4 workers as in production and runs
``--clients`` staff (threads, each signed in) submitting repair requests through the staff
form. While they do, it SIGKILLs one worker at a time (the master replaces it) and the whole
server at once (master and workers, like a power cut), restarting it each time.

Every answer that redirected to the created request (2xx/3xx) is an acknowledgement. Connection
errors while a server is down are expected and counted, not failures. Afterwards:

- SQLite: ``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check``; PostgreSQL: ``amcheck``
  (``bt_index_check`` of every index of the repair and numbering tables) and a set of
  consistency queries;
- every acknowledged request is in the database with its work order;
- document numbers are unique, and gapless over the requests of the run.

Writes ``bench/results/crash-<database>.json`` and ``.md``; exits 1 when anything was lost.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench.client import Client
from bench.reliability import (
    ROOT,
    machine,
    number_problems,
    open_database,
    sql,
    table,
    write_results,
)
from bench.server import Server

CREATED = re.compile(r"/maintenance/requests/(\d+)/$")
FORM = "/maintenance/requests/new/"
CONNECTION_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
DESCRIPTIONS = ("教室日光灯不亮", "水龙头漏水", "门锁坏了", "空调不制冷", "插座没电", "窗户关不上")


@dataclass
class Tally:
    acknowledged: list[int] = field(default_factory=list)
    sent: int = 0
    connection_errors: int = 0
    http_errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_error(self, kind: str) -> None:
        with self.lock:
            self.http_errors[kind] = self.http_errors.get(kind, 0) + 1


def scenario() -> dict[str, Any]:
    """The first school: its staff who may report, its rooms and the repair categories."""
    from houqin.accounts.models import User
    from houqin.maintenance.forms_requests import categories
    from houqin.org.models import Room, School

    school = School.objects.order_by("pk").first()
    assert school is not None
    users = [
        u.username
        for u in User.objects.filter(memberships__school=school, is_active=True).order_by("pk")
        if u.has_perm("maintenance.add_repairrequest")
    ]
    return {
        "school": school.pk,
        "users": users,
        "rooms": list(
            Room.objects.filter(school=school).order_by("pk").values_list("pk", flat=True)[:200]
        ),
        "categories": list(categories().values_list("pk", flat=True)),
        "baseline": sql("SELECT COALESCE(MAX(id), 0) FROM maintenance_repairrequest")[0][0],
    }


def reporter(
    base: str, user: str, world: dict[str, Any], n: int, stop: threading.Event, tally: Tally
) -> None:
    """One member of staff: signs in, then reports faults until told to stop; survives restarts."""
    client: Client | None = None
    token: dict[str, str] = {}
    sent = 0
    while not stop.is_set():
        try:
            if client is None:
                token = {}
                client = Client(base)
                client.login(user)
                token = client.form(FORM)
            data = {
                **token,
                "room": world["rooms"][(n * 31 + sent) % len(world["rooms"])],
                "category": world["categories"][(n + sent) % len(world["categories"])],
                "description": DESCRIPTIONS[(n + sent) % len(DESCRIPTIONS)],
                "urgency": "normal",
                "reporter_name": user,
                "phone": "",
                "duplicates_seen": "1",
            }
            sent += 1
            with tally.lock:
                tally.sent += 1
            status, _ms, answer = client.post(FORM, data)
        except CONNECTION_ERRORS:
            with tally.lock:
                tally.connection_errors += 1
            if not token:  # cut off while signing in: start again
                client = None
            time.sleep(0.2)
            continue
        except RuntimeError:  # the sign-in or the form page failed while the server restarted
            client = None
            time.sleep(0.3)
            continue
        created = CREATED.search(answer.headers.get("Location", ""))
        if 200 <= status < 400 and created:
            with tally.lock:
                tally.acknowledged.append(int(created.group(1)))
        else:
            tally.add_error(f"HTTP {status}")
            time.sleep(0.2)


def run_load(
    server: Server, world: dict[str, Any], args: argparse.Namespace
) -> tuple[Tally, list[dict[str, Any]], float]:
    tally = Tally()
    stop = threading.Event()
    users = world["users"]
    threads = [
        threading.Thread(
            target=reporter,
            args=(server.base, users[n % len(users)], world, n, stop, tally),
            daemon=True,
        )
        for n in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    kills = ["worker"] * args.worker_kills + ["server"] * args.server_kills
    kills = [kills[i] for i in sorted(range(len(kills)), key=lambda i: (i * 3) % len(kills))]
    events: list[dict[str, Any]] = []
    started = time.monotonic()
    interval = args.seconds / (len(kills) + 1)
    for number, kind in enumerate(kills, start=1):
        time.sleep(max(0.0, started + number * interval - time.monotonic()))
        before = len(tally.acknowledged)
        moment = round(time.monotonic() - started, 1)
        if kind == "worker":
            pid = server.kill_worker()
            events.append(
                {"at_s": moment, "kill": "worker", "pid": pid, "acknowledged_before": before}
            )
        else:
            server.kill_all()
            restart = time.monotonic()
            server.start()
            events.append(
                {
                    "at_s": moment,
                    "kill": "server",
                    "restart_s": round(time.monotonic() - restart, 1),
                    "acknowledged_before": before,
                }
            )
        print(f"  {moment:6.1f} s  killed the {kind}; {before} acknowledged so far", flush=True)
    time.sleep(max(0.0, started + args.seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    return tally, events, time.monotonic() - started


def integrity(vendor: str) -> dict[str, Any]:
    if vendor == "sqlite":
        return {
            "integrity_check": [row[0] for row in sql("PRAGMA integrity_check")],
            "foreign_key_violations": len(sql("PRAGMA foreign_key_check")),
        }
    checked, problems = 0, []
    try:
        sql("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = sql(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE a.amname = 'btree' "
            "AND (t.relname LIKE 'maintenance_%%' OR t.relname LIKE 'core_%%')"
        )
        for (name,) in indexes:
            try:
                sql("SELECT bt_index_check(%s::regclass, true)", (name,))
                checked += 1
            except Exception as error:
                problems.append(f"{name}: {error}")
        amcheck = True
    except Exception:
        amcheck = False
    orphans = sql(
        "SELECT COUNT(*) FROM maintenance_repairrequest r LEFT JOIN maintenance_workorder w "
        "ON w.id = r.work_order_id WHERE r.work_order_id IS NOT NULL AND w.id IS NULL"
    )[0][0]
    return {
        "amcheck": amcheck,
        "indexes_checked": checked,
        "index_problems": problems,
        "orphan_requests": orphans,
    }


def check(vendor: str, world: dict[str, Any], tally: Tally) -> dict[str, Any]:
    from django.db import connections

    connections.close_all()
    acknowledged = sorted(set(tally.acknowledged))
    present: set[int] = set()
    without_order = 0
    for start in range(0, len(acknowledged), 500):
        chunk = tuple(acknowledged[start : start + 500])
        marks = ",".join(["%s"] * len(chunk))
        for pk, order in sql(
            "SELECT r.id, w.id FROM maintenance_repairrequest r LEFT JOIN maintenance_workorder w "
            f"ON w.id = r.work_order_id WHERE r.id IN ({marks})",
            chunk,
        ):
            present.add(pk)
            without_order += order is None
    baseline = (world["baseline"],)
    saved = sql("SELECT COUNT(*) FROM maintenance_repairrequest WHERE id > %s", baseline)[0][0]
    return {
        "integrity": integrity(vendor),
        "acknowledged": len(acknowledged),
        "lost": len(set(acknowledged) - present),
        "without_work_order": without_order,
        "saved_in_run": saved,
        "saved_but_unacknowledged": saved - len(present),
        "request_numbers": number_problems("maintenance_repairrequest", "id > %s", baseline),
        "order_numbers": number_problems("maintenance_workorder"),
    }


def healthy(result: dict[str, Any], vendor: str) -> bool:
    found = result["checks"]
    sound = (
        found["integrity"].get("integrity_check") == ["ok"]
        and not found["integrity"]["foreign_key_violations"]
        if vendor == "sqlite"
        else not found["integrity"]["index_problems"] and not found["integrity"]["orphan_requests"]
    )
    numbers = found["request_numbers"]["duplicates"] + found["request_numbers"]["gaps"]
    return sound and not found["lost"] and not found["without_work_order"] and not numbers


def report(vendor: str, result: dict[str, Any]) -> str:
    found = result["checks"]
    integrity_text = (
        f"integrity_check {found['integrity']['integrity_check'][0]}, "
        f"{found['integrity']['foreign_key_violations']} foreign key violations"
        if vendor == "sqlite"
        else f"amcheck {'on' if found['integrity']['amcheck'] else 'unavailable'}: "
        f"{found['integrity']['indexes_checked']} indexes checked, "
        f"{len(found['integrity']['index_problems'])} damaged; "
        f"{found['integrity']['orphan_requests']} requests pointing at a missing order"
    )
    rows = [
        ("duration (s)", result["seconds"]),
        ("workers killed (SIGKILL)", result["worker_kills"]),
        ("whole server killed (SIGKILL) and restarted", result["server_kills"]),
        ("mean restart time (s)", result["mean_restart_s"]),
        ("submission attempts (also while the server was down)", result["sent"]),
        ("**acknowledged (redirected to the request)**", f"**{found['acknowledged']}**"),
        ("connection errors during kills (expected)", result["connection_errors"]),
        ("other errors", sum(result["http_errors"].values())),
        ("**lost (acknowledged, not in the database)**", f"**{found['lost']}**"),
        ("acknowledged without a work order", found["without_work_order"]),
        ("saved but not acknowledged (cut off mid-answer)", found["saved_but_unacknowledged"]),
        (
            "duplicate / missing request numbers",
            f"{found['request_numbers']['duplicates']} / {found['request_numbers']['gaps']}",
        ),
        ("duplicate work order numbers", found["order_numbers"]["duplicates"]),
        ("database check", integrity_text),
    ]
    title = f"# Crash test on {vendor} ({result['preset']} preset)"
    intro = (
        f"gunicorn with {result['workers']} workers on 127.0.0.1, {result['clients']} staff "
        "submitting repair requests through the staff form; "
        f"{result['cpus']} CPUs, {result['date']}."
    )
    lines = [
        title,
        "",
        intro,
        "",
        *table(rows),
        "",
        f"Verdict: {'PASS' if result['pass'] else 'FAIL'}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="./houqin bench crash", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--preset", default="small")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-kills", type=int, default=4)
    parser.add_argument("--server-kills", type=int, default=3)
    parser.add_argument(
        "--workdir", type=Path, help="the server's work folder (default var/bench/crash)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only, write no result files")
    args = parser.parse_args(argv)
    url, vendor = open_database(args.preset)
    world = scenario()
    if not world["users"] or not world["rooms"] or not world["categories"]:
        print(
            "the first school needs staff who may report, rooms and repair categories", flush=True
        )
        return 1
    from django.db import connections

    connections.close_all()
    print(
        f"crash test on {url.split('@')[-1]}: {args.clients} clients, {args.seconds:.0f} s",
        flush=True,
    )
    with Server(
        url, workers=args.workers, workdir=args.workdir or ROOT / "var" / "bench" / "crash"
    ) as server:
        tally, events, seconds = run_load(server, world, args)
    checks = check(vendor, world, tally)
    restarts = [e["restart_s"] for e in events if e["kill"] == "server"]
    result: dict[str, Any] = {
        **machine(),
        "database": vendor,
        "preset": args.preset,
        "workers": args.workers,
        "clients": args.clients,
        "seconds": round(seconds, 1),
        "worker_kills": sum(e["kill"] == "worker" for e in events),
        "server_kills": len(restarts),
        "mean_restart_s": round(sum(restarts) / len(restarts), 1) if restarts else None,
        "sent": tally.sent,
        "connection_errors": tally.connection_errors,
        "http_errors": tally.http_errors,
        "events": events,
        "checks": checks,
    }
    result["pass"] = healthy(result, vendor)
    text = report(vendor, result)
    if args.no_write:
        print(text)
    else:
        write_results(f"crash-{vendor}", result, text)
    return 0 if result["pass"] else 1
