"""A short pending list for the name's trigram index: GIN puts new entries in an unsorted list, up to 4 MB by default,
that every search through the index reads whole until a vacuum or the list's limit merges it, which after a bulk
load may be long (a 12-character code prefix searched in one unit spent most of its time there). 256 kB keeps that
read small and still lets a bulk load merge its entries in batches (without the list, loading the registry's names
took about five times as long). The list left by earlier loads is merged now. PostgreSQL only, like the index
(migration 0004)."""
from django.db import migrations

INDEX = "enterprise_name_upper_trgm"
PENDING_LIST_KB = 256


def shorten_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def default_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0005_statusrecord_enterprise_unindexed")]

    operations = [migrations.RunPython(shorten_pending_list, default_pending_list)]
