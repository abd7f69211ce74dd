"""The tripartite contract as a document that holds up: refused without the parties'
requisites, made from a versioned template, issued immutably (a new version never
touches the old bytes), with requisites, the memorandum and the equal-authenticity
clause in its text, in Kazakh, Russian and two columns."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from alliance_portal.models import IssuedDocument
from grants import services
from grants.contract_clauses import DEFAULT_CLAUSES
from grants.documents import contract_pdf
from grants.models import ContractTemplate, Grant
from grants.tests.factories import (
    fund_officer_of,
    leader_of,
    make_grant,
    staff_user,
)
from members.models import BankAccount
from members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # messages are matched in English; Kazakh is the default language
    with translation.override("en"):
        yield


def _text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def _issue(grant, staff, capture, reason=""):
    with capture(execute=True):
        services.grant_generate_contract(grant=grant, actor=staff, reason=reason)
    return {
        d.variant: d
        for d in IssuedDocument.objects.filter(
            kind="grant_contract", subject_id=grant.pk
        ).order_by("version")
    }


# --- refused without requisites ------------------------------------------------------


def test_contract_is_refused_while_a_party_lacks_requisites():
    # given a grant whose parties have no requisites and no memorandum is in force
    staff = staff_user()
    grant = make_grant(actor=staff, ready=False)
    # when staff generate the contract
    with pytest.raises(ValidationError) as error:
        services.grant_generate_contract(grant=grant, actor=staff)
    # then the message says what is missing for whom, and nothing changed
    text = " ".join(error.value.messages)
    assert "cannot be generated yet" in text
    assert "The alliance is not registered" in text
    assert grant.organisation.name in text
    assert "bank account (IBAN, BIK, KBe)" in text
    assert "memorandum" in text
    grant.refresh_from_db()
    assert (grant.status, grant.contract_version) == (Grant.Status.DRAFT, 0)
    assert not IssuedDocument.objects.exists()


def test_contract_is_refused_when_only_the_grantee_lost_its_bank_account():
    staff = staff_user()
    grant = make_grant(actor=staff)
    BankAccount.objects.filter(organisation=grant.organisation).delete()
    with pytest.raises(ValidationError, match="grantee"):
        services.grant_generate_contract(grant=grant, actor=staff)
    grant.refresh_from_db()
    assert grant.contract_version == 0


def test_generate_view_shows_the_missing_requisites(client):
    staff = staff_user()
    grant = make_grant(actor=staff, ready=False)
    client.force_login(staff)
    response = client.post(
        reverse("grants:contract_generate", args=[grant.pk]), follow=True
    )
    page = response.content.decode()
    assert "cannot be generated yet" in page
    assert "legal address" in page
    grant.refresh_from_db()
    assert grant.status == Grant.Status.DRAFT


# --- immutability --------------------------------------------------------------------


def test_regenerating_issues_a_new_version_and_the_old_bytes_stay(
    django_capture_on_commit_callbacks,
):
    # given an issued contract, version 1
    staff = staff_user()
    grant = make_grant(actor=staff)
    first = _issue(grant, staff, django_capture_on_commit_callbacks)
    assert set(first) == {"kk", "ru", "kk-ru"}
    v1 = first["kk"]
    with v1.file.open("rb") as f:
        v1_bytes = f.read()
    assert hashlib.sha256(v1_bytes).hexdigest() == v1.sha256
    assert (v1.version, v1.number, v1.issued_by) == (1, grant.number, staff)
    # when the grantee's address changes and staff issue the contract again
    grant.organisation.legal_address = "Арал қ., Жаңа к-сі, 1"
    grant.organisation.save()
    with pytest.raises(ValidationError, match="reason"):
        services.grant_generate_contract(grant=grant, actor=staff)
    _issue(grant, staff, django_capture_on_commit_callbacks, reason="Мекенжай өзгерді")
    # then version 2 exists with its reason and the new address ...
    v2 = IssuedDocument.objects.get(
        kind="grant_contract", subject_id=grant.pk, variant="kk", version=2
    )
    assert v2.reason == "Мекенжай өзгерді"
    with v2.file.open("rb") as f:
        assert "Арал қ., Жаңа к-сі, 1" in _text(f.read())
    # ... and version 1 is byte for byte what was issued, hash unchanged
    v1_again = IssuedDocument.objects.get(pk=v1.pk)
    with v1_again.file.open("rb") as f:
        again = f.read()
    assert again == v1_bytes
    assert v1_again.sha256 == v1.sha256 == hashlib.sha256(again).hexdigest()
    assert v1_again.file.name != v2.file.name
    assert "Арал қ., Жаңа к-сі, 1" not in _text(again)


def test_an_issued_document_refuses_to_be_changed_or_deleted(
    django_capture_on_commit_callbacks,
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    document = _issue(grant, staff, django_capture_on_commit_callbacks)["kk"]
    document.reason = "overwrite"
    with pytest.raises(ValueError, match="immutable"):
        document.save()
    with pytest.raises(ValueError, match="never deleted"):
        document.delete()
    assert IssuedDocument.objects.get(pk=document.pk).reason == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("leader", 200),
        ("fund_officer", 200),
        ("official", 200),
        ("stranger", 404),
        ("expert", 404),
    ],
)
def test_issued_contract_downloads_exactly_for_those_who_see_the_grant(
    client, django_capture_on_commit_callbacks, who, status
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    document = _issue(grant, staff, django_capture_on_commit_callbacks)["kk-ru"]
    users = {
        "staff": staff,
        "leader": leader_of(grant.organisation),
        "fund_officer": fund_officer_of(grant.funder),
        "official": UserFactory(role="official"),
        "stranger": UserFactory(role="ngo_leader"),
        "expert": UserFactory(role="expert"),
    }
    client.force_login(users[who])
    response = client.get(reverse("issued_download", args=[document.pk]))
    assert response.status_code == status
    if status == 200:
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == document.sha256
        assert response["Repr-Digest"].startswith("sha-256=:")


def test_anonymous_cannot_download_an_issued_contract(
    client, django_capture_on_commit_callbacks
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    document = _issue(grant, staff, django_capture_on_commit_callbacks)["kk"]
    response = client.get(reverse("issued_download", args=[document.pk]))
    assert response.status_code == 302
    assert "login" in response.url


def test_contract_link_serves_the_latest_issued_version(
    client, django_capture_on_commit_callbacks
):
    staff = staff_user()
    grant = make_grant(actor=staff)
    issued = _issue(grant, staff, django_capture_on_commit_callbacks)
    client.force_login(leader_of(grant.organisation))
    response = client.get(reverse("grants:contract", args=[grant.pk, "ru"]))
    assert response.url == reverse("issued_download", args=[issued["ru"].pk])


# --- template versions ---------------------------------------------------------------


def test_a_contract_keeps_its_template_version_after_the_template_changes(
    django_capture_on_commit_callbacks,
):
    # given a template for the call and a contract made from its version 1
    staff = staff_user()
    grant = make_grant(actor=staff)
    clauses = {k: dict(v) for k, v in DEFAULT_CLAUSES.items()}
    clauses["liability"] = {
        "kk": "Айыппұл жоқ, бірінші нұсқа.",
        "ru": "Штрафов нет, первая редакция.",
    }
    template = services.contract_template_save(
        template=None,
        actor=staff,
        title="Жастар конкурсы",
        call=grant.application.call,
        clauses=clauses,
    )
    first = _issue(grant, staff, django_capture_on_commit_callbacks)
    grant.refresh_from_db()
    v1 = template.versions.get()
    assert grant.contract_template == v1
    # when staff change the liability clause
    clauses["liability"] = {
        "kk": "Айыппұл 0,1 пайыз, екінші нұсқа.",
        "ru": "Пеня 0,1 процента, вторая редакция.",
    }
    services.contract_template_save(
        template=template,
        actor=staff,
        title="Жастар конкурсы",
        call=grant.application.call,
        clauses=clauses,
        note="Пеня",
    )
    # then the template has version 2, the grant still records version 1, and the
    # issued contract and a re-render of that version both say the first text
    assert list(template.versions.values_list("version", flat=True)) == [2, 1]
    grant.refresh_from_db()
    assert grant.contract_template == v1
    with first["ru"].file.open("rb") as f:
        issued_text = _text(f.read())
    assert "Штрафов нет, первая редакция." in issued_text
    assert first["ru"].params["template_version"] == v1.pk
    pinned = _text(contract_pdf(grant, "ru", {"template_version": v1.pk}))
    assert "первая редакция" in pinned
    assert "вторая редакция" not in pinned
    # and a new version of the contract is made from template version 2
    _issue(grant, staff, django_capture_on_commit_callbacks, reason="Пеня")
    grant.refresh_from_db()
    assert grant.contract_template.version == 2
    v2_doc = IssuedDocument.objects.get(
        kind="grant_contract", subject_id=grant.pk, variant="ru", version=2
    )
    with v2_doc.file.open("rb") as f:
        assert "Пеня 0,1 процента, вторая редакция." in _text(f.read())


def test_an_unchanged_template_save_adds_no_version():
    staff = staff_user()
    template = services.contract_template_save(
        template=None, actor=staff, title="Әдепкі"
    )
    services.contract_template_save(template=template, actor=staff, title="Әдепкі")
    assert template.versions.count() == 1


def test_a_clause_in_one_language_only_is_refused():
    staff = staff_user()
    clauses = {k: dict(v) for k, v in DEFAULT_CLAUSES.items()}
    clauses["disputes"] = {"kk": "Даулар сотта.", "ru": ""}
    with pytest.raises(ValidationError) as error:
        services.contract_template_save(
            template=None, actor=staff, title="Бір тілді", clauses=clauses
        )
    assert "disputes_ru" in error.value.message_dict
    assert not ContractTemplate.objects.exists()


def test_a_funders_template_applies_unless_the_call_has_its_own():
    from grants.contract import template_for

    staff = staff_user()
    grant = make_grant(actor=staff)
    by_funder = services.contract_template_save(
        template=None, actor=staff, title="Қор үлгісі", funder=grant.funder
    )
    assert template_for(grant) == by_funder
    by_call = services.contract_template_save(
        template=None, actor=staff, title="Конкурс", call=grant.application.call
    )
    assert template_for(grant) == by_call


# --- what the text says --------------------------------------------------------------


def test_contract_text_carries_requisites_signatories_and_memorandum():
    grant = make_grant()
    account = grant.organisation.bank_accounts.get()
    for layout, words in {
        "kk": ["БСН", "Заңды мекенжайы", "Жарғы негізінде", "сенімхат"],
        "ru": ["БИН", "Юридический адрес", "на основании Устава", "доверенности"],
    }.items():
        text = _text(contract_pdf(grant, layout))
        for word in words:
            assert word in text, (layout, word)
        assert grant.organisation.bin in text
        assert account.iban in text
        assert "HSBKKZKX" in text
        assert "Абай даңғылы, 10" in text
        assert "Гүлнар Жақыпова" in text
        assert "Ерлан Сұлтанов" in text
        assert "№ 18" in text  # the memorandum
    assert "2026 жылғы 15 қаңтардағы № 18" in _text(contract_pdf(grant, "kk"))
    assert "№ 18 от 15 января 2026 г." in _text(contract_pdf(grant, "ru"))
    assert "№ 17-Д от 10.01.2026" in _text(contract_pdf(grant, "ru"))


@pytest.mark.parametrize(
    "clause",
    [
        "екі мәтіннің де заңды күші бірдей",
        "оба текста имеют одинаковую юридическую силу",
    ],
)
def test_equal_authenticity_clause_is_in_every_layout(clause):
    grant = make_grant()
    language = "kk" if "мәтін" in clause else "ru"
    assert clause in _text(contract_pdf(grant, language))
    assert clause in _text(contract_pdf(grant, "kk-ru"))


def test_standard_clauses_are_all_there():
    text = _text(contract_pdf(make_grant(), "ru"))
    for heading in [
        "Предмет договора",
        "Права и обязанности Альянса",
        "Права и обязанности Грантополучателя",
        "Права и обязанности Фонда",
        "Отчётность",
        "Ответственность сторон",
        "Форс-мажор",
        "Порядок разрешения споров",
        "Срок действия и расторжение договора",
        "в трёх экземплярах",
    ]:
        assert heading in text


def _positions(pdf: bytes, needles: list[str]) -> dict[str, tuple[int, float]]:
    """(page, x) where each needle's text run starts."""
    found: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text, cm, tm, font, size, number=number):
            for needle in needles:
                if needle in text and needle not in found:
                    found[needle] = (number, tm[4] * cm[0] + cm[4])

        page.extract_text(visitor_text=visit)
    return found


def test_two_column_layout_puts_kazakh_left_and_russian_right_on_the_same_page():
    grant = make_grant()
    pdf = contract_pdf(grant, "kk-ru")
    reader = PdfReader(io.BytesIO(pdf))
    width = float(reader.pages[0].mediabox.width)
    pairs = [
        ("ҮШЖАҚТЫ ГРАНТ ШАРТЫ", "ТРЁХСТОРОННИЙ ДОГОВОР"),
        ("Шарттың мәні", "Предмет договора"),
        ("Форс-мажор)", "Форс-мажор"),
        ("Қорытынды ережелер", "Заключительные положения"),
    ]
    found = _positions(pdf, [n for pair in pairs for n in pair])
    for kk, ru in pairs[:2] + pairs[3:]:
        (kk_page, kk_x), (ru_page, ru_x) = found[kk], found[ru]
        assert kk_page == ru_page, (kk, ru)
        assert kk_x < width / 2 < ru_x, (kk, kk_x, ru, ru_x)


def test_russian_text_uses_the_russian_title_or_says_it_quotes_the_original():
    grant = make_grant()
    application = grant.application
    application.title = "Ауыл жастарына цифрлық сауат"
    application.title_ru = ""
    application.save()
    text = _text(contract_pdf(grant, "ru"))
    assert "«Ауыл жастарына цифрлық сауат» (название приведено на языке заявки)" in (
        text
    )
    application.title_ru = "Цифровая грамотность для сельской молодёжи"
    application.save()
    text = _text(contract_pdf(grant, "ru"))
    assert "«Цифровая грамотность для сельской молодёжи»" in text
    assert "Ауыл жастарына" not in text
    assert "«Ауыл жастарына цифрлық сауат»" in _text(contract_pdf(grant, "kk"))


# --- the staff pages -----------------------------------------------------------------


def _template_post(**overrides):
    data = {"title": "Жастар конкурсы", "note": "", "call": "", "funder": ""}
    for key, text in DEFAULT_CLAUSES.items():
        data[f"{key}_kk"] = text["kk"]
        data[f"{key}_ru"] = text["ru"]
    data.update(overrides)
    return data


def test_staff_edit_a_template_and_each_change_is_a_version(client):
    staff = staff_user()
    client.force_login(staff)
    response = client.post(reverse("grants:template_new"), _template_post())
    template = ContractTemplate.objects.get()
    assert response.url == reverse("grants:template_edit", args=[template.pk])
    client.post(
        reverse("grants:template_edit", args=[template.pk]),
        _template_post(liability_kk="Жаңа мәтін.", liability_ru="Новый текст."),
    )
    assert list(template.versions.values_list("version", flat=True)) == [2, 1]
    page = client.get(reverse("grants:template_edit", args=[template.pk]))
    assert "Новый текст." in page.content.decode()


@pytest.mark.parametrize("role", ["ngo_leader", "official", "fund_officer", "expert"])
def test_only_staff_reach_the_templates(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("grants:templates")).status_code in (403, 404)
    response = client.post(reverse("grants:template_new"), _template_post())
    assert response.status_code in (403, 404)
    assert not ContractTemplate.objects.exists()


def test_a_clause_in_one_language_on_the_page_is_a_clear_message(client):
    client.force_login(staff_user())
    response = client.post(
        reverse("grants:template_new"), _template_post(disputes_ru="")
    )
    assert response.status_code == 400
    assert "both languages" in response.content.decode()
    assert not ContractTemplate.objects.exists()


def test_grant_page_queries_do_not_grow_with_issued_versions(
    client, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = staff_user()
    grant = make_grant(actor=staff)
    client.force_login(staff)
    url = reverse("grants:detail", args=[grant.pk])
    client.get(url)  # the first request also records the session and language
    counts = []
    for n in range(3):
        _issue(grant, staff, django_capture_on_commit_callbacks, reason=f"#{n}" * n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("data-issued=") == 3 * (n + 1)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
