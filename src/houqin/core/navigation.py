"""Navigation, declared by each app in its ``navigation.py`` and filtered by permission."""

from __future__ import annotations

from collections.abc import Callable
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


#: url name -> function(user) -> count shown as a badge next to the menu item.
BADGES: dict[str, Callable[[Any], int]] = {}


def register_badge(url_name: str, counter: Callable[[Any], int]) -> None:
    BADGES[url_name] = counter


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


def menu_for(perms: set[str], current_path: str, user: Any = None) -> list[dict[str, Any]]:
    """The groups and items a user with ``perms`` may open, marking the current one."""
    allowed_all = "*" in perms
    result: list[dict[str, Any]] = []
    best: dict[str, Any] | None = None  # the item whose URL matches the most of the path
    for group in all_groups():
        items: list[dict[str, Any]] = []
        for item in group.items:
            if item.perm and not allowed_all and item.perm not in perms:
                continue
            url = reverse(item.url_name)
            matches = current_path == url or (url != "/" and current_path.startswith(url))
            counter = BADGES.get(item.url_name)
            badge = counter(user) if counter is not None and user is not None else 0
            entry: dict[str, Any] = {"label": item.label, "url": url, "icon": item.icon}
            entry.update(active=False, badge=badge)
            if matches and (best is None or len(url) > len(best["url"])):
                best = entry
            items.append(entry)
        if items:
            result.append({"label": group.label, "icon": group.icon, "items": items})
    if best is not None:
        best["active"] = True
    for group_entry in result:
        group_entry["active"] = any(i["active"] for i in group_entry["items"])
    return result


def _menu() -> tuple[MenuGroup, ...]:
    from django.utils.translation import gettext_lazy as _

    return (
        MenuGroup(
            _("System"),
            "gear",
            weight=95,
            items=(
                MenuItem(
                    _("Audit trail"), "core:auditentry_list", "core.view_auditentry", "journal-text"
                ),
            ),
        ),
    )


MENU = _menu()
