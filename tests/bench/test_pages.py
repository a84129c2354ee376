"""Every page of the benchmark catalogue answers 200 to its persona on generated data."""

from __future__ import annotations

import datetime
import importlib
import importlib.util
from typing import Any

import pytest
from django.test import Client

from bench.generate import PARTS, Ctx, Preset, rows_preset
from bench.generate.base import TZ
from bench.pages import KINDS, catalogue, district_catalogue
from houqin.accounts.models import User

pytestmark = pytest.mark.django_db


def available_parts() -> tuple[str, ...]:
    """The generator's parts present in this checkout (in their order)."""
    return tuple(name for name in PARTS if importlib.util.find_spec(f"bench.generate.{name}"))


def generate(preset: Preset, parts: tuple[str, ...]) -> Ctx:
    """The parts one after the other in the test's transaction (``bench.generate.generate``
    also tunes SQLite, which cannot be done inside a transaction)."""
    ctx = Ctx(preset=preset, now=datetime.datetime.now(TZ).replace(microsecond=0))
    for name in parts:
        importlib.import_module(f"bench.generate.{name}").generate(ctx)
    ctx.save_numbers()
    return ctx


def answers(pages: list[Any]) -> list[str]:
    """Each page requested by its persona; the pages that did not answer 200."""
    clients: dict[str, Client] = {}
    failures = []
    for page in pages:
        if page.username not in clients:
            clients[page.username] = Client()
            user = User.objects.get(username=page.username)
            clients[page.username].force_login(
                user, backend="houqin.accounts.backends.HouqinBackend"
            )
        answer = clients[page.username].get(page.path)
        if answer.status_code != 200:
            failures.append(
                f"{page.name} {page.path} as {page.username}: HTTP {answer.status_code}"
            )
    return failures


def test_it_answers_every_catalogue_page() -> None:
    parts = available_parts()
    school = generate(rows_preset(10), parts).schools[0].id
    gaps: list[str] = []
    pages = catalogue(school, gaps=gaps)
    bureau = district_catalogue(school, gaps=gaps)
    assert pages[0].kind == "floor"
    names = [page.name for page in pages + bureau]
    assert len(names) == len(set(names)), "page names are unique"
    assert {page.kind for page in pages} <= set(KINDS)
    failures = answers(pages + bureau)
    if parts == PARTS:  # with every part generated, every page has its object
        failures += gaps
    assert failures == []


def test_it_picks_the_persona_holding_the_permission() -> None:
    school = generate(rows_preset(10), ("org",)).schools[0].id
    pages = {page.name: page for page in catalogue(school)}
    assert pages["accounts:password_change"].username == "s01-director"
    assert pages["maintenance:request_mine"].username == "s01-teacher"
    assert pages["maintenance:my_orders"].username == "s01-worker"
    assert pages["core:auditentry_list"].username == "s01-principal"
    assert pages["org:room_list filtered"].path.startswith("/org/rooms/?building=")
    assert pages["org:room_list page 10"].path.endswith("?page=10")
    bureau = district_catalogue(school)
    assert {page.username for page in bureau} == {"district"}
