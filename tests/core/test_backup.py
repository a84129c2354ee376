"""Backup and restore: every row and file comes back; a wrong archive changes nothing."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from houqin.core import backup
from houqin.org.models import Room, School
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

FILES = {
    "attachments/2026/11/photo.jpg": bytes(range(256)) * 40,
    "attachments/2026/11/说明.pdf": "报修单".encode() * 100,
    "thumbnails/a.webp": b"\x00\x01 thumbnail",
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    for relative, content in FILES.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(content)
    return root


@pytest.fixture
def world(media: Path) -> dict[str, int]:
    """Rows in several tables: schools, buildings, rooms, users, departments."""
    for n in range(2):
        school = f.SchoolFactory(name=f"第{n + 1}中学")
        for _i in range(3):
            f.RoomFactory(school=school)
        f.UserFactory()
        f.DepartmentFactory(school=school)
    return backup.row_counts("default", backup.table_names("default"))


def wipe(media: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def assert_restored(report: backup.RestoreReport, before: dict[str, int], alias: str) -> None:
    assert report.ok, (report.table_mismatches, report.file_mismatches)
    assert report.tables_checked == len(before)
    assert report.files_checked == len(FILES)
    after = backup.row_counts(alias, sorted(before))
    assert after == before
    assert before["org_room"] >= 6


def test_it_round_trips_every_row_and_file_on_sqlite(
    world: dict[str, int], media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs in the SQLite half of the suite")
    result = backup.create_backup(tmp_path / "backups")
    assert result.path.name.startswith("houqin-backup-") and result.path.name.endswith(".tar.gz")
    assert result.manifest.tables == world
    assert set(result.manifest.media) == set(FILES)
    names = sorted(School.objects.values_list("name", flat=True))
    wipe(media)
    assert not School.objects.exists()

    report = backup.restore_backup(result.path)

    assert_restored(report, world, "default")
    assert sorted(School.objects.values_list("name", flat=True)) == names
    for relative, content in FILES.items():
        assert (media / relative).read_bytes() == content


@contextmanager
def restore_target() -> Iterator[str]:
    """A separate, empty database on the same PostgreSQL server, as a connection alias."""
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    alias = "restore_target"
    wrapper = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper
    connections[alias] = wrapper({**connection.settings_dict, "NAME": name}, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def test_it_round_trips_every_row_and_file_on_postgresql(
    world: dict[str, int], media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip runs in the PostgreSQL half of the suite")
    result = backup.create_backup(tmp_path / "backups")
    assert result.manifest.vendor == "postgresql"
    assert result.manifest.tables == world
    names = list(School.objects.order_by("name").values_list("name", flat=True))
    wipe(media)
    with restore_target() as alias:
        report = backup.restore_backup(result.path, using=alias)
        assert_restored(report, world, alias)
        restored = School.objects.using(alias).order_by("name").values_list("name", flat=True)
        assert list(restored) == names
    for relative, content in FILES.items():
        assert (media / relative).read_bytes() == content


def test_it_refuses_to_overwrite_a_database_that_holds_data(
    world: dict[str, int], tmp_path: Path
) -> None:
    result = backup.create_backup(tmp_path / "backups")
    School.objects.update(name="备份之后改的名字")
    with pytest.raises(backup.BackupError, match="--force"):
        backup.restore_backup(result.path)
    assert set(School.objects.values_list("name", flat=True)) == {"备份之后改的名字"}
    assert Room.objects.count() == world["org_room"]


def archive_with(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


def tampered(original: Path, target: Path) -> Path:
    """The same archive with one media file changed after the manifest was written."""
    with tarfile.open(original) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    members[f"media/{next(iter(FILES))}"] = b"changed"
    return archive_with(target, members)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("corrupt", "not a readable backup archive"),
        ("foreign", "not a Houqin backup"),
        ("bad manifest", "not a Houqin backup"),
        ("tampered", "missing or damaged"),
    ],
)
def test_it_refuses_a_wrong_archive_and_changes_nothing(
    world: dict[str, int], media: Path, tmp_path: Path, kind: str, message: str
) -> None:
    good = backup.create_backup(tmp_path / "backups").path
    path = tmp_path / f"{kind}.tar.gz"
    if kind == "corrupt":
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "foreign":
        archive_with(path, {"README.txt": b"holiday photos", "db.sqlite3": b"SQLite format 3"})
    elif kind == "bad manifest":
        archive_with(path, {"manifest.json": json.dumps({"format": "other"}).encode()})
    else:
        tampered(good, path)
    School.objects.update(name="改过的名字")

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), "--force")

    assert backup.row_counts("default", sorted(world)) == world
    assert set(School.objects.values_list("name", flat=True)) == {"改过的名字"}
    for relative, content in FILES.items():
        assert (media / relative).read_bytes() == content


def test_it_keeps_only_the_newest_archives(tmp_path: Path) -> None:
    for stamp in ("20260101-010000", "20260102-010000", "20260103-010000"):
        (tmp_path / f"houqin-backup-{stamp}.tar.gz").write_bytes(b"x")
    (tmp_path / "other.tar.gz").write_bytes(b"x")
    removed = backup.rotate(tmp_path, 2)
    assert [p.name for p in removed] == ["houqin-backup-20260101-010000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "houqin-backup-20260102-010000.tar.gz",
        "houqin-backup-20260103-010000.tar.gz",
        "other.tar.gz",
    ]


def test_the_command_writes_an_archive_and_rotates(world: dict[str, int], tmp_path: Path) -> None:
    out = io.StringIO()
    for _n in range(2):
        call_command("backup", "--output", str(tmp_path), "--keep", "1", stdout=out)
    archives = list(tmp_path.glob("houqin-backup-*.tar.gz"))
    assert len(archives) == 1
    assert "Backup written" in out.getvalue() or "备份" in out.getvalue()
