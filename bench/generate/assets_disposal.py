"""Disposals (报废 BF-) of one school, as ``services/disposal.py`` and its approval hooks write
them: lines with the values of the day, cards held while the request is open, released when it
is refused, disposed of (leaving the active register) when it is completed."""

from __future__ import annotations

import datetime

from houqin.assets.choices import AssetStatus, DisposalMethod, MovementKind, RequestStatus
from houqin.assets.models import AssetDisposal, AssetDisposalLine

from .assets_cards import net_cents, yuan
from .assets_state import Card, SchoolRun, outcome, url_of

A = AssetStatus
S = RequestStatus
M = DisposalMethod
DISPOSABLE = (A.IN_USE, A.IDLE, A.UNDER_REPAIR)
REASONS = (
    ("超过使用年限，主板老化无法维修", "无法开机，维修费用超过残值"),
    ("使用年限已满，性能落后无法满足教学", "运行缓慢，多次维修"),
    ("损坏严重，无修复价值", "外壳破裂，核心部件损坏"),
    ("桌椅板面开裂、铁架锈蚀", "存在安全隐患，不宜继续使用"),
    ("制冷效果差，压缩机损坏", "维修报价高于购置价一半"),
    ("灯泡寿命耗尽，色彩偏差严重", "亮度不足，无法正常投影"),
)
APPRAISERS = ("信息中心 李工", "总务处 王师傅", "区教育装备中心 赵工", "售后服务站 刘工")
METHOD_LABEL = {M.SALE: "出售", M.RECYCLING: "回收", M.DESTRUCTION: "销毁", M.TRANSFER_OUT: "调出"}


def schedule(run: SchoolRun, disposals: int) -> None:
    run.spread(disposals, lambda day: disposal(run, day))


def disposal_status(run: SchoolRun, day: datetime.date) -> str:
    roll = run.rng.random()
    if run.recent(day):
        bands = ((0.3, S.PENDING), (0.55, S.APPROVED), (0.65, S.RETURNED), (0.8, S.DRAFT))
        return outcome(roll, bands, S.COMPLETED)
    return outcome(roll, ((0.88, S.COMPLETED), (0.94, S.REJECTED)), S.WITHDRAWN)


def choose(run: SchoolRun, day: datetime.date) -> list[Card]:
    rng = run.rng
    size = rng.choice((1, 1, 1, 2, 2, 3, 5, 8, 12, 20))
    old = day - datetime.timedelta(days=6 * 365)
    cards = run.pick_many(day, DISPOSABLE, size, bought_before=old)
    return cards or run.pick_many(day, DISPOSABLE, 1)


def disposal(run: SchoolRun, day: datetime.date) -> None:
    rng = run.rng
    cards = choose(run, day)
    if not cards:
        return
    pk = run.new_id(AssetDisposal)
    number = run.ctx.number(run.school.id, "BF", day)
    url = url_of("assets:disposal_detail", pk)
    status = disposal_status(run, day)
    department = cards[0].department
    requester = run.member_of(department)
    keeper = run.person("assetkeeper")
    created = run.moment(day)
    submitted = run.later(created, 0.5, 24)
    decided = run.later(submitted, 24, 120)
    completed = run.later(decided, 24, 240) if status == S.COMPLETED else None
    method = rng.choices((M.SALE, M.RECYCLING, M.DESTRUCTION, M.TRANSFER_OUT), (30, 40, 25, 5))[0]
    valued_on = completed.date() if completed else day
    lines = []
    for card in cards:
        previous = card.status
        if status != S.DRAFT:
            run.move(
                card,
                MovementKind.STATUS,
                submitted,
                requester,
                status=A.PENDING_DISPOSAL,
                reference=number,
                url=url,
            )
        if status in (S.REJECTED, S.RETURNED, S.WITHDRAWN):
            run.move(
                card,
                MovementKind.STATUS,
                decided,
                requester,
                status=previous,
                reference=number,
                url=url,
            )
        if completed is not None:
            card.ended = card.disposed = completed.date()
            run.move(
                card,
                MovementKind.DISPOSED,
                completed,
                keeper,
                status=A.DISPOSED,
                reference=number,
                url=url,
                note=f"处置方式：{METHOD_LABEL[method]}。",
            )
        elif status in (S.DRAFT, S.PENDING, S.APPROVED, S.RETURNED):
            card.held = True
        lines.append((card, previous, net_cents(card, valued_on)))
    total = sum(card.cents for card, _p, _n in lines)
    net = sum(value for _c, _p, value in lines)
    for card, previous, value in lines:
        run.add(
            AssetDisposalLine,
            {
                "disposal_id": pk,
                "asset_id": card.id,
                "original_value": yuan(card.cents),
                "net_value": yuan(value),
                "previous_status": "" if status == S.DRAFT else previous,
            },
        )
    principal = run.person("principal")
    steps: list[tuple[str, str, int | None, datetime.datetime]] = []
    if status != S.DRAFT:
        steps.append((S.DRAFT, S.PENDING, requester, submitted))
        if status in (S.APPROVED, S.COMPLETED):
            steps.append((S.PENDING, S.APPROVED, principal, decided))
        elif status != S.PENDING:
            steps.append(
                (S.PENDING, status, requester if status == S.WITHDRAWN else principal, decided)
            )
        if completed is not None:
            steps.append((S.APPROVED, S.COMPLETED, keeper, completed))
        run.approvals["asset_disposal"].append(
            {
                "object_id": pk,
                "school": run.school,
                "title": title(number, cards),
                "amount": yuan(total),
                "category": method,
                "department_id": department,
                "requester_id": requester,
                "status": "approved" if status in (S.APPROVED, S.COMPLETED) else str(status),
                "submitted_at": submitted,
                "decided_at": None if status == S.PENDING else decided,
            }
        )
    run.status_change(AssetDisposal, pk, steps, reason="鉴定意见不充分，请补充")
    reason, condition = rng.choice(REASONS)
    proceeds = 0
    if completed is not None and method in (M.SALE, M.RECYCLING):
        proceeds = max(net // 20, total // 200) // 100 * 100
    run.add(
        AssetDisposal,
        {
            "id": pk,
            "created_at": created,
            "updated_at": steps[-1][3] if steps else created,
            "school_id": run.school.id,
            "number": number,
            "requester_id": requester,
            "status": status,
            "department_id": department,
            "reason": reason,
            "condition": condition,
            "appraisal": "经技术鉴定，同意报废。" if status != S.DRAFT else "",
            "appraiser": rng.choice(APPRAISERS) if status != S.DRAFT else "",
            "method": method,
            "proceeds": yuan(proceeds),
            "total_value": yuan(total),
            "net_value": yuan(net),
            "completed_at": completed,
        },
    )


def title(number: str, cards: list[Card]) -> str:
    """As the approval adapter titles it: the most valuable card, and how many more."""
    first = max(cards, key=lambda c: (c.cents, -c.id))
    if len(cards) == 1:
        return f"{number} {first.name}"
    return f"{number} {first.name}等{len(cards)}项"
