#!/usr/bin/env bash
# Smoke test of the production stack, as deployed by docs/deployment.md:
# nginx (deploy/nginx/alliance-portal.conf, TLS with a self-signed certificate) →
# gunicorn (deploy/gunicorn.conf.py) → the production settings on a fresh PostgreSQL
# database, a real Celery worker and beat on Redis. Then scripts/deploy_smoke_client.py
# checks it over HTTPS. Everything it starts is stopped by PID, and its database
# dropped, whatever happens (trap).
#
# Environment (all optional):
#   SMOKE_PG        postgres://postgres@127.0.0.1:5432   server to create the database on
#   SMOKE_DB        portal_smoke_<pid>                    database name (dropped at the end)
#   SMOKE_REDIS     redis://127.0.0.1:6379/15             Redis db of its own (flushed)
#   SMOKE_PORT_BASE 8150   HTTP = base, HTTPS = base+1, gunicorn = base+2
#   SMOKE_KEEP=1           keep the work folder (logs, configs) for a look afterwards
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
started_at=$(date +%s)

PG=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
DB=${SMOKE_DB:-portal_smoke_$$}
REDIS=${SMOKE_REDIS:-redis://127.0.0.1:6379/15}
BASE_PORT=${SMOKE_PORT_BASE:-8150}
HTTP_PORT=$BASE_PORT
HTTPS_PORT=$((BASE_PORT + 1))
APP_PORT=$((BASE_PORT + 2))

say() { printf '[smoke %3ss] %s\n' "$(($(date +%s) - started_at))" "$*"; }

if [[ ! $DB =~ ^[a-z0-9_]+$ ]]; then
  echo "SMOKE_DB must be lower-case letters, digits and _" >&2
  exit 2
fi

# nginx from Debian's packages when the machine has none (CI runs as root).
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ ! -x $NGINX ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "nginx is missing: apt-get install nginx (as root)" >&2
    exit 2
  fi
  say "installing nginx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

# What the checkout looks like now: the run must leave it as it was.
repo_state=$(git status --porcelain --untracked-files=all 2>/dev/null || true)

WORK=$(mktemp -d /tmp/portal-smoke.XXXXXX)
# nginx's workers run as an unprivileged user and must read static and media files.
chmod 755 "$WORK"
PIDS=()
NAMES=()
db_created=""

stop() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $status -ne 0 ]]; then
    say "FAILED (exit $status); the last lines of each log:"
    for log in "$WORK"/*.log; do
      [[ -s $log ]] || continue
      echo "----- ${log##*/}"
      tail -n 25 "$log"
    done
  fi
  # In reverse order of starting: nginx, beat, worker, gunicorn.
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop "${PIDS[i]}"
    say "stopped ${NAMES[i]} (PID ${PIDS[i]})"
  done
  if [[ -n $db_created ]]; then
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  fi
  redis-cli -u "$REDIS" flushdb >/dev/null 2>&1 || true
  if [[ -n ${SMOKE_KEEP:-} ]]; then
    say "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  say "stopped everything it started ($(($(date +%s) - started_at)) s in all)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTP_PORT" "$HTTPS_PORT" "$APP_PORT"; do
  port_free "$port" || { echo "port $port is in use (set SMOKE_PORT_BASE)" >&2; exit 2; }
done

say "database $DB, Redis $REDIS, ports $HTTP_PORT/$HTTPS_PORT (nginx) $APP_PORT (gunicorn)"
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null
db_created=1
redis-cli -u "$REDIS" flushdb >/dev/null

# The production environment file, as /etc/alliance-portal/env would hold it.
mkdir -p "$WORK/media" "$WORK/static" "$WORK/nginx-tmp"
cat >"$WORK/env" <<EOF
DJANGO_SETTINGS_MODULE=alliance_portal.settings.production
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
DATABASE_URL=$PG/$DB
REDIS_URL=$REDIS
ALLOWED_HOSTS=localhost
CSRF_TRUSTED_ORIGINS=https://localhost:$HTTPS_PORT
SITE_URL=https://localhost:$HTTPS_PORT
MEDIA_ROOT=$WORK/media
STATIC_ROOT=$WORK/static
PRIVATE_FILES_ACCEL_PREFIX=/_protected/
EMAIL_URL=filemail:///$WORK/mail
GUNICORN_BIND=127.0.0.1:$APP_PORT
WEB_CONCURRENCY=2
EOF
set -a
# shellcheck disable=SC1091
source "$WORK/env"
set +a
# The test process's allowance for Playwright must not leak into production mode.
unset DJANGO_ALLOW_ASYNC_UNSAFE DEBUG

say "installing: check --deploy, migrate, collectstatic, compilemessages, demo data"
manage() {
  local step_started=$SECONDS
  "$PY" manage.py "$@" >>"$WORK/manage.log" 2>&1
  say "  manage.py $1: $((SECONDS - step_started)) s"
}
manage check --deploy --fail-level WARNING
# collectstatic (compressing every file) and migrate need nothing from each other.
collect_started=$SECONDS
"$PY" manage.py collectstatic --noinput -v 0 >"$WORK/collectstatic.log" 2>&1 &
collect_pid=$!
PIDS+=("$collect_pid") NAMES+=(collectstatic)
manage migrate --noinput -v 0
wait "$collect_pid" || { echo "collectstatic failed" >&2; exit 1; }
unset 'PIDS[-1]' 'NAMES[-1]'
say "  manage.py collectstatic (alongside): $((SECONDS - collect_started)) s"
manage compilemessages --ignore=.venv --ignore=node_modules -v 0
manage seed_demo
memorandum=$("$PY" manage.py shell -v 0 -c \
  "from memoranda.models import Memorandum; print(Memorandum.objects.order_by('pk').first().pk)")
require_csp=$("$PY" manage.py shell -v 0 -c "
from django.conf import settings
names = ' '.join(settings.MIDDLEWARE + [n for n in dir(settings) if n.isupper()]).lower()
print('--require-csp' if any(w in names for w in ('csp', 'contentsecuritypolicy', 'content_security_policy')) else '')")

say "self-signed certificate"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1

# The deployed site file with this run's ports and paths; nothing else changed.
sed -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "/listen \[::\]/d" \
    -e "s#server_name portal.example.kz;#server_name localhost;#" \
    -e "s#/etc/letsencrypt/live/portal.example.kz/fullchain.pem#$WORK/cert.pem#" \
    -e "s#/etc/letsencrypt/live/portal.example.kz/privkey.pem#$WORK/key.pem#" \
    -e "s#server 127.0.0.1:8000 #server 127.0.0.1:$APP_PORT #" \
    -e "s#root /srv/alliance-portal;#root $WORK;#" \
    -e "s#alias /srv/alliance-portal/media/;#alias $WORK/media/;#" \
    -e "s#/var/log/nginx/alliance-portal.access.log#$WORK/nginx-access.log#" \
    -e "s#/var/log/nginx/alliance-portal.error.log#$WORK/nginx-error.log#" \
    -e "s#root /var/www/letsencrypt;#root $WORK/acme;#" \
    deploy/nginx/alliance-portal.conf >"$WORK/site.conf"
for expected in "$WORK/cert.pem" "127.0.0.1:$APP_PORT" "root $WORK;" "alias $WORK/media/;"; do
  grep -qF "$expected" "$WORK/site.conf" || { echo "site.conf: no '$expected'" >&2; exit 1; }
done
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 128; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    server_tokens off;
    client_body_temp_path $WORK/nginx-tmp/body;
    proxy_temp_path $WORK/nginx-tmp/proxy;
    fastcgi_temp_path $WORK/nginx-tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx-tmp/uwsgi;
    scgi_temp_path $WORK/nginx-tmp/scgi;
    include $WORK/site.conf;
}
EOF
"$NGINX" -t -q -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log"

say "starting gunicorn, the Celery worker and beat, nginx"
.venv/bin/gunicorn -c deploy/gunicorn.conf.py alliance_portal.wsgi >"$WORK/gunicorn.log" 2>&1 &
PIDS+=($!) NAMES+=(gunicorn)
.venv/bin/celery -A alliance_portal worker --concurrency 1 -n "smoke-$$@%h" \
  --without-gossip --without-mingle >"$WORK/worker.log" 2>&1 &
PIDS+=($!) NAMES+=("celery worker")
.venv/bin/celery -A alliance_portal beat -s "$WORK/celerybeat-schedule" \
  >"$WORK/beat.log" 2>&1 &
PIDS+=($!) NAMES+=("celery beat")
"$NGINX" -c "$WORK/nginx.conf" -e "$WORK/nginx-error.log" &
PIDS+=($!) NAMES+=(nginx)

for i in $(seq 1 120); do
  if curl -fsS --cacert "$WORK/cert.pem" "https://localhost:$HTTPS_PORT/healthz" >/dev/null 2>&1; then
    break
  fi
  for pid in "${PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a process exited early (PID $pid)" >&2; exit 1; }
  done
  [[ $i -lt 120 ]] || { echo "no answer on https://localhost:$HTTPS_PORT/healthz in 60 s" >&2; exit 1; }
  sleep 0.5
done
say "up; checking over HTTPS"

# shellcheck disable=SC2086
"$PY" scripts/deploy_smoke_client.py \
  --base "https://localhost:$HTTPS_PORT" --http "http://localhost:$HTTP_PORT" \
  --upstream "http://127.0.0.1:$APP_PORT" --cafile "$WORK/cert.pem" \
  --memorandum "$memorandum" $require_csp

# Beat is alive and scheduling (its first tick writes the schedule file).
for pid in "${PIDS[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "a process died during the checks (PID $pid)" >&2; exit 1; }
done
grep -q "beat .* is starting" "$WORK/beat.log" || { echo "beat did not start" >&2; exit 1; }
echo "  ok  Celery beat is running"
# One structured line per request and per task reached the logs.
grep -q '"logger": "portal.request".*"status": 200' "$WORK/gunicorn.log" ||
  { echo "no request line in gunicorn's log" >&2; exit 1; }
grep -q '"logger": "portal.task".*"task": "alliance_portal.tasks.render_document".*"state": "SUCCESS"' \
  "$WORK/worker.log" || { echo "no task line in the worker's log" >&2; exit 1; }
grep -q 'logger=gunicorn.access method=GET path="/healthz" status=200' "$WORK/gunicorn.log" ||
  { echo "no access line in gunicorn's log" >&2; exit 1; }
echo "  ok  request, task and access lines in the logs"
[[ $(git status --porcelain --untracked-files=all 2>/dev/null || true) == "$repo_state" ]] ||
  { echo "the run left files in the checkout:" >&2; git status --short >&2; exit 1; }
[[ -n $(ls "$WORK/mail" 2>/dev/null) ]] || { echo "no email was written to $WORK/mail" >&2; exit 1; }
echo "  ok  nothing written into the checkout; emails went to the configured backend"
say "smoke test passed"
