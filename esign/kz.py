"""What a certificate of the National Certification Authority (НУЦ РК) says about its holder.

Subject layout: CN = "SURNAME NAME", SN = surname, GN = patronymic,
SERIALNUMBER = "IIN" + 12 digits, O = organisation, OU = "BIN" + 12 digits, C = KZ.
The holder's kind and role inside a legal entity are extended key usages under the
NCA's arc 1.2.398.3.3.4.1.
"""

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

EKU_SIGNING = ExtendedKeyUsageOID.EMAIL_PROTECTION  # 1.3.6.1.5.5.7.3.4
EKU_INDIVIDUAL = "1.2.398.3.3.4.1.1"
EKU_LEGAL_ENTITY = "1.2.398.3.3.4.1.2"


class Role:
    CEO = "ceo"
    MAY_SIGN = "may_sign"
    FINANCIAL = "financial"
    HR = "hr"
    EMPLOYEE = "employee"


ROLE_OIDS = {
    f"{EKU_LEGAL_ENTITY}.1": Role.CEO,
    f"{EKU_LEGAL_ENTITY}.2": Role.MAY_SIGN,
    f"{EKU_LEGAL_ENTITY}.3": Role.FINANCIAL,
    f"{EKU_LEGAL_ENTITY}.4": Role.HR,
    f"{EKU_LEGAL_ENTITY}.5": Role.EMPLOYEE,
}
# Who may sign a contract on an organisation's behalf.
SIGNING_ROLES = frozenset({Role.CEO, Role.MAY_SIGN})


@dataclass(frozen=True)
class Holder:
    common_name: str
    surname: str
    patronymic: str
    iin: str
    bin: str
    organisation: str
    legal_entity: bool
    roles: frozenset[str]
    extended_key_usages: frozenset[str]

    @property
    def iin_masked(self) -> str:
        return mask_iin(self.iin)


def mask_iin(iin: str) -> str:
    """``850101300123`` → ``8501******23``: enough to recognise, not to reuse."""
    if len(iin) != 12:
        return "*" * len(iin)
    return f"{iin[:4]}{'*' * 6}{iin[-2:]}"


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _digits_after(prefix: str, value: str) -> str:
    if value.upper().startswith(prefix) and value[len(prefix) :].isdigit():
        return value[len(prefix) :]
    return ""


def extended_key_usages(certificate: x509.Certificate) -> frozenset[str]:
    try:
        ext = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return frozenset()
    return frozenset(oid.dotted_string for oid in ext.value)


def holder_of(certificate: x509.Certificate) -> Holder:
    subject = certificate.subject
    ekus = extended_key_usages(certificate)
    return Holder(
        common_name=_attr(subject, NameOID.COMMON_NAME),
        surname=_attr(subject, NameOID.SURNAME),
        patronymic=_attr(subject, NameOID.GIVEN_NAME),
        iin=_digits_after("IIN", _attr(subject, NameOID.SERIAL_NUMBER)),
        bin=_digits_after("BIN", _attr(subject, NameOID.ORGANIZATIONAL_UNIT_NAME)),
        organisation=_attr(subject, NameOID.ORGANIZATION_NAME),
        legal_entity=EKU_LEGAL_ENTITY in ekus
        or any(oid.startswith(EKU_LEGAL_ENTITY + ".") for oid in ekus),
        roles=frozenset(role for oid, role in ROLE_OIDS.items() if oid in ekus),
        extended_key_usages=ekus,
    )
