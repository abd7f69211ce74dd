import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from alliance_portal.documents import document_render
from alliance_portal.models import DocumentJob
from grants import services
from grants.documents import contract_pdf, dossier_zip
from grants.tests.factories import (
    MonitoringVisitFactory,
    fund_officer_of,
    make_grant,
    pay_tranche,
    png_upload,
    staff_user,
)

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return text.replace("\xa0", " ")


def test_kazakh_contract_has_parties_amount_in_words_and_schedule():
    # given a grant of 1 250 000
    grant = make_grant(amount=Decimal("1250000"))
    # when the Kazakh contract is rendered
    text = _text(contract_pdf(grant, "kk"))
    # then it names the three parties and gives the amount in figures and words
    assert "ҮШЖАҚТЫ ГРАНТ ШАРТЫ" in text
    assert grant.number in text
    assert "бір миллион екі жүз елу мың теңге 00 тиын" in text
    assert "1 250 000" in text
    assert "Транштар кестесі" in text
    assert "№1 есеп бекітілгеннен кейін" in text
    assert "Тараптардың деректемелері мен қолдары" in text


def test_russian_contract_has_amount_in_words():
    grant = make_grant(amount=Decimal("1250000"))
    text = _text(contract_pdf(grant, "ru"))
    assert "ТРЁХСТОРОННИЙ ДОГОВОР" in text
    assert "один миллион двести пятьдесят тысяч тенге 00 тиын" in text


def test_generating_the_contract_issues_three_layouts_that_render(
    django_capture_on_commit_callbacks,
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        jobs = services.grant_generate_contract(grant=grant, actor=staff)
    assert {job.params["layout"] for job in jobs} == {"kk", "ru", "kk-ru"}
    for job in jobs:
        job.refresh_from_db()
        assert job.status == DocumentJob.Status.DONE
        assert job.filename.endswith(".pdf")
        assert job.issued.version == 1


def test_audit_dossier_holds_contract_scan_ledger_receipts_reports_and_monitoring(
    django_capture_on_commit_callbacks,
):
    # given a grant with a payment, an expenditure with a receipt, a report, a visit
    staff = staff_user()
    with django_capture_on_commit_callbacks(execute=True):
        grant = make_grant(actor=staff, signed=True)
    pay_tranche(
        grant.tranches.first(), staff=staff, officer=fund_officer_of(grant.funder)
    )
    services.expenditure_record(
        grant=grant,
        actor=staff,
        budget_line_id=grant.budget_lines.first().pk,
        spent_on=grant.starts_on,
        description="Кітаптар сатып алу",
        amount=Decimal("12345.67"),
        supplier="ЖК Арал",
        payment_document="ПП-1",
        receipt=png_upload(),
    )
    services.report_save(
        grant=grant,
        actor=staff,
        kind="interim",
        period_start=grant.starts_on,
        period_end=grant.starts_on,
        activities="Семинар",
        results="Нәтиже",
        beneficiaries_reached=5,
    )
    MonitoringVisitFactory(grant=grant, findings="Жұмыс жүріп жатыр")
    job = DocumentJob.objects.create(
        kind="grant_dossier",
        key=f"grant_dossier:test:{grant.pk}",
        params={"grant_id": grant.pk},
        requested_by=staff,
    )
    # when Celery's builder runs
    document_render(job_id=str(job.pk))
    job.refresh_from_db()
    # then the ZIP holds everything an auditor needs
    archive = zipfile.ZipFile(job.file.open("rb"))
    names = archive.namelist()
    n = grant.number
    assert f"{n}/00-application-kk.pdf" in names
    assert f"{n}/01-contract-v1-kk.pdf" in names
    assert f"{n}/01-contract-v1-ru.pdf" in names
    assert f"{n}/01-contract-v1-kk-ru.pdf" in names
    assert f"{n}/02-contract-signed.pdf" in names
    assert any(name.startswith(f"{n}/05-receipts/") for name in names)
    assert f"{n}/06-reports/01-interim.txt" in names
    assert "Жұмыс жүріп жатыр" in archive.read(f"{n}/07-monitoring.txt").decode()
    assert "ПП-" in archive.read(f"{n}/03-tranche-payments.txt").decode()
    ledger = load_workbook(io.BytesIO(archive.read(f"{n}/04-expenditure-ledger.xlsx")))
    rows = list(ledger.active.iter_rows(values_only=True))
    assert rows[1][2] == "Кітаптар сатып алу"
    assert Decimal(str(rows[1][5])) == Decimal("12345.67")


def test_dossier_zip_of_a_fresh_grant_builds():
    assert zipfile.ZipFile(io.BytesIO(dossier_zip(make_grant()))).testzip() is None


def test_dossier_holds_the_council_minutes_that_decided_the_grant():
    from reviews.models import CouncilDecision, CouncilSession

    # given a grant whose application a council session recommended
    grant = make_grant()
    session = CouncilSession.objects.create(
        call=grant.application.call, held_on=grant.starts_on, council_size=3
    )
    CouncilDecision.objects.create(
        session=session,
        application=grant.application,
        decision=CouncilDecision.Decision.RECOMMEND,
        amount=grant.amount,
    )
    # when the dossier is built
    archive = zipfile.ZipFile(io.BytesIO(dossier_zip(grant)))
    # then the minutes are in it, as a PDF
    minutes = archive.read(f"{grant.number}/00-council-minutes-kk.pdf")
    assert minutes.startswith(b"%PDF")
