"""Over several schools, filters of one school's objects (rooms, people, teams) are offered
once a school is chosen: the bureau's lists do not render every room of the district."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from houqin.core.filters import school_level
from houqin.maintenance.filters_orders import WorkOrderFilter
from houqin.maintenance.models import RepairCategory, WorkOrder
from houqin.org.models import Building, Room, School
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
URL = reverse("maintenance:workorder_list")


def test_school_level_models() -> None:
    assert school_level(Room) and school_level(Building)
    assert not school_level(School) and not school_level(RepairCategory)


def test_the_bureau_gets_school_filters_once_a_school_is_chosen(
    school: Any, other_school: Any
) -> None:
    other_school.district = school.district
    other_school.save()
    building = f.BuildingFactory(campus__school=school)
    bureau = f.district_member(school.district)
    client = login(bureau)
    response = client.get(URL)
    assert response.status_code == 200
    filterset = response.context["filterset"]
    assert {"building", "room", "assignee", "team"} <= set(filterset.deferred)
    assert "category" in filterset.form.fields and "status" in filterset.form.fields
    html = response.content.decode()
    assert 'data-testid="choose-school"' in html and 'name="room"' not in html
    # A building asked for in the address stays, with only its own choice.
    response = client.get(URL, {"building": building.pk})
    field = response.context["filterset"].form.fields["building"]
    assert list(field.queryset) == [building]
    assert "building" not in response.context["filterset"].deferred
    # Another school's building is refused as before (not a valid choice), never shown.
    elsewhere = f.BuildingFactory(campus__school=f.SchoolFactory())
    response = client.get(URL, {"building": elsewhere.pk})
    assert response.status_code == 200
    assert elsewhere.name not in response.content.decode()
    # With one school chosen, every filter is there.
    client.post(reverse("core:switch_school"), {"school": school.pk, "next": URL})
    response = client.get(URL)
    assert not response.context["filterset"].deferred
    assert {"building", "room", "assignee"} <= set(response.context["filterset"].form.fields)


def test_a_school_user_keeps_every_filter(school: Any, director: Any) -> None:
    response = login(director).get(URL)
    assert not response.context["filterset"].deferred
    assert 'data-testid="choose-school"' not in response.content.decode()


def test_deferring_keeps_the_filtering_of_a_chosen_value(school: Any) -> None:
    filterset = WorkOrderFilter({"status": "new"}, queryset=WorkOrder.objects.all())
    assert "room" in filterset.defer_school_choices()
    assert filterset.is_valid()
    assert "room" not in filterset.form.cleaned_data
