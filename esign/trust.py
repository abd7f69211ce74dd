"""The NCA trust anchors this portal accepts, loaded from a configured folder.

Layout of ``ESIGN_TRUST_DIR`` (see docs/deployment.md):

    roots/*.cer            NCA root certificates (DER or PEM)
    intermediates/*.cer    NCA issuing CAs
    crl/*.crl              certificate revocation lists (refreshed by ``esign_refresh_crls``)
    pins.sha256            ``sha256sum`` lines for every certificate file above

A certificate whose SHA-256 is not pinned is refused, so a file dropped into the folder
cannot widen what the portal trusts. A certificate carried inside a signature is never
an anchor: it can only be a link of a chain that ends here.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from cryptography import x509
from django.conf import settings

CERT_SUFFIXES = {".cer", ".crt", ".pem", ".der"}
# How the NCA (and our own test PKI) mark certificates that must never reach production.
TEST_MARKERS = ("TEST", "ТЕСТ")


class TrustStoreError(Exception):
    """The configured folder cannot be used; the message says why."""


@dataclass(frozen=True)
class TrustStore:
    anchors: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = field(default=())

    @property
    def has_test_anchors(self) -> bool:
        return any(is_test_certificate(c) for c in self.anchors + self.intermediates)


def is_test_certificate(certificate: x509.Certificate) -> bool:
    text = certificate.subject.rfc4514_string().upper()
    return any(marker in text for marker in TEST_MARKERS)


def load_certificate(data: bytes) -> x509.Certificate:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_crl(data)
    return x509.load_der_x509_crl(data)


def read_pins(folder: Path) -> set[str]:
    pins_file = folder / "pins.sha256"
    if not pins_file.exists():
        return set()
    return {
        line.split()[0].lower()
        for line in pins_file.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }


def _certificates(folder: Path, pins: set[str]) -> tuple[x509.Certificate, ...]:
    found = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix.lower() not in CERT_SUFFIXES:
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() not in pins:
            raise TrustStoreError(f"{path.name}: its SHA-256 is not in pins.sha256")
        try:
            found.append(load_certificate(data))
        except ValueError as exc:
            raise TrustStoreError(f"{path.name}: not a certificate ({exc})") from exc
    return tuple(found)


def load_trust_store(folder: Path, *, pins: set[str] | None = None) -> TrustStore:
    folder = Path(folder)
    pins = {p.lower() for p in pins} if pins else read_pins(folder)
    anchors = _certificates(folder / "roots", pins)
    if not anchors:
        raise TrustStoreError(f"no root certificates in {folder / 'roots'}")
    crls = []
    for path in sorted((folder / "crl").glob("*.crl")):
        try:
            crls.append(load_crl(path.read_bytes()))
        except ValueError as exc:
            raise TrustStoreError(f"{path.name}: not a CRL ({exc})") from exc
    return TrustStore(
        anchors=anchors,
        intermediates=_certificates(folder / "intermediates", pins),
        crls=tuple(crls),
    )


@cache
def configured_store() -> TrustStore | None:
    """The store of ``ESIGN_TRUST_DIR``; None when the portal has no anchors installed."""
    folder = getattr(settings, "ESIGN_TRUST_DIR", "")
    if not folder:
        return None
    return load_trust_store(Path(folder), pins=set(settings.ESIGN_TRUST_PINS) or None)


def unavailable_reason() -> str:
    """Empty when signing is available; else why not (for the page and the logs)."""
    try:
        store = configured_store()
    except TrustStoreError as exc:
        return str(exc)
    if store is None:
        return "ESIGN_TRUST_DIR is not set: no NCA trust anchors are installed"
    return ""
