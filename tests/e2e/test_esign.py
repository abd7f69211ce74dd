"""Signing in the browser: the real page and client, a local NCALayer stand-in, the
server's real verification against the test NCA."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import login
from esign import services
from esign.models import SigningRequest
from esign.tests import pki
from esign.tests.factories import issued_document
from esign.tests.ncalayer import FakeNCALayer
from esign.tests.test_trust import write_store
from esign.tests.test_verify import PDF
from esign.trust import configured_store
from members.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("ESIGN_SCREENSHOTS")
IIN = "850101300124"


@pytest.fixture
def nca(tmp_path, settings):
    settings.ESIGN_TRUST_DIR = str(write_store(tmp_path))
    configured_store.cache_clear()
    intermediate = pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT"))
    yield intermediate
    configured_store.cache_clear()


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_leader_signs_with_ncalayer_and_sees_the_valid_panel(
    page, live_server, make_user, nca, settings
):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    document = issued_document(OrganisationFactory(), content=PDF)
    request = services.signing_request_create(
        document=document, party="ngo", signer=leader, actor=staff, expected_iin=IIN
    )
    key = pki.leaf(nca, name="ӘБІЛОВ ҚАНАТ", iin=IIN)

    with FakeNCALayer(key) as ncalayer:
        settings.ESIGN_NCALAYER_URL = ncalayer.url
        login(page, live_server.url, leader)
        page.goto(f"{live_server.url}/kk/esign/waiting/")
        page.get_by_role("link", name="Қол қою", exact=True).first.click()
        _shot(page, "sign-page")

        # First the person cancels in NCALayer: nothing is signed, the page says so.
        ncalayer.mode = "cancel"
        page.locator("[data-esign-start]").click()
        expect(page.locator("[data-esign-status]")).to_contain_text("тоқтатылды")
        assert SigningRequest.objects.get().state == "pending"

        ncalayer.mode = "sign"
        page.locator("[data-esign-start]").click()
        page.wait_for_url(f"**/esign/documents/{document.pk}/")
        _shot(page, "panel")

    sent = next(r for r in ncalayer.requests if r.get("method") == "sign")
    assert sent["args"]["signingParams"]["encapsulate"] is False
    assert sent["args"]["signingParams"]["tsaProfile"] == {}
    assert sent["args"]["signerParams"]["iin"] == IIN
    panel = page.locator("section.card").first
    expect(panel).to_contain_text("ӘБІЛОВ ҚАНАТ")
    expect(panel).to_contain_text("8501******24")
    expect(panel).not_to_contain_text(IIN)
    request.refresh_from_db()
    assert request.state == SigningRequest.State.SIGNED
    assert services.is_fully_signed(document)

    page.reload()
    expect(page.get_by_role("link", name="Қол қою парағы", exact=False)).to_be_visible()


def test_ncalayer_not_running_is_explained(page, live_server, make_user, nca, settings):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    document = issued_document(OrganisationFactory(), content=PDF)
    services.signing_request_create(
        document=document, party="ngo", signer=leader, actor=staff, expected_iin=IIN
    )
    settings.ESIGN_NCALAYER_URL = "ws://127.0.0.1:9"  # nothing listens there

    login(page, live_server.url, leader, language="ru")
    page.goto(f"{live_server.url}/ru/esign/requests/{SigningRequest.objects.get().pk}/")
    page.locator("[data-esign-start]").click()

    expect(page.locator("[data-esign-status]")).to_contain_text("NCALayer")
    expect(page.locator("[data-esign-status]")).to_contain_text("pki.gov.kz")


def test_a_key_of_someone_else_is_refused_in_the_page(
    page, live_server, make_user, nca, settings
):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    document = issued_document(OrganisationFactory(), content=PDF)
    services.signing_request_create(
        document=document, party="ngo", signer=leader, actor=staff, expected_iin=IIN
    )
    wrong = pki.leaf(nca, iin="900202400459", key_name="wrong")

    with FakeNCALayer(wrong) as ncalayer:
        settings.ESIGN_NCALAYER_URL = ncalayer.url
        login(page, live_server.url, leader)
        page.goto(
            f"{live_server.url}/kk/esign/requests/{SigningRequest.objects.get().pk}/"
        )
        page.locator("[data-esign-start]").click()
        expect(page.locator("[data-esign-status]")).to_have_class("alert alert-danger")

    assert SigningRequest.objects.get().state == "pending"
