"""Uploads are inert: every upload field of every model refuses HTML, SVG with script,
a renamed executable and polyglots; what it accepts is stored under a generated name and
served with its checked type, ``nosniff``, a sandbox and, unless it is an image or a
PDF, as an attachment."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from alliance_portal.private_files import file_response

pytestmark = pytest.mark.django_db

OUR_APPS = {
    "alliance_portal",
    "members",
    "memoranda",
    "projects",
    "reviews",
    "grants",
    "forums",
    "dashboard",
    "resources",
    "esign",
}
# Files the portal writes itself (rendered PDFs, XLSX, ZIP, issued documents); nobody
# uploads them.
GENERATED = {"alliance_portal.DocumentJob.file", "alliance_portal.IssuedDocument.file"}

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
HOSTILE = {
    "html": ("x.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    "htm renamed as a photo": ("x.jpg", b"<html><body onload=alert(1)></body></html>"),
    "svg with script": (
        "x.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "renamed executable": ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),
    "jpeg/html polyglot": ("x.html", JPEG_HEAD + b"<html><script>alert(1)</script>"),
    "png/svg polyglot": ("x.png", PNG_HEAD + b"<svg onload=alert(1)></svg>"),
    "pdf/html polyglot": ("x.pdf", b"%PDF-1.4\n<script>alert(1)</script>\n%%EOF"),
}


def _validators():
    """What checks each upload field, by the path its uploads really take."""
    from alliance_portal import uploads
    from forums.services import validate_material_file
    from grants import validators as grant_checks
    from members.models import OrganisationDocument
    from members.services import DOCUMENT_TYPES
    from members.validators import validate_image_upload
    from memoranda import validators as memo_checks
    from projects.validators import validate_upload
    from resources import services as resources

    assert OrganisationDocument  # the service below is its only way in

    def member_document(upload):
        uploads.check_upload(upload, allowed=DOCUMENT_TYPES, message="bad")

    return {
        "members.Organisation.logo": validate_image_upload,
        "members.OrganisationDocument.file": member_document,
        "memoranda.Memorandum.scan": memo_checks.validate_pdf,
        "memoranda.CommitmentEvidence.file": memo_checks.validate_evidence,
        "projects.Attachment.file": validate_upload,
        "grants.Grant.signed_scan": grant_checks.validate_pdf,
        "grants.Expenditure.receipt": grant_checks.validate_image_or_pdf,
        "grants.ReportPhoto.image": grant_checks.validate_image,
        "forums.EventMaterial.file": validate_material_file,
        "resources.NewsItem.image": lambda upload: resources._check(
            upload, "image", allowed=uploads.IMAGES, message="bad"
        ),
        "resources.NewsAttachment.file": lambda upload: resources._check(
            upload, "file", allowed=resources.DOCUMENT_TYPES, message="bad"
        ),
        "resources.MaterialVersion.file": lambda upload: resources._check(
            upload, "file", allowed=resources.DOCUMENT_TYPES, message="bad"
        ),
    }


def upload_fields() -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                label = f"{model._meta.app_label}.{model.__name__}.{field.name}"
                if label not in GENERATED:
                    found.append(label)
    return sorted(found)


def test_every_upload_field_declares_its_check():
    # a new upload field without a declared content check fails here
    assert upload_fields() == sorted(_validators())


@pytest.mark.parametrize("field", upload_fields())
@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_every_upload_field_refuses_active_content(field, hostile):
    name, content = HOSTILE[hostile]
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    with pytest.raises(ValidationError):
        _validators()[field](upload)


def test_an_accepted_upload_gets_a_generated_name_with_its_real_extension():
    from grants.tests.factories import png_upload
    from grants.validators import validate_image

    upload = png_upload("holiday photo.html")
    validate_image(upload)
    assert upload.name.endswith(".png")
    assert "holiday" not in upload.name
    assert upload.original_name == "holiday photo.html"


def test_a_file_stored_under_an_html_name_is_served_as_an_inert_download(settings):
    # given a file stored before names were generated: x.html holding a script
    from members.models import OrganisationDocument
    from members.tests.factories import OrganisationFactory, UserFactory

    document = OrganisationDocument(
        organisation=OrganisationFactory(),
        title="old",
        uploaded_by=UserFactory(),
        content_type="",
    )
    document.file.save("x.html", ContentFile(HOSTILE["html"][1]), save=True)
    # when it is served
    response = file_response(document.file)
    # then it is a download of unknown type, unsniffable and sandboxed
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_report_photo_named_html_is_refused_over_http(client):
    """The reported attack: a leader uploads a "photo" x.html with a script."""
    from grants.models import ReportPhoto
    from grants.tests.factories import leader_of, make_grant

    grant = make_grant(signed=True)
    leader = leader_of(grant.organisation)
    client.force_login(leader)
    page = client.get(f"/kk/grants/{grant.pk}/reports/new/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "period_start": grant.starts_on.isoformat(),
        "period_end": grant.starts_on.isoformat(),
        "activities": "a",
        "results": "b",
        "beneficiaries_reached": "3",
    }
    for key in form.fields:
        data.setdefault(key, "")
    for name, content in (HOSTILE["html"], HOSTILE["jpeg/html polyglot"]):
        data["photo"] = io.BytesIO(content)
        data["photo"].name = name
        client.post(f"/kk/grants/{grant.pk}/reports/new/", data)
    assert not ReportPhoto.objects.exists()
