"""Reads about people shared by pages and dashboards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet

from .models import Membership, Role, User


def membership_list() -> QuerySet[Membership]:
    return Membership.objects.select_related("user", "role", "school", "district", "department")


def people_by_role(school_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Active people per role in the given schools, counted in SQL."""
    rows = (
        Membership.objects.filter(school_id__in=school_ids, is_active=True, user__is_active=True)
        .values("role_id")
        .annotate(count=Count("user_id", distinct=True))
    )
    counts = {row["role_id"]: row["count"] for row in rows}
    roles = Role.objects.filter(pk__in=counts).order_by("sort_order")
    return [{"role": role, "count": counts[role.pk]} for role in roles]


def people_count(school_ids: Sequence[int]) -> int:
    members = Membership.objects.filter(school_id__in=school_ids, is_active=True)
    total: int = User.objects.filter(is_active=True, pk__in=members.values("user_id")).count()
    return total


def user_roles(user: User) -> list[Membership]:
    return list(
        membership_list().filter(user=user, is_active=True).order_by("school__name", "role")
    )
