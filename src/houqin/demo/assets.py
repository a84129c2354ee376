"""Demo asset registers: every room of the demo schools furnished over ten years.

The cards are written in bulk (thousands of them, and the browser tests load the demo for
each test), with the same derived values the register service computes (``prepare``), one
"registered" movement each and the document sequences moved past the codes used. A school
that already has assets is left alone, so loading the demo twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal
from typing import Any

from houqin.accounts.models import Membership, User
from houqin.assets.choices import Acquisition, AssetStatus, FundingSource, MovementKind
from houqin.assets.models import Asset, AssetCategory, AssetMovement, AssetSettings
from houqin.assets.services.register import prepare
from houqin.core.models import DocumentSequence
from houqin.org.models import Building, Department, Room, School

from . import (
    assets_damage,
    assets_depreciation,
    assets_disposal,
    assets_movements,
    assets_stocktakes,
)
from .assets_catalogue import items_for

AREAS = (
    assets_depreciation,
    assets_movements,
    assets_damage,
    assets_disposal,
    assets_stocktakes,
)
TODAY = datetime.date(2026, 11, 1)
FIRST = datetime.date(2016, 9, 1)
BATCH = 500

# Which department uses a room, by room use (grade groups share the teaching buildings).
DEPARTMENT_BY_USE = {
    "dormitory": ("政教处", "保教处"),
    "laboratory": ("教务处",),
    "functional": ("教务处", "保教处"),
    "canteen": ("食堂",),
    "kitchen": ("食堂",),
    "storeroom": ("总务处", "后勤处"),
    "meeting": ("校长室", "园长室"),
    "equipment": ("总务处", "后勤处"),
    "outdoor": ("总务处", "后勤处"),
    "toilet": ("总务处", "后勤处"),
    "activity": ("政教处", "保教处"),
}


def load(schools: list[School]) -> int:
    """Furnish every demo school without assets; returns how many cards were created."""
    created = 0
    for school in schools:
        if not Asset.objects.filter(school=school).exists():
            created += _furnish(school)
        for area in AREAS:
            area.load(school)
    return created


def _furnish(school: School) -> int:
    rng = random.Random(f"houqin-demo-assets-{school.code}")  # noqa: S311 - demo data
    kindergarten = school.kind == "kindergarten"
    policy = AssetSettings.for_school(school.pk)
    categories = {c.name: c for c in AssetCategory.objects.select_related("parent__parent")}
    departments = {d.name: d for d in Department.objects.filter(school=school)}
    grade_groups = [d for d in departments.values() if d.kind == "grade"] or list(
        departments.values()
    )
    staff = list(
        User.objects.filter(
            pk__in=Membership.objects.filter(school=school, is_active=True).values("user")
        ).order_by("username")
    )
    keeper = next((u for u in staff if u.username in ("assetkeeper", "kg-director")), None)
    cards: list[Asset] = []
    rooms = Room.objects.filter(school=school).select_related("building").order_by("pk")
    for room in rooms:
        department = _department(room, departments, grade_groups)
        custodian = department.head if department.head_id else rng.choice(staff)
        for category_name, name, specs, brands, unit, (low, high), count, quantity in items_for(
            room.use, room.name, kindergarten
        ):
            bought = _date(rng)
            for _n in range(count):
                cards.append(
                    _card(
                        school,
                        categories[category_name],
                        name,
                        rng.choice(specs),
                        rng.choice(brands),
                        unit,
                        Decimal(rng.randrange(low, high + 1, 10)),
                        quantity,
                        bought,
                        room,
                        department,
                        custodian,
                        rng,
                    )
                )
    cards.extend(_buildings(school, categories, departments))
    cards.sort(key=lambda card: (card.purchase_date, card.name))
    numbers: Counter[int] = Counter()
    for card in cards:
        prepare(card, policy)
        year = card.purchase_date.year
        numbers[year] += 1
        card.code = f"ZC-{year}-{numbers[year]:06d}"
    Asset.objects.bulk_create(cards, batch_size=BATCH)
    for year, last in numbers.items():
        DocumentSequence.objects.update_or_create(
            school=school, prefix="ZC", year=year, defaults={"last_number": last}
        )
    saved = Asset.objects.filter(school=school).values_list("pk", "purchase_date", "room_id")
    AssetMovement.objects.bulk_create(
        [
            AssetMovement(
                school=school,
                asset_id=pk,
                kind=MovementKind.REGISTERED,
                at=datetime.datetime.combine(bought, datetime.time(10), datetime.UTC),
                actor=keeper,
                to_room_id=room_id,
                to_status=AssetStatus.IN_USE,
                note="期初建账",
            )
            for pk, bought, room_id in saved
        ],
        batch_size=BATCH,
    )
    return len(cards)


def _department(room: Room, departments: dict[str, Department], grades: list[Department]) -> Any:
    if room.use in ("classroom", "office") or room.use not in DEPARTMENT_BY_USE:
        if room.use == "office":
            return departments.get("总务处") or departments.get("后勤处") or grades[0]
        return grades[room.pk % len(grades)]
    for name in DEPARTMENT_BY_USE[room.use]:
        if name in departments:
            return departments[name]
    return grades[0]


def _date(rng: random.Random) -> datetime.date:
    return FIRST + datetime.timedelta(days=rng.randrange((TODAY - FIRST).days))


def _card(
    school: School,
    category: AssetCategory,
    name: str,
    spec: str,
    brand: str,
    unit: str,
    price: Decimal,
    quantity: int,
    bought: datetime.date,
    room: Room,
    department: Department,
    custodian: User,
    rng: random.Random,
) -> Asset:
    roll = rng.random()
    status = AssetStatus.IN_USE
    if roll < 0.03:
        status = AssetStatus.IDLE
    elif roll < 0.04:
        status = AssetStatus.UNDER_REPAIR
    return Asset(
        school=school,
        name=name,
        category=category,
        specification=spec,
        brand=brand,
        serial_number=f"{brand[:1]}{rng.randrange(10**9, 10**10)}" if quantity == 1 else "",
        unit=unit,
        unit_price=price,
        quantity=quantity,
        purchase_date=bought,
        supplier_name=rng.choice(("示范市教育装备有限公司", "苏州育才科教设备公司", "京东企业购")),
        funding_source=FundingSource.FISCAL if rng.random() < 0.85 else FundingSource.SELF,
        acquisition=Acquisition.PURCHASE,
        room=room,
        custodian=custodian,
        department=department,
        status=status,
        warranty_end=bought + datetime.timedelta(days=365 * 3) if price >= 1000 else None,
    )


def _buildings(
    school: School, categories: dict[str, AssetCategory], departments: dict[str, Department]
) -> list[Asset]:
    """The buildings themselves, valued by floor area."""
    category = categories["钢结构、钢筋混凝土结构房屋"]
    logistics = departments.get("总务处") or departments.get("后勤处")
    cards = []
    for building in Building.objects.filter(school=school).order_by("pk"):
        if not building.floor_area or not building.year_built:
            continue
        built = datetime.date(max(building.year_built, 1990), 9, 1)
        cards.append(
            Asset(
                school=school,
                name=building.name,
                category=category,
                specification=f"{building.floors_above} 层 {building.floor_area} m²",
                unit="栋",
                unit_price=(Decimal(building.floor_area) * 3200).quantize(Decimal("1")),
                quantity=1,
                purchase_date=built,
                funding_source=FundingSource.FISCAL,
                acquisition=Acquisition.SELF_BUILT,
                department=logistics,
                status=AssetStatus.IN_USE,
            )
        )
    return cards
