from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, backup


class Command(BaseCommand):
    help = "Write the whole database to a file (pg_dump custom format for PostgreSQL, a copy for SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write, e.g. portal-2026-11-26.dump")

    def handle(self, *args, path: Path, **options):
        try:
            backup(path)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(f"backup written to {path} ({path.stat().st_size} bytes)")
