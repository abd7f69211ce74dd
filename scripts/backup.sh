#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump, custom format) and the media
# folder (tar.gz), with the date and time in their names, a SHA-256 list to check them
# by, and only the newest BACKUP_KEEP backups kept.
#
#   scripts/backup.sh            (run nightly by deploy/systemd/alliance-portal-backup.timer)
#
# Environment (from /etc/alliance-portal/env): DATABASE_URL, MEDIA_ROOT,
# BACKUP_DIR (default /var/backups/alliance-portal), BACKUP_KEEP (default 14).
# Writes BACKUP_DIR/alliance-portal-<UTC time>.{dump,media.tar.gz,sha256}.
# A backup is only proven by restoring it: see scripts/restore.sh and docs/deployment.md.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL is not set}"
: "${MEDIA_ROOT:?MEDIA_ROOT is not set}"
BACKUP_DIR=${BACKUP_DIR:-/var/backups/alliance-portal}
BACKUP_KEEP=${BACKUP_KEEP:-14}
[[ $BACKUP_KEEP =~ ^[1-9][0-9]*$ ]] || { echo "BACKUP_KEEP must be 1 or more" >&2; exit 2; }
[[ -d $MEDIA_ROOT ]] || { echo "MEDIA_ROOT $MEDIA_ROOT is not a folder" >&2; exit 2; }

# django-environ also accepts postgres-like schemes pg_dump does not know.
db_url=$(sed -E 's#^(postgres|postgresql|pgsql|psql)://#postgresql://#' <<<"$DATABASE_URL")
[[ $db_url == postgresql://* ]] || { echo "DATABASE_URL is not PostgreSQL" >&2; exit 2; }

mkdir -p "$BACKUP_DIR"
name=alliance-portal-$(date -u +%Y%m%dT%H%M%SZ)
partial=$BACKUP_DIR/.$name.partial
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

# The database first, then the files: every file a row of the dump points to is then
# in the archive (a file added in between is harmless).
pg_dump --format=custom --compress=6 --file="$partial/$name.dump" "$db_url"

# GNU tar exits 1 when a file changed while being read (an upload in progress): the
# archive is still good, and that file is newer than the dump anyway.
status=0
tar --create --gzip --file="$partial/$name.media.tar.gz" --directory="$MEDIA_ROOT" \
  --warning=no-file-changed . || status=$?
[[ $status -le 1 ]] || { echo "tar failed ($status)" >&2; exit 1; }

(cd "$partial" && sha256sum "$name.dump" "$name.media.tar.gz" >"$name.sha256")

# Only a complete backup gets its final name, so a failed run never counts as one.
mv "$partial/$name.dump" "$partial/$name.media.tar.gz" "$partial/$name.sha256" "$BACKUP_DIR/"

# Retention: the newest BACKUP_KEEP backups stay (names sort by time).
mapfile -t all < <(find "$BACKUP_DIR" -maxdepth 1 -name 'alliance-portal-*.dump' -printf '%f\n' | sort)
excess=$((${#all[@]} - BACKUP_KEEP))
for ((i = 0; i < excess; i++)); do
  old=${all[i]%.dump}
  rm -f "$BACKUP_DIR/$old.dump" "$BACKUP_DIR/$old.media.tar.gz" "$BACKUP_DIR/$old.sha256"
done

echo "$BACKUP_DIR/$name ($(du -ch "$BACKUP_DIR/$name".* | tail -n 1 | cut -f1); kept $((${#all[@]} < BACKUP_KEEP ? ${#all[@]} : BACKUP_KEEP)))"
