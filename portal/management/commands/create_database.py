from django.core.management.base import BaseCommand
from django.db import connection

from portal.databases import ensure_database


class Command(BaseCommand):
    help = "Create the PostgreSQL database DATABASE_URL names if it does not exist yet (SQLite needs nothing)."
    requires_system_checks = []  # the checks may read the database this command is about to create

    def handle(self, *args, **options):
        if ensure_database():
            self.stdout.write(f"created database {connection.settings_dict['NAME']}")
