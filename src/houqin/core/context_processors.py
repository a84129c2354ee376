from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .navigation import menu_for
from .schools import active_school_id, visible_schools
from .scoping import all_permissions


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the page frame needs: navigation, the school switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    schools = visible_schools(user)
    active = active_school_id(request)
    return {
        "nav_menu": menu_for(all_permissions(user), request.path, user),
        "switch_schools": schools,
        "active_school": next((s for s in schools if s.pk == active), None),
    }
