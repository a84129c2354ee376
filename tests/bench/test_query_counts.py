"""Every list and detail page runs the same number of queries with 10 rows as with 1,000.

Two schools are generated side by side by the district data generator: one with about 10 rows
in every list, one with about 1,000. Each page of the benchmark catalogue is requested once to
warm per-process caches and once counted, as the persona of each school; a page whose count
grows with the rows has a query per row (an N+1) or an unbounded read.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.generate import generate, rows_preset
from bench.pages import catalogue
from houqin.accounts.models import User

MEASURED = ("list", "detail", "report", "api")


def _measured(page) -> bool:  # type: ignore[no-untyped-def]
    """Lists count once unfiltered and once filtered; sorting and later pages run the same code."""
    return page.kind in MEASURED and " sorted" not in page.name and " page " not in page.name


def _queries(client, page) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=page.username))
    client.get(page.path)
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(page.path)
    return answer.status_code, len(queries)


@pytest.mark.django_db
def test_it_runs_the_same_queries_with_10_and_1000_rows(client) -> None:  # type: ignore[no-untyped-def]
    few = generate(rows_preset(10)).schools[0].id
    many = generate(rows_preset(1000)).schools[0].id
    pages_few = {p.name: p for p in catalogue(few, strict=True) if _measured(p)}
    pages_many = {p.name: p for p in catalogue(many, strict=True) if _measured(p)}
    assert pages_few.keys() == pages_many.keys()
    assert len(pages_few) > 100
    differences = []
    for name, page in sorted(pages_few.items()):
        status_few, count_few = _queries(client, page)
        status_many, count_many = _queries(client, pages_many[name])
        assert (status_few, status_many) == (200, 200), f"{name}: {page.path}"
        if count_few != count_many:
            differences.append(f"{name}: {count_few} queries with 10 rows, {count_many} with 1,000")
    assert not differences, "\n".join(differences)
