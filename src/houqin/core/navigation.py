"""Navigation, declared by each app in its ``navigation.py`` and filtered by permission."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    perm: str | None = None
    icon: str = "dot"


@dataclass(frozen=True)
class MenuGroup:
    label: str | Promise
    icon: str
    weight: int
    items: tuple[MenuItem, ...] = field(default_factory=tuple)


@cache
def all_groups() -> tuple[MenuGroup, ...]:
    groups: list[MenuGroup] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("houqin."):
            continue
        try:
            module = import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        groups.extend(getattr(module, "MENU", ()))
    return tuple(sorted(groups, key=lambda g: g.weight))


def menu_for(perms: set[str], current_path: str) -> list[dict[str, Any]]:
    """The groups and items a user with ``perms`` may open, marking the current one."""
    allowed_all = "*" in perms
    result = []
    for group in all_groups():
        items = []
        for item in group.items:
            if item.perm and not allowed_all and item.perm not in perms:
                continue
            url = reverse(item.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": active})
        if items:
            result.append(
                {
                    "label": group.label,
                    "icon": group.icon,
                    "items": items,
                    "active": any(i["active"] for i in items),
                }
            )
    return result
