"""Who in a school holds a maintenance permission (for dispatch choices and notices)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet


def holders(school_id: int, perm: str) -> QuerySet[Any]:
    """Active users whose active membership in the school grants ``perm``."""
    from houqin.accounts.models import Membership

    app_label, codename = perm.split(".", 1)
    members = Membership.objects.filter(
        school_id=school_id,
        is_active=True,
        role__permissions__content_type__app_label=app_label,
        role__permissions__codename=codename,
    ).values("user_id")
    users: QuerySet[Any] = get_user_model().objects.filter(pk__in=members, is_active=True)
    return users.order_by("pk")


def workers(school_id: int) -> QuerySet[Any]:
    return holders(school_id, "maintenance.work_workorder")


def dispatchers(school_id: int) -> QuerySet[Any]:
    return holders(school_id, "maintenance.dispatch_workorder")
