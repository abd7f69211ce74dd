"""Only a contract signed by every party with a verified ЭЦП lets a grant's money move
(the paper scan remains the other way)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from alliance_portal.models import IssuedDocument
from esign import services
from esign.trust import configured_store
from grants import services as grants
from grants.documents import dossier_zip
from grants.models import Grant
from grants.tests.factories import fund_officer_of, leader_of, make_grant, staff_user

from . import pki
from .test_trust import write_store

pytestmark = pytest.mark.django_db
NGO_HEAD, FUND_HEAD = "850101300124", "900202400459"


@pytest.fixture
def nca(tmp_path, settings):
    settings.ESIGN_TRUST_DIR = str(write_store(tmp_path))
    configured_store.cache_clear()
    yield pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT"))
    configured_store.cache_clear()


def _contract(grant, staff, capture, reason=""):
    with capture(execute=True):
        grants.grant_generate_contract(grant=grant, actor=staff, reason=reason)
    return IssuedDocument.objects.filter(
        kind="grant_contract", subject_id=grant.pk, variant="kk-ru"
    ).latest("version")


def _bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_every_party_signing_the_contract_signs_the_grant(
    nca, django_capture_on_commit_callbacks
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    contract = _contract(grant, staff, django_capture_on_commit_callbacks)
    leader, officer = leader_of(grant.organisation), fund_officer_of(grant.funder)
    ngo = services.signing_request_create(
        document=contract,
        party="ngo",
        signer=leader,
        actor=staff,
        expected_iin=NGO_HEAD,
    )
    fund = services.signing_request_create(
        document=contract,
        party="fund",
        signer=officer,
        actor=staff,
        expected_iin=FUND_HEAD,
    )
    data = _bytes(contract)

    services.signature_submit(
        request=ngo, cms=pki.sign(data, pki.leaf(nca, iin=NGO_HEAD)), actor=leader
    )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CONTRACT_GENERATED  # one party is not money
    assert not grant.money_can_move

    services.signature_submit(
        request=fund,
        cms=pki.sign(data, pki.leaf(nca, iin=FUND_HEAD, key_name="fund")),
        actor=officer,
    )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SIGNED
    assert grant.money_can_move
    change = grant.status_changes.latest("pk")
    assert change.to_status == Grant.Status.SIGNED
    assert "ЭЦП" in change.comment
    # The audit dossier carries the signed contract with every .cms and the verdicts.
    dossier = zipfile.ZipFile(io.BytesIO(dossier_zip(grant)))
    [ecp] = [n for n in dossier.namelist() if n.endswith("contract-signed-ecp.zip")]
    inner = zipfile.ZipFile(io.BytesIO(dossier.read(ecp)))
    assert inner.read(contract.filename) == data
    assert len([n for n in inner.namelist() if n.endswith(".cms")]) == 2


def test_a_signature_on_an_old_version_is_refused(
    nca, django_capture_on_commit_callbacks
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    old = _contract(grant, staff, django_capture_on_commit_callbacks)
    leader = leader_of(grant.organisation)
    request = services.signing_request_create(
        document=old, party="ngo", signer=leader, actor=staff, expected_iin=NGO_HEAD
    )
    _contract(grant, staff, django_capture_on_commit_callbacks, reason="Банк өзгерді")

    with pytest.raises(ValidationError):
        services.signature_submit(
            request=request,
            cms=pki.sign(_bytes(old), pki.leaf(nca, iin=NGO_HEAD)),
            actor=leader,
        )
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CONTRACT_GENERATED
