"""``./houqin bench concurrency``: the invariants hold with 32 clients at once (PostgreSQL).

    HOUQIN_DATABASE_URL=postgres://…/houqin_bench ./houqin bench concurrency [--preset small]
        [--clients 32] [--workers 4] [--threads 8]

On the generated database (the last school of the preset), prepares through the services:

- a store item with ``STOCK`` units and one approved requisition of 1 unit per client;
- a budget line of ``BUDGET`` yuan (the school's policy blocks overspending) and one purchase
  request of ``PRICE`` yuan per client, approved up to its last step;
- half as many purchase requests as clients, each waiting at a step, acted on by two clients;
- nothing for the new documents (repair requests and requisitions) the clients create.

Then starts gunicorn as in production and lets the clients (threads, each with an API token)
work in rounds that start together, every kind of work in every round: issue a requisition,
give the last approval of a purchase request, approve the shared step, create documents.
Afterwards SQL checks: stock never negative and equal to the sum of its movements, exactly
the available amount issued; committed + spent within the budget and equal to its entries;
one decision per shared step; document numbers unique and gapless per school/prefix/year.
Writes ``bench/results/concurrency-postgresql.json`` and ``.md``; exits 1 on a broken invariant.
"""

from __future__ import annotations

import argparse
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

from bench.cli_generate import database_url
from bench.concurrency_checks import (
    BUDGET,
    DOCUMENTS_EACH,
    PRICE,
    STOCK,
    check_budget,
    check_numbers,
    check_stock,
    check_twins,
    tally,
)
from bench.reliability import ROOT, machine, open_database, sql, table, write_results
from bench.server import Server

KINDS = ("issue", "budget", "twin", "documents")
UNDONE = " (work left undone)"


# -- preparing, through the services -------------------------------------------------------------


def members(school: Any) -> list[Any]:
    from houqin.accounts.models import User

    return list(
        User.objects.filter(memberships__school=school, is_active=True).distinct().order_by("pk")
    )


def with_perm(people: list[Any], perm: str) -> Any:
    found = next((u for u in people if u.has_perm(perm)), None)
    if found is None:
        raise SystemExit(f"nobody in the school has {perm}")
    return found


def approve_until(approval: Any, people: list[Any], *, leave: int) -> None:
    """Approve the pending steps of ``approval`` until ``leave`` steps are left undecided."""
    from houqin.approvals.models import ApprovalRequestStep, RequestStatus, StepStatus
    from houqin.approvals.selectors import can_act
    from houqin.approvals.services import approval_act

    while True:
        approval.refresh_from_db()
        waiting = approval.steps.filter(
            round=approval.round, status__in=[StepStatus.PENDING, StepStatus.WAITING]
        )
        if approval.status != RequestStatus.PENDING or waiting.count() <= leave:
            return
        step = ApprovalRequestStep.objects.select_related("request").get(
            request=approval, round=approval.round, status=StepStatus.PENDING
        )
        actor = next((u for u in people if can_act(u, step)), None)
        if actor is None:
            raise SystemExit(f"nobody may decide the step {step.name} of {approval}")
        approval_act(request=approval, actor=actor, action="approve")


def deciders(approval: Any, people: list[Any]) -> list[Any]:
    from houqin.approvals.models import ApprovalRequestStep, StepStatus
    from houqin.approvals.selectors import can_act

    step = ApprovalRequestStep.objects.select_related("request").get(
        request=approval, round=approval.round, status=StepStatus.PENDING
    )
    return [u for u in people if can_act(u, step)]


def free_budget_line(school: Any, actor: Any, amount: Decimal) -> Any:
    """A new budget line of the current school year in a department and category without one."""
    from django.utils import timezone

    from houqin.finance.models import BudgetLine, ExpenseCategory
    from houqin.finance.services.budget_lines import budget_line_save
    from houqin.org.models import Department, SchoolYear

    today = timezone.localdate()
    year = SchoolYear.objects.filter(school=school, start__lte=today, end__gte=today).first()
    if year is None:
        raise SystemExit("the school has no current school year")
    taken = set(
        BudgetLine.objects.filter(school_year=year).values_list("department_id", "category")
    )
    for department in Department.objects.filter(school=school).order_by("pk"):
        for category in ExpenseCategory.values:
            if (department.pk, category) not in taken:
                line = BudgetLine(
                    school_year=year, department=department, category=category, amount=amount
                )
                return budget_line_save(actor=actor, line=line)
    raise SystemExit("every department and category already has a budget line")


def purchase_requests(
    school: Any, people: list[Any], line: Any, count: int, *, leave: int
) -> list[int]:
    """``count`` submitted purchase requests of ``PRICE`` on ``line``, approved up to ``leave``
    steps from the end; returns the ids of their approval requests."""
    from houqin.approvals.selectors import request_for
    from houqin.procurement.models import PurchaseRequest
    from houqin.procurement.services.requests import (
        LineInput,
        purchase_request_save,
        purchase_request_submit,
    )

    requester = next(
        u
        for u in people
        if u.memberships.filter(school=school, department=line.department).exists()
    )
    approvals = []
    for n in range(count):
        request = purchase_request_save(
            actor=requester,
            request=PurchaseRequest(
                title=f"并发测试采购 {n + 1}",
                department=line.department,
                category=line.category,
                budget_line=line,
                reason="并发测试",
            ),
            lines=[LineInput("打印纸", Decimal(1), "箱", PRICE)],
        )
        purchase_request_submit(actor=requester, request=request)
        approval = request_for(request)
        assert approval is not None
        approve_until(approval, people, leave=leave)
        approvals.append(approval.pk)
    return approvals


def prepare(clients: int) -> dict[str, Any]:
    from django.db import transaction

    from houqin.api.services import token_create
    from houqin.finance.models import BudgetPolicy, FinanceSettings
    from houqin.finance.services.budget_lines import finance_settings_save
    from houqin.inventory.models import Requisition, StockItem
    from houqin.inventory.services.items import item_save, manual_move
    from houqin.inventory.services.requisitions import LineInput, requisition_save
    from houqin.maintenance.forms_requests import categories
    from houqin.org.models import Room, School

    school = School.objects.order_by("-pk").first()
    people = members(school)
    storekeeper = with_perm(people, "inventory.move_stock")
    director = with_perm(people, "finance.change_budgetline")
    with transaction.atomic():
        settings = FinanceSettings.objects.filter(school=school).first() or FinanceSettings(
            school=school
        )
        settings.budget_policy = BudgetPolicy.BLOCK
        finance_settings_save(actor=director, settings=settings)
        item = item_save(
            actor=storekeeper,
            item=StockItem(
                school=school,
                code=f"CC{int(time.time())}",
                name="并发测试纸巾",
                unit="包",
                category="cleaning",
            ),
        )
        manual_move(
            actor=storekeeper,
            item=item,
            kind="receipt",
            quantity=Decimal(STOCK),
            reason="并发测试入库",
            unit_cost=Decimal(1),
        )
        requester = next(
            u
            for u in people
            if u.memberships.filter(school=school, department__isnull=False).exists()
        )
        department = (
            requester.memberships.filter(school=school, department__isnull=False).first().department
        )
        requisitions = [
            requisition_save(
                actor=requester,
                requisition=Requisition(department=department, purpose=f"并发测试领用 {n + 1}"),
                lines=[LineInput(item, Decimal(1))],
                submit=True,
            )
            for n in range(clients)
        ]
    budget_line = free_budget_line(school, director, BUDGET)
    budget = purchase_requests(school, people, budget_line, clients, leave=1)
    spare_line = free_budget_line(school, director, PRICE * clients)
    twins = purchase_requests(school, people, spare_line, clients // 2, leave=1)
    from houqin.approvals.models import ApprovalRequest

    final_deciders = [deciders(ApprovalRequest.objects.get(pk=pk), people) for pk in budget]
    twin_deciders = [deciders(ApprovalRequest.objects.get(pk=pk), people) for pk in twins]
    writer = next(
        u
        for u in people
        if u.has_perm("maintenance.add_repairrequest") and u.has_perm("inventory.add_requisition")
    )
    users = {u.pk: u for group in [*final_deciders, *twin_deciders] for u in group[:2]}
    users.update({u.pk: u for u in (storekeeper, writer)})
    tokens = {
        pk: token_create(user=user, name="concurrency bench", lifetime_days=1)[1]
        for pk, user in users.items()
    }
    lines = {r.pk: r.lines.get().pk for r in requisitions}
    return {
        "school": school.pk,
        "item": item.pk,
        "budget_line": budget_line.pk,
        "requisitions": [(r.pk, lines[r.pk]) for r in requisitions],
        "budget_approvals": [
            (pk, tokens[d[0].pk]) for pk, d in zip(budget, final_deciders, strict=True)
        ],
        "twin_approvals": [
            (pk, [tokens[u.pk] for u in (d * 2)[:2]])
            for pk, d in zip(twins, twin_deciders, strict=True)
        ],
        "twin_distinct_deciders": sum(len(d) >= 2 for d in twin_deciders),
        "store_token": tokens[storekeeper.pk],
        "writer_token": tokens[writer.pk],
        "writer_department": writer.memberships.filter(school=school, department__isnull=False)
        .first()
        .department_id,
        "room": Room.objects.filter(school=school)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "category": categories().values_list("pk", flat=True).first(),
        "item_for_documents": item.pk,
        "baseline": {
            "maintenance_repairrequest": sql(
                "SELECT COALESCE(MAX(id), 0) FROM maintenance_repairrequest"
            )[0][0],
            "inventory_requisition": sql("SELECT COALESCE(MAX(id), 0) FROM inventory_requisition")[
                0
            ][0],
        },
    }


# -- the clients ---------------------------------------------------------------------------------


class Worker:
    """One client: in each round it does the kind of work its number and the round give."""

    def __init__(self, base: str, number: int, world: dict[str, Any]) -> None:
        self.base = f"{base}/api/v1"
        self.number = number
        self.world = world
        self.session = requests.Session()
        self.outcomes: list[tuple[str, int, float]] = []
        self.numbers: list[str] = []
        self.refusals: list[str] = []

    def call(self, kind: str, token: str, path: str, payload: dict[str, Any]) -> int:
        started = time.perf_counter()
        answer = self.session.post(
            f"{self.base}{path}",
            json=payload,
            headers={"Authorization": f"Token {token}"},
            timeout=120,
        )
        self.outcomes.append((kind, answer.status_code, (time.perf_counter() - started) * 1000))
        if answer.status_code == 201:
            self.numbers.append(str(answer.json().get("number", "")))
        elif answer.status_code >= 300:
            self.refusals.append(f"{kind} {answer.status_code}: {answer.text[:200]}")
        return answer.status_code

    def work(self, kind: str) -> None:
        w, n = self.world, self.number
        if kind == "issue":
            requisition, line = w["requisitions"][n]
            payload = {"lines": [{"line": line, "quantity": "1"}]}
            self.call(kind, w["store_token"], f"/requisitions/{requisition}/issue/", payload)
        elif kind == "budget":
            approval, token = w["budget_approvals"][n]
            self.call(kind, token, f"/approvals/{approval}/approve/", {})
        elif kind == "twin":
            approval, tokens = w["twin_approvals"][n // 2]
            self.call(kind, tokens[n % 2], f"/approvals/{approval}/approve/", {})
        else:
            for each in range(DOCUMENTS_EACH):
                repair = {
                    "school": w["school"],
                    "room": w["room"],
                    "category": w["category"],
                    "description": f"并发测试报修 {n}-{each}",
                }
                self.call("repair request", w["writer_token"], "/repair-requests/", repair)
                requisition = {
                    "department": w["writer_department"],
                    "purpose": f"并发测试 {n}-{each}",
                    "lines": [{"item": w["item_for_documents"], "quantity": "1"}],
                }
                self.call("requisition", w["writer_token"], "/requisitions/", requisition)


def run_clients(base: str, world: dict[str, Any], clients: int) -> tuple[list[Worker], float]:
    workers = [Worker(base, n, world) for n in range(clients)]
    barrier = threading.Barrier(clients)
    failures: list[str] = []

    def play(worker: Worker) -> None:
        for round_ in range(len(KINDS)):
            barrier.wait()
            try:
                worker.work(KINDS[(worker.number // 2 + round_) % len(KINDS)])
            except requests.RequestException as error:
                failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=play, args=(w,)) for w in workers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"{len(failures)} connection failures, e.g. {failures[0]}")
    return workers, time.perf_counter() - started


# -- running -------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))], 1)
        if ordered
        else 0.0
    )


def report(result: dict[str, Any]) -> str:
    s, b, t, n = (result["checks"][k] for k in ("stock", "budget", "twins", "numbers"))
    rr, rq = n["maintenance_repairrequest"], n["inventory_requisition"]
    rows = [
        ("requests sent / seconds", f"{result['requests']} / {result['seconds']}"),
        ("p50 / p95 ms", f"{result['p50_ms']} / {result['p95_ms']}"),
        ("server errors (HTTP 5xx)", result["server_errors"]),
        (
            "**stock**: issues accepted of units available",
            f"{s['issues_accepted']} of {s['available']}",
        ),
        (
            "stock after / sum of movements / negative balances",
            f"{s['stock_after']} / {s['sum_of_movements']} / {s['negative_balances']}",
        ),
        (
            "**budget**: approvals accepted / refused",
            f"{b['approvals_accepted']} / {b['approvals_refused']}",
        ),
        (
            "budget / committed + spent / committed from entries",
            f"{b['budget']} / {b['committed'] + b['spent']} / {b['committed_from_entries']}",
        ),
        (
            "**shared step**: steps / decisions accepted / refused",
            f"{t['shared_steps']} / {t['decisions_accepted']} / {t['decisions_refused']}",
        ),
        ("steps decided twice", t["steps_decided_twice"]),
        (
            "**numbers**: repair requests created / duplicates / gaps",
            f"{rr['created']} / {rr['duplicates']} / {rr['gaps']}",
        ),
        (
            "requisitions created / duplicates / gaps",
            f"{rq['created']} / {rq['duplicates']} / {rq['gaps']}",
        ),
    ]
    verdicts = ", ".join(
        f"{k} {'consistent' if v['ok'] else 'BROKEN'}{'' if v['complete'] else UNDONE}"
        for k, v in result["checks"].items()
    )
    lines = [
        "# Concurrency on PostgreSQL",
        "",
        f"{result['clients']} clients at once against gunicorn ({result['workers']} workers × "
        f"{result['threads']} threads) on 127.0.0.1, in {len(KINDS)} rounds that each mix "
        "every kind of work; "
        f"{result['cpus']} CPUs, {result['date']}.",
        "",
        *table(rows),
        "",
        f"Invariants: {verdicts}. Verdict: {'PASS' if result['pass'] else 'FAIL'}",
    ]
    if result["refusal_samples"]:
        lines += [
            "",
            "Refusals seen (expected where the last units or money ran out, "
            "or the step was already taken):",
        ]
        lines += [f"- {sample}" for sample in result["refusal_samples"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="./houqin bench concurrency", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--preset", default="small")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--workdir", type=Path, help="the server's work folder (default var/bench/concurrency)"
    )
    parser.add_argument("--no-write", action="store_true", help="print only, write no result files")
    args = parser.parse_args(argv)
    if args.clients < 2 or args.clients % 2:
        parser.error("--clients must be an even number of at least 2")
    if not database_url(args.preset).startswith(("postgres://", "postgresql://")):
        print(
            "The concurrency test needs PostgreSQL: "
            "set HOUQIN_DATABASE_URL to a PostgreSQL database."
        )
        return 2
    url, vendor = open_database(args.preset)
    started = time.perf_counter()
    world = prepare(args.clients)
    print(f"prepared in {time.perf_counter() - started:.1f} s; starting gunicorn", flush=True)
    from django.db import connections

    connections.close_all()
    workdir = args.workdir or ROOT / "var" / "bench" / "concurrency"
    with Server(url, workers=args.workers, threads=args.threads, workdir=workdir) as server:
        workers, seconds = run_clients(server.base, world, args.clients)
    counts = tally([o for w in workers for o in w.outcomes])
    checks = {
        "stock": check_stock(world, counts),
        "budget": check_budget(world, counts),
        "twins": check_twins(world, counts),
        "numbers": check_numbers(world, [n for w in workers for n in w.numbers], args.clients),
    }
    latencies = [ms for w in workers for _k, _s, ms in w.outcomes]
    result: dict[str, Any] = {
        **machine(),
        "database": vendor,
        "preset": args.preset,
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "requests": len(latencies),
        "seconds": round(seconds, 1),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "answers": counts,
        "refusal_samples": sorted({r for w in workers for r in w.refusals})[:12],
        "checks": checks,
    }
    result["server_errors"] = sum(
        n for kinds in counts.values() for code, n in kinds.items() if code >= "500"
    )
    result["consistent"] = all(c["ok"] for c in checks.values())
    result["pass"] = result["consistent"] and all(c["complete"] for c in checks.values())
    text = report(result)
    if args.no_write:
        print(text)
    else:
        write_results("concurrency-postgresql", result, text)
    return 0 if result["pass"] else 1
