"""The application PDF ends with the applicant's declaration and a signature block
naming the organisation's head."""

import io

import pytest
from pypdf import PdfReader

from projects.documents import application_pdf
from projects.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def test_application_pdf_has_declaration_and_signature_block():
    # given a submitted application of an organisation with its head on record
    application = ApplicationFactory(admitted=True)
    organisation = application.organisation
    organisation.leader_name = "Гүлнар Жақыпова"
    organisation.head_position_ru = "Председатель"
    organisation.save()
    # when the Russian PDF is made
    _, pdf = application_pdf(application.pk, "ru")
    text = _text(pdf)
    # then it closes with the declaration, the head's name and a signature line
    assert "Гүлнар Жақыпова" in text
    assert "Председатель" in text
    assert organisation.name_ru in text
    assert application.submitted_at.strftime("%d.%m.%Y") in text
    assert "Заявление заявителя" in text
    assert "сведения в настоящей заявке и приложениях к ней достоверны" in text
    assert "(подпись, печать)" in text
