import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from members.tests.factories import OrganisationFactory
from memoranda import services
from memoranda.models import (
    Commitment,
    CommitmentEvidence,
    Memorandum,
    MemorandumStatusChange,
)
from memoranda.services import PartyData
from memoranda.tests.factories import (
    CommitmentFactory,
    MemorandumFactory,
    memorandum_with_parties,
)

pytestmark = pytest.mark.django_db

DATA = {
    "kind": Memorandum.Kind.TRIPARTITE,
    "number": 5,
    "title_kk": "Бірлескен іс-қимыл және әріптестік туралы меморандум",
    "title_ru": "Меморандум о совместных действиях и партнёрстве",
    "signed_on": datetime.date(2013, 4, 18),
    "valid_from": datetime.date(2013, 4, 18),
    "valid_until": datetime.date(2014, 4, 17),
    "status": Memorandum.Status.SIGNED,
}


def _parties(n):
    return [
        PartyData(
            organisation=OrganisationFactory(),
            signatory_name=f"Қол қоюшы {i}",
            signatory_position_kk="Төраға",
            signatory_position_ru="Председатель",
        )
        for i in range(n)
    ]


def test_memorandum_create_saves_parties_in_order_and_records_first_status(make_user):
    # given three parties
    staff = make_user("staff")
    parties = _parties(3)
    # when staff records the memorandum
    memorandum = services.memorandum_create(data=DATA, parties=parties, actor=staff)
    # then the parties are saved in order and the history says who created it
    assert [p.organisation for p in memorandum.parties.all()] == [
        p.organisation for p in parties
    ]
    change = MemorandumStatusChange.objects.get(memorandum=memorandum)
    assert (change.from_status, change.to_status, change.actor) == ("", "signed", staff)


def test_memorandum_create_with_one_party_saves_nothing(make_user):
    # given a single party
    # when staff tries to record the memorandum
    with pytest.raises(ValidationError) as exc:
        services.memorandum_create(
            data=DATA, parties=_parties(1), actor=make_user("staff")
        )
    assert exc.value.code == "too_few_parties"
    # then nothing is saved
    assert not Memorandum.objects.exists()


def test_memorandum_create_with_end_before_start_saves_nothing(make_user):
    # given a validity period that ends before it starts
    data = {**DATA, "valid_until": datetime.date(2013, 1, 1)}
    # when staff records it
    with pytest.raises(ValidationError):
        services.memorandum_create(
            data=data, parties=_parties(2), actor=make_user("staff")
        )
    # then neither the memorandum nor its parties exist
    assert not Memorandum.objects.exists()


def test_memorandum_update_records_status_change_with_actor(make_user):
    # given a signed memorandum
    staff = make_user("staff")
    parties = _parties(2)
    memorandum = services.memorandum_create(data=DATA, parties=parties, actor=staff)
    # when staff puts it in force and drops nothing
    services.memorandum_update(
        memorandum=memorandum,
        data={**DATA, "status": Memorandum.Status.IN_FORCE},
        parties=parties,
        actor=staff,
    )
    # then the history holds both steps
    steps = list(
        memorandum.status_changes.values_list("from_status", "to_status", "actor")
    )
    assert steps == [("", "signed", staff.pk), ("signed", "in_force", staff.pk)]


def test_party_responsible_for_commitments_cannot_be_removed(make_user):
    # given a memorandum whose second party answers for a commitment
    staff = make_user("staff")
    parties = _parties(3)
    memorandum = services.memorandum_create(data=DATA, parties=parties, actor=staff)
    services.commitment_add(
        memorandum=memorandum,
        text_kk="Есеп беру",
        text_ru="Отчитаться",
        responsible=parties[1].organisation,
        due_on=datetime.date(2014, 1, 1),
        actor=staff,
    )
    # when staff removes that party
    with pytest.raises(ValidationError) as exc:
        services.memorandum_update(
            memorandum=memorandum,
            data=DATA,
            parties=[parties[0], parties[2]],
            actor=staff,
        )
    assert exc.value.code == "party_has_commitments"
    # then the party is still there
    assert memorandum.parties.count() == 3


def test_commitment_add_refuses_an_organisation_that_is_not_a_party(make_user):
    # given a memorandum and an outsider
    memorandum = memorandum_with_parties(2)
    outsider = OrganisationFactory()
    # when a commitment is given to the outsider
    with pytest.raises(ValidationError) as exc:
        services.commitment_add(
            memorandum=memorandum,
            text_kk="x",
            text_ru="x",
            responsible=outsider,
            due_on=datetime.date(2030, 1, 1),
            actor=make_user("staff"),
        )
    # then it is refused on the responsible field and nothing is saved
    assert "responsible" in exc.value.error_dict
    assert not Commitment.objects.exists()


def test_commitment_update_status_done_writes_note_and_evidence(make_user, pdf_upload):
    # given a planned commitment
    staff = make_user("staff")
    memorandum = memorandum_with_parties(2)
    commitment = CommitmentFactory(
        memorandum=memorandum, responsible=memorandum.parties.first().organisation
    )
    # when staff marks it done with a note and an act
    note = services.commitment_update_status(
        commitment=commitment,
        to_status=Commitment.Status.DONE,
        note="Жобалар іріктелді",
        evidence=[pdf_upload("act.pdf")],
        actor=staff,
        on=datetime.date(2026, 5, 1),
    )
    # then the status, the date, the note and the evidence are recorded
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.DONE
    assert commitment.completed_on == datetime.date(2026, 5, 1)
    assert (note.from_status, note.to_status, note.author) == ("planned", "done", staff)
    evidence = CommitmentEvidence.objects.get()
    assert (evidence.note, evidence.content_type) == (note, "application/pdf")


def test_commitment_update_status_with_disguised_file_saves_nothing(make_user):
    # given a planned commitment and a text file named .pdf
    commitment = CommitmentFactory()
    fake = SimpleUploadedFile("act.pdf", b"just text, not a pdf" * 10)
    # when staff reports progress with it
    with pytest.raises(ValidationError):
        services.commitment_update_status(
            commitment=commitment,
            to_status=Commitment.Status.DONE,
            note="done",
            evidence=[fake],
            actor=make_user("staff"),
        )
    # then the status did not move and no note was written
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.PLANNED
    assert not commitment.notes.exists()


def test_overdue_is_computed_from_due_date_and_status():
    # given open, done and dropped commitments due yesterday, and one due tomorrow
    today = datetime.date(2026, 11, 26)
    late = CommitmentFactory(due_on=today - datetime.timedelta(days=1))
    CommitmentFactory(due_on=today - datetime.timedelta(days=1), done=True)
    CommitmentFactory(
        due_on=today - datetime.timedelta(days=1), status=Commitment.Status.DROPPED
    )
    CommitmentFactory(due_on=today + datetime.timedelta(days=1))
    # when we ask which are overdue
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        overdue = list(Commitment.objects.overdue())
        flags = {c.pk: c.is_overdue for c in Commitment.objects.all()}
    # then only the open one past its date is
    assert overdue == [late]
    assert [pk for pk, flag in flags.items() if flag] == [late.pk]


def test_lapsed_memorandum_reads_as_expired_and_sync_stores_it():
    # given an in-force memorandum whose validity ended yesterday
    memorandum = MemorandumFactory(
        valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2026, 11, 25)
    )
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, tzinfo=datetime.UTC)):
        # then it already reads as expired and is not in force
        assert memorandum.effective_status == Memorandum.Status.EXPIRED
        assert not Memorandum.objects.in_force().exists()
        # when the daily sync runs
        changed = services.memoranda_expire_lapsed()
    # then the stored status follows, with a history row
    memorandum.refresh_from_db()
    assert (changed, memorandum.status) == (1, Memorandum.Status.EXPIRED)
    assert memorandum.status_changes.get().to_status == "expired"


def test_request_pdf_issues_once_and_a_change_makes_a_new_version_for_staff(
    make_user,
):
    from alliance_portal.documents import document_render
    from alliance_portal.models import IssuedDocument

    # given a signed memorandum, a reader and staff
    official, staff = make_user("official"), make_user("staff")
    memorandum = memorandum_with_parties(2)
    # when the same PDF is asked for twice before it is rendered
    first = services.memorandum_request_pdf(
        memorandum=memorandum, language="kk", user=official
    )
    again = services.memorandum_request_pdf(
        memorandum=memorandum, language="kk", user=official
    )
    # then it is one job, which issues version 1
    assert first.pk == again.pk
    document_render(job_id=str(first.pk))
    v1 = IssuedDocument.objects.get(kind="memorandum_pdf", subject_id=memorandum.pk)
    assert (
        services.memorandum_request_pdf(
            memorandum=memorandum, language="kk", user=official
        )
        == v1
    )
    # when the memorandum changes
    CommitmentFactory(memorandum=memorandum)
    services.commitment_update_status(
        commitment=memorandum.commitments.get(),
        to_status="in_progress",
        note="басталды",
        actor=staff,
    )
    memorandum.refresh_from_db()
    # then a reader still gets the issued version, and staff issue version 2
    assert (
        services.memorandum_request_pdf(
            memorandum=memorandum, language="kk", user=official
        )
        == v1
    )
    fresh = services.memorandum_request_pdf(
        memorandum=memorandum, language="kk", user=staff
    )
    assert fresh.pk != first.pk
    document_render(job_id=str(fresh.pk))
    v2 = IssuedDocument.objects.get(kind="memorandum_pdf", version=2)
    assert "1" in v2.reason  # "changed after version 1 was issued", translated
    assert IssuedDocument.objects.get(pk=v1.pk).sha256 == v1.sha256
