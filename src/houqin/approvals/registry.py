"""How business apps plug into approvals, without ever writing approval tables.

A request type is registered once with a label; a business app binds an adapter that says
what is being approved (title, amount, department, category) and what happens when the
request is approved, rejected, returned for revision or withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Hook = Callable[[Any, Any, Any], None]  # (subject, approval request, actor)


def _nothing(subject: Any, request: Any, actor: Any) -> None:
    return None


@dataclass
class RequestType:
    code: str
    label: str | Promise
    title: Callable[[Any], str] = str
    amount: Callable[[Any], Decimal | None] = lambda obj: None
    department: Callable[[Any], Any] = lambda obj: getattr(obj, "department", None)
    category: Callable[[Any], str] = lambda obj: ""
    requester: Callable[[Any], Any] = lambda obj: getattr(obj, "requester", None)
    on_approved: Hook = _nothing
    on_rejected: Hook = _nothing
    on_returned: Hook = _nothing
    on_withdrawn: Hook = _nothing
    on_submitted: Hook = _nothing
    categories: list[tuple[str, str | Promise]] = field(default_factory=list)


_TYPES: dict[str, RequestType] = {}


def register(request_type: RequestType) -> RequestType:
    """Register (or replace, when a business app binds its adapter) a request type."""
    _TYPES[request_type.code] = request_type
    return request_type


def get(code: str) -> RequestType:
    return _TYPES[code]


def choices() -> list[tuple[str, str]]:
    return [(t.code, str(t.label)) for t in _TYPES.values()]


# The request types a school configures chains for; business apps bind their adapters.
for _code, _label in (
    ("purchase_request", _("Purchase request")),
    ("requisition", _("Requisition")),
    ("print_job", _("Print job")),
    ("asset_transfer", _("Asset transfer")),
    ("asset_disposal", _("Asset disposal")),
    ("compensation_waiver", _("Compensation waiver")),
    ("expense", _("Expense claim")),
    ("project", _("Project")),
    ("budget_adjustment", _("Budget adjustment")),
    ("stock_count", _("Stock count adjustment")),
):
    register(RequestType(_code, _label))
