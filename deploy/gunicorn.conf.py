"""gunicorn for the portal: ``gunicorn -c deploy/gunicorn.conf.py alliance_portal.wsgi``.

Every value can be overridden from the environment file (/etc/alliance-portal/env).
"""

import multiprocessing
import os

# nginx on the same machine talks to gunicorn over loopback; nothing else reaches it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# The usual (2 × cores) + 1 synchronous workers: requests are short, and nginx buffers
# slow clients and sends private files (X-Accel-Redirect), so a worker is never held by a
# slow download. PDFs and exports are rendered by the Celery worker, not here.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request taking longer than this is killed and logged (the slowest pages, large
# imports' previews, answer in a few seconds).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On restart (systemctl reload / deploy), requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# Recycle workers now and then so slow leaks (fonts, caches of libraries) stay bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100

# The worker heartbeat file on tmpfs: a slow disk must not look like a hung worker
# (gunicorn's own advice; the file holds nothing).
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

# Only the local nginx may tell us the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log on stdout (journald), key=value, without the client's address, the query
# string or the user agent: the portal logs its own line per request with the user id
# (alliance_portal.logs); this one also shows requests that never reached Django.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = (
    'logger=gunicorn.access method=%(m)s path="%(U)s" status=%(s)s '
    "bytes=%(B)s duration_ms=%(M)s"
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "alliance-portal"


def post_worker_init(worker):
    """Before a new worker takes requests: fill Django's lazy caches (URL resolvers,
    catalogues, every template compiled) and take them out of the garbage
    collector's reach, so its first visitors wait no longer than the next ones
    (alliance_portal.warmup). A failed warm-up only costs speed, never the worker."""
    try:
        from alliance_portal.warmup import freeze_heap, warm_worker

        templates = warm_worker()
        freeze_heap()
    except Exception:  # the worker serves cold rather than not at all
        worker.log.exception("warm-up failed; serving cold")
    else:
        worker.log.info("worker warmed: %d templates compiled", templates)
