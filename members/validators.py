"""Validators of the members app, reusable by any app that stores a BIN or a logo."""

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
