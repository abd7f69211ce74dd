"""Asking for signatures, recording them with their verdicts, and what a full set unlocks."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from alliance_portal.models import Notification
from esign import services
from esign.models import Signature, SigningRequest
from esign.trust import configured_store
from members.tests.factories import OrganisationFactory

from . import pki
from .factories import issued_document
from .test_trust import write_store
from .test_verify import PDF

pytestmark = pytest.mark.django_db

IIN = "850101300124"  # a valid check digit (the BIN/IIN algorithm)


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in English whatever language an earlier test left active.
    with translation.override("en"):
        yield


@pytest.fixture
def trusted(tmp_path, settings):
    settings.ESIGN_TRUST_DIR = str(write_store(tmp_path))
    configured_store.cache_clear()
    yield
    configured_store.cache_clear()


@pytest.fixture
def nca_leaf():
    intermediate = pki.ca("TEST NCA RSA", issuer=pki.ca("TEST NCA ROOT"))
    return lambda **kw: pki.leaf(intermediate, **kw)


@pytest.fixture
def document():
    return issued_document(OrganisationFactory(), content=PDF)


def ask(document, signer, staff, *, party="ngo", **kwargs):
    return services.signing_request_create(
        document=document, party=party, signer=signer, actor=staff, **kwargs
    )


def test_a_request_notifies_the_signer(document, make_user):
    staff, leader = make_user("staff"), make_user("ngo_leader")

    request = ask(document, leader, staff, expected_iin=IIN)

    note = Notification.objects.get(recipient=leader)
    assert note.url == reverse("esign:sign", args=[request.pk])
    assert document.number in note.title


def test_a_request_needs_a_valid_iin_or_bin(document, make_user):
    staff, leader = make_user("staff"), make_user("ngo_leader")

    with pytest.raises(ValidationError) as nothing:
        ask(document, leader, staff)
    with pytest.raises(ValidationError) as bad:
        ask(document, leader, staff, expected_iin="850101300125")

    assert "expected_iin" in nothing.value.error_dict
    assert "expected_iin" in bad.value.error_dict
    assert not SigningRequest.objects.exists()


def test_only_the_latest_version_is_signed(make_user):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    organisation = OrganisationFactory()
    old = issued_document(organisation, content=PDF)
    issued_document(organisation, content=PDF + b"v2", version=2)

    with pytest.raises(ValidationError, match="latest version"):
        ask(old, leader, staff, expected_iin=IIN)


def test_valid_signature_signs_the_request_and_the_document(
    document, make_user, trusted, nca_leaf
):
    staff, leader, fund = (
        make_user("staff"),
        make_user("ngo_leader"),
        make_user("fund_officer"),
    )
    first = ask(document, leader, staff, expected_iin=IIN)
    second = ask(document, fund, staff, party="fund", expected_iin="900202400459")
    signed = []
    services.on_fully_signed("contract")(
        lambda document, actor: signed.append(document)
    )

    services.signature_submit(
        request=first, cms=pki.sign(PDF, nca_leaf()), actor=leader
    )

    first.refresh_from_db()
    assert first.state == SigningRequest.State.SIGNED
    assert not services.is_fully_signed(document)
    assert signed == []

    fund_key = nca_leaf(iin="900202400459", key_name="fund")
    services.signature_submit(request=second, cms=pki.sign(PDF, fund_key), actor=fund)

    assert services.is_fully_signed(document)
    assert signed == [document]
    services._on_fully_signed["contract"].pop()


def test_an_invalid_attempt_is_kept_with_its_reason(
    document, make_user, trusted, nca_leaf
):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    request = ask(document, leader, staff, expected_iin=IIN)
    someone_else = nca_leaf(iin="900202400459", key_name="someone")

    signature = services.signature_submit(
        request=request, cms=pki.sign(PDF, someone_else), actor=leader
    )

    request.refresh_from_db()
    assert request.state == SigningRequest.State.PENDING
    assert (signature.status, signature.reason) == ("invalid", "wrong_person")
    assert Signature.objects.count() == 1


def test_only_the_requested_signer_may_submit(document, make_user, trusted, nca_leaf):
    staff, leader, other = (
        make_user("staff"),
        make_user("ngo_leader"),
        make_user("ngo_leader"),
    )
    request = ask(document, leader, staff, expected_iin=IIN)

    with pytest.raises(ValidationError):
        services.signature_submit(
            request=request, cms=pki.sign(PDF, nca_leaf()), actor=other
        )
    assert not Signature.objects.exists()


def test_a_changed_stored_file_cannot_be_signed(document, make_user, trusted, nca_leaf):
    staff, leader = make_user("staff"), make_user("ngo_leader")
    request = ask(document, leader, staff, expected_iin=IIN)
    with open(document.file.path, "ab") as handle:
        handle.write(b"tampered")

    with pytest.raises(ValidationError, match="issued hash"):
        services.signature_submit(
            request=request, cms=pki.sign(PDF, nca_leaf()), actor=leader
        )


def test_without_anchors_signing_is_refused_with_the_reason(
    document, make_user, settings
):
    settings.ESIGN_TRUST_DIR = ""
    configured_store.cache_clear()
    staff, leader = make_user("staff"), make_user("ngo_leader")
    request = ask(document, leader, staff, expected_iin=IIN)

    with pytest.raises(ValidationError, match="unavailable"):
        services.signature_submit(request=request, cms=b"x", actor=leader)
