"""The register of one school while its history is written: cards, the ledger, documents.

Events are applied in the order of their days (``SchoolRun.run``), so every ledger row starts
from the card's state left by the one before, and the cards end where the ledger says. Rows
wait in ``SchoolRun.rows`` and are written when the school is done.
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from houqin.assets.choices import AssetStatus
from houqin.assets.models import AssetMovement
from houqin.core.models import StatusChange

from .base import Ctx, SchoolWorld

A = AssetStatus
DAY = datetime.timedelta(days=1)
#: Documents of the last weeks are still open in every state.
RECENT_DAYS = 21


@dataclass(slots=True)
class Card:
    """One asset card; ``room``/``custodian``/``department``/``status`` are its current state."""

    id: int
    code: str
    name: str
    category: int
    spec: str
    brand: str
    unit: str
    price: int  # unit price in cents
    quantity: int
    purchase: datetime.date
    registered: datetime.datetime
    room: int | None
    building: int | None
    department: int | None
    custodian: int | None
    depreciable: bool
    low_value: bool
    life: int | None  # months
    funding: str
    acquisition: str
    supplier: str
    movable: bool = True
    status: str = A.IN_USE
    last: datetime.date = datetime.date.min  # day of the latest event
    changed: datetime.datetime | None = None
    held: bool = False  # in an open document: nothing else touches it
    ended: datetime.date | None = None  # disposed of or lost on
    disposed: datetime.date | None = None

    @property
    def cents(self) -> int:
        return self.price * self.quantity


@dataclass
class SchoolRun:
    """The state of one school's register and the rows its history produced."""

    ctx: Ctx
    school: SchoolWorld
    rng: random.Random
    cards: list[Card] = field(default_factory=list)
    rows: dict[type[models.Model], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    approvals: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    photos: dict[type[models.Model], list[tuple[int, int, int, datetime.datetime]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    rooms_of_building: dict[int, list[int]] = field(default_factory=dict)
    building_of_room: dict[int, int] = field(default_factory=dict)
    department_of_room: dict[int, int] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # department -> user ids
    plans: list[tuple[datetime.date, int, Callable[[datetime.date], None]]] = field(
        default_factory=list
    )
    _registered_days: list[datetime.date] = field(default_factory=list)

    # -- the calendar -----------------------------------------------------------------------

    @property
    def today(self) -> datetime.date:
        return self.ctx.today

    def recent(self, day: datetime.date) -> bool:
        return (self.today - day).days < RECENT_DAYS

    def moment(self, day: datetime.date) -> datetime.datetime:
        return self.ctx.moment(day, self.rng)

    def later(
        self, at: datetime.datetime, low_hours: float, high_hours: float
    ) -> datetime.datetime:
        """A moment some hours after ``at`` (never after now)."""
        return min(
            at + datetime.timedelta(hours=self.rng.uniform(low_hours, high_hours)), self.ctx.now
        )

    def schedule(self, day: datetime.date, work: Callable[[datetime.date], None]) -> None:
        self.plans.append((day, len(self.plans), work))

    def spread(self, count: int, work: Callable[[datetime.date], None]) -> None:
        """``count`` events over the history, and a twentieth more in the last weeks (where
        documents are still open)."""
        ctx = self.ctx
        for _ in range(count):
            self.schedule(ctx.day(self.rng), work)
        recent = self.today - DAY * (RECENT_DAYS - 1)
        for _ in range(max(3, count // 20)):
            self.schedule(ctx.day(self.rng, recent), work)

    def run(self) -> None:
        """Apply every planned event in the order of its day."""
        self._registered_days = [c.registered.date() for c in self.cards]
        for day, _order, work in sorted(self.plans, key=lambda p: (p[0], p[1])):
            work(day)
        self.plans.clear()

    # -- people and places ------------------------------------------------------------------

    def person(self, role: str) -> int:
        return self.school.person(role, self.rng)

    def member_of(self, department: int | None) -> int:
        people = self.members.get(department or 0)
        if people:
            return self.rng.choice(people)
        return self.rng.choice(self.school.staff)[0]

    def other_room(self, room: int | None, same_building: bool = False) -> int:
        if same_building and room is not None:
            pool = self.rooms_of_building[self.building_of_room[room]]
        else:
            pool = [r for r, _b in self.school.rooms]
        for _ in range(10):
            choice = self.rng.choice(pool)
            if choice != room:
                return choice
        return self.rng.choice(pool)

    # -- choosing cards ---------------------------------------------------------------------

    def pick(
        self,
        day: datetime.date,
        statuses: Collection[str],
        *,
        bought_before: datetime.date | None = None,
        taken: Collection[int] = (),
        tries: int = 40,
    ) -> Card | None:
        """A card registered before ``day`` in one of ``statuses``, free and untouched since."""
        upper = bisect_left(self._registered_days, day)
        if upper <= 0:
            return None
        for _ in range(tries):
            card = self.cards[self.rng.randrange(upper)]
            if (
                card.movable
                and not card.held
                and card.status in statuses
                and card.last < day
                and card.id not in taken
                and (bought_before is None or card.purchase <= bought_before)
            ):
                return card
        return None

    def pick_many(
        self, day: datetime.date, statuses: Collection[str], count: int, **options: Any
    ) -> list[Card]:
        chosen: list[Card] = []
        taken: set[int] = set()
        for _ in range(count):
            card = self.pick(day, statuses, taken=taken, **options)
            if card is None:
                break
            chosen.append(card)
            taken.add(card.id)
        return chosen

    # -- the ledger -------------------------------------------------------------------------

    def move(
        self,
        card: Card,
        kind: str,
        at: datetime.datetime,
        actor: int | None,
        *,
        status: str | None = None,
        room: int | None = None,
        custodian: int | None = None,
        department: int | None = None,
        reference: str = "",
        url: str = "",
        note: str = "",
    ) -> None:
        """Change the card and write the ledger row of the change (as ``record_movement``)."""
        before = (card.room, card.custodian, card.department, card.status)
        if room is not None:
            card.room = room
            card.building = self.building_of_room[room]
        if custodian is not None:
            card.custodian = custodian
        if department is not None:
            card.department = department
        if status is not None:
            card.status = status
        card.last = max(card.last, at.date())
        card.changed = at
        self.rows[AssetMovement].append(
            {
                "school_id": self.school.id,
                "asset_id": card.id,
                "kind": kind,
                "at": at,
                "actor_id": actor,
                "from_room_id": before[0],
                "to_room_id": card.room,
                "from_custodian_id": before[1],
                "to_custodian_id": card.custodian,
                "from_department_id": before[2],
                "to_department_id": card.department,
                "from_status": before[3],
                "to_status": card.status,
                "reference": reference,
                "reference_url": url,
                "note": note[:500],
            }
        )

    def register(self, card: Card, kind: str, actor: int | None, note: str) -> None:
        """The first ledger row of a card (nothing before it)."""
        card.last = card.registered.date()
        card.changed = card.registered
        self.rows[AssetMovement].append(
            {
                "school_id": self.school.id,
                "asset_id": card.id,
                "kind": kind,
                "at": card.registered,
                "actor_id": actor,
                "from_room_id": None,
                "to_room_id": card.room,
                "from_custodian_id": None,
                "to_custodian_id": card.custodian,
                "from_department_id": None,
                "to_department_id": card.department,
                "from_status": "",
                "to_status": card.status,
                "reference": "",
                "reference_url": "",
                "note": note,
            }
        )

    def status_change(
        self,
        model: type[models.Model],
        pk: int,
        steps: list[tuple[str, str, int | None, datetime.datetime]],
        reason: str = "",
    ) -> None:
        """``StatusChange`` rows of a document: (from, to, actor, at) as ``transition`` writes."""
        content_type = content_type_of(model)
        for from_status, to_status, actor, at in steps:
            self.rows[StatusChange].append(
                {
                    "created_at": at,
                    "content_type_id": content_type,
                    "object_id": str(pk),
                    "school_id": self.school.id,
                    "field": "status",
                    "from_status": from_status,
                    "to_status": to_status,
                    "actor_id": actor,
                    "reason": reason if to_status in ("rejected", "returned", "cancelled") else "",
                }
            )

    def new_id(self, model: type[models.Model]) -> int:
        return self.ctx.ids(model, 1).start

    def add(self, model: type[models.Model], row: dict[str, Any]) -> None:
        self.rows[model].append(row)


#: The detail pages documents refer to in the ledger (``reverse`` would load every view of the
#: project for five strings; the test checks these against the URL configuration).
URLS = {
    "assets:transfer_detail": "/assets/transfers/{}/",
    "assets:loan_detail": "/assets/loans/{}/",
    "assets:disposal_detail": "/assets/disposals/{}/",
    "assets:damage_detail": "/assets/damage/{}/",
    "assets:stocktake_detail": "/assets/stocktakes/{}/",
}


def content_type_of(model: type[models.Model]) -> int:
    return ContentType.objects.get_for_model(model).pk  # cached by Django


def url_of(name: str, pk: int) -> str:
    """What ``reverse(name, args=[pk])`` gives."""
    return URLS[name].format(pk)


def outcome(roll: float, bands: tuple[tuple[float, str], ...], rest: str) -> str:
    """The state of the first band ``(upper limit, state)`` that ``roll`` falls under."""
    return next((state for limit, state in bands if roll < limit), rest)
