"""The district, its schools with their calendars, departments, buildings, rooms and people.

Every bench user's password is ``houqin-bench``. Usernames: ``s01-director``, ``s01-teacher7``,
… (``sNN`` is the school's place in the district), ``district`` and ``district2`` for the bureau.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password

from houqin.accounts.models import Membership, Role, User
from houqin.approvals.models import ApprovalChain, ApprovalChainStep
from houqin.org.models import Building, Campus, Department, District, Room, School, SchoolYear, Term

from .base import Ctx, SchoolWorld

PASSWORD = "houqin-bench"
KINDS = ("primary", "junior", "senior", "complete", "nine_year", "kindergarten")
DEPARTMENTS = (
    ("校长室", "leadership"),
    ("总务处", "logistics"),
    ("教务处", "academic"),
    ("德育处", "student"),
    ("财务室", "finance"),
    ("食堂", "canteen"),
    ("安全办", "safety"),
    ("卫生室", "health"),
    ("一年级组", "grade"),
    ("二年级组", "grade"),
    ("三年级组", "grade"),
    ("四年级组", "grade"),
    ("五年级组", "grade"),
    ("六年级组", "grade"),
)
# role code -> how many per school (the rest of the school's users are teachers)
STAFF_ROLES = {
    "principal": 1,
    "vp": 1,
    "director": 1,
    "storekeeper": 1,
    "purchaser": 2,
    "assetkeeper": 1,
    "accountant": 1,
    "safety": 1,
    "canteen": 1,
    "nurse": 1,
    "worker": 8,
}
BUILDING_USES = (
    "teaching",
    "teaching",
    "office",
    "laboratory",
    "dormitory",
    "canteen",
    "gymnasium",
    "library",
)
ROOM_USE = {
    "teaching": "classroom",
    "office": "office",
    "laboratory": "laboratory",
    "dormitory": "dormitory",
    "canteen": "canteen",
    "gymnasium": "functional",
    "library": "functional",
}
ROOMS_PER_FLOOR = 8
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许"
    "韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    "英华玉兰红梅建国志文斌海波宁晨欣怡子轩浩然雨涵思远佳琪"
)


def generate(ctx: Ctx) -> None:
    rng = ctx.rng("org")
    preset = ctx.preset
    # A second run adds another district after the first (the query-count tests compare two).
    offset = School.objects.count()
    round_ = District.objects.count()
    district = District.objects.create(
        name="基准区教育局" if not round_ else f"基准区教育局{round_ + 1}",
        code=f"BENCH{round_ or ''}",
    )
    ctx.district = district.pk
    roles = {role.code: role for role in Role.objects.all()}
    password = make_password(PASSWORD)
    # Bigger schools do more: sizes between 0.5 and 1.5, kindergartens half of that.
    sizes = []
    for index in range(preset.schools):
        kind = (
            KINDS[index % len(KINDS)] if preset.schools > 2 else ("junior", "kindergarten")[index]
        )
        size = (0.5 + rng.random()) * (0.5 if kind == "kindergarten" else 1.0)
        sizes.append((kind, size))
    total_size = sum(size for _kind, size in sizes)
    users_left = preset.users - 2
    user_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    user_ids = iter(ctx.ids(User, preset.users + 10))
    bureau = (
        ("district", "district2")
        if not round_
        else (f"district-{round_ + 1}", f"district2-{round_ + 1}")
    )
    for username, name in zip(bureau, ("区教育局后勤科", "区教育局计财科"), strict=True):
        pk = next(user_ids)
        user_rows.append(_user(pk, username, name, password, ctx, None))
        member_rows.append(
            {
                "user_id": pk,
                "district_id": district.pk,
                "role_id": roles["district"].pk,
                "is_active": True,
            }
        )
    for index, (kind, size) in enumerate(sizes, start=offset):
        share = size / total_size
        school = School.objects.create(
            district=district,
            name=f"基准第{index + 1}{'幼儿园' if kind == 'kindergarten' else '学校'}",
            short_name=f"基准{index + 1}",
            code=f"B{index + 1:04d}",
            kind=kind,
            students=int(1500 * size),
            staff=int(150 * size),
            classes=int(36 * size),
        )
        world = _school(ctx, school, index, share, rng)
        count = (
            max(len(STAFF_ROLES) + 20, round(preset.users * share))
            if index < offset + preset.schools - 1
            else users_left
        )
        count = min(count, max(users_left, 1))
        users_left -= count
        _people(ctx, world, count, roles, password, user_ids, user_rows, member_rows, rng)
        ctx.schools.append(world)
    ctx.insert(User, user_rows)
    ctx.insert(Membership, member_rows)
    for world in ctx.schools:
        for department, head in world.department_heads.items():
            Department.objects.filter(pk=department).update(head_id=head)
    _chains(ctx, roles)


def _user(
    pk: int, username: str, name: str, password: str, ctx: Ctx, school: int | None
) -> dict[str, Any]:
    return {
        "id": pk,
        "username": username,
        "password": password,
        "real_name": name,
        "is_active": True,
        "date_joined": ctx.now,
        "default_school_id": school,
    }


def _school(ctx: Ctx, school: School, index: int, share: float, rng: Any) -> SchoolWorld:
    years = []
    terms = []
    first = ctx.start.year
    for year in range(first, ctx.today.year + (1 if ctx.today.month >= 9 else 0)):
        sy = SchoolYear.objects.create(
            school=school,
            name=f"{year}-{year + 1}学年",
            start=datetime.date(year, 9, 1),
            end=datetime.date(year + 1, 8, 31),
        )
        years.append((sy.pk, sy.start, sy.end))
        for kind, start, end in (
            ("autumn", datetime.date(year, 9, 1), datetime.date(year + 1, 1, 20)),
            ("spring", datetime.date(year + 1, 2, 20), datetime.date(year + 1, 7, 10)),
        ):
            term = Term.objects.create(
                school=school, school_year=sy, kind=kind, start=start, end=end
            )
            terms.append((term.pk, sy.pk, kind, start, end))
    departments = Department.objects.bulk_create(
        Department(school=school, name=name, kind=kind, sort_order=n)
        for n, (name, kind) in enumerate(DEPARTMENTS)
    )
    campus = Campus.objects.create(school=school, name="主校区", is_main=True)
    building_count = (
        max(3, round(12 * share * ctx.preset.schools)) if ctx.preset.schools > 1 else 10
    )
    building_count = min(building_count, 16)
    buildings = Building.objects.bulk_create(
        Building(
            school=school,
            campus=campus,
            name=f"{n + 1}号楼",
            code=f"B{n + 1:02d}",
            use=BUILDING_USES[n % len(BUILDING_USES)],
            structure="rc",
            year_built=1990 + rng.randrange(30),
            floors_above=5,
        )
        for n in range(building_count)
    )
    room_rows = []
    room_ids = iter(ctx.ids(Room, len(buildings) * 5 * ROOMS_PER_FLOOR))
    rooms = []
    for building in buildings:
        for floor in range(1, 6):
            for n in range(1, ROOMS_PER_FLOOR + 1):
                pk = next(room_ids)
                room_rows.append(
                    {
                        "id": pk,
                        "school_id": school.pk,
                        "building_id": building.pk,
                        "floor": floor,
                        "number": f"{building.code}-{floor}{n:02d}",
                        "name": f"{building.name}{floor}{n:02d}室",
                        "use": ROOM_USE[building.use],
                        "is_active": True,
                        "capacity": 45,
                    }
                )
                rooms.append((pk, building.pk))
    ctx.insert(Room, room_rows)
    return SchoolWorld(
        id=school.pk,
        code=school.code,
        name=school.name,
        kind=school.kind,
        index=index,
        share=share,
        campus=campus.pk,
        buildings=[b.pk for b in buildings],
        rooms=rooms,
        departments=[d.pk for d in departments],
        department_heads={},
        people={},
        staff=[],
        years=years,
        terms=terms,
    )


def _people(
    ctx: Ctx,
    world: SchoolWorld,
    count: int,
    roles: dict[str, Role],
    password: str,
    user_ids: Any,
    user_rows: list[dict[str, Any]],
    member_rows: list[dict[str, Any]],
    rng: Any,
) -> None:
    prefix = f"s{world.index + 1:02d}"
    logistics = world.departments[1]
    plan: list[tuple[str, int]] = []
    for role, many in STAFF_ROLES.items():
        plan += [
            (role, logistics if role not in ("principal", "vp") else world.departments[0])
        ] * many
    for department in world.departments:
        plan.append(("depthead", department))
    while len(plan) < count:
        plan.append(("teacher", world.departments[2 + len(plan) % (len(world.departments) - 2)]))
    seen: dict[str, int] = {}
    for role, department in plan[:count]:
        seen[role] = seen.get(role, 0) + 1
        n = seen[role]
        username = f"{prefix}-{role}" if n == 1 else f"{prefix}-{role}{n}"
        pk = next(user_ids)
        name = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + ("" if rng.random() < 0.4 else rng.choice(GIVEN))
        )
        user_rows.append(_user(pk, username, name, password, ctx, world.id))
        member_rows.append(
            {
                "user_id": pk,
                "school_id": world.id,
                "role_id": roles[role].pk,
                "department_id": department,
                "is_active": True,
            }
        )
        world.people.setdefault(role, []).append(pk)
        world.staff.append((pk, department))
        if role == "depthead":
            world.department_heads[department] = pk


def _chains(ctx: Ctx, roles: dict[str, Role]) -> None:
    from houqin.demo.approvals import CHAINS

    for world in ctx.schools:
        for request_type, (name, steps) in CHAINS.items():
            chain = ApprovalChain.objects.create(
                school_id=world.id, request_type=request_type, name=name
            )
            ApprovalChainStep.objects.bulk_create(
                ApprovalChainStep(
                    chain=chain,
                    order=order,
                    name=step_name,
                    approver_kind=kind,
                    role=roles.get(role),
                    min_amount=minimum,
                )
                for order, (step_name, kind, role, minimum) in enumerate(steps, start=1)
            )
