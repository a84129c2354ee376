"""Damage reports and compensation (公物损坏赔偿 SH-) of one school, with the amounts the
school's rules give (``services/compensation.py``), reductions through the
``compensation_waiver`` chain, notices and payments; damaged cards go under repair."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from houqin.assets.choices import AssetStatus, DamageStatus, MovementKind
from houqin.assets.choices import ResponsibleKind as K
from houqin.assets.models import CompensationPriceItem, DamageReport
from houqin.assets.services import compensation as rules

from .assets_cards import yuan
from .assets_state import DAY, Card, SchoolRun, outcome, url_of
from .org import GIVEN, SURNAMES

A = AssetStatus
D = DamageStatus
#: Ends of a report's path besides its statuses: a reduction approved, or refused.
REDUCED = "reduced"
REFUSED = "refused"
POLICY = rules.Policy()  # every generated school keeps the default policy
PRICE_LIST = (
    ("窗户玻璃", "m²", "60.00"),
    ("日光灯管", "根", "25.00"),
    ("学生课桌", "张", "180.00"),
    ("学生椅", "把", "90.00"),
    ("门锁", "把", "80.00"),
    ("窗帘", "幅", "150.00"),
    ("黑板", "块", "600.00"),
    ("开关面板", "个", "30.00"),
    ("水龙头", "个", "45.00"),
    ("储物柜门", "扇", "120.00"),
)
LOOSE_ITEMS = ("门把手", "窗户插销", "宿舍床板", "篮球架篮网", "卫生间隔板")
WHAT = (
    "课间追逐打闹，撞坏{item}",
    "打扫卫生时不慎损坏{item}",
    "体育课后发现{item}损坏",
    "{item}使用中出现故障，外观破损",
    "晚自习后发现{item}被人为损坏",
)
WAIVER_REASONS = ("学生家庭经济困难", "非主观故意，情节轻微", "已自行修复部分损失")
GRADES = ("一", "二", "三", "四", "五", "六")
KINDS = (
    (K.STUDENT, 35),
    (K.CLASS, 15),
    (K.PERSON, 10),
    (K.OUTSIDER, 5),
    (K.UNKNOWN, 10),
    (K.WEAR, 25),
)


def price_items(run: SchoolRun) -> list[tuple[int, str, str, Decimal]]:
    """The school's price list (written now); returns (id, name, unit, price)."""
    items = []
    at = run.moment(run.ctx.start)
    for name, unit, price in PRICE_LIST:
        pk = run.new_id(CompensationPriceItem)
        run.add(
            CompensationPriceItem,
            {
                "id": pk,
                "created_at": at,
                "updated_at": at,
                "school_id": run.school.id,
                "name": name,
                "unit": unit,
                "price": Decimal(price),
                "notes": "",
                "is_active": True,
            },
        )
        items.append((pk, name, unit, Decimal(price)))
    return items


def schedule(run: SchoolRun, reports: int) -> None:
    items = price_items(run)
    run.spread(reports, lambda day: report(run, day, items))


def class_name(run: SchoolRun) -> str:
    rng = run.rng
    if run.school.kind == "kindergarten":
        return f"{rng.choice(('小', '中', '大'))}({rng.randrange(1, 5)})班"
    return f"{rng.choice(GRADES)}年级({rng.randrange(1, 9)})班"


def responsible(run: SchoolRun) -> dict[str, Any]:
    rng = run.rng
    kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
    party: dict[str, Any] = {
        "responsible_kind": kind,
        "responsible_user_id": None,
        "responsible_name": "",
        "student_class": "",
        "deliberate": kind in (K.STUDENT, K.OUTSIDER) and rng.random() < 0.15,
    }
    if kind == K.STUDENT:
        party["responsible_name"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        party["student_class"] = class_name(run)
    elif kind in (K.CLASS, K.UNKNOWN):
        party["student_class"] = class_name(run)
    elif kind == K.PERSON:
        party["responsible_user_id"] = run.rng.choice(run.school.staff)[0]
    elif kind == K.OUTSIDER:
        party["responsible_name"] = (
            rng.choice(("校外培训机构", "施工队", "来访家长")) + rng.choice(SURNAMES) + "某"
        )
    return party


def the_item(
    run: SchoolRun, day: datetime.date, items: list[Any], deliberate: bool
) -> dict[str, Any]:
    """What was damaged, and the amount by the rule (None for a loose item)."""
    rng = run.rng
    roll = rng.random()
    card = run.pick(day, (A.IN_USE, A.IDLE)) if roll < 0.55 else None
    if card is not None:
        result = rules.for_registered_item(
            name=card.name,
            unit_value=yuan(card.price),
            quantity=Decimal(1),
            life_months=card.life,
            depreciable=card.depreciable,
            months_used=rules.months_of_life_used(card.purchase, day),
            age_months=rules.age_in_months(card.purchase, day),
            deliberate=deliberate,
            policy=POLICY,
        )
        return {
            "card": card,
            "name": card.name,
            "room": card.room,
            "quantity": Decimal(1),
            "result": result,
        }
    room = rng.choice(run.school.rooms)[0]
    if roll < 0.9:
        pk, name, unit, price = rng.choice(items)
        quantity = Decimal(rng.choice(("1", "1", "2", "0.5", "1.5")))
        result = rules.by_price_list(
            name=name,
            unit=unit,
            price=price,
            quantity=quantity,
            deliberate=deliberate,
            policy=POLICY,
        )
        return {
            "price_item": pk,
            "name": name,
            "room": room,
            "quantity": quantity,
            "result": result,
        }
    return {
        "item_name": rng.choice(LOOSE_ITEMS),
        "room": room,
        "quantity": Decimal(1),
        "result": None,
    }


def path(run: SchoolRun, day: datetime.date, kind: str) -> str:
    """Where the report ends: open states in the last weeks, mostly settled before."""
    roll = run.rng.random()
    if run.recent(day):
        bands = ((0.3, D.REPORTED), (0.55, D.ASSESSED), (0.8, D.NOTIFIED), (0.9, D.WAIVER_PENDING))
        return D.REPORTED if kind == K.WEAR else outcome(roll, bands, D.PAID)
    if kind == K.WEAR:
        return D.NO_CHARGE
    bands = ((0.72, D.PAID), (0.8, D.WAIVED), (0.87, REDUCED), (0.95, D.NO_CHARGE))
    return outcome(roll, bands, REFUSED)


def report(run: SchoolRun, day: datetime.date, items: list[Any]) -> None:
    rng = run.rng
    party = responsible(run)
    item = the_item(run, day, items, party["deliberate"])
    card: Card | None = item.get("card")
    pk = run.new_id(DamageReport)
    number = run.ctx.number(run.school.id, "SH", day)
    url = url_of("assets:damage_detail", pk)
    occurred = run.moment(day)
    reporter = rng.choice(run.school.staff)[0]
    keeper = run.person("assetkeeper")
    label = item.get("name") or item["item_name"]
    row: dict[str, Any] = {
        "id": pk,
        "created_at": occurred,
        "updated_at": occurred,
        "school_id": run.school.id,
        "number": number,
        "asset_id": card.id if card else None,
        "price_item_id": item.get("price_item"),
        "item_name": item.get("item_name", ""),
        "quantity": item["quantity"],
        "room_id": item["room"],
        "occurred_at": occurred,
        "description": rng.choice(WHAT).format(item=label),
        "reporter_id": reporter,
        "status": D.REPORTED,
        **party,
    }
    if card is not None and rng.random() < 0.5:
        run.move(
            card,
            MovementKind.DAMAGED,
            occurred,
            reporter,
            status=A.UNDER_REPAIR,
            reference=number,
            url=url,
            note=row["description"],
        )
        back = day + DAY * rng.randrange(2, 30)
        if back < run.today:
            run.move(
                card,
                MovementKind.STATUS,
                run.moment(back),
                keeper,
                status=A.IN_USE,
                reference=number,
                note="维修完成",
            )
    if rng.random() < 0.3:
        run.photos[DamageReport].append((pk, run.school.id, reporter, occurred))
    end = path(run, day, party["responsible_kind"])
    steps = settle(run, row, item["result"], end, keeper, f"{number} {label}")
    run.status_change(DamageReport, pk, steps)
    run.add(DamageReport, row)


def settle(
    run: SchoolRun,
    row: dict[str, Any],
    result: rules.Compensation | None,
    end: str,
    keeper: int,
    title: str,
) -> list[tuple[str, str, int | None, datetime.datetime]]:
    """Fill the assessment, reduction, notice and payment fields along the path to ``end``."""
    rng = run.rng
    steps: list[tuple[str, str, int | None, datetime.datetime]] = []
    if end == D.REPORTED:
        return steps
    if row["responsible_kind"] == K.WEAR:
        result = rules.natural_wear()
    at = run.later(row["occurred_at"], 2, 72)
    computed = result.amount if result is not None else None
    amount = computed if computed is not None else Decimal(rng.randrange(20, 300))
    if end == D.NO_CHARGE:
        amount = Decimal("0.00")
    lines = [result.explanation] if result is not None else []
    reason = ""
    if computed is None or amount != computed:
        reason = "按维修报价评估" if computed is None else "实际未造成损失"
        lines.append(f"资产管理员评估为 {rules.money(amount)} 元：{reason}")
    row.update(
        method=result.method if result is not None else "",
        computed_amount=computed,
        rule_text="\n".join(lines),
        assessed_amount=amount,
        adjust_reason=reason,
        assessed_by_id=keeper,
        assessed_at=at,
        status=D.NO_CHARGE if amount == 0 else D.ASSESSED,
        updated_at=at,
    )
    steps.append((D.REPORTED, row["status"], keeper, at))
    if amount == 0 or end == D.ASSESSED:
        return steps
    if end in (D.WAIVED, D.WAIVER_PENDING, REDUCED, REFUSED):
        at = waiver(run, row, end, amount, at, steps, title)
        if end in (D.WAIVED, D.WAIVER_PENDING):
            return steps
    at = run.later(at, 2, 48)
    row.update(status=D.NOTIFIED, notified_at=at, updated_at=at)
    steps.append((D.ASSESSED, D.NOTIFIED, keeper, at))
    if end == D.NOTIFIED:
        return steps
    at = run.later(at, 24, 240)
    accountant = run.person("accountant")
    due = row["proposed_amount"] if row.get("proposed_amount") is not None else amount
    row.update(
        status=D.PAID,
        paid_amount=due,
        receipt_number=f"赔-{at.year}-{row['id']:06d}",
        paid_at=at,
        payment_recorded_by_id=accountant,
        updated_at=at,
    )
    steps.append((D.NOTIFIED, D.PAID, accountant, at))
    return steps


def waiver(
    run: SchoolRun,
    row: dict[str, Any],
    end: str,
    amount: Decimal,
    at: datetime.datetime,
    steps: list[tuple[str, str, int | None, datetime.datetime]],
    title: str,
) -> datetime.datetime:
    """A reduction asked for before the notice: pending, waived (0), reduced or refused."""
    keeper = row["assessed_by_id"]
    proposed = Decimal("0.00") if end == D.WAIVED else (amount / 2).quantize(Decimal("0.01"))
    asked = run.later(at, 1, 48)
    decided = run.later(asked, 4, 96)
    row.update(
        proposed_amount=proposed,
        waiver_reason=run.rng.choice(WAIVER_REASONS),
        status=D.WAIVER_PENDING,
        updated_at=asked,
    )
    steps.append((D.ASSESSED, D.WAIVER_PENDING, keeper, asked))
    approval = {
        "object_id": row["id"],
        "school": run.school,
        "title": title,
        "amount": amount - proposed,
        "department_id": None,
        "requester_id": keeper,
        "status": "pending",
        "submitted_at": asked,
        "decided_at": None,
    }
    run.approvals["compensation_waiver"].append(approval)
    if end == D.WAIVER_PENDING:
        return asked
    principal = run.person("principal")
    if end == REFUSED:
        approval.update(status="rejected", decided_at=decided)
        row.update(status=D.ASSESSED, proposed_amount=None, updated_at=decided)
        steps.append((D.WAIVER_PENDING, D.ASSESSED, principal, decided))
        return decided
    approval.update(status="approved", decided_at=decided)
    to = D.WAIVED if proposed == 0 else D.ASSESSED
    row.update(status=to, updated_at=decided)
    steps.append((D.WAIVER_PENDING, to, principal, decided))
    return decided
