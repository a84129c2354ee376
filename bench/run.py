"""``./houqin bench run``: latency of every main page against the stack's floor, then load.

    ./houqin bench run [--preset small] [--runs 20] [--workers 2] [--load-seconds 30]
                       [--school ID] [--pages SUBSTRING] [--output-dir bench/results]

Starts the real server (gunicorn, ``bench.server``) on the preset's database
(``var/bench/<preset>.sqlite3``, or ``HOUQIN_DATABASE_URL``) and measures, one request at a
time, p50/p95 of every page of ``bench.pages`` (two warm-ups, then ``--runs`` timed requests;
the floor page — the smallest signed-in page — is requested between them all through the run,
so both share the machine's drift). A page misses the goal when its p95 is over 200 ms or its
p50 over 10× the floor's. Then, for 2 and 4 workers (the server restarted for each), client
threads browse and send repair requests for ``--load-seconds`` each; afterwards every
submission answered with success is looked for in the database. Peak memory (VmHWM) of the
workers is read after each phase. Writes ``<output-dir>/<date>-<sqlite|postgresql>.json`` and
``.md``.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from .client import Client
from .load import Sessions

ROOT = Path(__file__).resolve().parent.parent
EXPORT_PAGES = "/core/exports/"
FLOOR_EVERY = 4  # one floor request after every fourth timed request of a page
BROWSED_KINDS = ("list", "detail", "report", "api", "form")
# Collecting (and compressing) the static files takes minutes on a busy machine: once per
# change of the sources, into a folder every run links to.
STATIC_CACHE = ROOT / "var" / "bench" / "run-static"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="./houqin bench run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--preset", default="small", help="database var/bench/<preset>.sqlite3 (default small)"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--warmups", type=int, default=2, help="untimed requests first (default 2)")
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers for latency (default 2)"
    )
    parser.add_argument("--threads", type=int, default=2, help="threads per worker (default 2)")
    parser.add_argument(
        "--load-seconds", type=float, default=30, help="seconds per load phase; 0 skips load"
    )
    parser.add_argument(
        "--load-workers", default="2,4", help="worker counts of the load phases (default 2,4)"
    )
    parser.add_argument(
        "--clients", default="8,16", help="client threads per load phase (default 8,16)"
    )
    parser.add_argument(
        "--submit-share", type=float, default=0.25, help="share of clients reporting repairs"
    )
    parser.add_argument("--school", type=int, help="school id (default: the biggest)")
    parser.add_argument("--pages", help="only pages whose name or path contains this")
    parser.add_argument("--no-district", action="store_true", help="leave out the bureau's pages")
    parser.add_argument("--output-dir", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    from .cli_generate import database_url, setup_django

    url = database_url(args.preset)
    if url.startswith("sqlite") and not Path(url.split("sqlite:///", 1)[1]).exists():
        print(
            f"{url} does not exist: run ./houqin bench generate --preset {args.preset}",
            file=sys.stderr,
        )
        return 1
    setup_django(url)
    from django.db import connection

    from . import report
    from .pages import biggest_school, catalogue, district_catalogue

    school_id = args.school or biggest_school()
    pages = catalogue(school_id)
    if not args.no_district:
        pages += [page for page in district_catalogue(school_id) if page.kind != "floor"]
    floor = pages[0]
    if args.pages:
        pages = [floor] + [p for p in pages[1:] if args.pages in p.name or args.pages in p.path]
    from houqin.org.models import School

    started = datetime.datetime.now().astimezone()
    result: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "preset": args.preset,
        "database_url": url.split("@")[-1],
        "school": {"id": school_id, "name": School.objects.get(pk=school_id).name},
        "machine": report.machine(),
        "rows": report.row_counts(),
        "settings": {
            "runs": args.runs,
            "warmups": args.warmups,
            "workers": args.workers,
            "threads": args.threads,
            "load_seconds": args.load_seconds,
            "submit_share": args.submit_share,
            "pages_filter": args.pages,
        },
        "memory": {},
    }
    connection.close()
    sessions = Sessions()
    with tempfile.TemporaryDirectory(prefix="houqin-bench-") as work:
        workdir = Path(work)
        static_ready(url, workdir)
        from .server import Server

        with Server(url, workers=args.workers, threads=args.threads, workdir=workdir) as server:
            result["pages"], result["floor"] = measure(
                server.base, sessions, pages, floor, args.runs, args.warmups
            )
            result["memory"][f"latency ({args.workers} workers)"] = server.peak_memory_kb()
        from .exports import build_queued

        result["background_exports"] = build_queued(started)
        if args.load_seconds > 0:
            result["load"] = load(url, workdir, sessions, pages, school_id, args, result["memory"])
    result["seconds"] = round((datetime.datetime.now().astimezone() - started).total_seconds(), 1)
    json_path, md_path = report.write(result, args.output_dir)
    print(report.markdown(result))
    print(f"wrote {json_path} and {md_path}")
    return 0


def _timed(session: Client, path: str) -> tuple[int | str, float]:
    """Status and milliseconds; a request the server dropped (a worker killed at its time
    limit) counts as the error "dropped" after the time it took, and the run goes on.

    An export sent to the background answers with a redirect to its job's page: the time
    until that page has arrived is what its user waits, and its status counts."""
    started = time.perf_counter()
    try:
        status, ms, answer = session.get(path)
        location = answer.headers.get("Location", "")
        if status == 302 and location.startswith(EXPORT_PAGES):
            status, more, _answer = session.get(location)
            ms += more
    except requests.RequestException:
        return "dropped", (time.perf_counter() - started) * 1000
    return status, ms


SLOW_MS = 2000.0
SLOW_RUNS = 3


def measure(
    base: str, sessions: Sessions, pages: list[Any], floor: Any, runs: int, warmups: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every page one request at a time; the floor page interleaved all through."""
    from .report import GOAL_P95_MS, GOAL_RATIO, percentile, summary

    clients: dict[str, Client] = {}

    def client(username: str) -> Client:
        if username not in clients:
            clients[username] = sessions.client(base, username)
        return clients[username]

    floor_client = client(floor.username)
    floor_ms: list[float] = []
    rows = []
    for page in pages:
        session = client(page.username)
        slowest = 0.0
        for _ in range(warmups):
            slowest = max(slowest, _timed(session, page.path)[1])
        # A page that takes seconds (a district-wide export) is timed a few times only, so that
        # one run of the whole catalogue stays bounded; its row says how many.
        page_runs = min(runs, SLOW_RUNS) if slowest > SLOW_MS else runs
        samples: list[float] = []
        statuses: dict[str, int] = {}
        for n in range(page_runs):
            status, ms = _timed(session, page.path)
            samples.append(ms)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            if n % FLOOR_EVERY == 0:
                floor_ms.append(floor_client.get(floor.path)[1])
        figures = summary(samples)
        rows.append(
            {
                **page.__dict__,
                **figures,
                "mean": round(sum(samples) / len(samples), 1),
                "runs": page_runs,
                "status": statuses,
            }
        )
        print(f"{figures['p50']:8.1f} {figures['p95']:8.1f}  {page.kind:7} {page.name}", flush=True)
    floor_p50, floor_p95 = percentile(floor_ms, 0.5), percentile(floor_ms, 0.95)
    for row in rows:
        row["ratio"] = round(row["p50"] / floor_p50, 2) if floor_p50 else 0.0
        row["ratio_p95"] = round(row["p95"] / floor_p95, 2) if floor_p95 else 0.0
        row["errors"] = sorted(code for code in row["status"] if code != "200")
        row["goal_met"] = (
            not row["errors"] and row["p95"] <= GOAL_P95_MS and row["ratio"] <= GOAL_RATIO
        )
    floor_figures = {**summary(floor_ms), "path": floor.path, "username": floor.username}
    return rows, floor_figures


def load(
    url: str,
    workdir: Path,
    sessions: Sessions,
    pages: list[Any],
    school_id: int,
    args: argparse.Namespace,
    memory: dict[str, Any],
) -> list[dict[str, Any]]:
    """The load phases: for each worker count, a fresh server and each client count in turn."""
    from django.db import connection

    from .load import count_saved, reporting, run_phase
    from .server import Server

    browsed = [page for page in pages if page.kind in BROWSED_KINDS] or pages
    who = reporting(school_id)
    connection.close()
    phases = []
    for workers in _numbers(args.load_workers):
        with Server(url, workers=workers, threads=args.threads, workdir=workdir) as server:
            for clients in _numbers(args.clients):
                marker = f"[bench {uuid.uuid4().hex[:10]}]"
                phase = run_phase(
                    server.base,
                    sessions,
                    browsed,
                    who,
                    clients=clients,
                    seconds=args.load_seconds,
                    submit_share=args.submit_share,
                    marker=marker,
                )
                time.sleep(0.5)  # let the last answered requests' transactions end
                ids = phase.pop("submitted_ids")
                phase["saved"], phase["marked_rows"] = count_saved(ids, marker)
                connection.close()
                peaks = server.peak_memory_kb()
                phase["workers"] = workers
                phase["peak_worker_mb"] = round(max(peaks.values(), default=0) / 1024, 1)
                phases.append(phase)
                print(
                    f"load {workers} workers {clients} clients: "
                    f"{phase['page_views_per_s']} views/s, "
                    f"{phase['submissions_per_s']} submissions/s, {phase['errors']} errors, "
                    f"{phase['saved']}/{phase['submissions']} saved",
                    flush=True,
                )
            memory[f"load ({workers} workers)"] = server.peak_memory_kb()
    return phases


def static_ready(url: str, workdir: Path) -> None:
    """Point the run's work folder at collected static files (collected again when a source
    file is newer than the collection)."""
    import fcntl

    from .server import Server

    STATIC_CACHE.mkdir(parents=True, exist_ok=True)
    with (STATIC_CACHE / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = STATIC_CACHE / "static" / "staticfiles.json"
        sources = (path for path in (ROOT / "static").rglob("*") if path.is_file())
        newest = max((path.stat().st_mtime for path in sources), default=0.0)
        if manifest.exists() and manifest.stat().st_mtime < newest:
            manifest.unlink()
        Server(url, workdir=STATIC_CACHE).collect_static()
    (workdir / "static").symlink_to(STATIC_CACHE / "static", target_is_directory=True)


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
