"""Which schools a user may act in, and with which permissions.

A user's memberships (user × school × role × department) give the role's permissions in
that school; a district membership gives its role's permissions in every school of the
district. The map is built once per request and cached on the user object.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps

_CACHE_ATTR = "_houqin_scope"


def permission_map(user: Any) -> dict[int, frozenset[str]]:
    """school id -> the permissions the user holds in that school."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached: dict[int, frozenset[str]] | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    school_model = apps.get_model("org", "School")
    if user.is_superuser:
        every = frozenset({"*"})
        result = {pk: every for pk in school_model.objects.values_list("pk", flat=True)}
    else:
        result = _build_map(user, school_model)
    setattr(user, _CACHE_ATTR, result)
    return result


def _build_map(user: Any, school_model: Any) -> dict[int, frozenset[str]]:
    membership_model = apps.get_model("accounts", "Membership")
    role_model = apps.get_model("accounts", "Role")
    rows = list(
        membership_model.objects.filter(user=user, is_active=True).values_list(
            "school_id", "district_id", "role_id"
        )
    )
    if not rows:
        return {}
    role_perms: dict[int, set[str]] = defaultdict(set)
    through = role_model.permissions.through
    for role_id, app_label, codename in through.objects.filter(
        role_id__in={r[2] for r in rows}
    ).values_list("role_id", "permission__content_type__app_label", "permission__codename"):
        role_perms[role_id].add(f"{app_label}.{codename}")
    district_ids = {r[1] for r in rows if r[1] is not None}
    district_schools: dict[int, list[int]] = defaultdict(list)
    if district_ids:
        for pk, district_id in school_model.objects.filter(
            district_id__in=district_ids
        ).values_list("pk", "district_id"):
            district_schools[district_id].append(pk)
    perms: dict[int, set[str]] = defaultdict(set)
    for school_id, district_id, role_id in rows:
        targets = [school_id] if school_id is not None else district_schools.get(district_id, [])
        for target in targets:
            perms[target] |= role_perms.get(role_id, set())
    return {pk: frozenset(p) for pk, p in perms.items()}


def forget(user: Any) -> None:
    """Drop the cached map (after memberships or roles change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def school_ids(user: Any, perm: str | None = None) -> list[int]:
    """Schools the user may see; with ``perm``, only those where the user holds it."""
    pmap = permission_map(user)
    if perm is None:
        return sorted(pmap)
    return sorted(pk for pk, perms in pmap.items() if perm in perms or "*" in perms)


def has_perm_in_school(user: Any, perm: str, school_id: int | None) -> bool:
    if school_id is None:
        return False
    perms = permission_map(user).get(school_id, frozenset())
    return perm in perms or "*" in perms


def all_permissions(user: Any) -> set[str]:
    """Every permission the user holds in at least one school."""
    result: set[str] = set()
    for perms in permission_map(user).values():
        result |= perms
    return result
