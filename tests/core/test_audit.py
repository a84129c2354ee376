from __future__ import annotations

from typing import Any

import pytest

from houqin.core.audit import acting_as
from houqin.core.models import AuditEntry
from tests import factories as f

pytestmark = pytest.mark.django_db


def entries(obj: Any) -> Any:
    return AuditEntry.objects.filter(
        content_type__model=obj._meta.model_name, object_id=str(obj.pk)
    ).order_by("id")


def test_it_records_only_the_fields_that_changed(director: Any) -> None:
    building = f.BuildingFactory(floors_above=4)
    with acting_as(director):
        building.floors_above = 5
        building.save()
        building.save()  # nothing changed: no second row
    update = entries(building).filter(action="update")
    assert update.count() == 1
    assert update.get().changes == {"floors_above": [4, 5]}
    assert update.get().actor == director
    assert update.get().school_id == building.school_id


def test_it_shows_related_objects_by_name() -> None:
    room = f.RoomFactory()
    other = f.BuildingFactory(campus=room.building.campus, name="新楼")
    room.building = other
    room.save()
    change = entries(room).filter(action="update").get()
    assert change.changes["building"][1] == "新楼"


def test_it_records_deletions_with_the_name() -> None:
    department = f.DepartmentFactory(name="后勤处")
    pk = department.pk
    department.delete()
    deleted = AuditEntry.objects.get(
        content_type__model="department", object_id=str(pk), action="delete"
    )
    assert deleted.object_repr == "后勤处"


def test_it_never_records_password_hashes() -> None:
    user = f.UserFactory()
    user.set_password("another-secret-9")
    user.save()
    for entry in entries(user):
        assert "password" not in entry.changes
