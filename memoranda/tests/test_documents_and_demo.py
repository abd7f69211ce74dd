import io
import sys

import pytest
from pypdf import PdfReader

from alliance_portal.documents import document_render
from members import demo as members_demo
from memoranda import demo, services
from memoranda.models import Commitment, Memorandum

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    members_demo.seed(sys.stdout)
    demo.seed(sys.stdout)


def test_demo_seed_holds_the_article_memoranda_and_is_idempotent(seeded):
    # given the demo seeded once (fixture); when it runs again
    demo.seed(sys.stdout)
    # then the five tripartite memoranda of 2009–2013 are there once each
    tripartite = Memorandum.objects.filter(kind="tripartite", signed_on__year__lt=2014)
    assert sorted(tripartite.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    first = tripartite.get(number=1)
    assert str(first.signed_on) == "2009-03-17"
    assert str(tripartite.get(number=5).signed_on) == "2013-04-18"
    assert {p.organisation.slug for p in first.parties.all()} == {
        "akimat",
        "alliance",
        "igilik",
    }
    # and the bilateral ones with the four partners, one current memorandum in force
    partners = set(
        Memorandum.objects.filter(kind="bilateral").values_list(
            "parties__organisation__slug", flat=True
        )
    )
    assert partners >= {"nur-otan", "trade-unions", "atameken", "entrepreneurs-union"}
    assert Memorandum.objects.in_force().filter(signed_on__year=2026).count() == 1
    assert Memorandum.objects.count() == 10
    # with mixed commitment statuses, some overdue
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert statuses == {"planned", "in_progress", "done", "dropped"}
    assert Commitment.objects.overdue().exists()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", ["МЕМОРАНДУМ", "Қызылорда қ.", "әріптестік", "ТАРАПТАРДЫҢ ҚОЛДАРЫ"]),
        ("ru", ["г. Кызылорда", "ПОДПИСИ СТОРОН"]),
    ],
)
def test_memorandum_pdf_is_rendered_with_its_parties_in_the_language(
    seeded, make_user, language, expected
):
    # given the current tripartite memorandum and an official asking for its PDF
    memorandum = Memorandum.objects.get(number=18)
    job = services.memorandum_request_pdf(
        memorandum=memorandum, language=language, user=make_user("official")
    )
    # when the job is rendered
    job = document_render(job_id=str(job.pk))
    # then the PDF text is in that language and names every party and signatory
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(job.file.read())).pages
    )
    for fragment in expected:
        assert fragment in text
    for party in memorandum.parties.all():
        assert party.signatory_name in text
    assert job.filename.endswith(f"-{language}.pdf")
