from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a file written by `backup` into the configured database, which must be new and empty."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a file written by manage.py backup")

    def handle(self, *args, path: Path, **options):
        try:
            restore(path)
        except BackupError as error:
            raise CommandError(error) from error
        self.stdout.write(f"restored {path}")
