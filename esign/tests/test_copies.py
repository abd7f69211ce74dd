"""The ZIP and the printable copy of a fully signed document."""

import io
import json
import os
import zipfile

import pytest
from pypdf import PdfReader

from alliance_portal.pdf import render_pdf
from esign import copies, services
from esign.trust import configured_store
from esign.verify import verify_signature
from members.tests.factories import OrganisationFactory

from . import pki
from .factories import issued_document
from .test_trust import write_store

pytestmark = pytest.mark.django_db
IIN = "850101300124"


@pytest.fixture
def signed(tmp_path, settings, make_user):
    settings.ESIGN_TRUST_DIR = str(write_store(tmp_path / "trust"))
    configured_store.cache_clear()
    pdf = render_pdf("documents/sample.html", {}, language="kk")
    document = issued_document(OrganisationFactory(), content=pdf)
    staff, leader = make_user("staff"), make_user("ngo_leader")
    request = services.signing_request_create(
        document=document, party="ngo", signer=leader, actor=staff, expected_iin=IIN
    )
    key = pki.leaf(pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT")), iin=IIN)
    services.signature_submit(request=request, cms=pki.sign(pdf, key), actor=leader)
    yield document, pdf
    configured_store.cache_clear()


def test_the_zip_holds_the_exact_pdf_a_cms_per_signer_and_the_verdict(signed):
    document, pdf = signed

    archive = zipfile.ZipFile(io.BytesIO(copies.signed_zip(document)))

    assert archive.read(document.filename) == pdf
    verdict = json.loads(archive.read("verdict.json"))
    assert verdict["sha256"] == document.sha256
    [entry] = verdict["signatures"]
    assert entry["status"] == "valid"
    assert entry["iin"] == "8501******24"
    # The .cms in the ZIP verifies on its own against the same anchors.
    again = verify_signature(
        data=archive.read(document.filename),
        cms=archive.read(entry["file"]),
        store=configured_store(),
    )
    assert again.is_valid


def test_the_printable_copy_appends_a_signature_sheet(signed):
    document, pdf = signed

    copy = copies.signed_copy(
        document, verify_url="https://portal.example.kz/kk/esign/verify/"
    )

    original_pages = len(PdfReader(io.BytesIO(pdf)).pages)
    reader = PdfReader(io.BytesIO(copy))
    assert len(reader.pages) == original_pages + 1
    sheet = reader.pages[-1].extract_text()
    assert "Қол қою парағы / Лист подписей" in sheet
    assert document.sha256 in sheet.replace("\n", "")
    assert "8501******24" in sheet
    assert IIN not in sheet
    if os.environ.get("ESIGN_SCREENSHOTS"):
        with open(
            os.path.join(os.environ["ESIGN_SCREENSHOTS"], "copy.pdf"), "wb"
        ) as out:
            out.write(copy)
