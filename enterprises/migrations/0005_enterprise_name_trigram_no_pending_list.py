"""The name's trigram index without GIN's pending list (fastupdate): new entries went to an unsorted list of up to
4 MB that every search through the index read whole until a vacuum merged it, which after a bulk load may be long
(a 12-character code prefix searched in one unit spent most of its time there). The registry is written rarely and
searched often: each insert now pays for its own entries. PostgreSQL only, like the index (migration 0004)."""
from django.db import migrations

INDEX = "enterprise_name_upper_trgm"


def merge_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")
        schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")


def keep_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER INDEX {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_enterprise_name_trigram")]

    operations = [migrations.RunPython(merge_pending_list, keep_pending_list)]
