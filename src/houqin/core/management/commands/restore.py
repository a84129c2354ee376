"""``./houqin restore <archive>``: put a backup back, then verify rows and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from houqin.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive (replaces the database and the uploaded files); "
        "stop the site first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that holds data"
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        try:
            report = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Restored %(path)s (made %(created)s by Houqin %(version)s): "
                "%(tables)s tables and %(files)s files checked."
            )
            % {
                "path": archive.name,
                "created": report.manifest.created,
                "version": report.manifest.version,
                "tables": report.tables_checked,
                "files": report.files_checked,
            }
        )
        if report.manifest.media_storage != "filesystem":
            self.stdout.write(
                _("Attachments were kept in the S3 bucket: they are not in the archive.")
            )
        for table, (expected, found) in report.table_mismatches.items():
            self.stderr.write(
                _("Table %(table)s: %(expected)s rows expected, %(found)s found.")
                % {"table": table, "expected": expected, "found": found}
            )
        for path in report.file_mismatches:
            self.stderr.write(_("File %(path)s differs from the backup.") % {"path": path})
        if not report.ok:
            raise CommandError(_("The restored data does not match the backup."))
        self.stdout.write(_("Every row count and file matches the backup."))
