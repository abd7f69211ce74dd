import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Affiliation
from memoranda.tests.factories import (
    CommitmentFactory,
    MemorandumFactory,
    MemorandumPartyFactory,
)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    shutil.rmtree(tmp_path / "media", ignore_errors=True)


@pytest.fixture
def pdf_upload():
    def make(name="scan.pdf", content=PDF_BYTES):
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def leader_with_org(make_user):
    """An NGO leader with an approved affiliation to an organisation."""
    from members.tests.factories import OrganisationFactory

    user = make_user("ngo_leader")
    organisation = OrganisationFactory()
    Affiliation.objects.create(
        user=user, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    return user, organisation


@pytest.fixture
def world(make_user, leader_with_org, pdf_upload):
    """Three memoranda the owner's organisation is a party to: in force (with a scan,
    a commitment and its evidence), a draft, and a lapsed one."""
    from memoranda.models import CommitmentEvidence, CommitmentNote

    owner, organisation = leader_with_org
    in_force = MemorandumFactory(scan=pdf_upload())
    draft = MemorandumFactory(draft=True, scan=pdf_upload())
    lapsed = MemorandumFactory(lapsed=True)
    for memorandum in (in_force, draft, lapsed):
        MemorandumPartyFactory(memorandum=memorandum, organisation=organisation)
        MemorandumPartyFactory(memorandum=memorandum)
    commitment = CommitmentFactory(memorandum=in_force, responsible=organisation)
    draft_commitment = CommitmentFactory(memorandum=draft, responsible=organisation)
    note = CommitmentNote.objects.create(commitment=commitment, text="ok")
    evidence = CommitmentEvidence.objects.create(
        commitment=commitment,
        note=note,
        file=pdf_upload("act.pdf"),
        original_name="act.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    return {
        "owner": owner,
        "organisation": organisation,
        "in_force": in_force,
        "draft": draft,
        "lapsed": lapsed,
        "commitment": commitment,
        "draft_commitment": draft_commitment,
        "evidence": evidence,
    }
