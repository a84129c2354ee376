"""The demo data: idempotent, every persona can sign in, and schools stay apart."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test import Client

from houqin.accounts.models import Membership, User
from houqin.assets.models import Asset
from houqin.core.models import DocumentSequence
from houqin.demo import data
from houqin.demo.loader import load_demo
from houqin.org.models import (
    Building,
    Campus,
    Department,
    District,
    Room,
    School,
    SchoolYear,
    Term,
)

pytestmark = pytest.mark.django_db

MODELS = [District, School, Campus, Building, Room, Department, SchoolYear, Term, User, Membership]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


@pytest.fixture
def demo(demo_data: dict[str, int]) -> dict[str, int]:
    return demo_data


def every_table() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": data.PASSWORD})
    assert response.status_code == 302, username
    return client


def test_migrations_alone_load_no_demo_data(db: Any) -> None:
    assert User.objects.count() == 0
    assert School.objects.count() == 0


def test_loading_twice_creates_no_duplicates(demo: dict[str, int]) -> None:
    """The whole demo (people, assets, repairs, store, purchasing, budgets, printing) is
    loaded again over itself: no table gains or loses a row, and numbering stays put."""
    tables = every_table()
    sequences = list(DocumentSequence.objects.order_by("pk").values_list("last_number", flat=True))
    values = Asset.objects.aggregate(n=Count("id"), v=Sum("original_value"))
    first = counts()
    again = load_demo()
    assert every_table() == tables
    assert (
        list(DocumentSequence.objects.order_by("pk").values_list("last_number", flat=True))
        == sequences
    )
    assert Asset.objects.aggregate(n=Count("id"), v=Sum("original_value")) == values
    assert counts() == first
    assert again["created"] == 0
    assert again["updated"] == 0
    assert again["work_orders"] == demo["work_orders"] > 0
    assert first["School"] == 2
    assert first["Room"] >= 200
    assert first["User"] == len(data.PERSONAS) + len(data.EXTRA_STAFF)


def test_the_demo_is_realistic(demo: dict[str, int]) -> None:
    school = School.objects.get(name="示范中学")
    assert Room.objects.filter(school=school).count() >= 200
    assert Department.objects.get(school=school, name="总务处").head.username == "director"
    assert Department.objects.get(school=school, name="教务处").head.username == "depthead"
    today_terms = Term.objects.filter(school=school, start__lte="2026-11-24", end__gte="2026-11-24")
    assert [(t.school_year.name, t.kind) for t in today_terms] == [("2026-2027学年", "autumn")]
    phones = list(User.objects.values_list("phone", flat=True))
    assert len(set(phones)) == len(phones)
    assert all(p and p[:2] in {"13", "15", "18"} and len(p) == 11 for p in phones)
    district = Membership.objects.get(user__username="district")
    assert district.school is None
    assert district.district.name == "示范区教育局"


def test_every_persona_can_sign_in(demo: dict[str, int]) -> None:
    for username, *_rest in data.PERSONAS:
        response = Client().post(
            "/accounts/login/", {"username": username, "password": data.PASSWORD}
        )
        assert response.status_code == 302, username
        assert response["Location"] == "/", username


def test_the_teacher_sees_only_rooms_of_their_school(demo: dict[str, int]) -> None:
    client = login("teacher")
    own = Room.objects.filter(school__name="示范中学").first()
    other = Room.objects.filter(school__name="阳光幼儿园").first()
    assert client.get(f"/org/rooms/{own.pk}/").status_code == 200
    assert client.get(f"/org/rooms/{other.pk}/").status_code == 404


def test_the_director_lists_rooms(demo: dict[str, int]) -> None:
    assert login("director").get("/org/rooms/").status_code == 200


def test_the_command_prints_the_accounts(db: Any) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "director" in text
    assert data.PASSWORD in text
    assert "http://127.0.0.1:8000/" in text
    assert School.objects.count() == 2
