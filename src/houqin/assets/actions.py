"""Buttons other parts of the register add to the asset page and to the register list.

An area registers a provider at import time; the register's views collect them, so the asset
page offers "print label", "transfer", "lend", "report damage", "dispose of"… without knowing
those modules; a damage report's page likewise offers "repair it" from maintenance. A
provider returns dicts with ``label``, ``url``, ``icon`` and optionally ``style`` (a
Bootstrap button style) and ``method`` ("get" or "post").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AssetProvider = Callable[[Any, Any], list[dict[str, Any]]]  # (request, asset)
ListProvider = Callable[[Any, str], list[dict[str, Any]]]  # (request, filter query string)

DamageProvider = Callable[[Any, Any], list[dict[str, Any]]]  # (request, damage report)

ASSET_ACTIONS: list[AssetProvider] = []
LIST_ACTIONS: list[ListProvider] = []
DAMAGE_ACTIONS: list[DamageProvider] = []


def asset_action(provider: AssetProvider) -> AssetProvider:
    ASSET_ACTIONS.append(provider)
    return provider


def list_action(provider: ListProvider) -> ListProvider:
    LIST_ACTIONS.append(provider)
    return provider


def damage_action(provider: DamageProvider) -> DamageProvider:
    DAMAGE_ACTIONS.append(provider)
    return provider


def for_damage(request: Any, report: Any) -> list[dict[str, Any]]:
    return [action for provider in DAMAGE_ACTIONS for action in provider(request, report)]


def for_asset(request: Any, asset: Any) -> list[dict[str, Any]]:
    return [action for provider in ASSET_ACTIONS for action in provider(request, asset)]


def for_list(request: Any, query: str) -> list[dict[str, Any]]:
    return [action for provider in LIST_ACTIONS for action in provider(request, query)]
