"""Trust anchors come only from the configured, pinned folder; production refuses tests."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings

from esign.trust import TrustStoreError, load_trust_store, unavailable_reason

from . import pki


def write_store(folder: Path, *, pin: bool = True, crl=None) -> Path:
    root = pki.ca("TEST NCA ROOT")
    intermediate = pki.ca("TEST NCA RSA", issuer=root)
    (folder / "roots").mkdir(parents=True)
    (folder / "intermediates").mkdir()
    files = {
        folder / "roots" / "root_rsa_test.cer": root.der(),
        folder / "intermediates" / "nca_rsa_test.cer": intermediate.der(),
    }
    lines = []
    for path, data in files.items():
        path.write_bytes(data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {path.relative_to(folder)}")
    if pin:
        (folder / "pins.sha256").write_text("\n".join(lines) + "\n")
    if crl is not None:
        (folder / "crl").mkdir()
        (folder / "crl" / "nca.crl").write_bytes(
            crl.public_bytes(serialization.Encoding.DER)
        )
    return folder


def test_a_pinned_folder_loads_with_its_crls(tmp_path):
    root = pki.ca("TEST NCA ROOT")
    store = load_trust_store(write_store(tmp_path, crl=pki.crl(root, [])))

    assert len(store.anchors) == 1
    assert len(store.intermediates) == 1
    assert len(store.crls) == 1
    assert store.has_test_anchors


def test_an_unpinned_certificate_is_refused(tmp_path):
    with pytest.raises(TrustStoreError, match=r"not in pins\.sha256"):
        load_trust_store(write_store(tmp_path, pin=False))


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(TrustStoreError, match="no root certificates"):
        load_trust_store(tmp_path)


def test_without_a_folder_signing_is_unavailable_and_says_why(settings):
    from esign.trust import configured_store

    settings.ESIGN_TRUST_DIR = ""
    configured_store.cache_clear()

    assert "ESIGN_TRUST_DIR" in unavailable_reason()


def _start_production(trust_dir: Path) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alliance_portal.settings.production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "sqlite:////tmp/esign-production-check.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6399/0",
        "ALLOWED_HOSTS": "portal.example.kz",
        "ESIGN_TRUST_DIR": str(trust_dir),
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_with_test_anchors(tmp_path):
    result = _start_production(write_store(tmp_path))

    assert result.returncode != 0
    assert "TEST certification authorities" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_real_looking_anchors(tmp_path):
    root = pki.ca("NCA ROOT RSA 2020", key_name="prod-root")
    (tmp_path / "roots").mkdir()
    data = root.der()
    (tmp_path / "roots" / "root_rsa_2020.cer").write_bytes(data)
    (tmp_path / "pins.sha256").write_text(
        f"{hashlib.sha256(data).hexdigest()}  roots/root_rsa_2020.cer\n"
    )

    result = _start_production(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
