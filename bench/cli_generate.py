"""``./houqin bench generate``: build a database of the chosen preset (see ``bench.generate``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(preset: str) -> str:
    """``HOUQIN_DATABASE_URL`` when set, else a SQLite file of the preset under ``var/bench``."""
    url = os.environ.get("HOUQIN_DATABASE_URL")
    if url:
        return url
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'{preset}.sqlite3'}"


def setup_django(url: str) -> None:
    os.environ["HOUQIN_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "houqin.settings.base")
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def fresh_database(url: str) -> None:
    """Start from nothing: remove the SQLite file, or drop and create the PostgreSQL database."""
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            candidate.unlink(missing_ok=True)
        return
    from bench.pgdb import postgres_database

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    postgres_database(server, "create", name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="./houqin bench generate", description=__doc__)
    parser.add_argument(
        "--preset", default="small", help="district, school or small (default small)"
    )
    parser.add_argument("--fresh", action="store_true", help="delete the database first")
    parser.add_argument("--parts", help="comma-separated parts (default: all)")
    parser.add_argument("--output", help="write the report as JSON here")
    args = parser.parse_args(argv)
    for path in (str(ROOT / "src"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    from bench.generate import PARTS, PRESETS

    if args.preset not in PRESETS:
        parser.error(f"unknown preset {args.preset!r}: choose {', '.join(PRESETS)}")
    url = database_url(args.preset)
    if args.fresh:
        fresh_database(url)
    setup_django(url)
    from django.core.management import call_command

    from bench.generate import analyze, database_size, generate, summary
    from houqin.org.models import School

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if School.objects.exists():
        print(f"{url} already holds schools: use --fresh to start again", file=sys.stderr)
        return 1
    parts = tuple(args.parts.split(",")) if args.parts else PARTS
    ctx = generate(PRESETS[args.preset], parts=parts)
    analyze_seconds = analyze()
    report = summary(ctx, time.perf_counter() - started, analyze_seconds, database_size())
    report["url"] = url.split("@")[-1]
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    return 0
