import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from alliance_portal.models import IssuedDocument


def issued_document(
    subject, *, content: bytes, version: int = 1, kind: str = "contract"
):
    """An issued version of ``subject``'s document holding exactly ``content``."""
    from django.contrib.contenttypes.models import ContentType

    document = IssuedDocument(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        variant="kk",
        version=version,
        number=f"IG-2026-{subject.pk:04d}",
        issued_on=timezone.localdate(),
        filename=f"contract-v{version}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    document.file.save(document.filename, ContentFile(content), save=False)
    document.save()
    return document
