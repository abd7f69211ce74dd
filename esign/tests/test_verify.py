"""The verification function against a PKI built in the test: real crypto, real chains."""

from datetime import timedelta

import pytest
from asn1crypto import cms as acms
from cryptography.x509.oid import ExtendedKeyUsageOID

from esign.kz import Role
from esign.trust import TrustStore
from esign.verify import Expected, Status, decode_cms, verify_signature

from . import pki

PDF = b"%PDF-1.7\n" + "Келісімшарт № IG-2026-0042\n".encode() * 200 + b"%%EOF\n"


@pytest.fixture(scope="module")
def nca():
    root = pki.ca("TEST NCA ROOT")
    intermediate = pki.ca("TEST NCA RSA", issuer=root)
    return root, intermediate


@pytest.fixture(scope="module")
def store(nca):
    root, intermediate = nca
    return TrustStore(
        anchors=(root.certificate,), intermediates=(intermediate.certificate,)
    )


def check(cms, store, *, data=PDF, expected=None, now=pki.NOW):
    return verify_signature(data=data, cms=cms, store=store, expected=expected, now=now)


def test_valid_signature_names_the_signer(nca, store):
    _root, intermediate = nca
    person = pki.leaf(intermediate, name="ӘБІЛОВ ҚАНАТ", iin="850101300124")

    verdict = check(pki.sign(PDF, person), store, expected=Expected(iin="850101300124"))

    assert verdict.status == Status.VALID, verdict.reason
    assert verdict.holder.iin == "850101300124"
    assert verdict.holder.iin_masked == "8501******24"
    assert verdict.holder.common_name == "ӘБІЛОВ ҚАНАТ"
    assert verdict.signed_at is not None
    assert verdict.revocation_checked is False  # no CRL configured: said, not hidden


def test_one_changed_byte_is_invalid(nca, store):
    person = pki.leaf(nca[1])
    tampered = bytearray(PDF)
    tampered[100] ^= 0x01

    verdict = check(pki.sign(PDF, person), store, data=bytes(tampered))

    assert verdict.status == Status.INVALID
    assert verdict.reason == "digest_mismatch"


def test_a_forged_signature_value_is_invalid(nca, store):
    person = pki.leaf(nca[1])
    der = bytearray(decode_cms(pki.sign(PDF, person)))
    # Without unsigned attributes the CMS ends with the RSA signature value.
    der[-1] ^= 0xFF

    verdict = check(bytes(der), store)

    assert (verdict.status, verdict.reason) == (Status.INVALID, "bad_signature")


def test_another_person_signing_is_refused(nca, store):
    stranger = pki.leaf(nca[1], iin="900202400456", key_name="stranger")

    verdict = check(
        pki.sign(PDF, stranger), store, expected=Expected(iin="850101300124")
    )

    assert (verdict.status, verdict.reason) == (Status.INVALID, "wrong_person")


def test_organisation_signature_needs_a_signing_role(nca, store):
    employee = pki.leaf(nca[1], bin_="123456789012", roles=("5",), key_name="employee")
    head = pki.leaf(nca[1], bin_="123456789012", roles=("1",), key_name="head")
    wanted = Expected(bin="123456789012")

    assert check(pki.sign(PDF, employee), store, expected=wanted).reason == "wrong_role"
    verdict = check(pki.sign(PDF, head), store, expected=wanted)
    assert verdict.is_valid
    assert Role.CEO in verdict.holder.roles
    assert verdict.holder.bin == "123456789012"


def test_expired_certificate_is_invalid(nca, store):
    old = pki.leaf(
        nca[1],
        key_name="old",
        not_before=pki.NOW - timedelta(days=800),
        not_after=pki.NOW - timedelta(days=435),
    )

    verdict = check(pki.sign(PDF, old), store)

    assert (verdict.status, verdict.reason) == (Status.INVALID, "not_valid_at_time")


def test_revoked_certificate_is_invalid_and_revocation_is_reported(nca, store):
    _root, intermediate = nca
    revoked = pki.leaf(intermediate, key_name="revoked")
    fine = pki.leaf(intermediate, key_name="fine")
    with_crl = TrustStore(
        anchors=store.anchors,
        intermediates=store.intermediates,
        crls=(pki.crl(intermediate, [revoked]), pki.crl(_root, [])),
    )

    assert check(pki.sign(PDF, revoked), with_crl).reason == "revoked"
    verdict = check(pki.sign(PDF, fine), with_crl)
    assert verdict.is_valid
    assert verdict.revocation_checked is True


def test_a_chain_to_an_unknown_root_is_untrusted(store):
    # A signer who brings its own CA inside the CMS (as a fake NCALayer would).
    rogue_root = pki.ca("ROGUE ROOT", key_name="rogue-root")
    rogue_ca = pki.ca("TEST NCA RSA", issuer=rogue_root, key_name="rogue-ca")
    impostor = pki.leaf(rogue_ca, key_name="impostor")

    cms = pki.sign(PDF, impostor, extra=[rogue_ca, rogue_root])

    assert (check(cms, store).status, check(cms, store).reason) == (
        Status.INVALID,
        "untrusted_chain",
    )


def test_intermediate_carried_in_the_cms_is_used_only_as_a_link(nca):
    root, intermediate = nca
    only_root = TrustStore(anchors=(root.certificate,))
    person = pki.leaf(intermediate)

    assert check(pki.sign(PDF, person), only_root).reason == "untrusted_chain"
    assert check(pki.sign(PDF, person, extra=[intermediate]), only_root).is_valid


def test_authentication_key_cannot_sign(nca, store):
    auth = pki.leaf(nca[1], usages=(ExtendedKeyUsageOID.CLIENT_AUTH,), key_name="auth")

    assert check(pki.sign(PDF, auth), store).reason == "key_usage"


def test_two_signers_are_refused(nca, store):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    a, b = pki.leaf(nca[1], key_name="a"), pki.leaf(nca[1], key_name="b")
    der = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(PDF)
        .add_signer(a.certificate, a.key, hashes.SHA256())
        .add_signer(b.certificate, b.key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
        )
    )

    assert check(der, store).reason == "signer_count"


def test_gost_is_never_called_valid(nca, store):
    # The same CMS relabelled as GOST 2015 (Streebog-512 digest): we cannot compute it,
    # so the verdict must be "cannot verify", never "valid".
    person = pki.leaf(nca[1])
    info = acms.ContentInfo.load(decode_cms(pki.sign(PDF, person)))
    signer = info["content"]["signer_infos"][0]
    signer["digest_algorithm"] = {"algorithm": "1.2.398.3.10.1.3.3"}

    verdict = check(info.dump(force=True), store)

    assert verdict.status == Status.CANNOT_VERIFY
    assert verdict.reason == "unsupported_algorithm"


@pytest.mark.parametrize(
    "blob", [b"", b"not a signature", b"-----BEGIN CMS-----\nAAAA\n-----END CMS-----"]
)
def test_garbage_is_invalid_not_an_error(store, blob):
    assert check(blob, store).status == Status.INVALID


def test_without_anchors_nothing_is_verified(nca):
    person = pki.leaf(nca[1])

    verdict = verify_signature(data=PDF, cms=pki.sign(PDF, person), store=None)

    assert (verdict.status, verdict.reason) == (Status.CANNOT_VERIFY, "no_anchors")


def test_trusted_timestamp_sets_the_signing_time(nca, store):
    _root, intermediate = nca
    tsa = pki.leaf(
        intermediate,
        name="TSA SERVICE",
        key_name="tsa",
        usages=(ExtendedKeyUsageOID.TIME_STAMPING,),
    )
    person = pki.leaf(intermediate)
    stamped_at = pki.NOW - timedelta(minutes=5)

    cms = pki.timestamped(pki.sign(PDF, person), tsa, gen_time=stamped_at)
    verdict = check(cms, store)

    assert verdict.is_valid, verdict.reason
    assert verdict.time_source == "timestamp"
    assert verdict.signed_at == stamped_at


def test_a_timestamp_keeps_a_signature_valid_after_the_certificate_expires(nca, store):
    _root, intermediate = nca
    tsa = pki.leaf(
        intermediate,
        name="TSA SERVICE",
        key_name="tsa",
        usages=(ExtendedKeyUsageOID.TIME_STAMPING,),
    )
    person = pki.leaf(intermediate, not_after=pki.NOW + timedelta(days=1))
    cms = pki.timestamped(pki.sign(PDF, person), tsa, gen_time=pki.NOW)
    a_year_later = pki.NOW + timedelta(days=365)

    assert check(cms, store, now=a_year_later).is_valid
    # The same signature without the token proves nothing about when it was made.
    assert check(pki.sign(PDF, person), store, now=a_year_later).reason == (
        "not_valid_at_time"
    )


def test_a_timestamp_from_an_untrusted_authority_is_ignored(nca, store):
    rogue = pki.ca("ROGUE ROOT", key_name="rogue-root")
    fake_tsa = pki.leaf(
        rogue, key_name="fake-tsa", usages=(ExtendedKeyUsageOID.TIME_STAMPING,)
    )
    person = pki.leaf(nca[1])

    cms = pki.timestamped(pki.sign(PDF, person), fake_tsa, gen_time=pki.NOW)
    verdict = check(cms, store)

    assert verdict.is_valid
    assert verdict.time_source == "signer"
