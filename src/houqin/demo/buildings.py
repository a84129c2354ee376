"""The demo buildings and rooms of 示范中学 and 阳光幼儿园, as plain data.

A room is ``(floor, number, name, use, capacity, area in m²)``; floor 0 is outdoors.
"""

from __future__ import annotations

import datetime

Room = tuple[int, str, str, str, int | None, float | None]
D = datetime.date


def _classes(prefix: str, floor: int, grade: str) -> list[Room]:
    """Six classrooms, the grade office and a toilet on one floor of a teaching building."""
    rooms: list[Room] = [
        (floor, f"{prefix}{floor}{n:02d}", f"{grade}({n})班", "classroom", 50, 72.0)
        for n in range(1, 7)
    ]
    rooms.append((floor, f"{prefix}{floor}07", f"{grade}教师办公室", "office", 12, 54.0))
    rooms.append((floor, f"{prefix}{floor}08", "卫生间", "toilet", None, 36.0))
    return rooms


def _floor(prefix: str, floor: int, rooms: list[tuple[str, str, int | None, float]]) -> list[Room]:
    """Rooms numbered 01, 02… on one floor, from ``(name, use, capacity, area)``."""
    return [
        (floor, f"{prefix}{floor}{n:02d}", name, use, capacity, area)
        for n, (name, use, capacity, area) in enumerate(rooms, start=1)
    ]


def _dormitory(prefix: str, label: str) -> list[Room]:
    """Six floors of five eight-bed rooms and a washroom; the warden's room downstairs."""
    rooms: list[Room] = [(1, f"{prefix}100", "宿管值班室", "office", 2, 18.0)]
    for floor in range(1, 7):
        for n in range(1, 6):
            number = f"{floor}{n:02d}"
            rooms.append((floor, f"{prefix}{number}", f"{label} {number}", "dormitory", 8, 30.0))
        rooms.append((floor, f"{prefix}{floor}06", "盥洗室", "toilet", None, 42.0))
    return rooms


def _building(
    name: str,
    code: str,
    use: str,
    structure: str,
    year_built: int,
    floors: int,
    floor_area: float,
    grade: str,
    appraised: datetime.date | None,
    rooms: list[Room],
    notes: str = "",
    seismic_class: str = "B",
) -> dict[str, object]:
    return {
        "name": name,
        "code": code,
        "use": use,
        "structure": structure,
        "year_built": year_built,
        "floors_above": floors,
        "floors_below": 0,
        "floor_area": floor_area,
        "design_life": 50,
        "seismic_class": seismic_class,
        "appraisal_grade": grade,
        "appraisal_date": appraised,
        "notes": notes,
        "rooms": rooms,
    }


SFZX_BUILDINGS = [
    _building(
        "教学楼A",
        "A",
        "teaching",
        "rc",
        2003,
        5,
        6200,
        "B",
        D(2025, 8, 20),
        _classes("A", 1, "初一")
        + _classes("A", 2, "初二")
        + _classes("A", 3, "初三")
        + _floor(
            "A",
            4,
            [
                ("阶梯教室", "classroom", 150, 180.0),
                ("地理教室", "classroom", 50, 80.0),
                ("历史教室", "classroom", 50, 80.0),
                ("书法教室", "functional", 45, 80.0),
                ("心理咨询室", "functional", 6, 36.0),
                ("团队活动室", "activity", 40, 72.0),
                ("文科教研室", "office", 12, 54.0),
                ("卫生间", "toilet", None, 36.0),
            ],
        )
        + _floor(
            "A",
            5,
            [
                ("音乐教室1", "functional", 50, 90.0),
                ("音乐教室2", "functional", 50, 90.0),
                ("美术教室1", "functional", 50, 90.0),
                ("美术教室2", "functional", 50, 90.0),
                ("舞蹈教室", "functional", 40, 120.0),
                ("艺术器材室", "equipment", None, 36.0),
                ("艺术教研室", "office", 8, 54.0),
                ("卫生间", "toilet", None, 36.0),
            ],
        ),
    ),
    _building(
        "教学楼B",
        "B",
        "teaching",
        "rc",
        2011,
        5,
        6200,
        "A",
        D(2025, 8, 20),
        _classes("B", 1, "高一")
        + _classes("B", 2, "高二")
        + _classes("B", 3, "高三")
        + _floor(
            "B",
            4,
            [
                ("选修教室1", "classroom", 50, 72.0),
                ("选修教室2", "classroom", 50, 72.0),
                ("选修教室3", "classroom", 50, 72.0),
                ("选修教室4", "classroom", 50, 72.0),
                ("自习室", "classroom", 60, 90.0),
                ("学生阅览室", "functional", 80, 120.0),
                ("理科教研室", "office", 12, 54.0),
                ("卫生间", "toilet", None, 36.0),
            ],
        )
        + _floor(
            "B",
            5,
            [
                ("计算机教室1", "functional", 50, 96.0),
                ("计算机教室2", "functional", 50, 96.0),
                ("录播教室", "classroom", 50, 96.0),
                ("创客教室", "functional", 40, 96.0),
                ("多媒体教室", "classroom", 100, 120.0),
                ("网络机房", "equipment", None, 30.0),
                ("信息技术教研室", "office", 8, 54.0),
                ("卫生间", "toilet", None, 36.0),
            ],
        ),
    ),
    _building(
        "实验楼",
        "S",
        "laboratory",
        "rc",
        2012,
        4,
        4300,
        "A",
        D(2024, 7, 15),
        _floor(
            "S",
            1,
            [
                ("物理实验室1", "laboratory", 50, 96.0),
                ("物理实验室2", "laboratory", 50, 96.0),
                ("物理准备室", "storeroom", None, 48.0),
                ("实验器材室", "equipment", None, 48.0),
                ("卫生间", "toilet", None, 30.0),
            ],
        )
        + _floor(
            "S",
            2,
            [
                ("化学实验室1", "laboratory", 50, 96.0),
                ("化学实验室2", "laboratory", 50, 96.0),
                ("化学准备室", "storeroom", None, 48.0),
                ("危险化学品储存室", "storeroom", None, 24.0),
                ("卫生间", "toilet", None, 30.0),
            ],
        )
        + _floor(
            "S",
            3,
            [
                ("生物实验室1", "laboratory", 50, 96.0),
                ("生物实验室2", "laboratory", 50, 96.0),
                ("生物准备室", "storeroom", None, 48.0),
                ("标本室", "functional", 20, 48.0),
                ("卫生间", "toilet", None, 30.0),
            ],
        )
        + _floor(
            "S",
            4,
            [
                ("通用技术实验室", "laboratory", 45, 96.0),
                ("数字化探究实验室", "laboratory", 45, 96.0),
                ("科技创新室", "functional", 30, 72.0),
                ("实验员办公室", "office", 6, 36.0),
                ("卫生间", "toilet", None, 30.0),
            ],
        ),
    ),
    _building(
        "综合办公楼",
        "Z",
        "office",
        "brick_concrete",
        1995,
        4,
        2800,
        "C",
        D(2025, 6, 18),
        _floor(
            "Z",
            1,
            [
                ("收发室", "office", 2, 18.0),
                ("安防监控室", "equipment", 3, 30.0),
                ("总务处", "office", 8, 54.0),
                ("总务处仓库", "storeroom", None, 72.0),
                ("维修工具间", "storeroom", None, 30.0),
                ("卫生间", "toilet", None, 24.0),
            ],
        )
        + _floor(
            "Z",
            2,
            [
                ("财务室", "office", 4, 36.0),
                ("安全办", "office", 4, 30.0),
                ("政教处", "office", 6, 36.0),
                ("档案室", "storeroom", None, 54.0),
                ("卫生间", "toilet", None, 24.0),
            ],
        )
        + _floor(
            "Z",
            3,
            [
                ("教务处", "office", 8, 54.0),
                ("第一会议室", "meeting", 40, 72.0),
                ("校史室", "functional", 30, 72.0),
                ("广播室", "equipment", 2, 18.0),
            ],
        )
        + _floor(
            "Z",
            4,
            [
                ("校长室", "office", 4, 36.0),
                ("副校长室", "office", 4, 36.0),
                ("第二会议室", "meeting", 80, 120.0),
                ("党员活动室", "activity", 40, 54.0),
            ],
        ),
        notes="2025年安全鉴定为C级：部分承重墙体开裂，已列入加固计划，暂缓增加使用荷载。",
    ),
    _building(
        "男生宿舍楼",
        "SS1",
        "dormitory",
        "rc",
        2008,
        6,
        5600,
        "B",
        D(2024, 12, 10),
        _dormitory("1-", "男生宿舍"),
    ),
    _building(
        "女生宿舍楼",
        "SS2",
        "dormitory",
        "rc",
        2016,
        6,
        5600,
        "A",
        D(2024, 12, 10),
        _dormitory("2-", "女生宿舍"),
    ),
    _building(
        "食堂",
        "ST",
        "canteen",
        "rc",
        2010,
        2,
        3400,
        "B",
        D(2026, 3, 12),
        _floor(
            "ST",
            1,
            [
                ("学生餐厅（一楼）", "canteen", 600, 900.0),
                ("主食加工间", "kitchen", None, 120.0),
                ("副食加工间", "kitchen", None, 150.0),
                ("粗加工间", "kitchen", None, 60.0),
                ("面点间", "kitchen", None, 48.0),
                ("留样间", "kitchen", None, 12.0),
                ("主副食仓库", "storeroom", None, 80.0),
                ("冷藏库", "storeroom", None, 36.0),
            ],
        )
        + _floor(
            "ST",
            2,
            [
                ("学生餐厅（二楼）", "canteen", 500, 800.0),
                ("教工餐厅", "canteen", 120, 220.0),
            ],
        ),
    ),
    _building(
        "体育馆",
        "TY",
        "gymnasium",
        "steel",
        2021,
        2,
        3800,
        "A",
        D(2026, 3, 12),
        _floor(
            "TY",
            1,
            [
                ("篮球馆", "activity", 500, 1500.0),
                ("乒乓球室", "activity", 40, 300.0),
                ("体育器材室", "equipment", None, 60.0),
                ("更衣室", "other", 30, 48.0),
            ],
        )
        + _floor(
            "TY",
            2,
            [
                ("体育教研室", "office", 10, 54.0),
                ("健身房", "activity", 40, 200.0),
            ],
        ),
    ),
    _building(
        "校园场地",
        "CD",
        "auxiliary",
        "simple",
        2005,
        1,
        0,
        "",
        None,
        [
            (0, "CD01", "操场（400米田径场）", "outdoor", 1800, 14000.0),
            (0, "CD02", "篮球场", "outdoor", 200, 2400.0),
            (0, "CD03", "排球场", "outdoor", 100, 1000.0),
            (0, "CD04", "升旗广场", "outdoor", 1800, 1600.0),
            (0, "CD05", "非机动车停车棚", "outdoor", None, 600.0),
            (0, "CD06", "机动车停车场", "outdoor", None, 1200.0),
        ],
        notes="室外场地，不计建筑面积。",
        seismic_class="C",
    ),
]


def _kg_classes(floor: int, names: list[str], capacity: int) -> list[Room]:
    """Each kindergarten class has an activity room and a sleeping room."""
    rooms: list[Room] = []
    for n, name in enumerate(names):
        rooms.append(
            (floor, f"{floor}{2 * n + 1:02d}", f"{name}活动室", "classroom", capacity, 70.0)
        )
        rooms.append((floor, f"{floor}{2 * n + 2:02d}", f"{name}寝室", "dormitory", capacity, 54.0))
    return rooms


def _kg_extra(
    floor: int, first: int, rooms: list[tuple[str, str, int | None, float]]
) -> list[Room]:
    return [
        (floor, f"{floor}{n:02d}", name, use, capacity, area)
        for n, (name, use, capacity, area) in enumerate(rooms, start=first)
    ]


YGYEY_BUILDINGS = [
    _building(
        "教学楼",
        "JX",
        "teaching",
        "rc",
        2014,
        3,
        3600,
        "A",
        D(2025, 9, 5),
        _kg_classes(1, ["小一班", "小二班", "小三班", "小四班"], 25)
        + _kg_extra(
            1,
            9,
            [
                ("晨检室", "functional", 4, 18.0),
                ("保健室", "functional", 4, 30.0),
                ("隔离观察室", "functional", 2, 15.0),
            ],
        )
        + _kg_classes(2, ["中一班", "中二班", "中三班"], 30)
        + _kg_extra(
            2,
            7,
            [
                ("美工室", "functional", 30, 72.0),
                ("科学发现室", "functional", 30, 72.0),
                ("教师办公室", "office", 12, 48.0),
            ],
        )
        + _kg_classes(3, ["大一班", "大二班", "大三班"], 35)
        + _kg_extra(
            3,
            7,
            [
                ("音乐室", "functional", 35, 90.0),
                ("绘本阅览室", "functional", 35, 72.0),
                ("多功能厅", "activity", 150, 200.0),
            ],
        ),
    ),
    _building(
        "综合楼",
        "ZH",
        "mixed",
        "rc",
        2014,
        2,
        1200,
        "B",
        D(2025, 9, 5),
        _floor(
            "Z",
            1,
            [
                ("厨房", "kitchen", None, 120.0),
                ("配餐间", "kitchen", None, 30.0),
                ("留样间", "kitchen", None, 8.0),
                ("食品库房", "storeroom", None, 36.0),
                ("教工餐厅", "canteen", 50, 90.0),
            ],
        )
        + _floor(
            "Z",
            2,
            [
                ("园长室", "office", 3, 30.0),
                ("后勤处", "office", 4, 30.0),
                ("保教处", "office", 4, 30.0),
                ("财务室", "office", 2, 18.0),
                ("会议室", "meeting", 40, 60.0),
                ("后勤仓库", "storeroom", None, 40.0),
            ],
        ),
    ),
    _building(
        "户外场地",
        "HW",
        "auxiliary",
        "simple",
        2014,
        1,
        0,
        "",
        None,
        [
            (0, "HW01", "户外游戏场", "outdoor", 300, 1200.0),
            (0, "HW02", "沙水区", "outdoor", 40, 150.0),
            (0, "HW03", "种植园", "outdoor", 40, 200.0),
            (0, "HW04", "塑胶跑道", "outdoor", 100, 600.0),
        ],
        notes="室外活动场地，不计建筑面积。",
        seismic_class="C",
    ),
]

BUILDINGS = {"sfzx": SFZX_BUILDINGS, "ygyey": YGYEY_BUILDINGS}
