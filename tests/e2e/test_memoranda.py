"""Browser journey: staff records a memorandum, tracks a commitment, gets the PDF."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import login
from members.tests.factories import OrganisationFactory
from memoranda.models import Commitment, Memorandum

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_staff_records_memorandum_marks_commitment_done_and_downloads_kazakh_pdf(
    page, live_server, make_user
):
    # given staff and three organisations
    staff = make_user("staff")
    akimat = OrganisationFactory(name_kk="Облыс әкімдігі", name_ru="Акимат области")
    alliance = OrganisationFactory(name_kk="Азаматтық альянс", name_ru="Альянс")
    fund = OrganisationFactory(name_kk="«Игілік» қоры", name_ru="Фонд «Игилик»")
    login(page, live_server.url, staff)

    # when staff records a memorandum with three parties
    page.goto(f"{live_server.url}/kk/memoranda/new/")
    page.select_option("select[name=kind]", "tripartite")
    page.fill("input[name=number]", "6")
    page.select_option("select[name=status]", "in_force")
    page.fill("input[name=title_kk]", "Бірлескен іс-қимыл туралы үшжақты меморандум")
    page.fill("input[name=title_ru]", "Трёхсторонний меморандум о совместных действиях")
    page.fill("input[name=signed_on]", "2026-03-17")
    page.fill("input[name=valid_from]", "2026-03-17")
    page.fill("input[name=valid_until]", "2027-03-16")
    page.fill("textarea[name=goals_kk]", "ҮЕҰ әлеуметтік жобаларын қолдау")
    page.fill("textarea[name=goals_ru]", "Поддержка социальных проектов НПО")
    for i, (org, name) in enumerate(
        [(akimat, "Ә. Әкімов"), (alliance, "Г. Әбдірахманова"), (fund, "Н. Жұмабеков")]
    ):
        page.select_option(f"select[name=parties-{i}-organisation]", str(org.pk))
        page.fill(f"input[name=parties-{i}-signatory_name]", name)
        page.fill(f"input[name=parties-{i}-signatory_position_kk]", "Басшы")
        page.fill(f"input[name=parties-{i}-signatory_position_ru]", "Руководитель")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/memoranda/*/")
    memorandum = Memorandum.objects.get()
    assert memorandum.parties.count() == 3

    # and adds two commitments
    for org, kk, ru in [
        (fund, "Жобаларға қаражат бөлу", "Выделить средства на проекты"),
        (alliance, "Жобаларды іріктеу", "Отобрать проекты"),
    ]:
        page.locator("a[href$='/commitments/new/']").click()
        page.fill("textarea[name=text_kk]", kk)
        page.fill("textarea[name=text_ru]", ru)
        page.select_option("select[name=responsible]", str(org.pk))
        page.fill("input[name=due_on]", "2026-12-31")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"**/memoranda/{memorandum.pk}/")
    first = memorandum.commitments.order_by("order").first()

    # and marks the first one done with a note and an act
    page.locator(f"#c{first.pk} a[href$='/progress/']").click()
    page.select_option("select[name=status]", "done")
    page.fill("textarea[name=note]", "Қаражат бөлінді")
    page.set_input_files(
        "input[name=evidence]",
        {"name": "akt.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/memoranda/{memorandum.pk}/")

    # then the page shows one of two done
    first.refresh_from_db()
    assert first.status == Commitment.Status.DONE
    assert page.locator(f"#c{first.pk} [data-commitment-status=done]").is_visible()
    assert page.locator("[aria-valuemax='2'][aria-valuenow='1']").count() == 1

    # when staff asks for the Kazakh PDF and downloads it
    page.locator("button[data-pdf=kk]").click()
    page.wait_for_url("**/documents/**")
    download_link = page.locator("a[href$='/download/']")
    download_link.wait_for(timeout=30_000)
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()

    # then the PDF text carries the Kazakh letters and the parties' signatories
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for letter in ("Қ", "Ә", "Ұ", "І"):
        assert letter in text
    assert "Қызылорда қ." in text
    assert "Н. Жұмабеков" in text
