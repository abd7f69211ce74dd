"""The council's minutes are a record frozen when the session closes: rendered from
the snapshot only, in the «Тыңдалды / Шешілді» structure, with votes, dissent,
chair and secretary; later funding, withdrawal or rescoring changes nothing."""

import copy
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from alliance_portal.models import IssuedDocument
from members.tests.factories import UserFactory
from projects.models import Application
from projects.services import application_change_status
from reviews import services
from reviews.documents import minutes_context, minutes_pdf
from reviews.models import Assignment, Review
from reviews.selectors import call_ranking
from reviews.services import AttendanceInput, DecisionInput
from reviews.tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _text(pdf: bytes) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def _minutes_html(snapshot: dict, language: str) -> str:
    with translation.override(language):
        context = {**minutes_context(snapshot, language), "version": 1}
        return render_to_string("reviews/minutes_pdf.html", context)


def _decision_block(html: str, number: str) -> str:
    found = re.search(rf'data-decision="{re.escape(number)}">(.*?)</div>', html, re.S)
    assert found, number
    return found.group(1)


def _score(application, expert, total):
    assignment = AssignmentFactory(
        application=application, expert=expert, status=Assignment.Status.SUBMITTED
    )
    return Review.objects.create(assignment=assignment, total=D(total))


@pytest.fixture
def closed(call, experts, applications, staff, django_capture_on_commit_callbacks):
    """A session of 3 present of 4 that decided three applications and deferred
    none; the minutes were issued at the close."""
    staff.full_name = "Айжан Секретарова"
    staff.save()
    for app, totals in zip(
        applications[:3], [(90, 80), (70, 75), (40, 50)], strict=True
    ):
        for expert, total in zip(experts[:2], totals, strict=True):
            _score(app, expert, total)
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        starts_at=datetime.time(10, 30),
        place="Қызылорда қ., Әйтеке би к-сі, 27, мәжіліс залы",
        agenda="1. Өтінімдерді қарау және қаржыландыруға ұсыну туралы.",
        chair=experts[0],
        secretary=staff,
        attendance=[AttendanceInput(e) for e in experts[:3]],
        actor=staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.council_decisions_record(
            session=session,
            decisions=[
                DecisionInput(applications[0], "recommend", D("1200000"), votes_for=3),
                DecisionInput(
                    applications[1],
                    "recommend_conditions",
                    D("1000000"),
                    conditions="Бюджетті қысқарту",
                    votes_for=2,
                    votes_against=1,
                    dissent="Сарапшы Б.: жоба тым қымбат.",
                ),
                DecisionInput(
                    applications[2],
                    "do_not_recommend",
                    reasons="Әлсіз негіздеме",
                    votes_against=2,
                    votes_abstained=1,
                ),
            ],
            actor=staff,
        )
    session.refresh_from_db()
    return session


def test_closing_freezes_attendance_quorum_ranking_decisions_and_votes(
    closed, experts, applications
):
    m = closed.minutes_snapshot
    assert m["quorum"] == {"present": 3, "size": 4, "needed": 3, "met": True}
    assert len(m["present"]) == 3
    assert m["chair"] == str(experts[0].user.full_name or experts[0].user.email)
    assert m["secretary"] == "Айжан Секретарова"
    assert (m["starts_at"], m["held_on"]) == ("10:30", "2026-12-01")
    assert [r["application"] for r in m["ranking"][:3]] == [
        a.number for a in applications[:3]
    ]
    assert len(m["decisions"]) == 3
    second = m["decisions"][1]
    assert second["votes"] == {"for": 2, "against": 1, "abstained": 0}
    assert second["dissent"] == "Сарапшы Б.: жоба тым қымбат."
    assert second["amount"] == "1000000.00"


def test_minutes_are_issued_at_the_close_in_both_languages(closed):
    issued = IssuedDocument.objects.filter(kind="council_minutes", subject_id=closed.pk)
    assert sorted(issued.values_list("variant", "version")) == [("kk", 1), ("ru", 1)]


def test_funding_withdrawing_or_rescoring_afterwards_does_not_change_the_minutes(
    closed, experts, applications, staff
):
    # given the minutes as issued and as rendered from the snapshot at the close
    issued = IssuedDocument.objects.get(
        kind="council_minutes", subject_id=closed.pk, variant="ru"
    )
    with issued.file.open("rb") as f:
        issued_bytes = f.read()
    before_snapshot = dict(closed.minutes_snapshot)
    stamp = {"version": 1, "issued_on": issued.issued_on}
    _, before_pdf = minutes_pdf(closed.pk, "ru", issue=stamp)
    before = _text(before_pdf)
    assert before == _text(issued_bytes)
    # when the first application is funded, the second withdrawn, the third
    # rescored, and an expert's name changes
    for app, status in ((applications[0], "funded"), (applications[1], "withdrawn")):
        application_change_status(application=app, to_status=status, actor=staff)
    Review.objects.filter(assignment__application=applications[2]).update(total=D("99"))
    experts[1].user.full_name = "Басқа Есім"
    experts[1].user.save()
    # then the live ranking has changed (the funded and withdrawn ones left it) ...
    live = [r.application.pk for r in call_ranking(call=closed.call)]
    assert applications[0].pk not in live
    assert applications[1].pk not in live
    # ... but the minutes still list all three decisions, the old scores and names
    closed.refresh_from_db()
    assert closed.minutes_snapshot == before_snapshot
    _, after_pdf = minutes_pdf(closed.pk, "ru", issue=stamp)
    after = _text(after_pdf)
    assert after == before
    for app in applications[:3]:
        assert app.number in after
    assert "Басқа Есім" not in after
    assert "99,00" not in after
    assert "99.00" not in after
    with IssuedDocument.objects.get(pk=issued.pk).file.open("rb") as f:
        assert f.read() == issued_bytes


def test_minutes_pdf_has_heard_and_decided_votes_dissent_chair_and_place(closed):
    _, kk = minutes_pdf(closed.pk, "kk")
    _, ru = minutes_pdf(closed.pk, "ru")
    kk_text, ru_text = _text(kk), _text(ru)
    for words in [
        "ХАТТАМАСЫ",
        "ТЫҢДАЛДЫ",
        "ШЕШІЛДІ",
        "Күн тәртібі",
        "мәжіліс залы",
        "2026 жылғы 1 желтоқсан, 10:30",
        "Айжан Секретарова",
        "Сарапшы Б.: жоба тым қымбат.",
        "Бюджетті қысқарту.",
        "Әлсіз негіздеме.",
    ]:
        assert words in kk_text, words
    for words in [
        "ПРОТОКОЛ",
        "СЛУШАЛИ",
        "ПОСТАНОВИЛИ",
        "Повестка дня",
        "1 декабря 2026 г., 10:30",
        "за — 2, против — 1, воздержались — 0",
        "Особое мнение",
    ]:
        assert words in ru_text, words
    # every ranking row and every decision with its number, position, amount, votes
    m = closed.minutes_snapshot
    for row in m["ranking"]:
        assert f"{row['position']}. {row['application']} " in ru_text, row
    positions = {r["application"]: r["position"] for r in m["ranking"]}
    for d in m["decisions"]:
        number, votes = d["application"], d["votes"]
        assert f"заявка № {number} (№ {positions[number]} в рейтинге)" in ru_text
        assert f"№ {number} өтінім (рейтингте {positions[number]}-орында)" in kk_text
        assert (
            f"за — {votes['for']}, против — {votes['against']}, "
            f"воздержались — {votes['abstained']}"
        ) in ru_text
    assert "сумма 1 200 000 ₸" in ru_text
    assert "сумма 1 000 000 ₸" in ru_text


def test_minutes_name_each_application_once_and_decisions_cite_its_ranking_position(
    closed, applications
):
    # given the frozen minutes of three decisions on a ranking of four
    m = closed.minutes_snapshot
    positions = {r["application"]: r["position"] for r in m["ranking"]}
    assert set(positions) == {a.number for a in applications}
    for language in ("kk", "ru"):
        # when they are printed
        html = _minutes_html(m, language)
        ranking = html.split('<div class="ranking">', 1)[1].split("</div>", 1)[0]
        decisions = [_decision_block(html, d["application"]) for d in m["decisions"]]
        # then each application's organisation and title are printed once, in its
        # ranking entry, after its position and number
        for app in applications:
            org = getattr(app.organisation, f"name_{language}")
            assert html.count(app.title) == 1, (language, app.title)
            assert html.count(org) == 1, (language, org)
            entry = re.search(rf"<p>(\d+)\. {app.number} (.*?)</p>", ranking)
            assert entry, (language, app.number)
            assert int(entry.group(1)) == positions[app.number]
            assert org in entry.group(2)
            assert app.title in entry.group(2)
        # ... and each decision names the number and the ranking position only
        cite = {
            "kk": "№ {number} өтінім (рейтингте {position}-орында)",
            "ru": "заявка № {number} (№ {position} в рейтинге)",
        }[language]
        for d, block in zip(m["decisions"], decisions, strict=True):
            number = d["application"]
            assert cite.format(number=number, position=positions[number]) in block
            assert d["title"] not in block


def test_an_old_snapshot_whose_decided_application_left_the_ranking_names_it_in_full(
    closed,
):
    # given frozen minutes (no position key on decisions) whose first decided
    # application is not in the ranking, as in reconstructed minutes
    m = copy.deepcopy(closed.minutes_snapshot)
    first = m["decisions"][0]
    m["ranking"] = [r for r in m["ranking"] if r["application"] != first["application"]]
    # when they are printed
    html = _minutes_html(m, "ru")
    # then that decision names the organisation and the title itself ...
    block = _decision_block(html, first["application"])
    assert first["organisation"]["ru"] in block
    assert first["title"] in block
    assert "в рейтинге" not in block
    # ... and the others still cite their ranking position
    second = m["decisions"][1]
    assert "в рейтинге)" in _decision_block(html, second["application"])


def test_votes_beyond_those_present_are_refused(call, experts, applications, staff):
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in experts[:3]],
        actor=staff,
    )
    with pytest.raises(ValidationError) as error:
        services.council_decisions_record(
            session=session,
            decisions=[
                DecisionInput(
                    applications[0], "recommend", D("100"), votes_for=3, votes_against=1
                )
            ],
            actor=staff,
        )
    assert f"votes_for_{applications[0].pk}" in error.value.message_dict
    session.refresh_from_db()
    assert session.minutes_snapshot == {}
    assert Application.objects.get(pk=applications[0].pk).status == "admitted"


def test_the_chair_must_be_present(call, experts, staff):
    with pytest.raises(ValidationError, match="chair"), translation.override("en"):
        services.council_session_create(
            call=call,
            held_on=datetime.date(2026, 12, 1),
            chair=experts[3],
            attendance=[AttendanceInput(e) for e in experts[:3]],
            actor=staff,
        )


def test_minutes_download_for_staff_and_officials_only(client, closed):
    issued = IssuedDocument.objects.get(
        kind="council_minutes", subject_id=closed.pk, variant="kk"
    )
    url = reverse("issued_download", args=[issued.pk])
    for role, status in (
        ("staff", 200),
        ("official", 200),
        ("ngo_leader", 404),
        ("expert", 404),
    ):
        client.force_login(UserFactory(role=role))
        assert client.get(url).status_code == status, role


def test_staff_reissue_needs_a_reason_and_keeps_version_one(
    client, closed, django_capture_on_commit_callbacks
):
    v1 = IssuedDocument.objects.get(
        kind="council_minutes", subject_id=closed.pk, variant="kk"
    )
    client.force_login(UserFactory(role="staff"))
    url = reverse("issued_reissue", args=[v1.pk])
    client.post(url, {"reason": ""})
    assert IssuedDocument.objects.filter(kind="council_minutes").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Хатшының аты түзетілді"})
    v2 = IssuedDocument.objects.get(
        kind="council_minutes", subject_id=closed.pk, variant="kk", version=2
    )
    assert v2.reason == "Хатшының аты түзетілді"
    assert IssuedDocument.objects.get(pk=v1.pk).sha256 == v1.sha256


def test_session_minutes_button_serves_the_issued_version(client, closed, staff):
    client.force_login(staff)
    response = client.post(
        reverse("reviews:session_minutes", args=[closed.pk]), {"language": "ru"}
    )
    issued = IssuedDocument.objects.get(
        kind="council_minutes", subject_id=closed.pk, variant="ru"
    )
    assert response.url == reverse("issued_download", args=[issued.pk])


def test_a_session_closed_before_freezing_gets_reconstructed_minutes_once(
    client, call, experts, applications, staff, django_capture_on_commit_callbacks
):
    # given a session decided before minutes were frozen (no snapshot)
    session = services.council_session_create(
        call=call,
        held_on=datetime.date(2026, 12, 1),
        attendance=[AttendanceInput(e) for e in experts[:3]],
        actor=staff,
    )
    services.council_decisions_record(
        session=session,
        decisions=[DecisionInput(applications[0], "recommend", D("100"))],
        actor=staff,
    )
    from alliance_portal.models import DocumentJob
    from reviews.models import CouncilSession

    CouncilSession.objects.filter(pk=session.pk).update(minutes_snapshot={})

    DocumentJob.objects.all().delete()
    # when staff ask for its minutes
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:session_minutes", args=[session.pk]), {"language": "kk"}
        )
    # then a snapshot marked as reconstructed is stored and the minutes are issued
    session.refresh_from_db()
    assert session.minutes_snapshot["reconstructed_on"]
    issued = IssuedDocument.objects.get(kind="council_minutes", subject_id=session.pk)
    with issued.file.open("rb") as f:
        assert "хаттама" in _text(f.read()).lower()
