"""Damage pages: list (scoped, constant queries), report form, workflow, notice PDF,
statistics, price list; and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from houqin.api.services import token_create
from houqin.assets.models import CompensationPriceItem, DamageReport
from houqin.assets.services import damage as services
from tests import factories as f
from tests.assets.objects_register import make_asset
from tests.conftest import login

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def people(school: Any) -> dict[str, Any]:
    return {
        "keeper": f.member(school, "assetkeeper"),
        "accountant": f.member(school, "accountant"),
        "teacher": f.member(school, "teacher"),
    }


@pytest.fixture
def glass(school: Any) -> CompensationPriceItem:
    return CompensationPriceItem.objects.create(school=school, name="玻璃", unit="m²", price=D(60))


def make(actor: Any, school: Any, **fields: Any) -> DamageReport:
    values = {
        "school": school,
        "item_name": "灯管",
        "description": "灯管被扫把打碎",
        "responsible_kind": "class",
        "student_class": "初二(3)班",
        **fields,
    }
    return services.damage_report(actor=actor, report=DamageReport(**values))


def test_the_list_keeps_a_constant_number_of_queries(school: Any, people: Any, glass: Any) -> None:
    client = login(people["keeper"])
    room = f.RoomFactory(building__campus__school=school)
    make(people["teacher"], school, room=room, price_item=glass)
    url = reverse("assets:damage_list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(8):
        asset = make_asset(school, room=room)
        make(people["teacher"], school, asset=asset if n % 2 else None, room=room)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(one)
    assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_members_list_only_their_own(school: Any, people: Any) -> None:
    mine = make(people["teacher"], school, item_name="粉笔盒")
    make(people["keeper"], school, item_name="扫帚")
    body = login(people["teacher"]).get(reverse("assets:damage_list")).content.decode()
    assert mine.number in body and "扫帚" not in body
    other = DamageReport.objects.exclude(pk=mine.pk).get()
    assert login(people["teacher"]).get(other.get_absolute_url()).status_code == 404


def test_it_filters_by_month_and_class(school: Any, people: Any) -> None:
    make(people["teacher"], school, student_class="初一(1)班")
    old = make(
        people["teacher"],
        school,
        student_class="初三(2)班",
        occurred_at=timezone.make_aware(datetime.datetime(2025, 3, 5, 9)),
    )
    client = login(people["keeper"])
    url = reverse("assets:damage_list")
    body = client.get(url, {"month": "2025-03"}).content.decode()
    assert old.number in body and "初一(1)班" not in body
    body = client.get(url, {"student_class": "初一"}).content.decode()
    assert old.number not in body


def test_reporting_from_an_asset_page(school: Any, people: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    asset = make_asset(school, room=room)
    client = login(people["teacher"])
    url = reverse("assets:damage_add")
    page = client.get(url, {"asset": asset.pk})
    assert page.status_code == 200
    assert "mark_under_repair" in page.content.decode()
    response = client.post(
        f"{url}?asset={asset.pk}",
        {
            "asset": asset.pk,
            "quantity": "1",
            "occurred_at": "2026-10-09T10:30",
            "description": "显示器被撞倒，屏幕碎裂",
            "responsible_kind": "student",
            "responsible_name": "王小明",
            "student_class": "初二(3)班",
            "mark_under_repair": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = DamageReport.objects.get()
    assert made.room == room and made.reporter == people["teacher"]
    asset.refresh_from_db()
    assert asset.status == "under_repair"


def test_an_incomplete_report_shows_errors(school: Any, people: Any) -> None:
    client = login(people["teacher"])
    response = client.post(
        reverse("assets:damage_add"),
        {
            "quantity": "1",
            "occurred_at": "2026-10-09T10:30",
            "description": "x",
            "responsible_kind": "student",
        },
    )
    assert response.status_code == 422
    assert not DamageReport.objects.exists()


def test_the_workflow_through_the_pages(school: Any, people: Any, glass: Any) -> None:
    made = make(people["teacher"], school, price_item=glass, quantity=D("1.5"), deliberate=True)
    keeper = login(people["keeper"])
    page = keeper.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="assess"' in page
    action = reverse("assets:damage_action", args=[made.pk, "assess"])
    assert keeper.post(action, {"amount": "100"}).status_code == 422  # no reason
    assert keeper.post(action, {}).status_code == 302
    made.refresh_from_db()
    assert made.assessed_amount == D(180)
    page = keeper.get(made.get_absolute_url()).content.decode()
    assert "180.00" in page and 'data-testid="rule"' in page
    notice = keeper.get(reverse("assets:damage_notice", args=[made.pk]))
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    assert notice.content.startswith(b"%PDF")
    keeper.post(reverse("assets:damage_action", args=[made.pk, "notify"]))
    made.refresh_from_db()
    assert made.status == "notified"
    accountant = login(people["accountant"])
    pay = reverse("assets:damage_action", args=[made.pk, "pay"])
    assert (
        accountant.post(
            pay, {"amount": "180", "receipt_number": "", "paid_on": "2026-10-10"}
        ).status_code
        == 422
    )
    response = accountant.post(
        pay, {"amount": "180", "receipt_number": "SJ-001", "paid_on": "2026-10-10"}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == "paid" and made.receipt_number == "SJ-001"
    assert keeper.get(reverse("assets:damage_action", args=[made.pk, "pay"])).status_code == 405


def test_statistics(school: Any, people: Any, glass: Any) -> None:
    room = f.RoomFactory(building__campus__school=school, building__name="博学楼")
    made = make(people["teacher"], school, price_item=glass, room=room)
    services.damage_assess(actor=people["keeper"], report=made)
    make(people["teacher"], school, item_name="门锁")
    client = login(people["keeper"])
    response = client.get(reverse("assets:damage_stats"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["reports"] == 2 and totals["assessed"] == D(60)
    by_building = response.context["tables"][0]["rows"]
    row = next(r for r in by_building if r["key"] == "博学楼")
    assert (row["reports"], row["assessed"], row["collected"]) == (1, D(60), D(0))
    assert client.get(reverse("assets:damage_stats"), {"export": "xlsx"}).status_code == 200
    assert login(people["teacher"]).get(reverse("assets:damage_stats")).status_code == 403


def test_price_list_crud(school: Any, people: Any) -> None:
    client = login(people["keeper"])
    response = client.post(
        reverse("assets:priceitem_add"),
        {"school": school.pk, "name": "灯管", "unit": "支", "price": "20", "is_active": "on"},
    )
    assert response.status_code == 302
    item = CompensationPriceItem.objects.get()
    detail = client.get(item.get_absolute_url()).content.decode()
    assert reverse("assets:priceitem_edit", args=[item.pk]) in detail
    assert client.get(reverse("assets:priceitem_list")).status_code == 200
    assert login(people["teacher"]).get(reverse("assets:priceitem_add")).status_code == 403
    assert client.post(reverse("assets:priceitem_delete", args=[item.pk])).status_code == 302
    assert not CompensationPriceItem.objects.exists()


def test_the_api(school: Any, other_school: Any, people: Any, glass: Any) -> None:
    from rest_framework.test import APIClient

    def client_for(user: Any) -> APIClient:
        client = APIClient()
        _token, raw = token_create(user=user, name="t")
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    teacher = client_for(people["teacher"])
    url = reverse("api:damagereport-list")
    response = teacher.post(
        url,
        {
            "price_item": glass.pk,
            "quantity": "2",
            "description": "窗户玻璃碎了",
            "responsible_kind": "class",
            "student_class": "初二(3)班",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["number"].startswith("SH-")
    bad = teacher.post(url, {"description": "x", "responsible_kind": "student", "item_name": "y"})
    assert bad.status_code == 400
    assert teacher.post(reverse("api:damagereport-assess", args=[pk]), {}).status_code == 403
    keeper = client_for(people["keeper"])
    body = keeper.post(reverse("api:damagereport-assess", args=[pk]), {}, format="json").json()
    assert body["assessed_amount"] == "120.00" and body["status"] == "assessed"
    assert keeper.post(reverse("api:damagereport-notify", args=[pk])).json()["status"] == "notified"
    accountant = client_for(people["accountant"])
    pay = reverse("api:damagereport-pay", args=[pk])
    assert accountant.post(pay, {"amount": "100", "receipt_number": "R"}).status_code == 400
    body = accountant.post(pay, {"amount": "120", "receipt_number": "R1"}, format="json").json()
    assert body["status"] == "paid"
    assert keeper.get(url, {"status": "paid"}).json()["count"] == 1
    kindergarten = client_for(f.member(other_school, "assetkeeper"))
    assert kindergarten.get(reverse("api:damagereport-detail", args=[pk])).status_code == 404
    assert kindergarten.get(url).json()["count"] == 0


def test_statistics_count_in_the_local_month_and_year(school: Any, people: Any) -> None:
    """Damage late on New Year's Eve (local time, 15:30 UTC) belongs to December and its
    year; the year filter offers both years and narrows the months."""
    zone = timezone.get_default_timezone()
    eve = make(people["teacher"], school, item_name="窗玻璃")
    new_year = make(people["teacher"], school, item_name="门锁")
    DamageReport.objects.filter(pk=eve.pk).update(
        occurred_at=datetime.datetime(2025, 12, 31, 23, 30, tzinfo=zone)
    )
    DamageReport.objects.filter(pk=new_year.pk).update(
        occurred_at=datetime.datetime(2026, 1, 1, 0, 10, tzinfo=zone)
    )
    client = login(people["keeper"])
    response = client.get(reverse("assets:damage_stats"))
    assert response.context["years"][:2] == [2026, 2025]
    months = {row["key"]: row["reports"] for row in response.context["tables"][3]["rows"]}
    assert (months["2025-12"], months["2026-01"]) == (1, 1)
    response = client.get(reverse("assets:damage_stats"), {"year": "2025"})
    months = {row["key"]: row["reports"] for row in response.context["tables"][3]["rows"]}
    assert months == {"2025-12": 1}
