"""The worker's phone view (我的工单): my orders by building and urgency, one tap per step."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from houqin.core.scoping import school_ids
from houqin.core.views import ScopedViewMixin

from ..choices import DONE_STATUSES, HoldReason, OrderStatus, Urgency
from ..models import MaintenanceTeam, WorkOrder

S = OrderStatus
WORK = "maintenance.work_workorder"
#: How far back the “done” tab looks.
RECENT_DAYS = 14


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    icon: str
    condition: Q


TABS = (
    Tab(
        "todo",
        gettext_lazy("To accept"),
        "inbox",
        Q(status=S.ASSIGNED, accepted_at__isnull=True),
    ),
    Tab(
        "doing",
        pgettext_lazy("worker tab", "In progress"),
        "hammer",
        Q(status=S.IN_PROGRESS) | Q(status=S.ASSIGNED, accepted_at__isnull=False),
    ),
    Tab("hold", pgettext_lazy("worker tab", "On hold"), "pause-circle", Q(status=S.ON_HOLD)),
    Tab(
        "done",
        pgettext_lazy("worker tab", "Done"),
        "check2-circle",
        Q(status__in=DONE_STATUSES),
    ),
)
TAB_BY_KEY = {tab.key: tab for tab in TABS}

URGENCY_RANK = Case(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.NORMAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def mine(user: Any) -> Q:
    """Orders dispatched to ``user``, or to a team they lead or belong to."""
    teams = MaintenanceTeam.objects.filter(Q(leader=user) | Q(members=user)).values("pk")
    return Q(assignee=user) | Q(team__in=teams)


def my_orders(user: Any) -> QuerySet[WorkOrder]:
    """The user's orders in the schools where they work on orders."""
    found: QuerySet[WorkOrder] = WorkOrder.objects.filter(
        school_id__in=school_ids(user, WORK)
    ).filter(mine(user))
    return found


def todo_count(user: Any) -> int:
    """The menu badge: orders waiting for the user to accept them (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return my_orders(user).filter(TAB_BY_KEY["todo"].condition).count()


def span(seconds: float) -> str:
    """A duration the way a worker reads it: “2 d 3 h”, “3 h 15 min”, “12 min”."""
    minutes = int(abs(seconds)) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}
    return _("%(m)d min") % {"m": mins}


def clock(order: WorkOrder, now: datetime.datetime) -> dict[str, Any]:
    """What the card's clock shows: which target, the time left or overdue."""
    if order.status in DONE_STATUSES:
        on_time = order.resolved_on_time
        return {
            "label": _("Finished"),
            "at": order.finished_at,
            "text": _("on time") if on_time else _("late") if on_time is False else "",
            "overdue": on_time is False,
            "paused": False,
        }
    if order.status == S.ON_HOLD:
        return {
            "label": _("On hold since"),
            "at": order.held_at,
            "text": order.get_hold_reason_display(),
            "overdue": False,
            "paused": True,
        }
    if order.accepted_at is None:
        label, due = _("Accept by"), order.respond_due
    else:
        label, due = _("Repair by"), order.resolve_due
    left = (due - now).total_seconds()
    if left < 0:
        text = _("%(span)s overdue") % {"span": span(left)}
    else:
        text = _("%(span)s left") % {"span": span(left)}
    return {"label": label, "at": due, "text": text, "overdue": left < 0, "paused": False}


def buttons(order: WorkOrder) -> list[dict[str, Any]]:
    """The one-tap POST buttons of a card (holding asks why; finishing is a page)."""
    if order.status == S.ASSIGNED and order.accepted_at is None:
        return [{"action": "accept", "label": _("Accept"), "icon": "hand-thumbs-up"}]
    if order.status == S.ASSIGNED:
        return [{"action": "start", "label": _("Start"), "icon": "play-fill"}]
    if order.status == S.ON_HOLD:
        return [{"action": "start", "label": _("Resume"), "icon": "play-fill"}]
    return []


def group_by_building(cards: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Consecutive cards of one building (the query sorts by building first)."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for card in cards:
        if not groups or groups[-1][0] != card["building"]:
            groups.append((card["building"], []))
        groups[-1][1].append(card)
    return groups


class MyOrdersView(ScopedViewMixin, View):
    """我的工单: tabs to accept / in progress / on hold / done, cards grouped by building."""

    model = WorkOrder
    permission_required = WORK
    page_size = 40

    def orders(self, tab: Tab) -> QuerySet[WorkOrder]:
        base: QuerySet[WorkOrder] = self.narrow_to_active_school(my_orders(self.request.user))
        found = base.filter(tab.condition).select_related(
            "room__building", "building", "category", "requester", "team"
        )
        if tab.key == "done":
            since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
            return found.filter(finished_at__gte=since).order_by("-finished_at", "-pk")
        due = "respond_due" if tab.key == "todo" else "resolve_due"
        return found.annotate(rank=URGENCY_RANK).order_by(
            "building__name", "building_id", "rank", due, "pk"
        )

    def counts(self) -> dict[str, int]:
        base = self.narrow_to_active_school(my_orders(self.request.user))
        since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
        aggregates = {
            tab.key: Count(
                "pk",
                filter=tab.condition & Q(finished_at__gte=since)
                if tab.key == "done"
                else tab.condition,
            )
            for tab in TABS
        }
        return base.aggregate(**aggregates)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        tab = TAB_BY_KEY.get(request.GET.get("tab", ""), TABS[0])
        page = Paginator(self.orders(tab), self.page_size).get_page(request.GET.get("page"))
        now = timezone.now()
        here = f"{reverse('maintenance:my_orders')}?tab={tab.key}"
        counts = self.counts()
        cards = [
            {
                "order": order,
                "clock": clock(order, now),
                "buttons": buttons(order),
                "phone": order.contact_phone or getattr(order.requester, "phone", "") or "",
                "building": order.building.name if order.building is not None else "",
            }
            for order in page.object_list
        ]
        title = _("My work orders")
        context = {
            "title": title,
            "tabs": [{"tab": t, "count": counts[t.key], "active": t is tab} for t in TABS],
            "tab": tab,
            "page": page,
            "cards": cards,
            "groups": group_by_building(cards) if tab.key != "done" else [(None, cards)],
            "next": here,
            "base_params": f"tab={tab.key}",
            "hold_reasons": HoldReason.choices,
            "grouped": tab.key != "done",
            "recent_days": RECENT_DAYS,
            "breadcrumbs": [(title, None)],
        }
        return TemplateResponse(request, "maintenance/worker_orders.html", context)
