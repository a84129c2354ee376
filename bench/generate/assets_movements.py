"""Transfers (调拨 DB-), loans (借用 JY-) and plain status changes (idle, under repair) of one
school, as ``services/movements.py`` and ``register.asset_set_status`` write them."""

from __future__ import annotations

import datetime

from houqin.assets.choices import AssetStatus, LoanStatus, MovementKind, RequestStatus
from houqin.assets.models import AssetLoan, AssetTransfer, AssetTransferLine

from .assets_cards import yuan
from .assets_state import DAY, SchoolRun, outcome, url_of

A = AssetStatus
S = RequestStatus
MOVABLE = (A.IN_USE, A.IDLE, A.UNDER_REPAIR)
LENDABLE = (A.IN_USE, A.IDLE)
#: ``AssetSettings.transfer_approval_above`` (the default of every generated school).
APPROVAL_ABOVE = 500_000  # cents
TRANSFER_REASONS = (
    "新学期班级调整，设备随班调配",
    "部门办公室搬迁",
    "实验室改造，仪器临时调出",
    "教师岗位调整，保管人变更",
    "多媒体设备集中到录播教室",
    "闲置设备调剂给需要的部门",
    "功能室整合",
)
LOAN_PURPOSES = (
    "公开课使用",
    "校运动会",
    "外出教研活动",
    "区级比赛",
    "家长会",
    "社团活动",
    "考试监考",
    "文艺汇演排练",
)
OUTSIDERS = ("区教研室 周老师", "兄弟学校 陈老师", "社区居委会 李主任", "区少年宫 王老师")
RETURN_CONDITIONS = ("完好", "完好", "完好", "外观轻微划痕", "配件齐全")


def schedule(run: SchoolRun, transfers: int, loans: int, status_changes: int) -> None:
    ctx = run.ctx
    run.spread(transfers, lambda day: transfer(run, day))
    window = run.today - datetime.timedelta(days=30)
    for n in range(loans):
        if n % 3 == 0:
            run.schedule(ctx.day(run.rng, window), lambda day: loan(run, day, returned=False))
        else:
            run.schedule(ctx.day(run.rng), lambda day: loan(run, day, returned=True))
    for n in range(status_changes):
        work = idle if n % 2 else repair
        run.schedule(ctx.day(run.rng), lambda day, work=work: work(run, day))


# -- transfers ------------------------------------------------------------------------------


def transfer_status(run: SchoolRun, approval: bool, day: datetime.date) -> str:
    roll = run.rng.random()
    if run.recent(day):
        if approval:
            bands = ((0.4, S.PENDING), (0.55, S.RETURNED), (0.9, S.COMPLETED), (0.95, S.REJECTED))
            return outcome(roll, bands, S.WITHDRAWN)
        return outcome(roll, ((0.3, S.DRAFT),), S.COMPLETED)
    if approval:
        return outcome(roll, ((0.88, S.COMPLETED), (0.95, S.REJECTED)), S.WITHDRAWN)
    return outcome(roll, ((0.02, S.DRAFT),), S.COMPLETED)


def transfer(run: SchoolRun, day: datetime.date) -> None:
    rng = run.rng
    size = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
    cards = run.pick_many(day, MOVABLE, size)
    if not cards:
        return
    pk = run.new_id(AssetTransfer)
    number = run.ctx.number(run.school.id, "DB", day)
    url = url_of("assets:transfer_detail", pk)
    requester = run.member_of(cards[0].department)
    roll = rng.random()
    to_room = run.other_room(cards[0].room) if roll < 0.85 else None
    to_department = run.department_of_room[to_room] if to_room and roll < 0.6 else None
    to_custodian = (
        run.member_of(to_department or cards[0].department) if roll < 0.6 or roll >= 0.85 else None
    )
    total = sum(card.cents for card in cards)
    approval = total > APPROVAL_ABOVE
    status = transfer_status(run, approval, day)
    created = run.moment(day)
    submitted = run.later(created, 0.1, 2)
    decided = run.later(submitted, 2, 72)
    reason = rng.choice(TRANSFER_REASONS)
    for card in cards:
        run.add(
            AssetTransferLine,
            {
                "transfer_id": pk,
                "asset_id": card.id,
                "from_room_id": card.room,
                "from_custodian_id": card.custodian,
                "from_department_id": card.department,
            },
        )
    director = run.person("director")
    steps: list[tuple[str, str, int | None, datetime.datetime]] = []
    if approval and status != S.DRAFT:
        steps.append((S.DRAFT, S.PENDING, requester, submitted))
        if status == S.COMPLETED:
            steps += [
                (S.PENDING, S.APPROVED, director, decided),
                (S.APPROVED, S.COMPLETED, director, decided),
            ]
        elif status != S.PENDING:
            steps.append(
                (S.PENDING, status, requester if status == S.WITHDRAWN else director, decided)
            )
        run.approvals["asset_transfer"].append(
            {
                "object_id": pk,
                "school": run.school,
                "title": f"{number} {reason}",
                "amount": yuan(total),
                "department_id": to_department or cards[0].department,
                "requester_id": requester,
                "status": "approved" if status == S.COMPLETED else str(status),
                "submitted_at": submitted,
                "decided_at": None if status == S.PENDING else decided,
            }
        )
    elif status == S.COMPLETED:
        decided = submitted
        steps.append((S.DRAFT, S.COMPLETED, requester, submitted))
    run.status_change(AssetTransfer, pk, steps, reason="请补充调拨理由")
    completed = decided if status == S.COMPLETED else None
    for card in cards:
        if completed is not None:
            run.move(
                card,
                MovementKind.TRANSFERRED,
                completed,
                requester,
                room=to_room,
                custodian=to_custodian,
                department=to_department,
                reference=number,
                url=url,
                note=reason,
            )
        elif status in (S.DRAFT, S.PENDING, S.RETURNED):
            card.held = run.recent(day)
    run.add(
        AssetTransfer,
        {
            "id": pk,
            "created_at": created,
            "updated_at": steps[-1][3] if steps else created,
            "school_id": run.school.id,
            "number": number,
            "requester_id": requester,
            "status": status,
            "to_room_id": to_room,
            "to_custodian_id": to_custodian,
            "to_department_id": to_department,
            "reason": reason,
            "total_value": yuan(total),
            "completed_at": completed,
        },
    )


# -- loans ----------------------------------------------------------------------------------


def loan(run: SchoolRun, day: datetime.date, *, returned: bool) -> None:
    rng = run.rng
    card = run.pick(day, LENDABLE)
    if card is None:
        return
    pk = run.new_id(AssetLoan)
    number = run.ctx.number(run.school.id, "JY", day)
    url = url_of("assets:loan_detail", pk)
    keeper = run.person("assetkeeper")
    outsider = rng.random() < 0.1
    borrower = None if outsider else rng.choice(run.school.staff)
    borrower_name = rng.choice(OUTSIDERS) if outsider else ""
    label = borrower_name or "教职工"
    lent = run.moment(day)
    due = day + DAY * rng.randrange(3, 31 if returned else 46)
    run.move(
        card,
        MovementKind.LENT,
        lent,
        keeper,
        status=A.ON_LOAN,
        reference=number,
        url=url,
        note=f"借给{label}，{due.isoformat()}前归还",
    )
    row = {
        "id": pk,
        "created_at": lent,
        "updated_at": lent,
        "school_id": run.school.id,
        "number": number,
        "asset_id": card.id,
        "borrower_id": borrower[0] if borrower else None,
        "borrower_name": borrower_name,
        "department_id": borrower[1] if borrower else None,
        "purpose": rng.choice(LOAN_PURPOSES),
        "lent_at": lent,
        "lent_by_id": keeper,
        "due_date": due,
        "status": LoanStatus.OUT,
        "returned_at": None,
        "received_by_id": None,
        "return_condition": "",
        "reminded_at": None,
    }
    back_day = due + DAY * rng.randrange(-3, 6)
    if returned and back_day < run.today:
        back = run.moment(max(back_day, day + DAY))
        condition = rng.choice(RETURN_CONDITIONS)
        run.move(
            card,
            MovementKind.RETURNED,
            back,
            keeper,
            status=A.IN_USE,
            reference=number,
            url=url,
            note=condition,
        )
        row.update(
            status=LoanStatus.RETURNED,
            updated_at=back,
            returned_at=back,
            received_by_id=keeper,
            return_condition=condition,
        )
    else:
        card.held = True
        if due <= run.today:
            row["reminded_at"] = run.moment(run.today)
    run.add(AssetLoan, row)


# -- status changes without a document -----------------------------------------------------


def idle(run: SchoolRun, day: datetime.date) -> None:
    card = run.pick(day, (A.IN_USE,))
    if card is None:
        return
    keeper = run.person("assetkeeper")
    at = run.moment(day)
    run.move(card, MovementKind.STATUS, at, keeper, status=A.IDLE, note="设备闲置，暂停使用")
    back = day + DAY * run.rng.randrange(30, 400)
    if run.rng.random() < 0.3 and back < run.today:
        run.move(
            card, MovementKind.STATUS, run.moment(back), keeper, status=A.IN_USE, note="重新启用"
        )


def repair(run: SchoolRun, day: datetime.date) -> None:
    card = run.pick(day, (A.IN_USE, A.IDLE))
    if card is None:
        return
    keeper = run.person("assetkeeper")
    run.move(card, MovementKind.STATUS, run.moment(day), keeper, status=A.UNDER_REPAIR, note="送修")
    back = day + DAY * run.rng.randrange(3, 40)
    if back < run.today and run.rng.random() < 0.85:  # the rest wait for parts or a decision
        run.move(
            card, MovementKind.STATUS, run.moment(back), keeper, status=A.IN_USE, note="维修完成"
        )
