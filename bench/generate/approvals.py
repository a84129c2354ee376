"""Approval requests for generated documents: the request, its steps and the action log.

Parts call ``add(ctx, "purchase_request", PurchaseRequest, subjects)`` with one dictionary per
document: ``object_id``, ``school`` (a ``SchoolWorld``), ``title``, ``amount`` (or None),
``department_id``, ``requester_id``, ``status`` (pending, approved, rejected, returned or
withdrawn), ``submitted_at`` and ``decided_at`` (None while pending). The steps follow the
school's chain for that type (the same chains as the demo), skipping steps whose minimum
amount is not reached; approvers are the department's head or a holder of the step's role.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from houqin.accounts.models import Role
from houqin.approvals.models import ApprovalAction, ApprovalRequest, ApprovalRequestStep
from houqin.demo.approvals import CHAINS

from .base import Ctx, chunks

STEP_FOR = {"approved": "approved", "rejected": "rejected", "returned": "returned"}


def add(
    ctx: Ctx, request_type: str, model: type[models.Model], subjects: Iterable[dict[str, Any]]
) -> int:
    content_type = ContentType.objects.get_for_model(model).pk
    roles = {role.code: role.pk for role in Role.objects.all()}
    steps_of = CHAINS[request_type][1]
    rng = ctx.rng(f"approvals:{request_type}")
    made = 0
    for batch in chunks(subjects, 5000):
        request_ids = iter(ctx.ids(ApprovalRequest, len(batch)))
        requests: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
        for subject in batch:
            pk = next(request_ids)
            school = subject["school"]
            amount = subject.get("amount")
            chain = [
                (name, kind, role)
                for name, kind, role, minimum in steps_of
                if minimum is None or (amount is not None and Decimal(amount) >= Decimal(minimum))
            ]
            status = subject["status"]
            submitted: datetime.datetime = subject["submitted_at"]
            decided: datetime.datetime | None = subject.get("decided_at")
            if status == "pending":
                acted_steps = rng.randrange(len(chain))
            elif status == "withdrawn":
                acted_steps = 0
            elif status == "approved":
                acted_steps = len(chain)
            else:  # rejected or returned at the last step it reached
                acted_steps = rng.randrange(1, len(chain) + 1)
            end = decided or min(ctx.now, submitted + datetime.timedelta(days=3))
            step_ids = iter(ctx.ids(ApprovalRequestStep, len(chain)))
            actions.append(_action(pk, None, "submit", subject["requester_id"], submitted))
            current = None
            for order, (name, kind, role) in enumerate(chain, start=1):
                step_id = next(step_ids)
                approver = (
                    school.department_heads.get(subject.get("department_id") or 0)
                    if kind == "department_head"
                    else None
                ) or school.person(role or "director", rng)
                acted_at = submitted + (end - submitted) * order / (len(chain) + 1)
                if order <= acted_steps:
                    last = order == acted_steps and status in STEP_FOR
                    step_status = STEP_FOR[status] if last else "approved"
                elif order == acted_steps + 1 and status == "pending":
                    step_status, current = "pending", order
                else:
                    step_status = "waiting" if status == "pending" else "skipped"
                done = step_status in ("approved", "rejected", "returned")
                steps.append(
                    {
                        "id": step_id,
                        "request_id": pk,
                        "round": 1,
                        "order": order,
                        "name": name,
                        "approver_kind": kind,
                        "role_id": roles.get(role) if role else None,
                        "approver_id": approver,
                        "status": step_status,
                        "acted_by_id": approver if done else None,
                        "acted_at": acted_at if done else None,
                        "reason": ""
                        if step_status == "approved"
                        else ("不符合预算安排" if done else ""),
                    }
                )
                if done:
                    verb = {"approved": "approve", "rejected": "reject", "returned": "return"}[
                        step_status
                    ]
                    actions.append(_action(pk, step_id, verb, approver, acted_at))
            if status == "withdrawn":
                actions.append(_action(pk, None, "withdraw", subject["requester_id"], end))
            requests.append(
                {
                    "id": pk,
                    "created_at": submitted,
                    "updated_at": decided or submitted,
                    "school_id": school.id,
                    "request_type": request_type,
                    "content_type_id": content_type,
                    "object_id": subject["object_id"],
                    "title": subject["title"][:200],
                    "amount": amount,
                    "category": subject.get("category", ""),
                    "department_id": subject.get("department_id"),
                    "requester_id": subject["requester_id"],
                    "status": status,
                    "round": 1,
                    "current_order": current,
                    "submitted_at": submitted,
                    "decided_at": decided if status != "pending" else None,
                }
            )
        made += ctx.insert(ApprovalRequest, requests)
        ctx.insert(ApprovalRequestStep, steps)
        ctx.insert(ApprovalAction, actions)
    return made


def _action(
    request: int, step: int | None, verb: str, actor: int, at: datetime.datetime
) -> dict[str, Any]:
    return {
        "request_id": request,
        "step_id": step,
        "round": 1,
        "action": verb,
        "actor_id": actor,
        "reason": "",
        "created_at": at,
    }
