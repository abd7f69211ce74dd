"""The public verification page and the revocation-list refresh."""

import functools
import http.server
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from esign.trust import configured_store

from . import pki
from .test_trust import write_store
from .test_verify import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusted(tmp_path, settings):
    settings.ESIGN_TRUST_DIR = str(write_store(tmp_path))
    configured_store.cache_clear()
    yield tmp_path
    configured_store.cache_clear()


def _post(client, document: bytes, signature: bytes):
    return client.post(
        reverse("esign:verify"),
        {
            "document": SimpleUploadedFile("contract.pdf", document),
            "signature": SimpleUploadedFile("signer.cms", signature),
        },
    )


def test_anyone_can_verify_a_signed_copy(client, trusted):
    person = pki.leaf(pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT")))

    response = _post(client, PDF, pki.sign(PDF, person))

    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["verdict"].is_valid
    assert "8501******24" in body
    assert "850101300124" not in body  # the IIN is never shown whole


def test_a_changed_document_is_reported_invalid(client, trusted):
    person = pki.leaf(pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT")))

    response = _post(client, PDF.replace(b"0042", b"0043"), pki.sign(PDF, person))

    assert response.context["verdict"].reason == "digest_mismatch"
    assert "alert-danger" in response.content.decode()


def test_not_a_pdf_is_a_form_error_in_the_users_language(client, trusted):
    response = client.post(
        "/ru" + reverse("esign:verify")[3:],
        {
            "document": SimpleUploadedFile("x.pdf", b"<html><script>1</script>"),
            "signature": SimpleUploadedFile("x.cms", b"junk"),
        },
    )

    assert response.status_code == 400
    assert "verdict" not in response.context


def test_without_anchors_the_page_says_so(client, settings):
    settings.ESIGN_TRUST_DIR = ""
    configured_store.cache_clear()

    response = client.get(reverse("esign:verify"))

    assert response.status_code == 200
    assert response.context["unavailable"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def crl_server(tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_refresh_keeps_only_lists_signed_by_a_configured_ca(
    trusted, crl_server, settings
):
    served, base = crl_server
    root = pki.ca("TEST NCA ROOT")
    intermediate = pki.ca("TEST NCA RSA", issuer=root)
    revoked = pki.leaf(intermediate, key_name="revoked")
    good = pki.crl(intermediate, [revoked]).public_bytes(serialization.Encoding.DER)
    (served / "nca_rsa_test.crl").write_bytes(good)
    rogue = pki.ca("ROGUE ROOT", key_name="rogue-root")
    (served / "rogue.crl").write_bytes(
        pki.crl(rogue, []).public_bytes(serialization.Encoding.DER)
    )
    settings.ESIGN_CRL_URLS = [f"{base}/nca_rsa_test.crl", f"{base}/rogue.crl"]

    with pytest.raises(CommandError, match="1 revocation list"):
        call_command("esign_refresh_crls")

    assert (trusted / "crl" / "nca_rsa_test.crl").read_bytes() == good
    assert not (trusted / "crl" / "rogue.crl").exists()
    assert len(configured_store().crls) == 1
