"""One-archive backups of the database and the uploaded files, and their restore.

An archive ``houqin-backup-YYYYmmdd-HHMMSS.tar.gz`` holds:

- ``manifest.json``: format, Houqin version, database vendor, the row count of every table and
  the SHA-256 of every media file;
- ``database.sqlite3`` (SQLite, copied with the online backup API: a consistent copy while the
  site runs) or ``database.dump`` (PostgreSQL, ``pg_dump -Fc`` of a snapshot whose row counts
  the manifest records);
- ``media/…``: the files under ``MEDIA_ROOT`` (with S3 storage the files live in the bucket and
  the manifest says so).

Restore checks the whole archive before it changes anything, refuses to overwrite a database
that holds data unless forced, then verifies row counts and file hashes against the manifest.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

FORMAT = "houqin-backup"
FORMAT_VERSION = 1
PREFIX = "houqin-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is meant for the operator."""


@dataclass
class Manifest:
    vendor: str
    tables: dict[str, int]
    media: dict[str, str]
    media_storage: str = "filesystem"
    version: str = ""
    created: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError
            manifest = cls(**data)
            if not isinstance(manifest.tables, dict) or not isinstance(manifest.media, dict):
                raise ValueError
        except (ValueError, TypeError, AttributeError) as error:
            raise BackupError(
                _("This archive is not a Houqin backup (no valid manifest).")
            ) from error
        if manifest.format_version > FORMAT_VERSION:
            raise BackupError(
                _("This backup was made by a newer Houqin (format %(n)s): upgrade first.")
                % {"n": manifest.format_version}
            )
        return manifest

    @property
    def database_file(self) -> str:
        return SQLITE_FILE if self.vendor == "sqlite" else PG_FILE


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    removed: list[Path] = field(default_factory=list)


@dataclass
class RestoreReport:
    manifest: Manifest
    tables_checked: int = 0
    files_checked: int = 0
    table_mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)
    file_mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.table_mismatches and not self.file_mismatches


# -- helpers -----------------------------------------------------------------------------------


def houqin_version() -> str:
    try:
        return importlib.metadata.version("houqin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_on_filesystem() -> bool:
    backend = str(settings.STORAGES.get("default", {}).get("BACKEND", ""))
    return backend.endswith("FileSystemStorage")


def media_hashes(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root`` (POSIX separators)."""
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def quoted(alias: str, table: str) -> str:
    return str(connections[alias].ops.quote_name(table))


def table_names(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(alias: str, tables: list[str]) -> dict[str, int]:
    counts = {}
    with connections[alias].cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quoted(alias, table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: int(db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])  # noqa: S608
            for table in sorted(tables)
        }


def pg_binary(alias: str, name: str) -> str:
    """``pg_dump``/``pg_restore`` of the server's major version (or the newest installed)."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    exact = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if exact.exists():
        return str(exact)
    newer = sorted(
        (
            p
            for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")
            if p.parent.parent.name.isdigit()
        ),
        key=lambda p: int(p.parent.parent.name),
    )
    newer = [p for p in newer if int(p.parent.parent.name) >= major]
    if newer:
        return str(newer[0])
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(tool)s for PostgreSQL %(major)s is not installed "
                "(package postgresql-client-%(major)s)."
            )
            % {"tool": name, "major": major}
        )
    return found


def pg_environment(alias: str) -> dict[str, str]:
    config = connections[alias].settings_dict
    env = {**os.environ, "PGDATABASE": str(config["NAME"])}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return env


def run_tool(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": done.stderr.strip()[-2000:]}
        )


# -- backup ------------------------------------------------------------------------------------


def dump_database(alias: str, folder: Path) -> tuple[str, dict[str, int]]:
    """Write the database file into ``folder``; returns (vendor, row counts of that copy)."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor == "sqlite":
        target = folder / SQLITE_FILE
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return vendor, sqlite_counts(target)
    if vendor != "postgresql":
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor}
        )
    dump = pg_binary(alias, "pg_dump")
    # One snapshot for the dump and the counts: the manifest describes exactly what was dumped.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        run_tool(
            [dump, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(folder / PG_FILE)],
            pg_environment(alias),
        )
        counts = row_counts(alias, table_names(alias))
    return vendor, counts


def archive_path(output: Path) -> Path:
    """A new archive name of the current second (waits for the next one if it is taken)."""
    while True:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = output / f"{PREFIX}{stamp}{SUFFIX}"
        if not path.exists():
            return path
        time.sleep(0.2)


def create_backup(output: Path, *, keep: int | None = None, using: str = "default") -> BackupResult:
    """Write one timestamped archive into ``output``; with ``keep``, remove older ones beyond it."""
    output.mkdir(parents=True, exist_ok=True)
    path = archive_path(output)
    media_root = Path(settings.MEDIA_ROOT)
    on_disk = media_on_filesystem()
    with tempfile.TemporaryDirectory(prefix="houqin-backup-", dir=output) as tmp:
        folder = Path(tmp)
        vendor, counts = dump_database(using, folder)
        manifest = Manifest(
            vendor=vendor,
            tables=counts,
            media=media_hashes(media_root) if on_disk else {},
            media_storage="filesystem" if on_disk else "s3",
            version=houqin_version(),
            created=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        )
        (folder / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        partial = folder / "archive.partial"
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(folder / MANIFEST, arcname=MANIFEST)
            archive.add(folder / manifest.database_file, arcname=manifest.database_file)
            for relative in manifest.media:
                archive.add(media_root / relative, arcname=f"{MEDIA_DIR}/{relative}")
        partial.chmod(0o600)
        os.replace(partial, path)
    removed = rotate(output, keep) if keep else []
    return BackupResult(path=path, manifest=manifest, removed=removed)


def rotate(folder: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest archives of ``folder``; returns the removed ones."""
    archives = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    old = archives[: max(0, len(archives) - keep)]
    for path in old:
        path.unlink()
    return old


# -- restore -----------------------------------------------------------------------------------


@contextmanager
def unpacked(archive: Path) -> Iterator[tuple[Manifest, Path]]:
    """The checked archive unpacked into a temporary folder: manifest, database and files."""
    if not archive.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": archive})
    with tempfile.TemporaryDirectory(prefix="houqin-restore-") as tmp:
        folder = Path(tmp)
        try:
            with tarfile.open(archive, "r:*") as tar:
                tar.extractall(folder, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(
                _("%(path)s is not a readable backup archive (damaged or of another kind).")
                % {"path": archive.name}
            ) from error
        manifest_path = folder / MANIFEST
        if not manifest_path.is_file():
            raise BackupError(_("This archive is not a Houqin backup (no valid manifest)."))
        manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
        check_contents(manifest, folder)
        yield manifest, folder


def check_contents(manifest: Manifest, folder: Path) -> None:
    if not (folder / manifest.database_file).is_file():
        raise BackupError(_("The archive has no database file: it is incomplete."))
    if manifest.vendor == "sqlite":
        try:
            copy = sqlite_counts(folder / SQLITE_FILE)
        except sqlite3.DatabaseError as error:
            raise BackupError(
                _("The database in the archive is damaged: %(error)s") % {"error": error}
            ) from error
        if copy != manifest.tables:
            raise BackupError(
                _("The database in the archive does not match its manifest: it is damaged.")
            )
    bad = [
        rel
        for rel, digest in manifest.media.items()
        if not _hash_matches(folder / MEDIA_DIR / rel, digest)
    ]
    if bad:
        raise BackupError(
            _("%(n)s files in the archive are missing or damaged, for example %(path)s.")
            % {"n": len(bad), "path": bad[0]}
        )


def _hash_matches(path: Path, digest: str) -> bool:
    return path.is_file() and sha256(path) == digest


def holds_data(alias: str) -> bool:
    """Whether the database has users or schools (a freshly migrated one has neither)."""
    from django.contrib.auth import get_user_model

    from houqin.org.models import School

    present = set(table_names(alias))
    models: list[Any] = [get_user_model(), School]
    return any(m._meta.db_table in present and m.objects.using(alias).exists() for m in models)


def restore_backup(
    archive: Path, *, force: bool = False, using: str = "default", media_root: Path | None = None
) -> RestoreReport:
    """Put ``archive`` back into the database ``using`` and the media folder, then verify."""
    connection = connections[using]
    with unpacked(archive) as (manifest, folder):
        if manifest.vendor != connection.vendor:
            raise BackupError(
                _(
                    "This backup holds a %(archive)s database; "
                    "the configured database is %(current)s."
                )
                % {"archive": manifest.vendor, "current": connection.vendor}
            )
        if not force and holds_data(using):
            raise BackupError(
                _("The database already holds data: restore with --force to replace it.")
            )
        if manifest.vendor == "sqlite":
            connection.close()
            connection.ensure_connection()
            with sqlite3.connect(folder / SQLITE_FILE) as source:
                source.backup(connection.connection)
            source.close()
        else:
            command = [
                pg_binary(using, "pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
            ]
            run_tool(
                [
                    *command,
                    "--single-transaction",
                    "-d",
                    str(connection.settings_dict["NAME"]),
                    str(folder / PG_FILE),
                ],
                pg_environment(using),
            )
        connection.close()
        root = media_root or Path(settings.MEDIA_ROOT)
        for relative in manifest.media:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / MEDIA_DIR / relative, target)
    return verify(manifest, using=using, media_root=media_root or Path(settings.MEDIA_ROOT))


def verify(manifest: Manifest, *, using: str = "default", media_root: Path) -> RestoreReport:
    report = RestoreReport(manifest=manifest)
    present = set(table_names(using))
    for table, expected in sorted(manifest.tables.items()):
        found = row_counts(using, [table])[table] if table in present else -1
        report.tables_checked += 1
        if found != expected:
            report.table_mismatches[table] = (expected, found)
    for relative, digest in sorted(manifest.media.items()):
        report.files_checked += 1
        if not _hash_matches(media_root / relative, digest):
            report.file_mismatches.append(relative)
    return report
