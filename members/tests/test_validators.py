import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from members.validators import (
    bin_check_digit,
    is_valid_bin,
    validate_bin,
    validate_image_upload,
)

eleven_digits = st.text(alphabet="0123456789", min_size=11, max_size=11)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe"
    b"\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_check_digit_by_first_weights():
    # given 1 0 0 ... 0 → 1·1 = 1 (mod 11)
    # then the check digit is 1
    assert bin_check_digit("10000000000") == 1
    assert is_valid_bin("100000000001")


def test_check_digit_falls_back_to_second_weights_when_first_gives_ten():
    # given digits whose first weighted sum is 296 ≡ 10 (mod 11)
    # when the second weights 3..11,1,2 are used: 377 ≡ 3
    # then the check digit is 3
    assert bin_check_digit("12345678901") == 3
    assert is_valid_bin("123456789013")
    assert not is_valid_bin("123456789010")


def _digits_giving_ten_twice() -> str:
    for n in range(10**6):
        candidate = f"{n:011d}"
        if bin_check_digit(candidate) is None:
            return candidate
    raise AssertionError("none found")


def test_bin_is_invalid_whatever_the_last_digit_when_both_sums_give_ten():
    # given eleven digits for which both weightings give 10
    first = _digits_giving_ten_twice()
    # then no twelfth digit makes a valid BIN
    assert all(not is_valid_bin(first + str(d)) for d in range(10))


@given(eleven_digits)
def test_appending_the_check_digit_gives_the_only_valid_bin(first):
    digit = bin_check_digit(first)
    valid = [d for d in range(10) if is_valid_bin(first + str(d))]
    assert valid == ([] if digit is None else [digit])


@given(st.text(max_size=14))
def test_anything_but_twelve_ascii_digits_is_invalid(value):
    if len(value) == 12 and value.isascii() and value.isdigit():
        return
    assert not is_valid_bin(value)
    with pytest.raises(ValidationError):
        validate_bin(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "bin_format"),
        ("12345678901a", "bin_format"),
        ("١٢٣٤٥٦٧٨٩٠١٣", "bin_format"),  # Arabic-Indic digits are not a BIN
        ("123456789012", "bin_checksum"),
    ],
)
def test_validate_bin_explains_what_is_wrong(value, code):
    with pytest.raises(ValidationError) as info:
        validate_bin(value)
    assert info.value.code == code


def test_png_logo_is_accepted():
    validate_image_upload(SimpleUploadedFile("logo.png", PNG, "image/png"))


def test_pdf_named_png_is_rejected_by_content():
    # given a PDF that claims to be a PNG by its name and content type
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4\n%...", "image/png")
    # then it is refused
    with pytest.raises(ValidationError) as info:
        validate_image_upload(fake)
    assert info.value.code == "bad_type"


def test_logo_over_ten_megabytes_is_rejected(settings):
    settings.MAX_UPLOAD_SIZE = 100
    big = SimpleUploadedFile("logo.png", PNG + b"\0" * 200, "image/png")
    with pytest.raises(ValidationError) as info:
        validate_image_upload(big)
    assert info.value.code == "too_large"


def test_reading_the_head_leaves_the_file_position_alone():
    upload = SimpleUploadedFile("logo.png", PNG, "image/png")
    upload.seek(3)
    validate_image_upload(upload)
    assert upload.tell() == 3
