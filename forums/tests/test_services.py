import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance_portal.models import Notification
from forums import services
from forums.models import (
    Event,
    EventMaterial,
    Forum,
    Registration,
    RegistrationChange,
    Resolution,
)
from forums.tests.factories import (
    EventFactory,
    ForumFactory,
    RegistrationFactory,
    ResolutionFactory,
    in_days,
)
from members.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def delegate(leader, name="Айгүл Сәрсенова", email=""):
    return services.DelegateData(
        full_name=name, organisation=leader.organisation, email=email, phone="+7 700"
    )


def test_registration_within_capacity_awaits_confirmation_and_logs_history(leader):
    # given a forum with places
    forum = ForumFactory(capacity=2)
    # when a leader registers a delegate of their organisation
    reg = services.registration_create(
        gathering=forum, delegate=delegate(leader), actor=leader
    )
    # then it holds a place, awaiting confirmation, with a history row by the leader
    assert reg.status == Registration.Status.PENDING
    assert reg.district == leader.organisation.district
    change = RegistrationChange.objects.get(registration=reg)
    assert (change.status_from, change.status_to, change.actor) == (
        "",
        "pending",
        leader,
    )


def test_registration_beyond_capacity_goes_to_the_waiting_list(leader):
    # given a forum whose 2 places are taken
    forum = ForumFactory(capacity=2)
    for name in ("Бірінші", "Екінші"):
        services.registration_create(
            gathering=forum, delegate=delegate(leader, name), actor=leader
        )
    # when a third delegate registers
    third = services.registration_create(
        gathering=forum, delegate=delegate(leader, "Үшінші"), actor=leader
    )
    # then they are wait-listed, and the places stay at 2
    assert third.status == Registration.Status.WAITLISTED
    assert Registration.objects.filter(forum=forum).holding_place().count() == 2


def test_registration_after_the_deadline_is_refused_and_nothing_saved(leader):
    # given an event whose registration closed yesterday
    event = EventFactory(registration_deadline=in_days(-1))
    # when a leader tries to register
    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            gathering=event, delegate=delegate(leader), actor=leader
        )
    # then a clear message, and no row
    assert "жабылды" in exc.value.messages[0]  # "Registration closed on …"
    assert not Registration.objects.exists()


def test_registration_closes_when_it_starts_without_a_deadline(leader):
    event = EventFactory(past=True, registration_deadline=None)
    with pytest.raises(ValidationError):
        services.registration_create(
            gathering=event, delegate=delegate(leader), actor=leader
        )
    assert not Registration.objects.exists()


def test_same_person_twice_is_refused_even_spelt_differently(leader):
    # given a registered delegate
    forum = ForumFactory()
    services.registration_create(
        gathering=forum, delegate=delegate(leader, "Айгүл Сәрсенова"), actor=leader
    )
    # when the same name comes again in other case and spacing
    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            gathering=forum,
            delegate=delegate(leader, "  айгүл   СӘРСЕНОВА "),
            actor=leader,
        )
    # then refused on the name field; one row only
    assert "full_name" in exc.value.message_dict
    assert Registration.objects.count() == 1


def test_same_email_twice_is_refused(leader):
    forum = ForumFactory()
    services.registration_create(
        gathering=forum, delegate=delegate(leader, "А", "a@example.kz"), actor=leader
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            gathering=forum,
            delegate=delegate(leader, "Б", "A@Example.kz"),
            actor=leader,
        )
    assert "email" in exc.value.message_dict
    assert Registration.objects.count() == 1


def test_cancelled_person_may_register_again(leader):
    forum = ForumFactory()
    first = services.registration_create(
        gathering=forum, delegate=delegate(leader), actor=leader
    )
    services.registration_cancel(registration=first, actor=leader)
    again = services.registration_create(
        gathering=forum, delegate=delegate(leader), actor=leader
    )
    assert again.status == Registration.Status.PENDING


def test_database_refuses_a_duplicate_person_the_service_did_not_see():
    # given a registration
    first = RegistrationFactory(full_name="Асан Үсенов")
    # when a second row for the same person is written directly
    # then the partial unique constraint refuses it
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(
            forum=first.forum, full_name="асан  үсенов", organisation=first.organisation
        )


def test_database_requires_exactly_one_of_forum_and_event():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event)  # forum set by the factory too
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(forum=None)


def test_leader_cannot_register_another_organisations_delegate(leader):
    forum = ForumFactory()
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(
            gathering=forum,
            delegate=services.DelegateData(full_name="Х", organisation=other),
            actor=leader,
        )
    assert "organisation" in exc.value.message_dict
    assert not Registration.objects.exists()


def test_cancelling_a_place_promotes_the_first_waitlisted_and_tells_their_registrar(
    leader, staff
):
    # given a full forum with two on the waiting list
    forum = ForumFactory(capacity=1)
    holder = services.registration_create(
        gathering=forum, delegate=delegate(leader, "Орын иесі"), actor=leader
    )
    first = services.registration_create(
        gathering=forum, delegate=delegate(leader, "Кезекте бірінші"), actor=leader
    )
    second = services.registration_create(
        gathering=forum, delegate=delegate(leader, "Кезекте екінші"), actor=leader
    )
    # when staff cancel the place holder
    promoted = services.registration_cancel(registration=holder, actor=staff)
    # then the first wait-listed moves up, the second stays, and the leader is told
    assert promoted == first
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.PENDING
    assert second.status == Registration.Status.WAITLISTED
    assert Notification.objects.filter(
        recipient=leader, kind="forums.waitlist_promoted"
    ).exists()


def test_cancelling_a_waitlisted_registration_promotes_no_one(leader):
    forum = ForumFactory(capacity=1)
    services.registration_create(
        gathering=forum, delegate=delegate(leader, "А"), actor=leader
    )
    waiting = services.registration_create(
        gathering=forum, delegate=delegate(leader, "Б"), actor=leader
    )
    third = services.registration_create(
        gathering=forum, delegate=delegate(leader, "В"), actor=leader
    )
    assert services.registration_cancel(registration=waiting, actor=leader) is None
    third.refresh_from_db()
    assert third.status == Registration.Status.WAITLISTED


def test_staff_confirm_only_pending_registrations(staff):
    reg = RegistrationFactory()
    services.registration_confirm(registration=reg, actor=staff)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.registration_confirm(registration=reg, actor=staff)


def test_attendance_is_marked_only_after_the_start(staff):
    # given a registration for a future event
    reg = RegistrationFactory(forum=None, event=EventFactory())
    # when staff mark attendance before the start / then refused, unchanged
    with pytest.raises(ValidationError):
        services.registration_mark_attendance(
            registration=reg, actor=staff, attended=True
        )
    reg.refresh_from_db()
    assert reg.status == Registration.Status.PENDING


def test_attendance_after_the_event_is_recorded_and_can_be_undone(staff):
    reg = RegistrationFactory(
        forum=None, event=EventFactory(past=True), status="confirmed"
    )
    services.registration_mark_attendance(registration=reg, actor=staff, attended=True)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.ATTENDED
    services.registration_mark_attendance(registration=reg, actor=staff, attended=False)
    reg.refresh_from_db()
    assert reg.status == Registration.Status.CONFIRMED


def test_event_ending_before_it_starts_is_refused_with_a_message(staff):
    # given an event whose end is before its start
    start = timezone.now() + datetime.timedelta(days=3)
    event = EventFactory.build(
        starts_at=start, ends_at=start - datetime.timedelta(hours=1)
    )
    event.district.save()
    event.district_id = event.district.pk
    # when saved through the service / then a message on ends_at and no row
    with pytest.raises(ValidationError) as exc:
        services.event_save(event=event, actor=staff)
    assert "ends_at" in exc.value.message_dict
    assert not Event.objects.exists()


def test_database_refuses_an_event_ending_before_it_starts():
    event = EventFactory()
    event.ends_at = event.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_database_refuses_a_forum_ending_before_it_starts():
    forum = ForumFactory()
    forum.ends_on = forum.starts_on - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        forum.save()


def test_forum_title_shows_the_number_in_roman_numerals():
    assert "VI" in ForumFactory(number=6).title
    assert Forum(number=6).roman == "VI"


def test_resolution_note_moves_status_and_keeps_history(staff):
    resolution = ResolutionFactory()
    note = services.resolution_add_note(
        resolution=resolution,
        actor=staff,
        text="Екі орталық ашылды",
        status="in_progress",
    )
    resolution.refresh_from_db()
    assert resolution.status == Resolution.Status.IN_PROGRESS
    assert (note.status_from, note.status_to, note.author) == (
        "planned",
        "in_progress",
        staff,
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_material_pdf_is_accepted(staff):
    event = EventFactory()
    services.event_material_add(
        event=event,
        title="Слайдтар",
        upload=SimpleUploadedFile("slides.pdf", PDF),
        actor=staff,
    )
    assert EventMaterial.objects.filter(event=event).count() == 1


def test_material_with_a_pdf_name_but_other_content_is_refused(staff):
    event = EventFactory()
    with pytest.raises(ValidationError) as exc:
        services.event_material_add(
            event=event,
            title="x",
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf at all"),
            actor=staff,
        )
    assert "file" in exc.value.message_dict
    assert not EventMaterial.objects.exists()


def test_material_over_10_mb_is_refused(staff):
    event = EventFactory()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        services.event_material_add(event=event, title="x", upload=big, actor=staff)
    assert "шегі — 10,0\xa0МБ" in exc.value.message_dict["file"][0]
    assert not EventMaterial.objects.exists()


def test_raising_the_capacity_moves_waitlisted_delegates_up_in_order(leader, staff):
    # given a full forum of 1 place and three on the waiting list
    forum = ForumFactory(capacity=1)
    regs = [
        services.registration_create(
            gathering=forum, delegate=delegate(leader, name), actor=leader
        )
        for name in ("А", "Б", "В", "Г")
    ]
    # when staff open two more places
    forum.capacity = 3
    services.forum_save(forum=forum, actor=staff)
    # then the first two wait-listed move up, the last still waits
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == ["pending", "pending", "pending", "waitlisted"]


def test_promotion_notice_is_in_the_registrars_language(leader, staff):
    # given a leader who reads Russian, with a wait-listed delegate
    leader.language = "ru"
    leader.save(update_fields=["language"])
    forum = ForumFactory(capacity=1)
    holder = services.registration_create(
        gathering=forum, delegate=delegate(leader, "А"), actor=leader
    )
    services.registration_create(
        gathering=forum, delegate=delegate(leader, "Б"), actor=leader
    )
    # when staff (working in Kazakh) cancel the place holder
    services.registration_cancel(registration=holder, actor=staff)
    # then the leader's notice is in Russian
    notice = Notification.objects.get(recipient=leader)
    assert notice.title == "Освободилось место: Б переведён(а) из листа ожидания"
