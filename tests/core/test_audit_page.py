from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from houqin.core.models import AuditEntry
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_admin_filters_the_school_audit_trail(
    admin_user: Any, school: Any, other_school: Any
) -> None:
    f.RoomFactory(building__campus__school=school, number="AUD1")
    f.RoomFactory(building__campus__school=other_school, number="AUD2")
    client = login(admin_user)
    body = client.get("/core/audit/?q=AUD").content.decode()
    assert "AUD1" in body and "AUD2" not in body
    room_type = f.RoomFactory._meta.model._meta
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get(app_label=room_type.app_label, model=room_type.model_name)
    filtered = client.get(f"/core/audit/?content_type={ct.pk}&action=create")
    assert filtered.status_code == 200
    assert all(e.content_type_id == ct.pk for e in filtered.context["page"].object_list)
    export = client.get("/core/audit/?export=xlsx")
    assert export.status_code == 200


def test_teachers_cannot_read_the_audit_trail(as_teacher: Any) -> None:
    assert as_teacher.get("/core/audit/").status_code == 403


def test_purge_keeps_at_least_180_days(school: Any) -> None:
    room = f.RoomFactory(building__campus__school=school)
    AuditEntry.objects.update(created_at=timezone.now() - datetime.timedelta(days=200))
    f.RoomFactory(building=room.building)  # fresh rows
    with pytest.raises(CommandError):
        call_command("purge_audit", "--days", "30")
    before = AuditEntry.objects.count()
    call_command("purge_audit", "--days", "365")
    assert AuditEntry.objects.count() == before
    call_command("purge_audit", "--days", "180")
    remaining = AuditEntry.objects.count()
    assert 0 < remaining < before
    assert not AuditEntry.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=180)
    ).exists()
