"""Every list and detail page runs the same number of queries with 10 rows as with 1,000.

Two schools are generated side by side by the district data generator: one with about 10 rows
in every list, one with about 1,000. Each page of the benchmark catalogue is requested once to
warm per-process caches and once counted, as the persona of each school; a page whose count
grows with the rows has a query per row (an N+1) or an unbounded read.

Two differences are not growth and are allowed: a list that is empty in the small school (a
filter or a personal queue that matches none of its ten rows) skips the queries that fetch
related rows for the rows shown, and a detail page shows an object of each school that may be
in another state (an approval panel, a photo), which changes its count by a few queries. A
query per row would add dozens (a page shows up to 50 rows); lists must count the same.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Page
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import generate, rows_preset
from bench.pages import catalogue
from houqin.accounts.models import User

MEASURED = ("list", "detail", "report", "api")
DETAIL_STATES = 6  # queries a detail page's object state may add or save (panels, quotes, photos)


def _measured(page) -> bool:  # type: ignore[no-untyped-def]
    """Lists count once unfiltered and once filtered; sorting and later pages run the same code."""
    return page.kind in MEASURED and " sorted" not in page.name and " page " not in page.name


def _queries(client, page) -> tuple[int, int, int | None]:  # type: ignore[no-untyped-def]
    """Status, queries of the second request, rows shown (None when the page has no list)."""
    client.force_login(User.objects.get(username=page.username))
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(page.path)
    return answer.status_code, len(queries), _rows(answer)


def _rows(answer) -> int | None:  # type: ignore[no-untyped-def]
    if answer.get("Content-Type", "").startswith("application/json"):
        data = answer.json()
        return len(data["results"]) if isinstance(data, dict) and "results" in data else None
    for context in answer.context or []:
        for value in context.flatten().values():
            if isinstance(value, Page):
                return len(value.object_list)
    return None


def _detail(page: Any) -> bool:
    """A detail page, or an API detail (its object may be in another state too: an order
    with quotes reads their prices)."""
    return page.kind == "detail" or page.name.split(" ")[0].endswith("-detail")


@pytest.mark.django_db
def test_it_runs_the_same_queries_with_10_and_1000_rows(client) -> None:  # type: ignore[no-untyped-def]
    few = generate(rows_preset(10)).schools[0].id
    many = generate(rows_preset(1000)).schools[0].id
    pages_few = {p.name: p for p in catalogue(few, strict=True) if _measured(p)}
    pages_many = {p.name: p for p in catalogue(many, strict=True) if _measured(p)}
    assert pages_few.keys() == pages_many.keys()
    assert len(pages_few) > 100
    differences = []
    empty = []
    for name, page in sorted(pages_few.items()):
        status_few, count_few, rows_few = _queries(client, page)
        status_many, count_many, _rows_many = _queries(client, pages_many[name])
        assert (status_few, status_many) == (200, 200), f"{name}: {page.path}"
        if count_many == count_few or (
            _detail(page) and abs(count_many - count_few) <= DETAIL_STATES
        ):
            continue
        if rows_few == 0:
            empty.append(name)
            continue
        differences.append(f"{name}: {count_few} queries with 10 rows, {count_many} with 1,000")
    assert not differences, "\n".join(differences)
    assert len(empty) <= len(pages_few) // 5, f"too many lists empty with 10 rows: {empty}"
