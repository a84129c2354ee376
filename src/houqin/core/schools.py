"""The school a user is working in (the school switcher)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .scoping import school_ids

SESSION_KEY = "houqin_school"
ALL = "all"


def active_school_id(request: HttpRequest) -> int | None:
    """The chosen school, or ``None`` for "all my schools"."""
    visible = school_ids(request.user)
    if not visible:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen == ALL and len(visible) > 1:
        return None
    if isinstance(chosen, int) and chosen in visible:
        return chosen
    if len(visible) == 1:
        return visible[0]
    default = getattr(request.user, "default_school_id", None)
    if default in visible:
        return int(default)
    return None


def set_active_school(request: HttpRequest, value: str) -> bool:
    visible = school_ids(request.user)
    if value == ALL:
        request.session[SESSION_KEY] = ALL
        return True
    try:
        pk = int(value)
    except ValueError:
        return False
    if pk not in visible:
        return False
    request.session[SESSION_KEY] = pk
    return True


def visible_schools(user: Any) -> list[Any]:
    from django.apps import apps

    school_model = apps.get_model("org", "School")
    return list(school_model.objects.filter(pk__in=school_ids(user)).only("pk", "name"))
