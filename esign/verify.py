"""One pure function that judges a detached CMS signature over exact bytes.

``verify_signature`` never says VALID for something it could not check: an algorithm it
cannot compute (GOST, until a verifier is added), a chain it cannot build to a configured
NCA anchor, or a malformed message all end in INVALID or CANNOT_VERIFY with the reason.
"""

import base64
import binascii
import hashlib
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms as acms
from asn1crypto import tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.db import models
from django.utils.translation import gettext_lazy as _

from .kz import EKU_SIGNING, SIGNING_ROLES, Holder, holder_of
from .trust import TrustStore

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
EKU_TIMESTAMPING = "1.3.6.1.5.5.7.3.8"
TST_INFO = "1.2.840.113549.1.9.16.1.4"  # id-ct-TSTInfo
MAX_CHAIN = 6


class Status(models.TextChoices):
    VALID = "valid", _("valid")
    INVALID = "invalid", _("invalid")
    CANNOT_VERIFY = "cannot_verify", _("cannot be verified")


REASONS = {
    "ok": _("The signature is valid."),
    "malformed": _("The file is not a CMS signature."),
    "signer_count": _("The signature must have exactly one signer."),
    "no_certificate": _("The signer's certificate is not in the signature."),
    "digest_mismatch": _(
        "The signature was made over different bytes than this document."
    ),
    "bad_signature": _("The signature does not match the signer's certificate."),
    "unsupported_algorithm": _(
        "The signature uses an algorithm this portal cannot check (e.g. GOST)."
    ),
    "untrusted_chain": _(
        "The certificate does not lead to a certification authority this portal trusts."
    ),
    "not_valid_at_time": _("A certificate was not valid at the time of signing."),
    "key_usage": _("The certificate is not meant for signing documents."),
    "revoked": _("The signer's certificate has been revoked."),
    "wrong_person": _(
        "The document was signed by someone other than the requested signer."
    ),
    "wrong_role": _("The signer may not sign on behalf of this organisation."),
    "no_anchors": _("No trust anchors are installed: signatures cannot be verified."),
}


class TimeSource(models.TextChoices):
    TIMESTAMP = "timestamp", _("trusted timestamp")
    SIGNER = "signer", _("signing time stated by the signer")
    NOW = "now", _("time of verification")


@dataclass(frozen=True)
class Expected:
    """Who must sign: a person by IIN, or an organisation by BIN with a signing role."""

    iin: str = ""
    bin: str = ""
    roles: frozenset[str] = SIGNING_ROLES


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str
    holder: Holder | None = None
    certificate_serial: str = ""
    signed_at: datetime | None = None
    time_source: str = ""
    revocation_checked: bool = False
    algorithm: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == Status.VALID

    @property
    def message(self):
        return REASONS[self.reason]

    @property
    def time_source_label(self):
        return TimeSource(self.time_source).label if self.time_source else ""


class _FailError(Exception):
    def __init__(self, status: str, reason: str):
        self.status, self.reason = status, reason


def _invalid(reason: str) -> _FailError:
    return _FailError(Status.INVALID, reason)


def _cannot(reason: str) -> _FailError:
    return _FailError(Status.CANNOT_VERIFY, reason)


# ---- parsing ---------------------------------------------------------------------------


def decode_cms(blob: bytes | str) -> bytes:
    """DER from what NCALayer returns (PEM "BEGIN CMS"), from base64, or from DER."""
    if isinstance(blob, str):
        blob = blob.encode("ascii", "ignore")
    text = blob.strip()
    if text.startswith(b"-----BEGIN"):
        body = b"".join(
            line for line in text.splitlines() if line and not line.startswith(b"-----")
        )
        text = body
    if text[:1] == b"\x30":
        return bytes(text)
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise _invalid("malformed") from exc


def _signed_data(der: bytes) -> acms.SignedData:
    try:
        info = acms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise _invalid("malformed")
        signed = info["content"]
        signed.native  # noqa: B018  (forces a full parse: a truncated file fails here)
    except (ValueError, TypeError, KeyError) as exc:
        raise _invalid("malformed") from exc
    return signed


def _certificates(signed: acms.SignedData) -> list[x509.Certificate]:
    return [
        x509.load_der_x509_certificate(choice.chosen.dump())
        for choice in signed["certificates"] or []
        if choice.name == "certificate"
    ]


def _signer_certificate(signer_info, certificates):
    sid = signer_info["sid"]
    for cert in certificates:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (
                cert.serial_number == wanted["serial_number"].native
                and cert.issuer.public_bytes() == wanted["issuer"].dump()
            ):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return cert
    raise _invalid("no_certificate")


def _attribute(attributes, name: str):
    for attribute in attributes or []:
        if attribute["type"].native == name:
            return attribute["values"][0]
    return None


# ---- the signature itself --------------------------------------------------------------


def _check_public_key_signature(certificate, algorithm, signature: bytes, data: bytes):
    key = certificate.public_key()
    digest = HASHES[algorithm]()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), digest)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        else:
            raise _cannot("unsupported_algorithm")
    except InvalidSignature as exc:
        raise _invalid("bad_signature") from exc


def _verify_signer(signed: acms.SignedData, content: bytes):
    """Check one SignerInfo over ``content``; returns (certificate, signer_info, algorithm)."""
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        raise _invalid("signer_count")
    signer_info = signer_infos[0]
    certificates = _certificates(signed)
    certificate = _signer_certificate(signer_info, certificates)

    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    if algorithm not in HASHES:
        raise _cannot("unsupported_algorithm")
    signature = signer_info["signature"].native
    signed_attrs = signer_info["signed_attrs"]
    if signed_attrs.native:
        digest = _attribute(signed_attrs, "message_digest")
        if digest is None:
            raise _invalid("malformed")
        if digest.native != hashlib.new(algorithm, content).digest():
            raise _invalid("digest_mismatch")
        # The signature covers the DER of the attributes as a SET, not their [0] tag.
        covered = b"\x31" + signed_attrs.dump()[1:]
    else:
        covered = content
    try:
        _check_public_key_signature(certificate, algorithm, signature, covered)
    except UnsupportedAlgorithm as exc:
        raise _cannot("unsupported_algorithm") from exc
    return certificate, signer_info, algorithm, certificates


# ---- chain, time, usage, revocation ------------------------------------------------------


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> bool:
    if child.issuer != parent.subject:
        return False
    try:
        child.verify_directly_issued_by(parent)
    except UnsupportedAlgorithm as exc:
        raise _cannot("unsupported_algorithm") from exc
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        return certificate.extensions.get_extension_for_class(
            x509.BasicConstraints
        ).value.ca
    except x509.ExtensionNotFound:
        return False


def build_chain(leaf, *, store: TrustStore, carried=()) -> list[x509.Certificate]:
    """leaf → … → a configured anchor; carried certificates may only be middle links."""
    chain, current = [leaf], leaf
    anchors = [a for a in store.anchors if _is_ca(a)]
    pool = [c for c in (*store.intermediates, *carried) if _is_ca(c) and c != leaf]
    for _depth in range(MAX_CHAIN):
        for anchor in anchors:
            if current == anchor or _issued_by(current, anchor):
                return chain if current == anchor else [*chain, anchor]
        parent = next(
            (c for c in pool if c not in chain and _issued_by(current, c)), None
        )
        if parent is None:
            break
        chain.append(parent)
        current = parent
    raise _invalid("untrusted_chain")


def _valid_at(chain, moment: datetime) -> None:
    for certificate in chain:
        if (
            not certificate.not_valid_before_utc
            <= moment
            <= certificate.not_valid_after_utc
        ):
            raise _invalid("not_valid_at_time")


def _may_sign(certificate: x509.Certificate, extended_usage: str) -> None:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise _invalid("key_usage")
    except x509.ExtensionNotFound:
        pass
    try:
        ekus = certificate.extensions.get_extension_for_class(
            x509.ExtendedKeyUsage
        ).value
    except x509.ExtensionNotFound as exc:
        raise _invalid("key_usage") from exc
    if extended_usage not in {oid.dotted_string for oid in ekus}:
        raise _invalid("key_usage")


def _revocation(chain, store: TrustStore, moment: datetime, trusted_time: bool) -> bool:
    """True when a CRL from the issuer covered every certificate below the anchor."""
    checked = True
    for child, issuer in itertools.pairwise(chain):
        crl = next(
            (
                c
                for c in store.crls
                if c.issuer == child.issuer
                and c.is_signature_valid(issuer.public_key())
            ),
            None,
        )
        if crl is None:
            checked = False
            continue
        revoked = crl.get_revoked_certificate_by_serial_number(child.serial_number)
        # With a trusted timestamp a later revocation does not undo an earlier signature.
        if revoked and (not trusted_time or revoked.revocation_date_utc <= moment):
            raise _invalid("revoked")
    return checked


def _timestamp(signer_info, store: TrustStore) -> datetime | None:
    """The time of an RFC 3161 token over this signature, if the token itself checks out."""
    token = _attribute(signer_info["unsigned_attrs"], "signature_time_stamp_token")
    if token is None:
        return None
    try:
        signed = token["content"]
        encap = signed["encap_content_info"]
        if encap["content_type"].dotted != TST_INFO:
            return None
        raw = encap["content"].contents
        content = tsp.TSTInfo.load(raw)
        tsa, _info, _alg, carried = _verify_signer(signed, raw)
        imprint = content["message_imprint"]
        hash_name = imprint["hash_algorithm"]["algorithm"].native
        if hash_name not in HASHES:
            return None
        expected = hashlib.new(hash_name, signer_info["signature"].native).digest()
        if imprint["hashed_message"].native != expected:
            return None
        moment = content["gen_time"].native
        chain = build_chain(tsa, store=store, carried=carried)
        _valid_at(chain, moment)
        _may_sign(tsa, EKU_TIMESTAMPING)
    except (_FailError, ValueError, TypeError, KeyError):
        return None
    return moment


def _check_expected(holder: Holder, expected: Expected | None) -> None:
    if expected is None:
        return
    if expected.iin and holder.iin != expected.iin:
        raise _invalid("wrong_person")
    if expected.bin:
        if holder.bin != expected.bin:
            raise _invalid("wrong_person")
        if not holder.roles & expected.roles:
            raise _invalid("wrong_role")


def verify_signature(
    *,
    data: bytes,
    cms: bytes | str,
    store: TrustStore | None,
    expected: Expected | None = None,
    now: datetime | None = None,
) -> Verdict:
    """Judge a detached CMS over exactly ``data``, against the anchors of ``store``."""
    if store is None:
        return Verdict(Status.CANNOT_VERIFY, "no_anchors")
    now = now or datetime.now(UTC)
    certificate = holder = None
    algorithm = ""
    try:
        signed = _signed_data(decode_cms(cms))
        certificate, signer_info, algorithm, carried = _verify_signer(signed, data)
        holder = holder_of(certificate)
        stamped = _timestamp(signer_info, store)
        claimed = _attribute(signer_info["signed_attrs"], "signing_time")
        if stamped:
            moment, source = stamped, TimeSource.TIMESTAMP
        elif claimed is not None:
            moment, source = claimed.native, TimeSource.SIGNER
        else:
            moment, source = now, TimeSource.NOW
        chain = build_chain(certificate, store=store, carried=carried)
        # Without a trusted timestamp the signer's stated time proves nothing: the
        # certificate must also still be valid now.
        _valid_at(chain, moment)
        if source != TimeSource.TIMESTAMP:
            _valid_at(chain, now)
        _may_sign(certificate, EKU_SIGNING.dotted_string)
        checked = _revocation(chain, store, moment, source == TimeSource.TIMESTAMP)
        _check_expected(holder, expected)
    except _FailError as fail:
        return Verdict(
            fail.status,
            fail.reason,
            holder=holder,
            certificate_serial=f"{certificate.serial_number:x}" if certificate else "",
            algorithm=algorithm,
        )
    return Verdict(
        Status.VALID,
        "ok",
        holder=holder,
        certificate_serial=f"{certificate.serial_number:x}",
        signed_at=moment,
        time_source=source,
        revocation_checked=checked,
        algorithm=algorithm,
    )
