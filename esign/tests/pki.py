"""A small PKI built in the test, shaped like the NCA's: root → intermediate → leaves.

Leaves carry the Kazakh subject layout (IIN in SERIALNUMBER, BIN in OU) and the NCA's
extended key usages, so the code under test reads them as it would read a real key.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from esign.kz import EKU_INDIVIDUAL, EKU_LEGAL_ENTITY

# The builder stamps the real signing time, so the PKI is built around the real clock.
NOW = datetime.now(UTC).replace(microsecond=0)
TST_INFO = "1.2.840.113549.1.9.16.1.4"  # id-ct-TSTInfo
_KEYS: dict[str, rsa.RSAPrivateKey] = {}


def key(name: str) -> rsa.RSAPrivateKey:
    # Key generation is the slow part: one key per name for the whole test session.
    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


@dataclass
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def _name(**attrs) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attrs.values()])


def ca(common_name: str, *, issuer: Issued | None = None, key_name: str = "") -> Issued:
    private = key(key_name or common_name)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=3650))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
    )
    signer = issuer.key if issuer else private
    return Issued(builder.sign(signer, hashes.SHA256()), private)


def leaf(
    issuer: Issued,
    *,
    name: str = "ИВАНОВ ИВАН",
    iin: str = "850101300124",
    bin_: str = "",
    roles: tuple[str, ...] = (),
    key_name: str = "leaf",
    usages: tuple[x509.ObjectIdentifier, ...] = (ExtendedKeyUsageOID.EMAIL_PROTECTION,),
    not_before: datetime = NOW - timedelta(days=100),
    not_after: datetime = NOW + timedelta(days=265),
) -> Issued:
    private = key(key_name)
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, name),
        x509.NameAttribute(NameOID.SURNAME, name.split()[0]),
        x509.NameAttribute(NameOID.GIVEN_NAME, "ИВАНОВИЧ"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"IIN{iin}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "KZ"),
    ]
    ekus = [*usages]
    if bin_:
        attrs += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ҚОҒАМДЫҚ БІРЛЕСТІК"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}"),
        ]
        ekus.append(x509.ObjectIdentifier(EKU_LEGAL_ENTITY))
        ekus += [x509.ObjectIdentifier(f"{EKU_LEGAL_ENTITY}.{r}") for r in roles]
    else:
        ekus.append(x509.ObjectIdentifier(EKU_INDIVIDUAL))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attrs))
        .issuer_name(issuer.certificate.subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(ekus), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    return Issued(certificate, private)


def sign(data: bytes, signer: Issued, *, extra=(), detached: bool = True) -> bytes:
    """A detached CMS as NCALayer returns it (PEM "CMS"), carrying ``extra`` certificates."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data)
    builder = builder.add_signer(signer.certificate, signer.key, hashes.SHA256())
    for certificate in extra:
        builder = builder.add_certificate(certificate.certificate)
    # Binary: sign the bytes as they are (S/MIME would rewrite line ends first).
    options = [pkcs7.PKCS7Options.Binary]
    if detached:
        options.append(pkcs7.PKCS7Options.DetachedSignature)
    der = builder.sign(serialization.Encoding.DER, options)
    return pem_cms(der)


def pem_cms(der: bytes) -> bytes:
    import base64

    body = base64.encodebytes(der).decode().strip()
    return f"-----BEGIN CMS-----\n{body}\n-----END CMS-----\n".encode()


def crl(
    issuer: Issued, revoked: list[Issued], *, at: datetime = NOW - timedelta(days=5)
):
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(at)
        .next_update(at + timedelta(days=30))
    )
    for item in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(item.certificate.serial_number)
            .revocation_date(at)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256())


def timestamped(cms_pem: bytes, tsa: Issued, *, gen_time: datetime) -> bytes:
    """``cms_pem`` with an RFC 3161 token from ``tsa`` over its signature, as the NCA's
    TSA adds when NCALayer is asked for ``tsaProfile``."""
    import hashlib

    from asn1crypto import cms as acms
    from asn1crypto import tsp
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.asymmetric import padding

    from esign.verify import decode_cms

    info = acms.ContentInfo.load(decode_cms(cms_pem))
    signer = info["content"]["signer_infos"][0]
    tst = tsp.TSTInfo(
        {
            "version": "v1",
            "policy": "1.2.398.3.3.2.6.1",
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": hashlib.sha256(signer["signature"].native).digest(),
            },
            "serial_number": 1,
            "gen_time": gen_time,
        }
    )
    econtent = tst.dump()
    attrs = acms.CMSAttributes(
        [
            {"type": "content_type", "values": [TST_INFO]},
            {"type": "message_digest", "values": [hashlib.sha256(econtent).digest()]},
        ]
    )
    signature = tsa.key.sign(attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    certificate = ax509.Certificate.load(tsa.der())
    token = acms.ContentInfo(
        {
            "content_type": "signed_data",
            "content": {
                "version": "v3",
                "digest_algorithms": [{"algorithm": "sha256"}],
                "encap_content_info": {"content_type": TST_INFO, "content": tst},
                "certificates": [certificate],
                "signer_infos": [
                    {
                        "version": "v1",
                        "sid": {
                            "issuer_and_serial_number": {
                                "issuer": certificate.issuer,
                                "serial_number": certificate.serial_number,
                            }
                        },
                        "digest_algorithm": {"algorithm": "sha256"},
                        "signed_attrs": attrs,
                        "signature_algorithm": {"algorithm": "rsassa_pkcs1v15"},
                        "signature": signature,
                    }
                ],
            },
        }
    )
    signer["unsigned_attrs"] = [
        {"type": "signature_time_stamp_token", "values": [token]}
    ]
    return pem_cms(info.dump(force=True))
