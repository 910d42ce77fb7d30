"""A trigram index on the upper-cased name, for the registry's `search` (part of the name, or the start of the
credit code): `name__icontains` compares UPPER(name), which a B-tree cannot serve, so a search by code read every
enterprise of the unit for the name half of its OR. PostgreSQL only (pg_trgm); elsewhere nothing changes."""
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "enterprise_name_upper_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON enterprises_enterprise USING gin (UPPER(name) gin_trgm_ops)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_cultivation")]

    operations = [TrigramExtension(), migrations.RunPython(create_index, drop_index)]
