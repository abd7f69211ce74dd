"""Signing in the browser: the real page and client, a local NCALayer stand-in, the
server's real verification against the test NCA."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
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
        page.wait_for_url(f"**/esign/documents/{document.pk}/", timeout=90_000)
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


def test_contract_signed_by_both_parties_lets_the_leader_request_a_tranche(
    browser, live_server, nca, settings
):
    from django.urls import reverse

    from alliance_portal.models import IssuedDocument
    from grants import services as grants
    from grants.models import Grant, Tranche
    from grants.tests.factories import (
        fund_officer_of,
        leader_of,
        make_grant,
        staff_user,
    )

    staff = staff_user()
    grant = make_grant(actor=staff)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    grants.grant_generate_contract(grant=grant, actor=staff)
    contract = IssuedDocument.objects.get(
        kind="grant_contract", subject_id=grant.pk, variant="kk-ru"
    )
    leader, officer = leader_of(grant.organisation), fund_officer_of(grant.funder)
    services.signing_request_create(
        document=contract, party="ngo", signer=leader, actor=staff, expected_iin=IIN
    )
    services.signing_request_create(
        document=contract,
        party="fund",
        signer=officer,
        actor=staff,
        expected_bin="123456789013",
    )

    def sign_as(user, key):
        context = browser.new_context(
            locale="kk-KZ", viewport={"width": 1280, "height": 900}
        )
        page = context.new_page()
        with FakeNCALayer(key) as ncalayer:
            settings.ESIGN_NCALAYER_URL = ncalayer.url
            login(page, live_server.url, user)
            page.goto(f"{live_server.url}/kk/esign/waiting/")
            page.get_by_role("link", name="Қол қою", exact=True).first.click()
            page.locator("[data-esign-start]").click()
            try:
                page.wait_for_url(f"**/esign/documents/{contract.pk}/", timeout=90_000)
            except PlaywrightTimeout as exc:
                status = page.locator("[data-esign-status]").inner_text()
                raise AssertionError(f"{user.role} could not sign: {status}") from exc
        return page

    sign_as(leader, pki.leaf(nca, iin=IIN))
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CONTRACT_GENERATED

    fund_head = pki.leaf(
        nca, iin="900202400459", bin_="123456789013", roles=("1",), key_name="fund"
    )
    page = sign_as(officer, fund_head)
    expect(page.locator("section.card").first).to_contain_text("Барлық тарап қол қойды")
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SIGNED

    leader_page = browser.new_context(locale="kk-KZ").new_page()
    login(leader_page, live_server.url, leader)
    leader_page.goto(live_server.url + reverse("grants:detail", args=[grant.pk]))
    _shot(leader_page, "grant-signed")
    with leader_page.expect_navigation():
        leader_page.locator("form[action$='/request/'] button").first.click()
    first = Tranche.objects.get(grant=grant, sequence=1)
    assert first.status == Tranche.Status.REQUESTED
