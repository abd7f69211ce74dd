"""Validators of the members app, reusable by any app that stores a BIN or a logo."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads

_FIRST_WEIGHTS = tuple(range(1, 12))
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_check_digit(first_eleven: str) -> int | None:
    """The check digit of a BIN/IIN from its first 11 digits, or None when no digit
    can make it valid (the official algorithm gives 10 twice)."""
    digits = [int(c) for c in first_eleven]
    remainder = sum(w * d for w, d in zip(_FIRST_WEIGHTS, digits, strict=True)) % 11
    if remainder == 10:
        remainder = (
            sum(w * d for w, d in zip(_SECOND_WEIGHTS, digits, strict=True)) % 11
        )
        if remainder == 10:
            return None
    return remainder


def is_valid_bin(value: str) -> bool:
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return bin_check_digit(value[:11]) == int(value[11])


def validate_bin(value: str) -> None:
    """A 12-digit Kazakh business identification number with a correct check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("A BIN has exactly 12 digits."),
            code="bin_format",
            params={"value": value},
        )
    if not is_valid_bin(value):
        raise ValidationError(
            _("This BIN is not valid: its check digit does not match."),
            code="bin_checksum",
            params={"value": value},
        )


def iban_check_digits(country: str, bban: str) -> str:
    """The two ISO 13616 check digits for a country code and a BBAN."""
    return f"{98 - _mod97(bban + country + '00'):02d}"


def _mod97(text: str) -> int:
    # Letters count as two digits (A = 10 … Z = 35), as ISO 13616 says.
    return int("".join(str(int(c, 36)) for c in text)) % 97


def is_valid_iban(value: str) -> bool:
    """ISO 13616: the first four characters moved to the end give 1 modulo 97."""
    if not (15 <= len(value) <= 34) or not value.isascii() or not value.isalnum():
        return False
    if not value[:2].isalpha() or not value[2:4].isdigit() or value != value.upper():
        return False
    return _mod97(value[4:] + value[:4]) == 1


_KZ_IBAN = re.compile(r"^KZ[0-9]{2}[0-9]{3}[0-9A-Z]{13}$")


def validate_kz_iban(value: str) -> None:
    """A Kazakh IBAN: KZ, two check digits, a 3-digit bank code and a 13-character
    account, 20 characters in all, with correct check digits."""
    if not _KZ_IBAN.match(value):
        raise ValidationError(
            _(
                "A Kazakh IBAN has 20 characters: KZ, two check digits, the bank's "
                "3-digit code and 13 letters or digits of the account."
            ),
            code="iban_format",
        )
    if not is_valid_iban(value):
        raise ValidationError(
            _("This IBAN is not valid: its check digits do not match."),
            code="iban_checksum",
        )


_BIK = re.compile(r"^[A-Z]{4}KZ[A-Z0-9]{2}([A-Z0-9]{3})?$")


def validate_bik(value: str) -> None:
    """The bank's BIK (its SWIFT code in Kazakhstan): 8 letters or digits such as
    HSBKKZKX, with KZ in the fifth and sixth places."""
    if not _BIK.match(value):
        raise ValidationError(
            _(
                "A BIK has 8 Latin letters or digits with KZ in the middle, e.g. HSBKKZKX."
            ),
            code="bik_format",
        )


def validate_kbe(value: str) -> None:
    """The beneficiary code: residency (1 resident, 2 non-resident) and the economic
    sector (1–9); a Kazakh NGO is usually 18."""
    if not (
        len(value) == 2
        and value.isascii()
        and value[0] in "12"
        and value[1] in "123456789"
    ):
        raise ValidationError(
            _(
                "KBe has two digits: 1 or 2 (resident or not), then the sector 1–9, "
                "e.g. 18."
            ),
            code="kbe_format",
        )


ALLOWED_IMAGE_TYPES = uploads.IMAGES


def validate_image_upload(file) -> None:
    """A logo: at most 10 MB and really a PNG/JPEG/WebP/GIF, judged by its content."""
    from django.db.models.fields.files import FieldFile

    if isinstance(file, FieldFile) and file._committed:
        return  # already stored: it was checked when it was uploaded
    uploads.check_upload(
        file,
        allowed=ALLOWED_IMAGE_TYPES,
        message=_("Upload an image (PNG, JPEG, WebP or GIF)."),
    )
