"""Search indexes of the library on PostgreSQL only: a full-text GIN index on the
same expression the selector searches, and trigram GIN indexes on the titles. SQLite
(tests, a laptop) has neither and searches by substring, so nothing runs there."""

from django.db import migrations

VECTOR = (
    "to_tsvector('simple'::regconfig, COALESCE(title_kk, '') || ' ' || "
    "COALESCE(title_ru, '') || ' ' || COALESCE(description_kk, '') || ' ' || "
    "COALESCE(description_ru, ''))"
)

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS resources_material_fts ON resources_material "
    f"USING gin (({VECTOR}))",
    "CREATE INDEX IF NOT EXISTS resources_material_title_kk_trgm "
    "ON resources_material USING gin (title_kk gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS resources_material_title_ru_trgm "
    "ON resources_material USING gin (title_ru gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS resources_material_fts",
    "DROP INDEX IF EXISTS resources_material_title_kk_trgm",
    "DROP INDEX IF EXISTS resources_material_title_ru_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
