#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and an empty media
# folder (it refuses anything else, so it cannot overwrite a live portal by mistake).
#
#   scripts/restore.sh /var/backups/alliance-portal/alliance-portal-20261130T023000Z
#
# Environment: DATABASE_URL (the new, empty database: createdb it first) and
# MEDIA_ROOT (a folder that is empty or does not exist yet).
# Then: manage.py migrate (nothing to do when the code is the same version), start the
# services. See docs/deployment.md, "Restoring".
set -euo pipefail

usage() { echo "usage: $0 BACKUP_DIR/alliance-portal-<time> (without .dump)" >&2; exit 2; }
[[ $# -eq 1 ]] || usage
prefix=${1%.dump}
prefix=${prefix%.media.tar.gz}
dump=$prefix.dump
media=$prefix.media.tar.gz
[[ -f $dump && -f $media ]] || { echo "no $dump and $media" >&2; exit 2; }
: "${DATABASE_URL:?DATABASE_URL is not set (the empty database to restore into)}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set (the empty folder to restore into)}"
db_url=$(sed -E 's#^(postgres|postgresql|pgsql|psql)://#postgresql://#' <<<"$DATABASE_URL")
[[ $db_url == postgresql://* ]] || { echo "DATABASE_URL is not PostgreSQL" >&2; exit 2; }

if [[ -f $prefix.sha256 ]]; then
  (cd "$(dirname "$prefix")" && sha256sum --quiet --check "$(basename "$prefix").sha256") ||
    { echo "checksums do not match: the backup is damaged" >&2; exit 1; }
fi

tables=$(psql -X -At -d "$db_url" -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
[[ $tables == 0 ]] || { echo "the database already has $tables tables; restore into a new one" >&2; exit 1; }
if [[ -d $MEDIA_ROOT ]] && [[ -n $(ls -A "$MEDIA_ROOT") ]]; then
  echo "$MEDIA_ROOT is not empty; restore into a new folder" >&2
  exit 1
fi

# Objects belong to whoever restores (the portal's role), whatever the old owner was;
# one transaction: all or nothing.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$db_url" "$dump"
mkdir -p "$MEDIA_ROOT"
tar --extract --gzip --file="$media" --directory="$MEDIA_ROOT" --no-same-owner
echo "restored $dump and $media into the database and $MEDIA_ROOT"
