"""Asset categories: the tree, one category, edits by holders of the category permissions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from houqin.assets.models import AssetCategory
from tests import factories as f
from tests.conftest import login as _login

from .objects_register import make_asset

pytestmark = pytest.mark.django_db


def login(user: Any) -> Any:
    client = _login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def keeper(school: Any) -> Any:
    return f.member(school, "assetkeeper")


def test_the_tree_lists_parents_before_children_with_inherited_life(
    school: Any, keeper: Any
) -> None:
    make_asset(school)
    response = login(keeper).get("/assets/categories/")
    assert response.status_code == 200
    nodes = response.context["nodes"]
    names = [n.category.name for n in nodes]
    assert names.index("设备") < names.index("计算机设备") < names.index("台式计算机")
    desktop = next(n for n in nodes if n.category.name == "台式计算机")
    assert (desktop.depth, desktop.life_years, desktop.depreciable) == (2, 6, True)
    assert desktop.own_assets == 1
    assert next(n for n in nodes if n.category.name == "设备").total_assets == 1


def test_the_tree_costs_a_constant_number_of_queries(school: Any, keeper: Any) -> None:
    client = login(keeper)
    client.get("/assets/categories/")
    with CaptureQueriesContext(connection) as few:
        client.get("/assets/categories/")
    for _n in range(5):
        make_asset(school)
    AssetCategory.objects.create(name="新类", parent=AssetCategory.objects.get(name="设备"))
    with CaptureQueriesContext(connection) as more:
        client.get("/assets/categories/")
    assert len(more) == len(few)


def test_the_tree_can_be_searched(keeper: Any) -> None:
    response = login(keeper).get("/assets/categories/", {"q": "台式"})
    assert [n.category.name for n in response.context["nodes"]] == ["台式计算机"]


def test_a_category_page_shows_children_cards_and_resolved_life(
    school: Any, other_school: Any, keeper: Any
) -> None:
    make_asset(school)
    make_asset(other_school)
    computers = AssetCategory.objects.get(name="计算机设备")
    response = login(keeper).get(f"/assets/categories/{computers.pk}/")
    assert response.status_code == 200
    assert response.context["asset_count"] == 1  # only the keeper's school
    assert {c.name for c in response.context["children"]} >= {"台式计算机"}
    desktop = AssetCategory.objects.get(name="台式计算机")
    fields = dict(login(keeper).get(f"/assets/categories/{desktop.pk}/").context["fields"])
    assert "6 (inherited)" in fields["depreciation life (years)"]


def test_the_keeper_adds_and_edits_a_category_with_model_validation(keeper: Any) -> None:
    client = login(keeper)
    computers = AssetCategory.objects.get(name="计算机设备")
    response = client.post(
        "/assets/categories/add/",
        {
            "parent": computers.pk,
            "name": "图形工作站",
            "code": "A02010199",
            "sort_order": 100,
            "depreciable": "unknown",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = AssetCategory.objects.get(name="图形工作站")
    assert created.level == 3 and created.resolved() == (True, 6)
    bad_code = client.post(
        f"/assets/categories/{created.pk}/edit/",
        {
            "parent": computers.pk,
            "name": "图形工作站",
            "code": "a0201",
            "sort_order": 100,
            "depreciable": "unknown",
        },
    )
    assert bad_code.status_code == 422
    assert "capital letter" in bad_code.content.decode()
    duplicate = client.post(
        "/assets/categories/add/",
        {"parent": computers.pk, "name": "图形工作站", "sort_order": 100, "depreciable": "unknown"},
    )
    assert duplicate.status_code == 422
    assert AssetCategory.objects.filter(name="图形工作站").count() == 1


def test_a_fourth_level_is_refused(keeper: Any) -> None:
    desktop = AssetCategory.objects.get(name="台式计算机")
    response = login(keeper).post(
        "/assets/categories/add/",
        {"parent": desktop.pk, "name": "太深", "sort_order": 100, "depreciable": "unknown"},
    )
    assert response.status_code == 422
    assert not AssetCategory.objects.filter(name="太深").exists()


def test_readers_cannot_change_categories(school: Any) -> None:
    principal = login(f.member(school, "principal"))
    desktop = AssetCategory.objects.get(name="台式计算机")
    assert principal.get("/assets/categories/").status_code == 200
    assert principal.get(f"/assets/categories/{desktop.pk}/edit/").status_code == 403
    assert principal.get("/assets/categories/add/").status_code == 403
