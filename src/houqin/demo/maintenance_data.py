"""The demo repairs as plain data: faults by category, what was done, parts and their
prices, ratings, and the yearly rhythm of a boarding secondary school.

A fault is ``(title, descriptions, room uses or None for any, asset names or (),
urgent share, work notes, parts, labour minutes (low, high))``; a part is
``(name, specification, unit, unit price in yuan, most pieces)``.
"""

from __future__ import annotations

import datetime

Part = tuple[str, str, str, str, int]
Fault = tuple[
    str,
    tuple[str, ...],
    tuple[str, ...] | None,
    tuple[str, ...],
    float,
    str,
    tuple[Part, ...],
    tuple[int, int],
]

TEACHING = ("classroom", "functional", "laboratory", "activity")
ROOMS = ("classroom", "functional", "laboratory", "office", "dormitory", "meeting", "activity")
WET = ("toilet", "dormitory", "kitchen", "laboratory")

LAMP = ("LED 灯管", "T8 1.2 m 18 W", "支", "18.00", 4)
STARTER = ("启辉器", "S10", "个", "3.50", 2)
SOCKET = ("五孔插座面板", "86 型 10 A", "个", "12.00", 2)
BREAKER = ("空气开关", "DZ47 C16", "个", "35.00", 1)
TAP = ("水龙头", "不锈钢 4 分", "个", "45.00", 2)
ANGLE = ("角阀", "铜 4 分", "个", "25.00", 2)
HOSE = ("不锈钢编织软管", "60 cm", "根", "15.00", 2)
FLUSH = ("蹲便冲水阀", "延时自闭式", "个", "85.00", 1)
LOCK = ("球形门锁", "不锈钢 通道锁", "把", "45.00", 1)
GLASS = ("玻璃", "5 mm 平板", "m²", "60.00", 2)
HINGE = ("合页", "4 寸 不锈钢", "个", "8.00", 4)
HANDLE = ("窗户执手", "铝合金", "个", "15.00", 2)
BOARD = ("床板", "松木 900×1900", "块", "80.00", 1)
SCREWS = ("自攻螺丝", "4×30", "盒", "6.00", 1)
CAPACITOR = ("吊扇电容", "2.5 μF", "个", "10.00", 1)
FAN_UNIT = ("吊扇", "1400 mm", "台", "260.00", 1)
GAS = ("制冷剂加注", "R410A", "次", "150.00", 1)
DRAIN = ("空调排水管", "Φ16", "米", "5.00", 3)
PLUG = ("水晶头", "超五类 RJ45", "个", "1.00", 10)
CABLE = ("网线", "超五类", "米", "2.00", 20)
LAMP_BULB = ("投影仪灯泡", "原装", "个", "680.00", 1)
VGA = ("HDMI 线", "10 m", "根", "55.00", 1)
PIPE = ("PPR 管", "DN20", "米", "12.00", 3)
TRAP = ("地漏", "不锈钢 防臭", "个", "28.00", 1)

FAULTS: dict[str, list[Fault]] = {
    "electric": [
        (
            "日光灯不亮",
            ("{room}有{n}支日光灯不亮，光线太暗。", "{room}靠窗一排灯管闪烁后不亮了。"),
            ROOMS,
            (),
            0.03,
            "更换灯管{n}支，检查镇流器和启辉器正常。",
            (LAMP, STARTER),
            (15, 40),
        ),
        (
            "插座没电",
            ("{room}讲台边的插座没有电。", "{room}墙上插座没电，手机充不了电。"),
            ROOMS,
            (),
            0.05,
            "插座接线松脱，重新接线并更换面板。",
            (SOCKET,),
            (20, 45),
        ),
        (
            "空气开关跳闸",
            ("{room}一开空调就跳闸。", "{room}整间停电，配电箱空气开关合不上。"),
            ROOMS,
            (),
            0.35,
            "线路过载，分开回路并更换空气开关。",
            (BREAKER,),
            (30, 90),
        ),
        (
            "开关损坏",
            ("{room}门口的灯开关按下去弹不回来。",),
            ROOMS,
            (),
            0.0,
            "更换开关面板。",
            (),
            (10, 25),
        ),
        (
            "走廊灯不亮",
            ("{room}门外走廊的声控灯不亮，晚上很黑。",),
            None,
            (),
            0.1,
            "更换声控灯头。",
            (),
            (15, 30),
        ),
    ],
    "water": [
        (
            "水龙头漏水",
            ("{room}的水龙头关不紧，一直滴水。", "{room}水龙头根部漏水，地上都是水。"),
            WET,
            (),
            0.05,
            "更换水龙头和密封圈。",
            (TAP,),
            (15, 40),
        ),
        (
            "水管漏水",
            ("{room}洗手池下面的水管在漏水。", "{room}墙角有水渗出来，可能是水管破了。"),
            WET,
            (),
            0.4,
            "关闭阀门，更换角阀和软管，试水无渗漏。",
            (ANGLE, HOSE),
            (30, 90),
        ),
        (
            "冲水阀坏了",
            ("{room}蹲便器冲水阀按下去不出水。", "{room}冲水阀一直出水停不下来。"),
            ("toilet",),
            (),
            0.1,
            "更换延时冲水阀。",
            (FLUSH,),
            (30, 60),
        ),
        (
            "热水器不出热水",
            ("{room}的电热水器不出热水。",),
            ("dormitory", "toilet", "office"),
            ("电热水器",),
            0.1,
            "加热管结垢，清洗并更换温控器。",
            (),
            (40, 90),
        ),
        (
            "饮水机不出水",
            ("{room}饮水机不出水，学生没水喝。", "{room}饮水机不加热。"),
            ("classroom", "office", "dormitory"),
            ("饮水机",),
            0.1,
            "清洗滤芯，更换进水电磁阀。",
            (),
            (20, 50),
        ),
    ],
    "plumbing": [
        (
            "厕所堵塞",
            ("{room}有一个蹲坑堵了，水漫出来了。", "{room}厕所下水不通，味道很大。"),
            ("toilet",),
            (),
            0.3,
            "用疏通机疏通下水管，清出杂物。",
            (),
            (30, 90),
        ),
        (
            "下水道堵塞",
            ("{room}洗手池下水很慢。", "{room}地漏返水。"),
            WET,
            (),
            0.1,
            "疏通下水管，更换地漏。",
            (TRAP,),
            (30, 60),
        ),
        (
            "水管冻裂",
            ("{room}外面的水管冻裂了，在往外喷水。",),
            ("toilet", "outdoor", "kitchen"),
            (),
            0.8,
            "更换冻裂管段并做保温。",
            (PIPE,),
            (60, 150),
        ),
    ],
    "carpentry": [
        (
            "课桌椅损坏",
            ("{room}有{n}张课桌桌面松动。", "{room}一把椅子腿断了，学生没法坐。"),
            TEACHING,
            (),
            0.0,
            "加固桌面，更换椅腿螺丝。",
            (SCREWS,),
            (20, 60),
        ),
        (
            "床板断裂",
            ("{room}上铺床板断了一块。", "{room}床架摇晃，螺丝松了。"),
            ("dormitory",),
            ("学生上下床",),
            0.1,
            "更换床板，紧固床架螺丝。",
            (BOARD, SCREWS),
            (30, 60),
        ),
        (
            "柜门脱落",
            ("{room}储物柜柜门掉下来了。", "{room}文件柜门关不上。"),
            ("classroom", "office", "dormitory"),
            (),
            0.0,
            "更换合页，调整柜门。",
            (HINGE,),
            (15, 40),
        ),
        (
            "讲台松动",
            ("{room}讲台面板翘起来了。",),
            ("classroom",),
            ("讲台",),
            0.0,
            "重新固定讲台面板。",
            (SCREWS,),
            (20, 40),
        ),
    ],
    "doors": [
        (
            "门锁坏了",
            ("{room}门锁坏了，钥匙打不开。", "{room}门锁锁不上，晚上没法锁门。"),
            None,
            (),
            0.15,
            "更换门锁，配钥匙三把。",
            (LOCK,),
            (20, 45),
        ),
        (
            "窗户玻璃破裂",
            ("{room}一块窗户玻璃裂了，有危险。", "{room}后窗玻璃被球砸碎了。"),
            None,
            (),
            0.3,
            "清理碎玻璃，按尺寸重新安装玻璃。",
            (GLASS,),
            (30, 90),
        ),
        (
            "窗户关不上",
            ("{room}推拉窗卡住了关不上。", "{room}窗户执手坏了。"),
            None,
            (),
            0.0,
            "更换执手，调整滑轮。",
            (HANDLE,),
            (20, 45),
        ),
        (
            "门合页松脱",
            ("{room}门下沉，开关门很费劲。",),
            None,
            (),
            0.0,
            "更换合页，调整门扇。",
            (HINGE,),
            (20, 40),
        ),
    ],
    "appliance": [
        (
            "电扇不转",
            ("{room}吊扇不转了，天太热。", "{room}有一台吊扇转得很慢还有异响。"),
            ("dormitory", "classroom", "office"),
            ("吊扇",),
            0.1,
            "更换吊扇电容，检查调速器。",
            (CAPACITOR,),
            (20, 45),
        ),
        (
            "电扇摇晃异响",
            ("{room}吊扇转起来晃得厉害，担心掉下来。",),
            ("dormitory", "classroom"),
            ("吊扇",),
            0.4,
            "吊杆螺丝松动，紧固并加装防脱销；严重的整台更换。",
            (FAN_UNIT,),
            (30, 60),
        ),
        (
            "投影仪无信号",
            ("{room}投影仪显示无信号，上课用不了。", "{room}投影仪画面发黄发暗。"),
            TEACHING,
            ("高亮投影仪",),
            0.2,
            "更换 HDMI 线，清洁滤网；灯泡老化的更换灯泡。",
            (VGA, LAMP_BULB),
            (20, 60),
        ),
        (
            "智能平板黑屏",
            ("{room}一体机开机黑屏。", "{room}一体机触摸不灵。"),
            ("classroom",),
            ("交互式智能平板",),
            0.2,
            "重新校准触摸框，联系厂家更换电源板。",
            (),
            (20, 60),
        ),
        (
            "音箱没声音",
            ("{room}教室音箱没声音。",),
            ("classroom",),
            ("教室音箱",),
            0.0,
            "功放接线松动，重新接好。",
            (),
            (15, 30),
        ),
        (
            "排气扇不转",
            ("{room}排气扇不转了，味道散不出去。",),
            ("toilet", "kitchen", "laboratory"),
            ("排气扇",),
            0.0,
            "更换排气扇电机。",
            (),
            (30, 60),
        ),
    ],
    "aircon": [
        (
            "空调不制冷",
            ("{room}空调开了半小时还是不凉。", "{room}空调吹出来的是热风。"),
            ("classroom", "office", "meeting", "functional", "laboratory", "dormitory"),
            ("挂壁式空调", "柜式空调"),
            0.15,
            "检测缺氟，补充制冷剂，清洗过滤网。",
            (GAS,),
            (40, 90),
        ),
        (
            "空调漏水",
            ("{room}空调室内机往下滴水。",),
            ("classroom", "office", "meeting", "functional", "dormitory"),
            ("挂壁式空调", "柜式空调"),
            0.05,
            "疏通排水管，重新调整坡度。",
            (DRAIN,),
            (30, 60),
        ),
        (
            "空调遥控失灵",
            ("{room}空调遥控器按了没反应。",),
            ("classroom", "office", "meeting", "dormitory"),
            ("挂壁式空调", "柜式空调"),
            0.0,
            "更换遥控器电池，接收板正常。",
            (),
            (10, 20),
        ),
        (
            "空调噪音大",
            ("{room}空调外机声音很大，影响上课。",),
            ("classroom", "office", "meeting"),
            ("挂壁式空调", "柜式空调"),
            0.0,
            "紧固外机支架，加装减震垫。",
            (),
            (30, 60),
        ),
    ],
    "network": [
        (
            "网络断线",
            ("{room}电脑上不了网。", "{room}网口没信号，网线指示灯不亮。"),
            ("office", "classroom", "laboratory", "meeting"),
            (),
            0.2,
            "重新压接水晶头，测试连通。",
            (PLUG, CABLE),
            (20, 60),
        ),
        (
            "无线信号弱",
            ("{room}无线网络信号很弱，经常断。",),
            ("office", "classroom", "meeting", "dormitory"),
            (),
            0.0,
            "调整无线接入点位置与信道。",
            (),
            (30, 60),
        ),
        (
            "监控画面中断",
            ("{room}附近的监控摄像头没有画面。",),
            None,
            ("网络摄像机",),
            0.4,
            "摄像机供电模块损坏，已更换。",
            (),
            (30, 90),
        ),
        (
            "广播无声",
            ("{room}广播喇叭没有声音，听不到上下课铃。",),
            ("classroom", "office"),
            (),
            0.3,
            "广播线路断开，重新接线。",
            (),
            (30, 60),
        ),
    ],
    "other": [
        (
            "墙皮脱落",
            ("{room}墙面有一块墙皮脱落。", "{room}天花板有石膏板掉下来。"),
            None,
            (),
            0.2,
            "铲除空鼓墙皮，重新批腻子刷漆。",
            (),
            (60, 180),
        ),
        (
            "屋顶漏雨",
            ("{room}下雨天屋顶漏水，地面有积水。",),
            ("classroom", "dormitory", "office", "functional"),
            (),
            0.5,
            "屋面防水层开裂，请防水公司修补。",
            (),
            (60, 240),
        ),
        (
            "黑板损坏",
            ("{room}黑板表面起皮，写不上字。",),
            ("classroom",),
            (),
            0.0,
            "黑板面局部修补。",
            (),
            (30, 60),
        ),
        (
            "篮球架松动",
            ("{room}篮球架底座螺丝松动，晃得厉害。",),
            ("outdoor", "activity"),
            ("篮球架",),
            0.5,
            "紧固地脚螺栓，加装配重。",
            (),
            (60, 120),
        ),
    ],
}

# Share of the year's repairs by category (before the seasons weigh in).
CATEGORY_WEIGHTS = {
    "electric": 26,
    "water": 20,
    "plumbing": 8,
    "carpentry": 8,
    "doors": 9,
    "appliance": 12,
    "aircon": 6,
    "network": 6,
    "other": 5,
}
# month -> {category: multiplier}
SEASONS: dict[int, dict[str, float]] = {
    1: {"aircon": 1.4, "plumbing": 1.6},
    2: {"plumbing": 1.4},
    3: {"carpentry": 2.2, "doors": 2.2},
    5: {"aircon": 2.0, "appliance": 1.5},
    6: {"aircon": 5.5, "appliance": 2.0},
    7: {"aircon": 6.0, "appliance": 2.0},
    8: {"aircon": 5.0, "appliance": 1.5},
    9: {"aircon": 3.0, "carpentry": 2.2, "doors": 2.2, "appliance": 1.5},
    12: {"aircon": 1.3, "plumbing": 1.3},
}

# Where the faults happen: room use -> weight.
ROOM_WEIGHTS = {
    "dormitory": 4.0,
    "classroom": 3.0,
    "toilet": 2.0,
    "office": 1.5,
    "laboratory": 1.2,
    "functional": 1.0,
    "kitchen": 1.5,
    "canteen": 1.0,
    "activity": 0.8,
    "meeting": 0.6,
    "outdoor": 0.5,
    "storeroom": 0.3,
    "equipment": 0.3,
    "other": 0.3,
}

# Holidays (法定节假日) and weekend working days (调休) of 2026.
CALENDAR_2026 = [
    (datetime.date(2026, 1, 1), False, "元旦"),
    (datetime.date(2026, 1, 2), False, "元旦"),
    (datetime.date(2026, 1, 3), False, "元旦"),
    (datetime.date(2026, 1, 4), True, "元旦调休上班"),
    (datetime.date(2026, 2, 14), True, "春节调休上班"),
    *[(datetime.date(2026, 2, d), False, "春节") for d in range(15, 24)],
    (datetime.date(2026, 2, 28), True, "春节调休上班"),
    (datetime.date(2026, 4, 4), False, "清明节"),
    (datetime.date(2026, 4, 5), False, "清明节"),
    (datetime.date(2026, 4, 6), False, "清明节"),
    *[(datetime.date(2026, 5, d), False, "劳动节") for d in range(1, 6)],
    (datetime.date(2026, 5, 9), True, "劳动节调休上班"),
    (datetime.date(2026, 6, 19), False, "端午节"),
    (datetime.date(2026, 6, 20), False, "端午节"),
    (datetime.date(2026, 6, 21), False, "端午节"),
    (datetime.date(2026, 9, 20), True, "国庆节调休上班"),
    (datetime.date(2026, 9, 25), False, "中秋节"),
    (datetime.date(2026, 9, 26), False, "中秋节"),
    (datetime.date(2026, 9, 27), False, "中秋节"),
    *[(datetime.date(2026, 10, d), False, "国庆节") for d in range(1, 8)],
    (datetime.date(2026, 10, 10), True, "国庆节调休上班"),
]

RATING_COMMENTS = {
    5: ("维修及时，态度很好！", "师傅很专业，谢谢！", "随叫随到，点赞", "修得又快又好", ""),
    4: ("修好了，谢谢", "来得稍晚，但修得不错", ""),
    3: ("能用了，还有点小问题", "等了挺久才来"),
    2: ("拖了两天才修", "修完没多久又坏了"),
    1: ("一直没人来，最后自己找人修的",),
}
CANCEL_REASONS = ("重复报修", "报修人误报，设备正常", "已由厂家保修处理")
REJECT_REASONS = ("测试提交", "重复报修", "不属于维修范围（请联系信息中心）")
HOLD_NOTES = {
    "parts": "配件已下单，等待到货",
    "contractor": "需厂家售后上门",
    "access": "宿舍白天锁门，约定晚自习后维修",
}
STUDENT_NAMES = (
    "王子涵",
    "李浩宇",
    "张雨萱",
    "刘梓轩",
    "陈思琪",
    "杨博文",
    "黄可馨",
    "赵宇航",
    "周欣怡",
    "吴俊熙",
    "徐梦瑶",
    "孙嘉豪",
    "马若曦",
    "朱一诺",
    "胡天佑",
    "郭诗涵",
    "何子墨",
    "高欣妍",
    "林奕辰",
    "罗雨桐",
)  # fmt: skip
