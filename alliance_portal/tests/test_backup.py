"""A backup is proven by restoring it: scripts/backup.sh, then scripts/restore.sh into a
fresh database and folder, then every table's row count and every file's checksum.

PostgreSQL only (pg_dump/pg_restore); skipped on the default SQLite."""

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql", "psql"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not POSTGRES, reason="backups need DATABASE_URL on PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _url(params: dict, dbname: str) -> str:
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{host}:{port}/{dbname}"


def _connect(params: dict, dbname: str):
    conn = psycopg2.connect(
        dbname=dbname,
        user=params["USER"],
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or "127.0.0.1",
        port=params.get("PORT") or 5432,
    )
    conn.autocommit = True
    return conn


def _row_counts(params: dict, dbname: str) -> dict[str, int]:
    conn = _connect(params, dbname)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)"
                " FROM pg_tables"
                " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            )
            tables = sorted(row[0] for row in cur.fetchall())
            counts = {}
            for table in tables:
                cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (catalogue names)
                counts[table] = cur.fetchone()[0]
            return counts
    finally:
        conn.close()


def _checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _run(script: str, *args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(SCRIPTS / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def populated(settings, tmp_path):
    """The demo data, a rendered PDF and a few uploads of every kind, committed."""
    from alliance_portal.models import DocumentJob
    from members.models import User
    from memoranda.models import Memorandum
    from memoranda.services import memorandum_request_pdf

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    staff = User.objects.get(email="staff@demo.kz")
    job = memorandum_request_pdf(
        memorandum=Memorandum.objects.order_by("pk").first(), language="kk", user=staff
    )
    job.refresh_from_db()  # rendered in-process (eager Celery) on commit
    assert job.status == DocumentJob.Status.DONE
    (media / "receipts" / "2026" / "11").mkdir(parents=True, exist_ok=True)
    (media / "receipts" / "2026" / "11" / "чек №1 (Қызылорда).pdf").write_bytes(
        b"%PDF-1.4 receipt " + os.urandom(2048)
    )
    (media / "scans").mkdir(exist_ok=True)
    (media / "scans" / "empty.txt").write_bytes(b"")
    (media / "scans" / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    return media


def test_a_backup_restores_into_a_fresh_database_and_folder(populated, tmp_path):
    params = connection.settings_dict
    source_db = params["NAME"]
    restored_db = f"{source_db}_restored"
    backups = tmp_path / "backups"
    backups.mkdir()
    # Older backups than the retention count keeps: the oldest two must go.
    for stamp in ("20240101T000000Z", "20250101T000000Z", "20260101T000000Z"):
        for suffix in (".dump", ".media.tar.gz", ".sha256"):
            (backups / f"alliance-portal-{stamp}{suffix}").write_bytes(b"old")

    result = _run(
        "backup.sh",
        env={
            "DATABASE_URL": _url(params, source_db),
            "MEDIA_ROOT": str(populated),
            "BACKUP_DIR": str(backups),
            "BACKUP_KEEP": "2",
        },
    )
    assert result.returncode == 0, result.stderr
    dumps = sorted(p.name for p in backups.glob("*.dump"))
    assert len(dumps) == 2
    assert dumps[0] == "alliance-portal-20260101T000000Z.dump"
    assert not list(backups.glob("alliance-portal-2024*"))
    assert not list(backups.glob("alliance-portal-2025*"))
    assert not list(backups.glob(".*"))  # no partial backup left behind
    prefix = backups / dumps[1].removesuffix(".dump")

    admin = _connect(params, "postgres")
    restored_media = tmp_path / "restored-media"
    try:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
            cur.execute(f'CREATE DATABASE "{restored_db}"')
        env = {
            "DATABASE_URL": _url(params, restored_db),
            "MEDIA_ROOT": str(restored_media),
        }
        result = _run("restore.sh", str(prefix), env=env)
        assert result.returncode == 0, result.stderr

        source_counts = _row_counts(params, source_db)
        restored_counts = _row_counts(params, restored_db)
        assert restored_counts == source_counts
        assert source_counts["public.members_user"] >= 6
        assert source_counts["public.alliance_portal_documentjob"] >= 1
        assert sum(source_counts.values()) > 100

        source_files = _checksums(populated)
        assert _checksums(restored_media) == source_files
        assert any(name.startswith("documents/") for name in source_files)
        assert len(source_files) >= 4

        # Restoring twice into the same place is refused: never over live data.
        again = _run("restore.sh", str(prefix), env=env)
        assert again.returncode != 0
        assert "restore into a new one" in again.stderr
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')
        admin.close()


def test_a_damaged_backup_is_refused(tmp_path):
    params = connection.settings_dict
    backups = tmp_path / "backups"
    media = tmp_path / "media"
    media.mkdir()
    (media / "receipt.pdf").write_bytes(b"%PDF-1.4 " + os.urandom(1024))
    env = {
        "DATABASE_URL": _url(params, params["NAME"]),
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(backups),
    }
    assert _run("backup.sh", env=env).returncode == 0
    [dump] = backups.glob("*.dump")
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    result = _run(
        "restore.sh",
        str(dump),
        env={
            "DATABASE_URL": _url(params, f"i15_never_{uuid.uuid4().hex[:8]}"),
            "MEDIA_ROOT": str(tmp_path / "nowhere"),
        },
    )
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert not (tmp_path / "nowhere").exists()
