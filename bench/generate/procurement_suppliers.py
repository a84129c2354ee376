"""A school's suppliers (供应商) with their 统一社会信用代码, contacts and qualifications (资质),
some of which expire soon or have expired (warned once, as the daily reminder does)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from houqin.demo import supplies_data as demo
from houqin.procurement.credit_code import check_character
from houqin.procurement.models import Supplier, SupplierQualification

from .base import TZ, Ctx, SchoolWorld
from .finance import photo

DISTRICTS = ("东城", "西城", "南湖", "北山")
ROADS = ("人民", "建设", "解放", "中山")
EXTRA_SUPPLIERS = [
    ("基准市文汇办公用品有限公司", "办公用品、文具", "office", "钱文华"),
    ("基准市金纸源纸业有限公司", "复印纸、打印纸", "paper", "孔德明"),
    ("基准市彩印通耗材有限公司", "硒鼓、墨盒", "printing", "施红"),
    ("基准市净界保洁用品有限公司", "清洁用品、消毒用品", "cleaning", "曹静"),
    ("基准市永固五金机电有限公司", "五金、水暖", "hardware", "严国平"),
    ("基准市光明电工器材有限公司", "电工材料、灯具", "electrical", "华立"),
    ("基准市科达实验设备有限公司", "实验仪器、耗材", "lab", "金鹏"),
    ("基准市书香文教用品有限公司", "作业本、教具", "teaching", "魏敏"),
    ("基准市奥力体育器材有限公司", "体育器材", "sports", "陶勇"),
    ("基准市仁心医疗用品有限公司", "医疗用品", "medical", "姜红梅"),
    ("基准市安达劳保用品有限公司", "劳保用品", "protective", "戚建军"),
    ("基准市博雅家具有限公司", "办公家具、校具", "furniture", "谢宁"),
    ("基准市冠华空调工程有限公司", "空调销售安装", "aircon", "邹平"),
    ("基准市星光传媒广告有限公司", "展板、横幅", "signage", "喻晓"),
    ("基准市学海图书发行有限公司", "图书、教辅", "books", "柏林"),
    ("基准市安盾消防工程有限公司", "消防器材", "safety", "水涛"),
    ("基准市丰禾餐饮设备有限公司", "食堂设备、餐具", "canteen", "章丽"),
    ("基准市优视科技有限公司", "投影、多媒体设备", "av", "窦强"),
    ("基准市医康器械有限公司", "医疗器械", "medical", "云海"),
    ("基准市标准仪器有限公司", "教学仪器", "lab", "苏明"),
]
POOL = [
    (name.replace("示范市", "基准市"), supplies, group, contact)
    for name, supplies, group, contact in demo.SUPPLIERS
] + EXTRA_SUPPLIERS


def credit_code(n: int) -> str:
    body = f"91330100MA{n * 7919 % 10_000_000:07d}"
    return body + check_character(body)


def add_suppliers(ctx: Ctx, school: SchoolWorld, count: int) -> dict[str, list[tuple[int, str]]]:
    """The school's suppliers (one of every group first); returns group -> [(id, name)]."""
    rng = ctx.rng(f"procurement:suppliers:{school.index}")
    seen: set[str] = set()
    first, rest = [], []
    for n, entry in enumerate(POOL):
        (rest if entry[2] in seen else first).append((n, entry))
        seen.add(entry[2])
    rng.shuffle(rest)
    chosen = (first + rest)[:count]
    at = datetime.datetime.combine(ctx.start, datetime.time(9), TZ)
    ids = iter(ctx.ids(Supplier, len(chosen)))
    rows, quals = [], []
    groups: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for n, (name, supplies, group, contact) in chosen:
        pk = next(ids)
        active = rng.random() > 0.05
        if active:
            groups[group].append((pk, name))
        code = credit_code(n)
        rows.append(
            {
                "id": pk,
                "created_at": at,
                "updated_at": at,
                "school_id": school.id,
                "name": name,
                "credit_code": code,
                "contact_person": contact,
                "phone": f"13{n % 10}{rng.randrange(10**8):08d}",
                "email": f"sales{n:02d}@gys{n:02d}.com.cn",
                "address": f"基准市{rng.choice(DISTRICTS)}区{rng.choice(ROADS)}路{n + 1}号",
                "bank_name": rng.choice(
                    ("中国工商银行基准市分行", "中国建设银行基准市支行", "中国农业银行基准市分行")
                ),
                "bank_account": f"62{rng.randrange(10**16):016d}",
                "supplies": supplies,
                "is_active": active,
                "rating": None,
                "rated_deliveries": 0,
                "notes": "" if active else "已停止合作",
            }
        )
        extra = demo.QUALIFICATIONS.get(group)
        kinds = [("licence", code, "基准市市场监督管理局", 0.7)]
        if extra:
            kinds.append((extra[0], f"Z{n:03d}-{rng.randrange(10**6):06d}", extra[1], 0.0))
        for kind, number, issuer, forever in kinds:
            until, reminded = _validity(ctx, rng, forever)
            quals.append(
                {
                    "created_at": at,
                    "updated_at": at,
                    "school_id": school.id,
                    "supplier_id": pk,
                    "kind": kind,
                    "number": number,
                    "issued_by": issuer,
                    "valid_until": until,
                    "reminded_on": reminded,
                    "notes": "",
                }
            )
    ctx.insert(Supplier, rows)
    first_qual = ctx.ids(SupplierQualification, len(quals)).start
    for offset, row in enumerate(quals):
        row["id"] = first_qual + offset
        if rng.random() < 0.03:
            photo(
                ctx,
                SupplierQualification,
                (row["id"], school.id, school.person("purchaser", rng), at),
            )
    ctx.insert(SupplierQualification, quals)
    if not groups:  # every supplier inactive: keep the first one working
        groups[chosen[0][1][2]].append((rows[0]["id"], rows[0]["name"]))
    return groups


def _validity(
    ctx: Ctx, rng: random.Random, forever: float
) -> tuple[datetime.date | None, datetime.date | None]:
    """(valid until, last reminder) of a qualification: some expired, some expiring soon."""
    today = ctx.today
    roll = rng.random()
    if roll < forever:
        return None, None
    if roll < forever + (1 - forever) * 0.1:
        until = today - datetime.timedelta(days=rng.randrange(1, 400))
        return until, until + datetime.timedelta(days=1)
    if roll < forever + (1 - forever) * 0.18:
        until = today + datetime.timedelta(days=rng.randrange(0, 30))
        return until, max(until - datetime.timedelta(days=30), ctx.start)
    return today + datetime.timedelta(days=rng.randrange(60, 1400)), None
