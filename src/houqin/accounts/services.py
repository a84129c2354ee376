"""Rules about people, memberships and roles. Every change here is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from houqin.core import audit
from houqin.core.scoping import forget

from .models import Membership, Role, User


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    real_name: str,
    password: str,
    membership: dict[str, Any],
    phone: str | None = None,
    staff_no: str = "",
    email: str = "",
) -> User:
    """Create a person together with their first membership, or nothing at all."""
    user = User(
        username=username,
        real_name=real_name,
        phone=phone or None,
        staff_no=staff_no,
        email=email,
        default_school=membership.get("school"),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with audit.acting_as(actor):
        user.save()
        created = Membership(user=user, **membership)
        created.full_clean()
        created.save()
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(user, "update", {"password": ["***", "***"]}, actor=actor)


@transaction.atomic
def membership_save(*, actor: Any, membership: Membership) -> Membership:
    membership.full_clean()
    with audit.acting_as(actor):
        membership.save()
    forget(membership.user)
    return membership


@transaction.atomic
def role_set_permissions(*, actor: Any, role: Role, permissions: list[Permission]) -> Role:
    """Replace a role's permissions and audit exactly what was added and removed."""
    before = set(role.permissions.values_list("pk", flat=True))
    after = {p.pk for p in permissions}
    added = Permission.objects.filter(pk__in=after - before).select_related("content_type")
    removed = Permission.objects.filter(pk__in=before - after).select_related("content_type")
    role.permissions.set(permissions)
    if added or removed:
        audit.record(
            role,
            "update",
            {
                "permissions": [
                    sorted(f"{p.content_type.app_label}.{p.codename}" for p in removed),
                    sorted(f"{p.content_type.app_label}.{p.codename}" for p in added),
                ]
            },
            actor=actor,
        )
    return role
