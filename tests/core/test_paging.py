"""A list sorted by a column no index serves pages its keys first: same rows, same order."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator

from houqin.core.paging import KeysFirstPaginator
from houqin.org.models import Room
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_it_gives_the_pages_of_the_plain_paginator(school: Any) -> None:
    building = f.BuildingFactory(campus__school=school, name="教学楼")
    for n in range(23):
        f.RoomFactory(building=building, number=f"{n:03d}", floor=1 + n % 4)
    rooms = Room.objects.select_related("building").order_by("-floor", "building__name", "pk")
    plain, keyed = Paginator(rooms, 5), KeysFirstPaginator(rooms, 5, orphans=3)
    assert len(keyed.page(4)) == 8
    assert keyed.num_pages == 4  # 23 rows, 5 a page, the last 3 kept with the page before
    keyed_rows = [row.pk for n in keyed.page_range for row in keyed.page(n)]
    assert keyed_rows == [row.pk for row in rooms]
    assert [row.pk for row in plain.page(2)] == [row.pk for row in keyed.page(2)]
    assert keyed.page(1).object_list[0].building.name == "教学楼"  # related rows come along


def test_a_sorted_list_page_shows_the_same_rows(as_director: Any, school: Any) -> None:
    building = f.BuildingFactory(campus__school=school)
    for n in range(60):
        f.RoomFactory(building=building, number=f"R{n:02d}", capacity=n % 7)
    page = as_director.get("/org/rooms/?sort=-capacity&page=2").content.decode()
    expected = Room.objects.filter(school=school).order_by("-capacity", "pk")[50:60]
    for room in expected:
        assert f">{room.number}<" in page


def test_rows_that_are_sums_are_paged_plainly(school: Any) -> None:
    from django.db.models import Count

    from houqin.accounts.models import Role
    from houqin.core.paging import paginator_for

    roles = Role.objects.annotate(members=Count("memberships")).order_by("-members", "pk")
    assert type(paginator_for(roles, 10, keys_first=True)) is Paginator
    rooms = Room.objects.order_by("-capacity", "pk")
    assert type(paginator_for(rooms, 10, keys_first=True)) is KeysFirstPaginator
    assert type(paginator_for(rooms, 10, keys_first=False)) is Paginator
