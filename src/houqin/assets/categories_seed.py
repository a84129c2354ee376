"""The categories every school starts with (GB/T 14885-2022 top categories and the classes a
school uses). Codes are left empty: public lists disagree on item codes, so the asset keeper
enters or imports the codes of the school's own catalogue. Lives cite their source."""

from __future__ import annotations

LAW = "财会〔2017〕4号"
PRACTICE = "school practice"

# (name, English name, depreciable, life in years, source of the life, children)
Node = tuple[str, str, bool | None, int | None, str, tuple]  # type: ignore[type-arg]

TREE: tuple[Node, ...] = (
    (
        "房屋和构筑物",
        "Buildings and structures",
        True,
        None,
        "",
        (
            (
                "钢结构、钢筋混凝土结构房屋",
                "Steel / reinforced-concrete buildings",
                None,
                50,
                LAW,
                (),
            ),
            ("砖混结构房屋", "Brick-concrete buildings", None, 30, LAW, ()),
            ("简易房", "Simple structures", None, 8, LAW, ()),
        ),
    ),
    (
        "设备",
        "Equipment",
        True,
        None,
        "",
        (
            (
                "计算机设备",
                "Computers",
                None,
                6,
                LAW,
                (
                    ("台式计算机", "Desktop computers", None, None, "", ()),
                    ("便携式计算机", "Laptops", None, None, "", ()),
                    ("平板式计算机", "Tablets", None, None, "", ()),
                    ("服务器", "Servers", None, None, "", ()),
                ),
            ),
            (
                "办公设备",
                "Office equipment",
                None,
                6,
                LAW,
                (
                    ("复印机", "Photocopiers", None, None, "", ()),
                    ("打印机", "Printers", None, None, "", ()),
                    ("投影仪", "Projectors", None, None, "", ()),
                    ("交互式智能平板", "Interactive whiteboards", None, None, "", ()),
                ),
            ),
            (
                "电气设备",
                "Electrical equipment",
                None,
                5,
                LAW,
                (
                    ("空调", "Air conditioners", None, None, "", ()),
                    ("电风扇", "Fans", None, None, "", ()),
                    ("热水器", "Water heaters", None, None, "", ()),
                ),
            ),
            (
                "安防与通信设备",
                "Security and communication equipment",
                None,
                5,
                LAW,
                (
                    ("监控摄像机", "CCTV cameras", None, None, "", ()),
                    ("硬盘录像机", "Video recorders", None, None, "", ()),
                    ("广播设备", "Public address equipment", None, None, "", ()),
                ),
            ),
            (
                "教学仪器",
                "Teaching instruments",
                None,
                5,
                PRACTICE,
                (
                    ("实验仪器", "Laboratory instruments", None, None, "", ()),
                    ("显微镜", "Microscopes", None, None, "", ()),
                ),
            ),
            (
                "文体设备",
                "Sports and arts equipment",
                None,
                5,
                PRACTICE,
                (
                    ("体育器材", "Sports equipment", None, None, "", ()),
                    ("乐器", "Musical instruments", None, None, "", ()),
                    ("大型玩具", "Large play equipment", None, None, "", ()),
                ),
            ),
            ("厨房设备", "Kitchen equipment", None, 10, LAW, ()),
            ("车辆", "Vehicles", None, 8, LAW, ()),
            ("图书档案设备", "Library and archive equipment", None, 5, LAW, ()),
        ),
    ),
    ("文物和陈列品", "Cultural relics and exhibits", False, None, "", ()),
    ("图书和档案", "Books and archives", False, None, "", ()),
    (
        "家具和用具",
        "Furniture and fixtures",
        True,
        15,
        PRACTICE,
        (
            ("学生课桌椅", "Student desks and chairs", None, 5, PRACTICE, ()),
            ("办公桌椅", "Office desks and chairs", None, None, "", ()),
            ("床具", "Beds", None, None, "", ()),
            ("柜类", "Cabinets", None, None, "", ()),
        ),
    ),
    ("特种动植物", "Special animals and plants", False, None, "", ()),
    ("物资", "Materials", False, None, "", ()),
)


def seed(category_model: type) -> int:
    """Create the tree where it is missing; returns how many categories were created."""
    created = 0

    def walk(nodes: tuple[Node, ...], parent: object | None, level: int) -> None:
        nonlocal created
        for order, (name, name_en, depreciable, life, source, children) in enumerate(nodes, 1):
            node, made = category_model.objects.get_or_create(  # type: ignore[attr-defined]
                parent=parent,
                name=name,
                defaults={
                    "name_en": name_en,
                    "depreciable": depreciable,
                    "life_years": life,
                    "life_source": source,
                    "sort_order": order * 10,
                    "level": level,
                },
            )
            created += made
            walk(children, node, level + 1)

    walk(TREE, None, 1)
    return created
