"""A throwaway PostgreSQL database for a benchmark, on the server a URL names."""

from __future__ import annotations


def postgres_database(url: str, action: str, name: str) -> str:
    """Create (``action="create"``) or drop the database ``name`` on the server of ``url``;
    returns the URL of that database."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    with psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname=config["NAME"],
        autocommit=True,
    ) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        if action == "create":
            conn.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + f"/{name}"
