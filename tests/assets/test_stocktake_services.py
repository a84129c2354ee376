"""Stocktake services: start over a scope, count, scan, surplus, finish, apply, cancel."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from houqin.assets.choices import Acquisition, AssetStatus, CountResult, MovementKind
from houqin.assets.models import Asset, AssetMovement, StocktakeLine
from houqin.assets.services import stocktakes as st
from houqin.assets.services.register import asset_set_status
from houqin.core.models import AuditEntry, StatusChange
from houqin.core.workflow import TransitionError
from tests import factories as f

from .objects_stocktakes import category, make_asset

pytestmark = pytest.mark.django_db
R = CountResult


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    keeper = f.member(school, "assetkeeper")
    room_a = f.RoomFactory(building__campus__school=school, number="101")
    building = room_a.building
    room_b = f.RoomFactory(building=building, number="102")
    elsewhere = f.RoomFactory(building__campus__school=school, number="201")
    a1 = make_asset(school, room_a, keeper, name="电脑一")
    a2 = make_asset(school, room_a, keeper, name="电脑二")
    b1 = make_asset(school, room_b, keeper, name="投影仪", unit_price=Decimal("3000"))
    out = make_asset(school, elsewhere, keeper, name="别处的电脑")
    lost = make_asset(school, room_b, keeper, name="已丢失")
    asset_set_status(actor=keeper, asset=lost, status=AssetStatus.LOST)
    return SimpleNamespace(
        school=school,
        keeper=keeper,
        building=building,
        room_a=room_a,
        room_b=room_b,
        elsewhere=elsewhere,
        a1=a1,
        a2=a2,
        b1=b1,
        out=out,
        lost=lost,
    )


def start(w: SimpleNamespace, **kw: Any) -> Any:
    values: dict[str, Any] = {"name": "期末盘点", "scope": "building", "building": w.building}
    return st.stocktake_start(actor=w.keeper, **{**values, **kw})


def line_of(stocktake: Any, asset: Any) -> StocktakeLine:
    return StocktakeLine.objects.get(stocktake=stocktake, asset=asset)


def test_it_starts_with_one_line_per_active_asset_of_the_building(w: SimpleNamespace) -> None:
    stocktake = start(w)
    assert re.fullmatch(r"PD-\d{4}-\d{6}", stocktake.number)
    lines = dict(stocktake.lines.values_list("asset_id", "expected_room_id"))
    assert lines == {w.a1.pk: w.room_a.pk, w.a2.pk: w.room_a.pk, w.b1.pk: w.room_b.pk}
    assert set(stocktake.lines.values_list("result", flat=True)) == {R.PENDING}
    assert stocktake.status == "counting"


def test_a_category_scope_includes_the_subcategories(w: SimpleNamespace) -> None:
    top = category().parent
    assert top is not None
    stocktake = start(w, scope="category", building=None, category=top, school=w.school)
    assert stocktake.lines.count() == 4  # every active computer of the school


def test_a_department_scope_counts_the_department_s_assets(w: SimpleNamespace) -> None:
    department = f.DepartmentFactory(school=w.school)
    Asset.objects.filter(pk=w.b1.pk).update(department=department)
    stocktake = start(w, scope="department", building=None, department=department)
    assert list(stocktake.lines.values_list("asset_id", flat=True)) == [w.b1.pk]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"building": None}, "Choose the building"),
        ({"scope": "department", "building": None}, "Choose the department"),
        ({"scope": "nonsense"}, "Choose what to count"),
    ],
)
def test_it_refuses_a_scope_without_its_field(
    w: SimpleNamespace, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(st.StocktakeError, match=message):
        start(w, **kw)


def test_it_refuses_an_empty_scope(w: SimpleNamespace) -> None:
    empty = f.BuildingFactory(campus=w.room_a.building.campus, name="空楼")
    with pytest.raises(st.StocktakeError, match="no asset"):
        start(w, building=empty)
    assert not w.school.pk or not StocktakeLine.objects.exists()


# (result asked, room found in: "expected" / "other" / None) -> (result kept, room kept)
COUNTS = [
    (R.FOUND, None, R.FOUND, "expected"),
    (R.FOUND, "expected", R.FOUND, "expected"),
    (R.FOUND, "other", R.WRONG_ROOM, "other"),
    (R.WRONG_ROOM, "other", R.WRONG_ROOM, "other"),
    (R.WRONG_ROOM, "expected", R.FOUND, "expected"),
    (R.DAMAGED, None, R.DAMAGED, "expected"),
    (R.MISSING, "other", R.MISSING, None),
    (R.PENDING, None, R.PENDING, None),
]


@pytest.mark.parametrize(("asked", "room", "kept", "kept_room"), COUNTS)
def test_each_count_result(
    w: SimpleNamespace, asked: str, room: str | None, kept: str, kept_room: str | None
) -> None:
    stocktake = start(w)
    rooms = {"expected": w.room_a, "other": w.room_b, None: None}
    line = st.stocktake_count(
        actor=w.keeper, line=line_of(stocktake, w.a1), result=asked, found_room=rooms[room]
    )
    line.refresh_from_db()
    assert line.result == kept
    assert line.found_room == rooms[kept_room]
    assert (line.counted_at is not None) == (kept != R.PENDING)
    assert (line.counted_by == w.keeper) == (kept != R.PENDING)


def test_wrong_room_needs_the_room(w: SimpleNamespace) -> None:
    stocktake = start(w)
    with pytest.raises(st.StocktakeError, match="room the asset was found in"):
        st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a1), result=R.WRONG_ROOM)


def test_a_holiday_campaign_makes_damage_a_repair_task(w: SimpleNamespace) -> None:
    stocktake = start(w, is_holiday_campaign=True)
    line = st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a1), result=R.DAMAGED)
    assert line.repair_needed


@pytest.mark.parametrize(
    "code",
    [
        lambda a: a.public_code,
        lambda a: a.public_code.lower(),
        lambda a: f"https://houqin.example.cn/assets/a/{a.public_code}/",
        lambda a: f"  /assets/a/{a.public_code}  ",
        lambda a: a.code,
    ],
)
def test_a_scan_finds_the_asset_by_label_url_or_code(w: SimpleNamespace, code: Any) -> None:
    stocktake = start(w)
    line = st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code=code(w.a1), room=w.room_a)
    assert (line.asset_id, line.result, line.found_room_id) == (w.a1.pk, R.FOUND, w.room_a.pk)


def test_a_scan_in_another_room_is_a_wrong_room(w: SimpleNamespace) -> None:
    stocktake = start(w)
    line = st.stocktake_scan(
        actor=w.keeper, stocktake=stocktake, code=w.a1.public_code, room=w.room_b
    )
    assert (line.result, line.found_room_id) == (R.WRONG_ROOM, w.room_b.pk)


def test_a_scanned_asset_outside_the_scope_gets_a_line(w: SimpleNamespace) -> None:
    stocktake = start(w)
    line = st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code=w.out.code, room=w.room_a)
    assert (line.asset_id, line.expected_room_id, line.result) == (
        w.out.pk,
        w.elsewhere.pk,
        R.WRONG_ROOM,
    )
    assert stocktake.lines.count() == 4


def test_a_scanned_lost_asset_is_refused_with_its_status(w: SimpleNamespace) -> None:
    stocktake = start(w)
    with pytest.raises(st.StocktakeError, match="Lost"):
        st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code=w.lost.code, room=w.room_a)


def test_unknown_and_other_schools_codes_are_unknown(w: SimpleNamespace, other_school: Any) -> None:
    stocktake = start(w)
    keeper = f.member(other_school, "assetkeeper")
    theirs = make_asset(other_school, f.RoomFactory(building__campus__school=other_school), keeper)
    for code in ("NOPE-123", theirs.public_code, f"/assets/a/{theirs.public_code}/"):
        with pytest.raises(st.StocktakeError, match="No asset of this school has the code"):
            st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code=code, room=w.room_a)
    with pytest.raises(st.StocktakeError, match="Scan a label"):
        st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code="  ", room=w.room_a)


def test_a_surplus_find_is_registered_on_the_spot(w: SimpleNamespace) -> None:
    stocktake = start(w)
    line = st.stocktake_add_surplus(
        actor=w.keeper,
        stocktake=stocktake,
        room=w.room_b,
        name="无卡打印机",
        category=category(),
        unit_price=Decimal("1200"),
        quantity=2,
    )
    asset = line.asset
    assert asset is not None
    assert (asset.acquisition, asset.room_id, asset.original_value) == (
        Acquisition.SURPLUS,
        w.room_b.pk,
        Decimal("2400.00"),
    )
    assert (line.result, line.surplus_name) == (R.SURPLUS, "无卡打印机")
    movement = AssetMovement.objects.get(asset=asset)
    assert movement.reference == stocktake.number
    with pytest.raises(st.StocktakeError, match="not recounted"):
        st.stocktake_count(actor=w.keeper, line=line, result=R.MISSING)


def test_finishing_makes_pending_lines_missing_and_reopening_undoes_it(w: SimpleNamespace) -> None:
    stocktake = start(w)
    st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a1), result=R.FOUND)
    st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a2), result=R.MISSING)
    st.stocktake_finish_counting(actor=w.keeper, stocktake=stocktake)
    assert stocktake.status == "reconciling"
    assert line_of(stocktake, w.b1).result == R.MISSING
    with pytest.raises(st.StocktakeError, match="no longer counting"):
        st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a1), result=R.DAMAGED)
    st.stocktake_reopen(actor=w.keeper, stocktake=stocktake)
    assert line_of(stocktake, w.b1).result == R.PENDING
    assert line_of(stocktake, w.a2).result == R.MISSING  # counted as missing by a person


def counted(w: SimpleNamespace, **kw: Any) -> Any:
    """a1 found in room B (wrong room), a2 missing, b1 damaged; finished."""
    stocktake = start(w, **kw)
    st.stocktake_count(
        actor=w.keeper, line=line_of(stocktake, w.a1), result=R.FOUND, found_room=w.room_b
    )
    st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.a2), result=R.MISSING)
    st.stocktake_count(actor=w.keeper, line=line_of(stocktake, w.b1), result=R.DAMAGED)
    st.stocktake_finish_counting(actor=w.keeper, stocktake=stocktake)
    return stocktake


def test_applying_corrects_the_register_and_closes(w: SimpleNamespace) -> None:
    stocktake = counted(w)
    done = st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    assert done == {"moved": 1, "lost": 1, "repair": 1}
    a1, a2, b1 = (Asset.objects.get(pk=a.pk) for a in (w.a1, w.a2, w.b1))
    assert (a1.room_id, a1.status) == (w.room_b.pk, AssetStatus.IN_USE)
    assert a2.status == AssetStatus.LOST
    assert b1.status == AssetStatus.UNDER_REPAIR
    moves = AssetMovement.objects.filter(kind=MovementKind.COUNTED)
    assert moves.count() == 3
    assert set(moves.values_list("reference", flat=True)) == {stocktake.number}
    move = moves.get(asset=w.a1)
    assert (move.from_room_id, move.to_room_id, move.actor) == (w.room_a.pk, w.room_b.pk, w.keeper)
    audit = AuditEntry.objects.filter(object_id=str(w.a2.pk), action="update").latest("id")
    assert audit.changes == {"status": ["in_use", "lost"]}
    assert audit.actor == w.keeper
    stocktake.refresh_from_db()
    assert stocktake.status == "closed"
    assert stocktake.closed_by == w.keeper and stocktake.closed_at is not None
    applied = dict(stocktake.lines.values_list("asset_id", "applied"))
    assert applied == {w.a1.pk: True, w.a2.pk: True, w.b1.pk: True}
    assert StatusChange.objects.filter(object_id=str(stocktake.pk), to_status="closed").exists()


def test_a_second_apply_is_refused_and_changes_nothing(w: SimpleNamespace) -> None:
    stocktake = counted(w)
    st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    before = AssetMovement.objects.count()
    with pytest.raises(st.StocktakeError, match="already been applied"):
        st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    assert AssetMovement.objects.count() == before


def test_applying_needs_the_counting_finished(w: SimpleNamespace) -> None:
    stocktake = start(w)
    with pytest.raises(st.StocktakeError, match="Finish counting"):
        st.stocktake_apply(actor=w.keeper, stocktake=stocktake)


def test_a_failed_apply_leaves_everything_as_it_was(
    w: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    stocktake = counted(w)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise TransitionError("boom")

    monkeypatch.setattr(st, "transition", broken)
    with pytest.raises(TransitionError):
        st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    assert Asset.objects.get(pk=w.a2.pk).status == AssetStatus.IN_USE
    assert Asset.objects.get(pk=w.a1.pk).room_id == w.room_a.pk
    assert not AssetMovement.objects.filter(kind=MovementKind.COUNTED).exists()
    assert not stocktake.lines.filter(applied=True).exists()


def test_an_asset_disposed_of_since_the_count_is_left_alone(w: SimpleNamespace) -> None:
    stocktake = counted(w)
    asset_set_status(actor=w.keeper, asset=w.a2, status=AssetStatus.DISPOSED)
    done = st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    assert done["lost"] == 0
    assert Asset.objects.get(pk=w.a2.pk).status == AssetStatus.DISPOSED


def test_cancel(w: SimpleNamespace) -> None:
    stocktake = start(w)
    st.stocktake_cancel(actor=w.keeper, stocktake=stocktake, reason="重来")
    assert stocktake.status == "cancelled"
    with pytest.raises(st.StocktakeError, match="no longer counting"):
        st.stocktake_scan(actor=w.keeper, stocktake=stocktake, code=w.a1.code, room=w.room_a)
    other = counted(w)
    with pytest.raises(TransitionError):
        st.stocktake_cancel(actor=w.keeper, stocktake=other)


def test_holiday_repairs_are_ticked_off(w: SimpleNamespace) -> None:
    stocktake = counted(w, is_holiday_campaign=True)
    damaged = line_of(stocktake, w.b1)
    with pytest.raises(st.StocktakeError, match="not a repair task"):
        st.stocktake_mark_repaired(actor=w.keeper, line=damaged)
    st.stocktake_apply(actor=w.keeper, stocktake=stocktake)
    line = st.stocktake_mark_repaired(actor=w.keeper, line=line_of(stocktake, w.b1))
    assert line.repaired_at is not None
    assert Asset.objects.get(pk=w.b1.pk).status == AssetStatus.IN_USE
    st.stocktake_mark_repaired(actor=w.keeper, line=line, repaired=False)
    assert Asset.objects.get(pk=w.b1.pk).status == AssetStatus.UNDER_REPAIR


def test_counting_many_lines_at_once(w: SimpleNamespace) -> None:
    stocktake = start(w)
    ids = {a.pk: line_of(stocktake, a).pk for a in (w.a1, w.a2, w.b1)}
    st.stocktake_count_lines(
        actor=w.keeper,
        stocktake=stocktake,
        results=[
            (ids[w.a1.pk], R.FOUND, None),
            (ids[w.a2.pk], R.FOUND, w.room_b.pk),
            (ids[w.b1.pk], R.MISSING, w.room_b.pk),
        ],
    )
    got = dict(stocktake.lines.values_list("asset_id", "result"))
    assert got == {w.a1.pk: R.FOUND, w.a2.pk: R.WRONG_ROOM, w.b1.pk: R.MISSING}
    assert line_of(stocktake, w.a2).found_room_id == w.room_b.pk
    assert st.stocktake_count_room(actor=w.keeper, stocktake=stocktake, room=w.room_a) == 0


def test_two_schools_both_get_their_first_number(w: SimpleNamespace, other_school: Any) -> None:
    first = start(w)
    keeper = f.member(other_school, "assetkeeper")
    room = f.RoomFactory(building__campus__school=other_school)
    make_asset(other_school, room, keeper)
    theirs = st.stocktake_start(actor=keeper, name="盘点", scope="building", building=room.building)
    # Numbers run per school: both schools start their year at 000001.
    assert first.number == theirs.number
    assert first.number.endswith("-000001")
