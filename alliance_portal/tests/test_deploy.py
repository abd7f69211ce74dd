"""The deployment files agree with the settings and with each other.

The smoke test (scripts/deploy_smoke.sh, in CI) runs them for real; these checks catch,
in a second, a variable nobody listed in the env template or a path that drifted."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
SETTINGS = Path(settings.BASE_DIR) / "alliance_portal" / "settings"
NGINX = (DEPLOY / "nginx" / "alliance-portal.conf").read_text()
TEMPLATE = (DEPLOY / "env.template").read_text()
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))

ENV_READ = re.compile(
    r"""(?:\benv(?:\.\w+)?|_require|os\.environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def _template_values() -> dict[str, str]:
    return dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", TEMPLATE, flags=re.MULTILINE))


def _variables_read() -> set[str]:
    sources = [*SETTINGS.glob("*.py"), DEPLOY / "gunicorn.conf.py"]
    names = set()
    for path in sources:
        if path.name == "test.py":
            continue
        names |= set(ENV_READ.findall(path.read_text()))
    for script in ("backup.sh", "restore.sh"):
        text = (Path(settings.BASE_DIR) / "scripts" / script).read_text()
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)[:}]", text))
    for unit in UNITS:
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)\}", unit.read_text()))
    return names


def test_the_env_template_lists_every_variable_that_is_read():
    read = _variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN"} <= read
    missing = sorted(name for name in read if not re.search(rf"\b{name}\b", TEMPLATE))
    assert missing == [], f"add to deploy/env.template: {missing}"
    assert _template_values()["DJANGO_SETTINGS_MODULE"] == (
        "alliance_portal.settings.production"
    )


def test_nginx_serves_private_files_from_the_media_root_only_internally():
    values = _template_values()
    prefix = values["PRIVATE_FILES_ACCEL_PREFIX"]
    block = re.search(rf"location {re.escape(prefix)} \{{(.*?)\n    \}}", NGINX, re.S)
    assert block, f"no nginx location for {prefix}"
    assert re.search(r"^\s*internal;", block.group(1), re.M)
    assert f"alias {values['MEDIA_ROOT'].rstrip('/')}/;" in block.group(1)
    # nginx drops these upstream headers on an internal redirect: set again there.
    for header in ("X-Content-Type-Options", "Content-Security-Policy"):
        assert f"add_header {header} " in block.group(1)


def test_nginx_static_root_upstream_and_body_limit_match_the_settings():
    values = _template_values()
    static_root = Path(values["STATIC_ROOT"])
    assert static_root.name == settings.STATIC_URL.strip("/")
    assert f"root {static_root.parent};" in NGINX
    assert f"server {values['GUNICORN_BIND']} " in NGINX
    limit = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert limit
    assert int(limit.group(1)) * 1024 * 1024 > settings.MAX_UPLOAD_SIZE
    assert "return 301 https://" in NGINX
    assert "max-age=31536000, immutable" in NGINX


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_every_unit_runs_unprivileged_from_the_one_env_file(unit):
    text = unit.read_text()
    assert "EnvironmentFile=/etc/alliance-portal/env" in text
    user = re.search(r"^User=(\S+)$", text, re.M)
    assert user
    assert user.group(1) != "root"
    if "Type=oneshot" not in text:
        assert "Restart=on-failure" in text


def test_there_is_a_unit_for_web_worker_and_beat():
    names = {unit.name for unit in UNITS}
    assert {
        "alliance-portal-web.service",
        "alliance-portal-worker.service",
        "alliance-portal-beat.service",
    } <= names


def test_gunicorn_takes_its_workers_from_the_cpu_count(monkeypatch):
    import multiprocessing

    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(multiprocessing, "cpu_count", lambda: 4)
    config = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert config["workers"] == 9
    assert config["bind"] == "127.0.0.1:8000"
    assert config["timeout"] > 0
    assert config["accesslog"] == "-"
    assert "%(h)s" not in config["access_log_format"]  # no client address
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    assert runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["workers"] == 2


def test_the_production_settings_start_from_the_env_template(tmp_path):
    """The template's values, as a volunteer copies them, pass ``check --deploy``
    (only the secret, the database and the folders are filled in)."""
    import os
    import secrets
    import subprocess
    import sys

    values = _template_values()
    values.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**base, **values},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_behind_nginx_django_checks_access_and_only_names_the_file(
    client, make_user, settings, tmp_path
):
    """With PRIVATE_FILES_ACCEL_PREFIX (production behind nginx) the download is an
    empty response naming the file for nginx's internal location; someone else gets
    Django's 404 and no header that nginx would follow."""
    from urllib.parse import quote

    from django.core.files.base import ContentFile

    from alliance_portal.models import DocumentJob

    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_FILES_ACCEL_PREFIX = "/_protected/"
    owner, other = make_user("ngo_leader"), make_user("ngo_leader")
    job = DocumentJob.objects.create(
        kind="test", key="accel", requested_by=owner, status=DocumentJob.Status.DONE
    )
    job.file.save("есеп 1.pdf", ContentFile(b"%PDF-1.4 report"))
    job.filename = "есеп 1.pdf"
    job.save()
    url = f"/kk/documents/{job.pk}/download/"

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == b""
    accel = response["X-Accel-Redirect"]
    assert accel == "/_protected/" + quote(job.file.name)
    assert accel.startswith("/_protected/documents/")
    assert accel.endswith("/%D0%B5%D1%81%D0%B5%D0%BF_1.pdf")  # quoted for nginx
    assert (tmp_path / job.file.name).read_bytes() == b"%PDF-1.4 report"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")

    client.force_login(other)
    denied = client.get(url)
    assert denied.status_code == 404
    assert "X-Accel-Redirect" not in denied
