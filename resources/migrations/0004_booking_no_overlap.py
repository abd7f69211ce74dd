"""No two holding bookings (requested or approved) of one facility overlap: an
exclusion constraint on PostgreSQL, which needs btree_gist for the ``=`` on the
facility id. SQLite has no such constraint; the service checks there (and locks the
facility row everywhere, so the constraint is the last line, not the first)."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE resources_booking ADD CONSTRAINT booking_no_overlap "
    "EXCLUDE USING gist (facility_id WITH =, "
    "tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (status IN ('requested', 'approved'))",
]
BACKWARD = ["ALTER TABLE resources_booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_facilities_and_bookings")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
