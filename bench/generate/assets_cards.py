"""The asset cards of a school: what each room holds (the demo's catalogue), bought over twenty
years (most in the last ten), numbered ZC-YYYY-NNNNNN in the order they were registered, and
written with the values ``register.prepare`` derives (original value, low-value flag, life,
depreciation through the last closed month — or through the month before they left)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from houqin.assets.choices import Acquisition, AssetStatus, FundingSource, MovementKind
from houqin.assets.models import Asset, AssetCategory, period_of
from houqin.assets.services.depreciation_math import accumulated_cents, months_elapsed
from houqin.core.codes import ALPHABET
from houqin.demo import assets_catalogue as catalogue
from houqin.org.models import Building, Room

from .assets_state import DAY, Card, SchoolRun

#: 事业单位财务规则: below this unit price (in cents) a card is a low-value item.
THRESHOLD_CENTS = 100_000
BUILDING_CATEGORY = "钢结构、钢筋混凝土结构房屋"
SUPPLIERS = (
    "基准市教育装备有限公司",
    "苏州育才科教设备公司",
    "京东企业购",
    "政府采购电子卖场",
    "华东办公家具有限公司",
    "海康威视授权经销商",
)
# Which of the school's departments (by their place in ``SchoolWorld.departments``) uses a
# room of a building of this use.
DEPARTMENT_BY_USE = {"laboratory": 2, "dormitory": 3, "canteen": 5, "gymnasium": 2, "library": 2}
Item = catalogue.Item


class Categories:
    """The seeded GB/T 14885 tree, resolved once: name -> (id, depreciated?, life in months)."""

    def __init__(self) -> None:
        self.by_name: dict[str, tuple[int, bool, int | None]] = {}
        for category in AssetCategory.objects.select_related("parent__parent").order_by("pk"):
            depreciable, life = category.resolved()
            self.by_name.setdefault(
                category.name, (category.pk, depreciable, life * 12 if life else None)
            )
        self.ids = [value[0] for value in self.by_name.values()]


def room_contents(use: str, building_use: str, place: int, kindergarten: bool) -> list[Item]:
    """What a room holds, by its use and the building's; ``place`` varies special rooms."""
    c = catalogue
    if building_use == "teaching":
        return c.KG_CLASSROOM if kindergarten else c.CLASSROOM
    if building_use == "office":
        special = {1: c.MEETING, 2: c.SECURITY, 3: c.STOREROOM, 4: c.HEALTH}
        return special.get(place, c.OFFICE)
    if building_use == "laboratory":
        return (c.LABORATORY, c.COMPUTER_ROOM, c.MUSIC, c.ART)[place % 4]
    if building_use == "dormitory":
        return c.KG_DORMITORY if kindergarten else c.DORMITORY
    if building_use == "canteen":
        return (c.CANTEEN, c.KITCHEN)[place % 2]
    if building_use == "gymnasium":
        return (c.SPORTS, c.KG_OUTDOOR if kindergarten else c.OUTDOOR)[place % 2]
    if building_use == "library":
        return c.LIBRARY
    return c.items_for(use, "", kindergarten) or c.OFFICE


def load_places(run: SchoolRun) -> list[tuple[int, list[Item]]]:
    """Rooms with their contents; fills the run's room, building and department maps."""
    school = run.school
    kindergarten = school.kind == "kindergarten"
    departments = school.departments
    grades = departments[8:] or departments
    for user, department in school.staff:
        run.members.setdefault(department, []).append(user)
    places = []
    rooms = Room.objects.filter(school_id=school.id).order_by("pk")
    for index, (pk, use, building, building_use, floor) in enumerate(
        rooms.values_list("pk", "use", "building_id", "building__use", "floor")
    ):
        run.building_of_room[pk] = building
        run.rooms_of_building.setdefault(building, []).append(pk)
        place = index % 8
        if building_use == "teaching":
            department = grades[(floor + place) % len(grades)]
        elif building_use == "office":
            department = departments[place % 8]
        else:
            department = departments[DEPARTMENT_BY_USE.get(building_use, 1)]
        run.department_of_room[pk] = department
        places.append((pk, room_contents(use, building_use, place, kindergarten)))
    return places


def purchase_day(run: SchoolRun) -> datetime.date:
    """Over twenty years, seven cards in ten from the last ten."""
    rng = run.rng
    days = rng.randrange(0, 3650) if rng.random() < 0.7 else rng.randrange(3650, 7300)
    return run.today - datetime.timedelta(days=days)


def registration(run: SchoolRun, bought: datetime.date) -> tuple[datetime.datetime, str]:
    """When the card was put on the register: with the purchase, or at the system's start."""
    ctx = run.ctx
    if bought < ctx.start:
        day = ctx.day(run.rng, ctx.start, ctx.start + datetime.timedelta(days=20))
        return run.moment(day), MovementKind.IMPORTED
    day = min(bought + DAY * run.rng.randrange(0, 6), run.today)
    return run.moment(day), MovementKind.REGISTERED


def make_cards(run: SchoolRun, count: int, categories: Categories) -> None:
    """``count`` cards of the school in the order of registration, numbered and keyed."""
    rng = run.rng
    places = load_places(run)
    weighted = [(room, [item for item in items for _ in range(item[6])]) for room, items in places]
    drafts: list[dict[str, Any]] = []
    if count >= 100:
        drafts += building_drafts(run, categories)
    while len(drafts) < count:
        room, items = rng.choice(weighted)
        if not items:
            continue
        drafts.append(item_draft(run, room, rng.choice(items), categories))
    drafts.sort(key=lambda d: d["registered"])
    ids = run.ctx.ids(Asset, len(drafts))
    for pk, draft in zip(ids, drafts, strict=True):
        imported = draft["kind"] == MovementKind.IMPORTED
        day = draft["purchase"] if imported else draft["registered"].date()
        code = run.ctx.number(run.school.id, "ZC", day)
        kind, note = draft.pop("kind"), draft.pop("note")
        card = Card(id=pk, code=code, **draft)
        run.cards.append(card)
        run.register(card, kind, run.person("assetkeeper"), note)


def item_draft(run: SchoolRun, room: int, item: Item, categories: Categories) -> dict[str, Any]:
    rng = run.rng
    category_name, name, specs, brands, unit, (low, high), _cards, quantity = item
    category, depreciable, life = categories.by_name[category_name]
    price = rng.randrange(low, high + 1, 10) * 100
    low_value = price < THRESHOLD_CENTS
    bought = purchase_day(run)
    registered, kind = registration(run, bought)
    department = run.department_of_room[room]
    return {
        "name": name,
        "category": category,
        "spec": rng.choice(specs),
        "brand": rng.choice(brands),
        "unit": unit,
        "price": price,
        "quantity": quantity,
        "purchase": bought,
        "registered": registered,
        "room": room,
        "building": run.building_of_room[room],
        "department": department,
        "custodian": run.school.department_heads.get(department) or run.member_of(department),
        "depreciable": depreciable and not low_value,
        "low_value": low_value,
        "life": life if depreciable and not low_value else None,
        "funding": FundingSource.FISCAL if rng.random() < 0.85 else FundingSource.SELF,
        "acquisition": Acquisition.DONATION if rng.random() < 0.02 else Acquisition.PURCHASE,
        "supplier": rng.choice(SUPPLIERS),
        "kind": kind,
        "note": "期初建账导入" if kind == MovementKind.IMPORTED else "",
    }


def building_drafts(run: SchoolRun, categories: Categories) -> list[dict[str, Any]]:
    """The buildings themselves, valued by floor area (no room; the logistics office keeps them)."""
    rng = run.rng
    category, _depreciable, life = categories.by_name[BUILDING_CATEGORY]
    logistics = run.school.departments[1]
    drafts = []
    for name, built, floors in Building.objects.filter(school_id=run.school.id).values_list(
        "name", "year_built", "floors_above"
    ):
        bought = datetime.date(min(max(built or 2000, 1990), run.today.year - 1), 9, 1)
        area = floors * rng.randrange(600, 1500)
        registered, kind = registration(run, bought)
        drafts.append(
            {
                "name": name,
                "category": category,
                "spec": f"{floors} 层 {area} m²",
                "brand": "",
                "unit": "栋",
                "price": area * 3200 * 100,
                "quantity": 1,
                "purchase": bought,
                "registered": registered,
                "room": None,
                "building": None,
                "department": logistics,
                "custodian": run.school.department_heads.get(logistics),
                "depreciable": True,
                "low_value": False,
                "life": life,
                "funding": FundingSource.FISCAL,
                "acquisition": Acquisition.SELF_BUILT,
                "supplier": "",
                "movable": False,
                "kind": kind,
                "note": "期初建账导入" if kind == MovementKind.IMPORTED else "",
            }
        )
    return drafts


def accumulated_at(card: Card, through: int) -> int:
    """Depreciation of the card in cents by the end of month ``through``."""
    if not card.depreciable or card.life is None:
        return 0
    return accumulated_cents(
        card.cents, card.life, months_elapsed(period_of(card.purchase), through)
    )


def through_period(card: Card, today: datetime.date) -> int:
    """The last month posted on the card: the last closed one, or the one before it left."""
    return period_of(card.ended or today) - 1


def public_code(pk: int, rng: random.Random) -> str:
    """Twelve characters of the label alphabet: seven random ones, then the key in base 30
    (so codes are unique without asking the database)."""
    base = len(ALPHABET)
    chars = []
    for value, places in ((rng.getrandbits(40), 7), (pk, 5)):
        for _ in range(places):
            value, digit = divmod(value, base)
            chars.append(ALPHABET[digit])
    return "".join(chars)


def asset_rows(run: SchoolRun) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{run.ctx.preset.seed}:asset-codes:{run.school.index}")
    today = run.today
    for card in run.cards:
        through = through_period(card, today)
        original = yuan(card.cents)
        serial = (
            f"{card.brand[:1] or 'X'}{rng.randrange(10**9, 10**10)}" if card.quantity == 1 else ""
        )
        warranty = (
            card.purchase + datetime.timedelta(days=365 * 3)
            if card.price >= THRESHOLD_CENTS
            else None
        )
        yield {
            "id": card.id,
            "created_at": card.registered,
            "updated_at": card.changed or card.registered,
            "school_id": run.school.id,
            "code": card.code,
            "public_code": public_code(card.id, rng),
            "name": card.name,
            "category_id": card.category,
            "specification": card.spec,
            "brand": card.brand,
            "serial_number": serial if card.movable else "",
            "unit": card.unit,
            "unit_price": yuan(card.price),
            "quantity": card.quantity,
            "original_value": original,
            "purchase_date": card.purchase,
            "supplier_name": card.supplier,
            "funding_source": card.funding,
            "acquisition": card.acquisition,
            "room_id": card.room,
            "custodian_id": card.custodian,
            "department_id": card.department,
            "status": card.status,
            "warranty_end": warranty if card.movable else None,
            "notes": "",
            "is_low_value": card.low_value,
            "depreciable": card.depreciable,
            "life_months": card.life,
            "start_period": period_of(card.purchase) if card.depreciable else None,
            "accumulated_depreciation": yuan(accumulated_at(card, through)),
            "depreciated_through": through if card.depreciable else None,
            "disposed_at": card.disposed,
        }


def yuan(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def net_cents(card: Card, day: datetime.date) -> int:
    """Net value of the card on ``day`` (depreciation posted through the month before)."""
    return card.cents - accumulated_at(card, period_of(day) - 1)


INACTIVE = (AssetStatus.DISPOSED, AssetStatus.LOST)
