"""Database functions shared by the modules."""

from __future__ import annotations

import pytest

from houqin.core.dbfunctions import literal_in


def test_literal_in_writes_simple_codes_into_the_sql() -> None:
    sql, params = literal_in('"maintenance_workorder"."status"', ["new", "on_hold"]).sql, []
    assert sql == "\"maintenance_workorder\".\"status\" IN ('new', 'on_hold')" and params == []


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ('"t"."status"', ["x'); DROP TABLE t; --"]),
        ('"t"."status"', []),
        ("status; --", ["new"]),
        ('"t"."status"', ["New"]),
    ],
)
def test_literal_in_refuses_anything_but_codes(column: str, values: list[str]) -> None:
    with pytest.raises(ValueError):
        literal_in(column, values)
