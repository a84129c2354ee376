"""Concurrent load against the real server: browsing clients and repair requests by web form.

Every client is a thread with its own signed-in session (logged in before the clock starts).
Browsers request pages of the catalogue at random (its persona's pages); reporters open the
staff repair-request form and send it. Each submission carries a marker in its description, so
afterwards the database is asked for every submission answered with success.
"""

from __future__ import annotations

import random
import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .client import Client
from .pages import Page
from .report import summary

REQUEST_FORM = "/maintenance/requests/new/"
SAVED = re.compile(r"/maintenance/requests/(\d+)/$")


@dataclass
class Reporting:
    """What reporters need: who they are and what they may choose (looked up beforehand)."""

    usernames: list[str]
    rooms: list[int]
    categories: list[int]


@dataclass
class Tally:
    """One client's counts, merged after the phase."""

    views: int = 0
    view_ms: list[float] = field(default_factory=list)
    submissions: list[int] = field(default_factory=list)  # primary keys answered
    submit_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    def merge(self, other: Tally) -> None:
        self.views += other.views
        self.view_ms += other.view_ms
        self.submissions += other.submissions
        self.submit_ms += other.submit_ms
        self.errors.update(other.errors)


def reporting(school_id: int) -> Reporting:
    """Teachers of the school (or any member who may report), its active rooms, the categories."""
    from houqin.accounts.models import Membership
    from houqin.maintenance.models import RepairCategory
    from houqin.org.models import Room

    members = Membership.objects.filter(school_id=school_id, is_active=True)
    teachers = list(
        members.filter(role__code="teacher")
        .order_by("user__username")
        .values_list("user__username", flat=True)[:64]
    )
    if not teachers:
        teachers = list(
            members.order_by("user__username").values_list("user__username", flat=True)[:8]
        )
    rooms = list(
        Room.objects.filter(school_id=school_id, is_active=True).values_list("pk", flat=True)[:500]
    )
    categories = list(RepairCategory.objects.filter(is_active=True).values_list("pk", flat=True))
    return Reporting(teachers, rooms, categories)


class Sessions:
    """Signed-in sessions by username: each user logs in once per run (password hashing is
    slow by design) and every server of the run (same database, same secret key) takes the
    session cookies again."""

    def __init__(self) -> None:
        self.cookies: dict[str, Any] = {}

    def client(self, base: str, username: str) -> Client:
        client = Client(base)
        if username in self.cookies:
            client.session.cookies.update(self.cookies[username])
        else:
            client.login(username)
            self.cookies[username] = client.session.cookies.copy()
        return client


def run_phase(
    base: str,
    sessions: Sessions,
    pages: list[Page],
    report: Reporting,
    *,
    clients: int,
    seconds: float,
    submit_share: float,
    marker: str,
    seed: int = 7,
) -> dict[str, Any]:
    """``clients`` threads for ``seconds``; returns the counts (submissions as primary keys)."""
    reporters = min(round(clients * submit_share), len(report.usernames)) if report.rooms else 0
    by_user: dict[str, list[Page]] = {}
    for page in pages:
        by_user.setdefault(page.username, []).append(page)
    browsers = sorted(by_user)
    stop = threading.Event()
    tallies = [Tally() for _ in range(clients)]
    jobs: list[tuple[Any, tuple[Any, ...]]] = []
    for n in range(clients):
        rng = random.Random(f"{seed}:{n}")
        if n < reporters:
            session = sessions.client(base, report.usernames[n])
            jobs.append((_reporter, (session, report, marker, rng)))
        else:
            username = browsers[n % len(browsers)]
            jobs.append((_browser, (sessions.client(base, username), by_user[username], rng)))
    threads = [
        threading.Thread(
            target=target, args=args, kwargs={"tally": tally, "stop": stop}, daemon=True
        )
        for (target, args), tally in zip(jobs, tallies, strict=True)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=180)
    elapsed = time.perf_counter() - began
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    views = summary(total.view_ms)
    submits = summary(total.submit_ms)
    return {
        "clients": clients,
        "reporters": reporters,
        "seconds": round(elapsed, 1),
        "page_views": total.views,
        "page_views_per_s": round(total.views / elapsed, 2),
        "submissions": len(total.submissions),
        "submissions_per_s": round(len(total.submissions) / elapsed, 2),
        "errors": sum(total.errors.values()),
        "error_kinds": dict(total.errors.most_common(10)),
        "p50": views["p50"],
        "p95": views["p95"],
        "submit_p50": submits["p50"],
        "submit_p95": submits["p95"],
        "submitted_ids": total.submissions,
    }


def _browser(
    session: Client, pages: list[Page], rng: random.Random, *, tally: Tally, stop: threading.Event
) -> None:
    while not stop.is_set():
        page = rng.choice(pages)
        try:
            status, ms, _answer = session.get(page.path)
        except Exception as exc:  # a failure is counted, the phase goes on
            tally.errors[f"GET: {type(exc).__name__}"] += 1
            continue
        if status == 200:
            tally.views += 1
            tally.view_ms.append(ms)
        else:
            tally.errors[f"GET {status}"] += 1


def _reporter(
    session: Client,
    report: Reporting,
    marker: str,
    rng: random.Random,
    *,
    tally: Tally,
    stop: threading.Event,
) -> None:
    while not stop.is_set():
        try:
            status, ms, answer = session.get(REQUEST_FORM)
            if status != 200:
                tally.errors[f"form {status}"] += 1
                continue
            tally.views += 1
            tally.view_ms.append(ms)
            token = _csrf(answer.text)
            data = {
                "csrfmiddlewaretoken": token,
                "room": rng.choice(report.rooms),
                "category": rng.choice(report.categories),
                "description": f"{marker} 灯管闪烁 {uuid.uuid4().hex[:8]}",
                "urgency": "normal",
                "reporter_name": "基准测试",
                "phone": "",
                "duplicates_seen": "1",
            }
            status, ms, answer = session.post(REQUEST_FORM, data)
        except Exception as exc:  # a failure is counted, the phase goes on
            tally.errors[f"submit: {type(exc).__name__}"] += 1
            continue
        saved = SAVED.search(answer.headers.get("Location", "")) if status == 302 else None
        if saved:
            tally.submissions.append(int(saved.group(1)))
            tally.submit_ms.append(ms)
        else:
            tally.errors[f"submit {status}"] += 1


def _csrf(text: str) -> str:
    from .client import CSRF

    found = CSRF.search(text)
    if not found:
        raise RuntimeError("the repair form has no CSRF token")
    return found.group(1)


def count_saved(ids: list[int], marker: str) -> tuple[int, int]:
    """(answered submissions found in the database, rows carrying the marker)."""
    from houqin.maintenance.models import RepairRequest

    found = 0
    for first in range(0, len(ids), 500):
        found += RepairRequest.objects.filter(pk__in=ids[first : first + 500]).count()
    marked = RepairRequest.objects.filter(description__startswith=marker).count()
    return found, marked
