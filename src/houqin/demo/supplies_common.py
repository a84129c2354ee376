"""Shared pieces of the 开源节流 demo: people, moments, document numbers, approval rows.

Documents are written in bulk as rows (``{attname: value}``). Their numbers follow the
services' ``<PREFIX>-<YYYY>-<NNNNNN>`` by creation order and the document sequences are
moved past them; the approval requests, steps and actions are the rows the approval
service would have written, so the inboxes of the approvers hold the pending ones.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from houqin.accounts.models import Membership
from houqin.approvals.models import (
    ApprovalAction,
    ApprovalChain,
    ApprovalRequest,
    ApprovalRequestStep,
)
from houqin.core.models import DocumentSequence, StatusChange
from houqin.org.models import Department, School, Term

from .maintenance_story import fast_insert, reserve_keys

CENT = Decimal("0.01")
H = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class People:
    """The members of a school by username, with their department."""

    school: School
    users: dict[str, Any]
    department_of: dict[int, Department]
    departments: dict[str, Department]
    staff_by_department: dict[str, list[Any]]

    def user(self, username: str) -> Any:
        return self.users[username]

    def department(self, name: str) -> Department:
        return self.departments[name]

    def head(self, department: Department) -> Any:
        return self.users_by_pk.get(department.head_id) if department.head_id else None

    def any_of(self, *usernames: str) -> Any:
        """The first of these people that is a member here (the kindergarten has fewer)."""
        for username in usernames:
            if username in self.users:
                return self.users[username]
        raise KeyError(usernames)

    @property
    def users_by_pk(self) -> dict[int, Any]:
        return {u.pk: u for u in self.users.values()}


def people_of(school: School) -> People:
    members = (
        Membership.objects.filter(school=school, is_active=True)
        .select_related("user", "department")
        .order_by("user__username", "pk")
    )
    users: dict[str, Any] = {}
    department_of: dict[int, Department] = {}
    staff: dict[str, list[Any]] = {}
    for member in members:
        user = member.user
        if user.username in users:
            continue
        users[user.username] = user
        if member.department_id:
            department_of[user.pk] = member.department
            staff.setdefault(member.department.name, []).append(user)
    departments = {d.name: d for d in Department.objects.filter(school=school)}
    return People(school, users, department_of, departments, staff)


class Clock:
    """Moments of school days: ``now`` and deterministic times on a day."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate(self.now)

    def at(self, day: datetime.date, start: int = 8, end: int = 17) -> datetime.datetime:
        hour = self.rng.randrange(start, end)
        local = datetime.datetime.combine(day, datetime.time(hour, self.rng.randrange(60)))
        return timezone.make_aware(local)

    def workday(self, day: datetime.date) -> datetime.date:
        """The day itself, or the Monday after a weekend."""
        while day.isoweekday() >= 6:
            day += DAY
        return day


def terms_of(school: School) -> list[Term]:
    return list(Term.objects.filter(school=school).select_related("school_year").order_by("start"))


def in_term(terms: list[Term], day: datetime.date) -> Term | None:
    return next((t for t in terms if t.start <= day <= t.end), None)


# -- numbers -----------------------------------------------------------------------------


def number(
    rows: list[dict[str, Any]], prefix: str, school_id: int, key: str = "created_at"
) -> None:
    """Give rows their document numbers in creation order and move the sequence on."""
    last: dict[int, int] = dict(
        DocumentSequence.objects.filter(school_id=school_id, prefix=prefix).values_list(
            "year", "last_number"
        )
    )
    start = dict(last)
    for row in sorted(rows, key=lambda r: (r[key], r.get("id", 0))):
        year = timezone.localtime(row[key]).year
        last[year] = last.get(year, 0) + 1
        row["number"] = f"{prefix}-{year}-{last[year]:06d}"
    for year, value in last.items():
        if year not in start:
            DocumentSequence.objects.create(
                school_id=school_id, prefix=prefix, year=year, last_number=value
            )
        elif value > start[year]:
            DocumentSequence.objects.filter(school_id=school_id, prefix=prefix, year=year).update(
                last_number=value
            )


# -- approvals ----------------------------------------------------------------------------


@dataclass
class Approval:
    """One submission to write: the steps and what each approver did, as of now.

    ``outcome`` is a list of what happened to the frozen steps in order: "approve",
    "reject", "return"; the request is pending at the first step without an outcome
    unless ``withdrawn``.
    """

    request_type: str
    model: type[Any]
    object_id: int
    title: str
    amount: Decimal | None
    category: str
    department: Department | None
    requester: Any
    submitted: datetime.datetime
    outcome: list[str] = field(default_factory=list)
    withdrawn: datetime.datetime | None = None
    reason: str = ""
    step_gap: datetime.timedelta = datetime.timedelta(hours=5)

    def decided_at(self, index: int) -> datetime.datetime:
        return self.submitted + self.step_gap * (index + 1)


class Approvals:
    """Collects approval submissions and writes them as the approval service would."""

    def __init__(self, school: School, people: People) -> None:
        self.school = school
        self.people = people
        self.items: list[Approval] = []
        self.chains: dict[str, list[Any]] = {}
        for chain in ApprovalChain.objects.filter(school=school, is_active=True):
            self.chains[chain.request_type] = list(
                chain.steps.select_related("role").order_by("order", "id")
            )

    def add(self, approval: Approval) -> Approval:
        self.items.append(approval)
        return approval

    def steps_for(self, a: Approval) -> list[dict[str, Any]]:
        """The frozen steps: (name, kind, role id, approver id), skipped when own."""
        steps = []
        for step in self.chains.get(a.request_type, []):
            if not step.applies_to(a.amount, a.category):
                continue
            approver_id = step.user_id
            if step.approver_kind == "department_head":
                approver_id = a.department.head_id if a.department is not None else None
            steps.append(
                {
                    "name": step.name,
                    "approver_kind": step.approver_kind,
                    "role_id": step.role_id if step.approver_kind == "role" else None,
                    "approver_id": approver_id,
                }
            )
        return steps

    def deciding(self, a: Approval) -> int:
        """How many steps somebody decides (a step the requester approves is skipped)."""
        return sum(
            1
            for step in self.steps_for(a)
            if not (step["approver_id"] and step["approver_id"] == a.requester.pk)
        )

    def decider(self, step: dict[str, Any]) -> int:
        if step["approver_id"]:
            return int(step["approver_id"])
        member = (
            Membership.objects.filter(school=self.school, role_id=step["role_id"], is_active=True)
            .order_by("user__username")
            .values_list("user_id", flat=True)
            .first()
        )
        if member is None:  # nobody holds the role here: the head of the school decided
            member = (
                Membership.objects.filter(
                    school=self.school, role__code__in=("principal", "director"), is_active=True
                )
                .order_by("role__code", "user__username")
                .values_list("user_id", flat=True)
                .first()
            )
        assert member is not None, step
        return int(member)

    def write(self) -> None:
        requests, steps, actions = [], [], []
        types: dict[type[Any], int] = {}
        deciders: dict[tuple[Any, Any], int] = {}
        for a in self.items:
            ct = types.get(a.model)
            if ct is None:
                ct = types[a.model] = ContentType.objects.get_for_model(a.model).pk
            request: dict[str, Any] = {
                "school_id": self.school.pk,
                "request_type": a.request_type,
                "content_type_id": ct,
                "object_id": a.object_id,
                "title": a.title[:200],
                "amount": a.amount,
                "category": a.category,
                "department_id": a.department.pk if a.department else None,
                "requester_id": a.requester.pk,
                "round": 1,
                "submitted_at": a.submitted,
                "created_at": a.submitted,
                "updated_at": a.submitted,
            }
            requests.append(request)
            frozen = self.steps_for(a)
            request_steps, request_actions = [], []
            request_actions.append(
                {"action": "submit", "actor_id": a.requester.pk, "created_at": a.submitted}
            )
            status, current, decided = "pending", None, None
            outcome = list(a.outcome)
            for order, step in enumerate(frozen, start=1):
                row = {**step, "order": order, "round": 1, "status": "waiting", "reason": ""}
                request_steps.append(row)
                if status != "pending" or current is not None:
                    continue
                if step["approver_id"] and step["approver_id"] == a.requester.pk:
                    row["status"] = "skipped"
                    row["reason"] = "申请人即为本步审批人，自动跳过。"
                    request_actions.append(
                        {
                            "action": "skip",
                            "step": row,
                            "reason": row["reason"],
                            "created_at": a.submitted,
                        }
                    )
                    continue
                if not outcome:
                    if a.withdrawn is None:
                        row["status"], current = "pending", order
                    else:
                        status, decided = "withdrawn", a.withdrawn
                        request_actions.append(
                            {
                                "action": "withdraw",
                                "actor_id": a.requester.pk,
                                "reason": a.reason,
                                "created_at": a.withdrawn,
                            }
                        )
                    continue
                action = outcome.pop(0)
                key = (step["approver_id"], step["role_id"])
                if key not in deciders:
                    deciders[key] = self.decider(step)
                at = a.decided_at(order - 1)
                row["status"] = {"approve": "approved", "reject": "rejected"}.get(
                    action, "returned"
                )
                row["acted_by_id"], row["acted_at"] = deciders[key], at
                row["reason"] = a.reason if action != "approve" else ""
                request_actions.append(
                    {
                        "action": action,
                        "step": row,
                        "actor_id": deciders[key],
                        "reason": row["reason"],
                        "created_at": at,
                    }
                )
                if action != "approve":
                    status = {"reject": "rejected", "return": "returned"}[action]
                    decided = at
            if status == "pending" and current is None and a.withdrawn is None:
                status = "approved"
                decided = a.decided_at(max(len(frozen) - 1, 0)) if frozen else a.submitted
            request.update(status=status, current_order=current, decided_at=decided)
            request["_steps"], request["_actions"] = request_steps, request_actions
        reserve_keys(ApprovalRequest, requests)
        for request in requests:
            for row in request.pop("_steps"):
                row["request_id"] = request["id"]
                steps.append(row)
        reserve_keys(ApprovalRequestStep, steps)
        fast_insert(ApprovalRequest, requests)
        fast_insert(ApprovalRequestStep, steps)
        for request in requests:
            for action in request.get("_actions", []):
                step = action.pop("step", None)
                actions.append(
                    {
                        "request_id": request["id"],
                        "step_id": step["id"] if step else None,
                        "round": 1,
                        "action": action["action"],
                        "actor_id": action.get("actor_id"),
                        "reason": action.get("reason", ""),
                        "created_at": action["created_at"],
                    }
                )
        fast_insert(ApprovalAction, actions)

    def outcome_of(self, approval: Approval) -> str:
        return approval.outcome[-1] if approval.outcome else "pending"


def status_changes(
    model: type[Any], school_id: int, changes: list[tuple[int, str, str, Any, int | None]]
) -> None:
    """StatusChange rows: (object id, from, to, when, actor id)."""
    ct = ContentType.objects.get_for_model(model).pk
    fast_insert(
        StatusChange,
        [
            {
                "content_type_id": ct,
                "object_id": str(pk),
                "school_id": school_id,
                "field": "status",
                "from_status": source,
                "to_status": target,
                "actor_id": actor,
                "reason": "",
                "created_at": at,
            }
            for pk, source, target, at, actor in changes
        ],
    )
