"""Disposal pages: the form from a card or a selection, the detail with its approval, the
actions, the buttons on the register, the list's queries."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from houqin.approvals.models import ApprovalRequest
from houqin.approvals.services import approval_act
from houqin.assets import actions
from houqin.assets.models import Asset, AssetDisposal
from houqin.assets.services import disposal as services
from tests.conftest import login

from .objects_disposal import disposal_world, make_disposal

pytestmark = pytest.mark.django_db

ADD = reverse("assets:disposal_add")


@pytest.fixture
def w(school: Any) -> SimpleNamespace:
    return disposal_world(school)


def form_data(w: SimpleNamespace, codes: str, **kw: Any) -> dict[str, Any]:
    return {
        "school": w.school.pk,
        "codes": codes,
        "reason": "使用超过十年，维修价值低",
        "condition": "桌面开裂，椅腿松动",
        "appraisal": "经总务处鉴定无修复价值",
        "appraiser": "王师傅",
        "method": "recycling",
        "proceeds": "300",
        **kw,
    }


def test_the_form_is_filled_from_a_card(w: SimpleNamespace) -> None:
    response = login(w.keeper).get(f"{ADD}?asset={w.pc.pk}")
    assert response.status_code == 200
    assert response.context["form"].initial["codes"] == w.pc.code


def test_the_form_is_filled_from_a_selection(w: SimpleNamespace) -> None:
    response = login(w.keeper).get(f"{ADD}?ids={w.pc.pk},{w.desks.pk}&ids={w.idle.pk}")
    codes = response.context["form"].initial["codes"].split("\n")
    assert sorted(codes) == sorted([w.pc.code, w.desks.code, w.idle.code])


def test_the_form_is_filled_from_the_register_filters(w: SimpleNamespace) -> None:
    client = login(w.keeper)
    response = client.get(f"{ADD}?status=idle")
    assert response.context["form"].initial["codes"] == w.idle.code
    Asset.objects.filter(pk=w.pc.pk).update(status="on_loan")
    response = client.get(f"{ADD}?q=台式计算机")
    assert "codes" not in response.context["form"].initial  # the one computer is on loan
    assert "已排除" in " ".join(str(m) for m in response.context["messages"])


def test_the_form_ignores_cards_of_another_school(w: SimpleNamespace, other_school: Any) -> None:
    from .objects_disposal import make_asset

    theirs = make_asset(other_school, "别校电脑", keeper=w.keeper)
    response = login(w.keeper).get(f"{ADD}?ids={theirs.pk}")
    assert "codes" not in response.context["form"].initial


def test_it_creates_a_disposal_from_typed_codes(w: SimpleNamespace) -> None:
    client = login(w.keeper)
    response = client.post(ADD, form_data(w, f"{w.pc.code}, {w.desks.code}\n"))
    assert response.status_code == 302
    disposal = AssetDisposal.objects.get()
    assert response["Location"] == disposal.get_absolute_url()
    assert disposal.lines.count() == 2
    assert disposal.total_value == Decimal("10800.00")
    page = client.get(disposal.get_absolute_url())
    html = page.content.decode()
    assert w.pc.code in html and "学生课桌椅" in html
    assert 'data-testid="submit"' in html


def test_it_names_unknown_codes(w: SimpleNamespace) -> None:
    response = login(w.keeper).post(ADD, form_data(w, f"{w.pc.code} ZC-1999-999999"))
    assert response.status_code == 422
    assert "ZC-1999-999999" in str(response.context["form"].errors["codes"])
    assert not AssetDisposal.objects.exists()


def test_it_shows_why_an_asset_is_refused(w: SimpleNamespace) -> None:
    Asset.objects.filter(pk=w.pc.pk).update(status="on_loan")
    response = login(w.keeper).post(ADD, form_data(w, w.pc.code))
    assert response.status_code == 422
    assert w.pc.code in " ".join(response.context["form"].non_field_errors())
    assert not AssetDisposal.objects.exists()


def test_approval_and_completion_through_the_pages(w: SimpleNamespace) -> None:
    disposal = make_disposal(w.school, w.keeper, [w.pc])
    keeper = login(w.keeper)
    action = reverse("assets:disposal_action", args=[disposal.pk, "submit"])
    assert keeper.get(action).status_code == 405
    keeper.post(action)
    disposal.refresh_from_db()
    assert disposal.status == "pending"

    director = login(w.director)
    page = director.get(disposal.get_absolute_url()).content.decode()
    assert 'data-testid="approval-panel"' in page
    assert 'data-testid="approve"' in page
    request = ApprovalRequest.objects.get(object_id=disposal.pk, request_type="asset_disposal")
    director.post(reverse("approvals:request_act", args=[request.pk, "approve"]))
    disposal.refresh_from_db()
    assert disposal.status == "approved"

    page = keeper.get(disposal.get_absolute_url()).content.decode()
    assert 'data-testid="complete"' in page
    complete = reverse("assets:disposal_action", args=[disposal.pk, "complete"])
    keeper.post(complete, {"method": "recycling", "proceeds": "-1", "disposed_on": "2000-01-01"})
    disposal.refresh_from_db()
    assert disposal.status == "approved"
    keeper.post(complete, {"method": "recycling", "proceeds": "50", "disposed_on": ""})
    assert AssetDisposal.objects.get(pk=disposal.pk).status == "approved"
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    response = keeper.post(
        complete, {"method": "recycling", "proceeds": "50", "disposed_on": today}, follow=True
    )
    disposal.refresh_from_db()
    assert disposal.status == "completed"
    assert disposal.proceeds == Decimal("50")
    assert Asset.objects.get(pk=w.pc.pk).status == "disposed"
    assert 'data-testid="complete"' not in response.content.decode()


def test_withdraw_through_the_page(w: SimpleNamespace) -> None:
    disposal = services.disposal_submit(
        actor=w.keeper, disposal=make_disposal(w.school, w.keeper, [w.pc])
    )
    login(w.keeper).post(reverse("assets:disposal_action", args=[disposal.pk, "withdraw"]))
    disposal.refresh_from_db()
    assert disposal.status == "withdrawn"
    assert Asset.objects.get(pk=w.pc.pk).status == "in_use"


def test_others_may_not_edit_or_complete(w: SimpleNamespace) -> None:
    disposal = make_disposal(w.school, w.keeper, [w.pc])
    director = login(w.director)
    assert director.get(reverse("assets:disposal_edit", args=[disposal.pk])).status_code == 403
    services.disposal_submit(actor=w.keeper, disposal=disposal)
    request = ApprovalRequest.objects.get(object_id=disposal.pk)
    approval_act(request=request, actor=w.director, action="approve")
    login(w.principal).post(
        reverse("assets:disposal_action", args=[disposal.pk, "complete"]),
        {"method": "sale", "proceeds": "1", "disposed_on": "2026-01-01"},
    )
    assert AssetDisposal.objects.get(pk=disposal.pk).status == "approved"


def test_buttons_on_the_asset_page_and_the_register_list(w: SimpleNamespace) -> None:
    request = RequestFactory().get("/")
    request.user = w.keeper
    found = [a for a in actions.for_asset(request, w.pc) if "disposal" in a["url"]]
    assert found and found[0]["url"].endswith(f"?asset={w.pc.pk}")
    assert any(a["url"] == ADD for a in actions.for_list(request, ""))
    Asset.objects.filter(pk=w.pc.pk).update(status="disposed")
    w.pc.refresh_from_db()
    assert not [a for a in actions.for_asset(request, w.pc) if "disposal" in a["url"]]
    request.user = w.teacher
    assert not [a for a in actions.for_asset(request, w.desks) if "disposal" in a["url"]]
    assert not [a for a in actions.for_list(request, "") if a["url"] == ADD]


def test_the_list_filters_and_keeps_its_queries_constant(w: SimpleNamespace) -> None:
    client = login(w.keeper)
    url = reverse("assets:disposal_list")
    make_disposal(w.school, w.keeper, [w.pc])
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for asset in (w.desks, w.idle, w.server):
        make_disposal(w.school, w.keeper, [asset], method="sale")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4
    assert len(many) == len(one)
    assert len(client.get(f"{url}?method=sale").context["page"].object_list) == 3
    assert len(client.get(f"{url}?status=pending").context["page"].object_list) == 0
    this_year = AssetDisposal.objects.first().created_at.year  # type: ignore[union-attr]
    assert len(client.get(f"{url}?year={this_year}").context["page"].object_list) == 4
