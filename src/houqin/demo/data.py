"""The demo organisation as plain data: a district, a secondary school and a kindergarten.

Everything here is fixed; the only "random" choices (names and phone numbers of the extra
staff) come from ``random.Random(2026)`` so every run produces the same people.
"""

from __future__ import annotations

import datetime
import random

PASSWORD = "houqin-demo"

DISTRICT = {
    "code": "SFQ-JYJ",
    "name": "示范区教育局",
    "region": "示范省示范市示范区",
    "address": "示范市示范区人民路 1 号",
    "phone": "0512-66010000",
}

# key -> fields of School; the key is only used inside this package.
SCHOOLS: dict[str, dict[str, object]] = {
    "sfzx": {
        "code": "3101012026",
        "name": "示范中学",
        "short_name": "示范中学",
        "kind": "complete",
        "address": "示范市示范区育才路 88 号",
        "phone": "0512-66012026",
        "students": 1800,
        "staff": 160,
        "classes": 36,
        "land_area": 68000,
        "floor_area": 37900,
        "green_area": 23800,
    },
    "ygyey": {
        "code": "3101016018",
        "name": "阳光幼儿园",
        "short_name": "阳光幼儿园",
        "kind": "kindergarten",
        "address": "示范市示范区向阳街 16 号",
        "phone": "0512-66016018",
        "students": 295,
        "staff": 45,
        "classes": 10,
        "land_area": 6800,
        "floor_area": 4800,
        "green_area": 2200,
    },
}

CAMPUSES = {
    "sfzx": {"name": "主校区", "address": "示范市示范区育才路 88 号", "land_area": 68000},
    "ygyey": {"name": "本园", "address": "示范市示范区向阳街 16 号", "land_area": 6800},
}

# (name, kind, phone)
DEPARTMENTS = {
    "sfzx": [
        ("校长室", "leadership", "0512-66012001"),
        ("总务处", "logistics", "0512-66012002"),
        ("教务处", "academic", "0512-66012003"),
        ("政教处", "student", "0512-66012004"),
        ("财务室", "finance", "0512-66012005"),
        ("食堂", "canteen", "0512-66012006"),
        ("安全办", "safety", "0512-66012007"),
        ("高一年级组", "grade", "0512-66012011"),
        ("高二年级组", "grade", "0512-66012012"),
        ("高三年级组", "grade", "0512-66012013"),
    ],
    "ygyey": [
        ("园长室", "leadership", "0512-66016001"),
        ("后勤处", "logistics", "0512-66016002"),
        ("保教处", "academic", "0512-66016003"),
        ("保健室", "health", "0512-66016004"),
        ("食堂", "canteen", "0512-66016005"),
    ],
}

D = datetime.date

# (name, start, end, [(term kind, start, end)]); today (2026-11-24) is in the autumn of 2026.
SCHOOL_YEARS = [
    (
        "2025-2026学年",
        D(2025, 9, 1),
        D(2026, 8, 31),
        [("autumn", D(2025, 9, 1), D(2026, 1, 20)), ("spring", D(2026, 2, 23), D(2026, 7, 10))],
    ),
    (
        "2026-2027学年",
        D(2026, 9, 1),
        D(2027, 8, 31),
        [("autumn", D(2026, 9, 1), D(2027, 1, 22)), ("spring", D(2027, 2, 22), D(2027, 7, 9))],
    ),
]

# The personas: (username, real name, school key or None for the district, role code,
# department, job title). Every one logs in with PASSWORD.
PERSONAS = [
    ("principal", "周明华", "sfzx", "principal", "校长室", "校长"),
    ("vp", "陈志刚", "sfzx", "vp", "校长室", "副校长（分管后勤）"),
    ("director", "李国平", "sfzx", "director", "总务处", "总务主任"),
    ("depthead", "张慧敏", "sfzx", "depthead", "教务处", "教务主任"),
    ("teacher", "刘晓燕", "sfzx", "teacher", "高一年级组", "语文教师、高一(3)班班主任"),
    ("worker", "赵永强", "sfzx", "worker", "总务处", "水电维修工"),
    ("storekeeper", "孙丽萍", "sfzx", "storekeeper", "总务处", "仓库保管员"),
    ("purchaser", "吴振宇", "sfzx", "purchaser", "总务处", "采购员"),
    ("assetkeeper", "郑雪梅", "sfzx", "assetkeeper", "总务处", "资产管理员"),
    ("accountant", "黄静", "sfzx", "accountant", "财务室", "会计"),
    ("safety", "马卫东", "sfzx", "safety", "安全办", "安全干事"),
    ("canteen", "胡建军", "sfzx", "canteen", "食堂", "食堂管理员"),
    ("admin", "林浩", "sfzx", "admin", "教务处", "网络管理员"),
    ("kg-principal", "许文静", "ygyey", "principal", "园长室", "园长"),
    ("kg-director", "何秀英", "ygyey", "director", "后勤处", "后勤主任"),
    ("kg-teacher", "杨欣怡", "ygyey", "teacher", "保教处", "小一班主班教师"),
    ("kg-canteen", "朱德顺", "ygyey", "canteen", "食堂", "食堂管理员"),
    ("kg-nurse", "罗美玲", "ygyey", "nurse", "保健室", "保健医"),
    ("district", "郭志远", None, "district", None, "教育局后勤装备科科长"),
]

# department -> username of its head (set after the memberships exist).
DEPARTMENT_HEADS = {
    "sfzx": {
        "校长室": "principal",
        "总务处": "director",
        "教务处": "depthead",
        "政教处": "t0001",
        "财务室": "accountant",
        "食堂": "canteen",
        "安全办": "safety",
        "高一年级组": "t0002",
        "高二年级组": "t0003",
        "高三年级组": "t0004",
    },
    "ygyey": {
        "园长室": "kg-principal",
        "后勤处": "kg-director",
        "保教处": "k0001",
        "保健室": "kg-nurse",
        "食堂": "kg-canteen",
    },
}

_SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "政治", "历史", "地理", "体育"]
_GRADES = ["高一年级组", "高二年级组", "高三年级组"]

# (department, job title) of the ordinary staff of 示范中学, usernames t0001…
SFZX_STAFF_SLOTS = [
    ("政教处", "政教主任"),
    ("高一年级组", "年级组长、数学教师"),
    ("高二年级组", "年级组长、物理教师"),
    ("高三年级组", "年级组长、语文教师"),
    ("政教处", "德育干事"),
    ("教务处", "教务干事"),
    ("教务处", "实验员"),
    ("总务处", "电工"),
    ("总务处", "水暖工"),
    ("总务处", "门卫"),
    ("安全办", "保安队长"),
    ("财务室", "出纳"),
    ("食堂", "厨师长"),
    ("食堂", "厨师"),
    ("食堂", "面点师"),
] + [(_GRADES[i % 3], f"{_SUBJECTS[i % len(_SUBJECTS)]}教师") for i in range(25)]

_KG_CLASSES = [
    "小二班",
    "小三班",
    "小四班",
    "中一班",
    "中二班",
    "中三班",
    "大一班",
    "大二班",
    "大三班",
]

# (department, job title) of the ordinary staff of 阳光幼儿园, usernames k0001…
YGYEY_STAFF_SLOTS = [
    ("保教处", "保教主任"),
    *[("保教处", f"{name}主班教师") for name in _KG_CLASSES],
    ("保教处", "保育员"),
    ("保教处", "保育员"),
    ("食堂", "厨师"),
    ("后勤处", "门卫"),
    ("园长室", "办公室文员"),
]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
)
_MALE_GIVEN = [
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "斌", "鑫", "建华",
    "志强", "国庆", "晓东", "文博", "俊杰", "浩然", "宏伟", "建平", "卫国", "德明", "少华",
    "海峰", "立新", "振华", "永刚", "子轩",
]  # fmt: skip
_FEMALE_GIVEN = [
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "萍", "琳", "颖", "蕾", "秀英", "秀兰",
    "桂英", "思雨", "雅琴", "海燕", "春梅", "红梅", "丽娟", "玉兰", "晨曦", "雨桐", "佳怡",
    "梦琪", "婷婷", "凤英", "慧芳", "晓丽", "秋菊", "文静",
]  # fmt: skip
_PHONE_PREFIXES = ["130", "133", "135", "136", "138", "139", "150", "151", "152", "158", "159"]
_PHONE_PREFIXES += ["180", "181", "186", "187", "188", "189"]


def _people() -> tuple[list[tuple[str, str, str, str]], dict[str, str]]:
    """The extra staff as (username, real name, department, title) and everybody's phone."""
    rng = random.Random(2026)  # noqa: S311 - a fixed seed for repeatable demo data, not secrets
    used_names = {p[1] for p in PERSONAS}

    def name(female_share: float) -> str:
        while True:
            given = _FEMALE_GIVEN if rng.random() < female_share else _MALE_GIVEN
            candidate = rng.choice(_SURNAMES) + rng.choice(given)
            if candidate not in used_names:
                used_names.add(candidate)
                return candidate

    staff: dict[str, list[tuple[str, str, str, str]]] = {"sfzx": [], "ygyey": []}
    for number, (department, title) in enumerate(SFZX_STAFF_SLOTS, start=1):
        staff["sfzx"].append((f"t{number:04d}", name(0.55), department, title))
    for number, (department, title) in enumerate(YGYEY_STAFF_SLOTS, start=1):
        staff["ygyey"].append((f"k{number:04d}", name(0.9), department, title))
    extra = staff["sfzx"] + staff["ygyey"]

    phones: dict[str, str] = {}
    for username in [p[0] for p in PERSONAS] + [s[0] for s in extra]:
        while True:
            phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in phones.values():
                phones[username] = phone
                break
    return extra, phones


EXTRA_STAFF, PHONES = _people()
EXTRA_STAFF_SCHOOL = {
    username: ("sfzx" if username[0] == "t" else "ygyey") for username, *_ in EXTRA_STAFF
}
STAFF_NO_PREFIX = {"sfzx": "SF", "ygyey": "YG", None: "JYJ"}
