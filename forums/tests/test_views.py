import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from alliance_portal.models import DocumentJob
from forums.models import Event, Forum, Registration
from forums.tests.factories import (
    EventFactory,
    ForumFactory,
    RegistrationFactory,
    ResolutionFactory,
    in_days,
)
from members.tests.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def register(client, kind, gathering, leader, name, email=""):
    return client.post(
        reverse("forums:register", args=[kind, gathering.pk]),
        {
            "full_name": name,
            "position": "Төраға",
            "organisation": leader.organisation.pk,
            "email": email,
            "phone": "+7 701 000 00 00",
            "consent": "on",
        },
        follow=True,
    )


def test_registration_beyond_capacity_shows_the_waiting_list_message(client, leader):
    # given a forum with one place, taken
    forum = ForumFactory(capacity=1)
    client.force_login(leader)
    register(client, "forum", forum, leader, "Бірінші Делегат")
    # when a second delegate registers
    response = register(client, "forum", forum, leader, "Екінші Делегат")
    # then the leader is told they are on the waiting list
    assert "күту тізіміне енгізілді" in response.content.decode()  # waiting list
    assert Registration.objects.get(full_name="Екінші Делегат").status == "waitlisted"


def test_registration_after_deadline_shows_a_message_and_saves_nothing(client, leader):
    event = EventFactory(registration_deadline=in_days(-1))
    client.force_login(leader)
    response = register(client, "event", event, leader, "Кеш Қалған")
    assert response.status_code == 200
    assert "Тіркеу жабық" in response.content.decode()  # Registration is closed
    assert not Registration.objects.exists()


def test_registration_after_deadline_posted_anyway_is_refused_on_the_form(
    client, leader
):
    # given a form opened before the deadline and posted after it
    event = EventFactory(registration_deadline=in_days(-1))
    client.force_login(leader)
    response = client.post(
        reverse("forums:register", args=["event", event.pk]),
        {"full_name": "Х", "organisation": leader.organisation.pk, "phone": "1"},
    )
    # then the message is in the page (the template shows the closed notice)
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_same_person_twice_is_refused_with_a_message_on_the_name(client, leader):
    forum = ForumFactory()
    client.force_login(leader)
    register(client, "forum", forum, leader, "Айгүл Сәрсенова")
    response = register(client, "forum", forum, leader, "айгүл сәрсенова")
    assert response.status_code == 200
    assert "бұған дейін тіркелген" in response.context["form"].errors["full_name"][0]
    assert Registration.objects.count() == 1


def test_registration_needs_an_email_or_a_phone(client, leader):
    forum = ForumFactory()
    client.force_login(leader)
    response = client.post(
        reverse("forums:register", args=["forum", forum.pk]),
        {"full_name": "Х", "organisation": leader.organisation.pk},
    )
    assert response.context["form"].non_field_errors()
    assert not Registration.objects.exists()


def test_leader_cannot_pick_another_organisation_in_the_form(client, leader):
    forum = ForumFactory()
    other = OrganisationFactory()
    client.force_login(leader)
    response = client.post(
        reverse("forums:register", args=["forum", forum.pk]),
        {"full_name": "Х", "organisation": other.pk, "phone": "1"},
    )
    assert "organisation" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_event_ending_before_it_starts_shows_a_message_on_the_end(client, staff):
    district = DistrictFactory()
    client.force_login(staff)
    response = client.post(
        reverse("forums:event_create"),
        {
            "kind": "round_table",
            "title_kk": "Дөңгелек үстел",
            "title_ru": "Круглый стол",
            "starts_at": "2027-02-10T15:00",
            "ends_at": "2027-02-10T11:00",
            "district": district.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "басталғаннан кейін аяқталуы тиіс"
        in response.context["form"].errors["ends_at"][0]
    )
    assert not Event.objects.exists()


def test_forum_page_shows_previous_forums_resolutions_with_status(client):
    # given the V forum with two resolutions and the VI after it
    fifth = ForumFactory(number=5, starts_on=datetime.date(2011, 11, 18))
    ResolutionFactory(forum=fifth, text_kk="Мониторинг енгізу", status="done")
    ResolutionFactory(forum=fifth, text_kk="Орталықтар ашу", status="not_done")
    sixth = ForumFactory(number=6, starts_on=datetime.date(2013, 11, 15))
    # when anyone opens the VI forum's page in Kazakh
    response = client.get(f"/kk/forums/{sixth.pk}/")
    html = response.content.decode()
    # then the V forum's resolutions and their outcome show
    assert "Мониторинг енгізу" in html
    assert "Орталықтар ашу" in html
    assert 'data-status="done"' in html
    assert 'data-status="not_done"' in html
    assert "VI" in html


def test_kazakh_page_shows_kazakh_strings(client):
    response = client.get("/kk/forums/calendar/")
    assert "Форумдар мен іс-шаралар күнтізбесі" in response.content.decode()


def test_russian_page_shows_russian_strings(client):
    response = client.get("/ru/forums/calendar/")
    assert "Календарь форумов и мероприятий" in response.content.decode()


def test_calendar_filters_by_district_and_kind(client):
    aral, shieli = DistrictFactory(code="aral"), DistrictFactory(code="shieli")
    EventFactory(district=aral, kind="training", title_kk="Арал тренингі")
    EventFactory(district=shieli, kind="round_table", title_kk="Шиелі үстелі")
    ForumFactory(district=aral, theme_kk="Форум")
    html = client.get("/kk/forums/calendar/?district=aral&kind=training").content
    assert "Арал тренингі" in html.decode()
    assert "Шиелі үстелі" not in html.decode()
    forum_only = client.get("/kk/forums/calendar/?kind=forum").content.decode()
    assert 'data-uid="forum-' in forum_only
    assert 'data-uid="event-' not in forum_only


def test_calendar_hides_finished_events(client):
    EventFactory(past=True, title_kk="Өткен іс-шара")
    EventFactory(title_kk="Алдағы іс-шара")
    html = client.get("/kk/forums/calendar/").content.decode()
    assert "Алдағы іс-шара" in html
    assert "Өткен іс-шара" not in html


@pytest.mark.parametrize("size", [3, 25])
def test_calendar_query_count_does_not_grow(
    client, django_assert_max_num_queries, size
):
    EventFactory.create_batch(size)
    ForumFactory.create_batch(size)
    with django_assert_max_num_queries(8):
        response = client.get("/kk/forums/calendar/")
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_participants_and_registrations_query_count_does_not_grow(
    client, staff, django_assert_max_num_queries, size
):
    forum = ForumFactory(capacity=None)
    RegistrationFactory.create_batch(size, forum=forum)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert (
            client.get(f"/kk/forums/forum/{forum.pk}/participants/").status_code == 200
        )
    with django_assert_max_num_queries(16):
        assert client.get("/kk/forums/registrations/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/kk/forums/stats/").status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_public_lists_query_count_does_not_grow(
    client, django_assert_max_num_queries, size
):
    forums = ForumFactory.create_batch(size)
    for forum in forums:
        ResolutionFactory(forum=forum)
    with django_assert_max_num_queries(6):
        assert client.get("/kk/forums/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/kk/forums/resolutions/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/kk/forums/{forums[-1].pk}/").status_code == 200


def test_ics_feed_parses_with_timezone_and_a_uid_per_item(client):
    # given an event at 10:00 Kyzylorda time and a forum
    district = DistrictFactory(code="aral")
    event = EventFactory(district=district, title_kk="Арал тренингі")
    forum = ForumFactory(district=district)
    # when the feed is fetched
    response = client.get("/kk/forums/calendar.ics?district=aral")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    # then both are in it with unique UIDs; the event's start is in Asia/Qyzylorda
    vevents = cal.walk("VEVENT")
    uids = {str(v["UID"]) for v in vevents}
    assert len(uids) == 2
    assert any(u.startswith(f"event-{event.pk}@") for u in uids)
    assert any(u.startswith(f"forum-{forum.pk}@") for u in uids)
    ev = next(v for v in vevents if str(v["UID"]).startswith("event-"))
    assert ev["DTSTART"].params["TZID"] == "Asia/Qyzylorda"
    assert ev.decoded("DTSTART") == event.starts_at
    assert timezone.localtime(event.starts_at).hour == ev.decoded("DTSTART").hour == 10
    assert str(ev["SUMMARY"]) == "Арал тренингі"
    assert [t["TZID"] for t in cal.walk("VTIMEZONE")] == ["Asia/Qyzylorda"]


def test_ics_feed_filters_by_kind(client):
    EventFactory(kind="training")
    EventFactory(kind="round_table")
    cal = Calendar.from_ical(
        client.get("/kk/forums/calendar.ics?kind=round_table").content
    )
    assert len(cal.walk("VEVENT")) == 1


def test_csv_and_xlsx_exports_hold_the_participants(client, staff):
    forum = ForumFactory()
    RegistrationFactory(forum=forum, full_name="Әсел Құрманова")
    client.force_login(staff)
    csv_body = b"".join(
        client.get(f"/kk/forums/forum/{forum.pk}/participants.csv").streaming_content
    )
    assert "Әсел Құрманова" in csv_body.decode("utf-8-sig")
    xlsx = b"".join(
        client.get(f"/kk/forums/forum/{forum.pk}/participants.xlsx").streaming_content
    )
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet.cell(row=2, column=1).value == "Әсел Құрманова"


@pytest.fixture
def get_document(client, django_capture_on_commit_callbacks):
    """GET a URL that asks for a document; run its rendering; return the job."""

    def get(url):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
        assert response.status_code == 302
        return DocumentJob.objects.get(
            pk=response["Location"].rstrip("/").split("/")[-1]
        )

    return get


def _pdf_text(job: DocumentJob) -> str:
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.DONE, job.error
    with job.file.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(fh).pages)
    return " ".join(text.split())


def test_forum_report_pdf_has_theme_stats_and_resolutions_in_kazakh(
    client, staff, get_document
):
    aral = DistrictFactory(name_kk="Арал ауданы")
    forum = ForumFactory(number=6, theme_kk="Азаматтық қоғам – биліктің серіктесі")
    RegistrationFactory(forum=forum, district=aral, status="attended")
    ResolutionFactory(forum=forum, text_kk="Ресурстық орталық ашу", status="done")
    client.force_login(staff)
    job = get_document(f"/kk/forums/{forum.pk}/report/?lang=kk")
    text = _pdf_text(job)
    assert "Азаматтық қоғам – биліктің серіктесі" in text
    assert "Арал ауданы" in text
    assert "Ресурстық орталық ашу" in text


def test_forum_report_pdf_in_russian(client, staff, get_document):
    forum = ForumFactory(theme_ru="Гражданское общество и село")
    client.force_login(staff)
    job = get_document(f"/kk/forums/{forum.pk}/report/?lang=ru")
    text = _pdf_text(job)
    assert "Гражданское общество и село" in text
    assert "Участники" in text


def test_certificates_are_one_page_per_attended_participant(
    client, staff, get_document
):
    event = EventFactory(past=True)
    RegistrationFactory.create_batch(2, forum=None, event=event, status="attended")
    RegistrationFactory(
        forum=None, event=event, status="confirmed", full_name="Келмеген"
    )
    client.force_login(staff)
    job = get_document(f"/kk/forums/events/{event.pk}/certificates/")
    job.refresh_from_db()
    with job.file.open("rb") as fh:
        reader = PdfReader(fh)
        assert len(reader.pages) == 2
        assert "Келмеген" not in "".join(p.extract_text() for p in reader.pages)


def test_certificates_only_for_trainings(client, staff):
    event = EventFactory(past=True, kind="round_table")
    client.force_login(staff)
    assert client.get(f"/kk/forums/events/{event.pk}/certificates/").status_code == 404


def test_participants_pdf_lists_delegates(client, staff, get_document):
    forum = ForumFactory()
    RegistrationFactory(forum=forum, full_name="Ғалым Өтегенов")
    client.force_login(staff)
    job = get_document(f"/kk/forums/forum/{forum.pk}/participants.pdf")
    assert "Ғалым Өтегенов" in _pdf_text(job)


def test_material_upload_refuses_a_disguised_file_with_a_message(client, staff):
    event = EventFactory()
    client.force_login(staff)
    response = client.post(
        f"/kk/forums/events/{event.pk}/materials/new/",
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"just text, not a pdf")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not event.materials.exists()


def test_leader_sees_only_their_organisations_registrations(client, leader):
    mine = RegistrationFactory(organisation=leader.organisation, full_name="Менің")
    RegistrationFactory(full_name="Бөтен")
    client.force_login(leader)
    html = client.get("/kk/forums/registrations/").content.decode()
    assert mine.full_name in html
    assert "Бөтен" not in html


def test_home_panels_leader_registrations_and_staff_pending(client, leader, staff):
    RegistrationFactory(organisation=leader.organisation, full_name="Менің делегатым")
    client.force_login(leader)
    assert "Менің делегатым" in client.get("/kk/").content.decode()
    client.force_login(staff)
    html = client.get("/kk/").content.decode()
    assert 'data-panel="forums-pending"' in html
    assert "Менің делегатым" in html


def test_public_home_shows_the_calendar_card(client):
    EventFactory(title_kk="Арал тренингі")
    html = client.get("/kk/").content.decode()
    assert 'data-card="forums"' in html
    assert "Арал тренингі" in html


def test_demo_data_is_idempotent_and_holds_the_vi_forum(db):
    from forums import demo
    from members import demo as members_demo

    class Out:
        def write(self, _text):
            pass

    members_demo.seed(Out())
    demo.seed(Out())
    demo.seed(Out())
    sixth = Forum.objects.get(number=6)
    assert sixth.theme_kk.startswith("Азаматтық қоғам – елдің")
    assert Forum.objects.count() == 5
    assert Forum.objects.get(number=7).is_registration_open
    assert set(Event.objects.values_list("district__code", flat=True)) == {
        "aral",
        "shieli",
        "kyzylorda",
    }
    assert sixth.resolutions.values("status").distinct().count() > 1


@pytest.mark.parametrize(
    ("role", "sees_manage", "sees_register", "sees_participants"),
    [
        (None, False, False, False),
        ("ngo_leader", False, True, False),
        ("expert", False, False, False),
        ("official", False, False, True),
        ("staff", True, True, True),
    ],
)
def test_forum_page_offers_each_role_only_its_actions(
    client, make_user, role, sees_manage, sees_register, sees_participants
):
    # given an open forum
    forum = ForumFactory()
    if role:
        client.force_login(make_user(role))
    # when the role opens it
    html = client.get(f"/kk/forums/{forum.pk}/").content.decode()
    # then only its actions are offered
    assert (f"/forums/{forum.pk}/edit/" in html) is sees_manage
    assert (f"/forums/{forum.pk}/sessions/new/" in html) is sees_manage
    assert (f"/forums/forum/{forum.pk}/register/" in html) is sees_register
    assert (f"/forums/forum/{forum.pk}/participants/" in html) is sees_participants


def test_staff_confirm_from_the_participants_list_and_return_to_it(client, staff):
    # given a pending registration
    registration = RegistrationFactory()
    page = f"/kk/forums/forum/{registration.forum_id}/participants/"
    client.force_login(staff)
    html = client.get(page).content.decode()
    confirm = f"/forums/registrations/{registration.pk}/confirm/"
    assert confirm in html
    # when staff confirm it there
    response = client.post(f"/kk{confirm}", {"next": page})
    # then they are back on the list and the delegate is confirmed
    assert response["Location"] == page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_official_sees_participants_without_actions(client, make_user):
    registration = RegistrationFactory()
    client.force_login(make_user("official"))
    html = client.get(
        f"/kk/forums/forum/{registration.forum_id}/participants/"
    ).content.decode()
    assert registration.full_name in html
    assert "/confirm/" not in html
    assert "/cancel/" not in html


def test_next_parameter_cannot_send_to_another_site(client, staff):
    registration = RegistrationFactory()
    client.force_login(staff)
    response = client.post(
        f"/kk/forums/registrations/{registration.pk}/confirm/",
        {"next": "//evil.example/"},
    )
    assert response["Location"] == "/kk/forums/registrations/"


def test_badges_pdf_holds_the_confirmed_delegates_in_kazakh(
    client, staff, get_document
):
    # given a forum with two confirmed delegates, one present, one waitlisted and
    # one cancelled
    aral = DistrictFactory(name_kk="Арал ауданы")
    forum = ForumFactory(number=6, theme_kk="Азаматтық қоғам – биліктің серіктесі")
    RegistrationFactory(
        forum=forum,
        full_name="Ғалым Өтегенов",
        position="Төраға",
        district=aral,
        status="confirmed",
    )
    RegistrationFactory(forum=forum, full_name="Әсел Құрманова", status="attended")
    RegistrationFactory(forum=forum, full_name="Күтуші Үмітов", status="waitlisted")
    RegistrationFactory(forum=forum, full_name="Бас Тартқан", status="cancelled")
    client.force_login(staff)
    # when staff ask for the badges in Kazakh
    job = get_document(f"/kk/forums/forum/{forum.pk}/badges.pdf?lang=kk")
    # then the PDF holds the forum, its theme and the confirmed delegates only
    text = _pdf_text(job)
    assert "VI ОБЛЫСТЫҚ АЗАМАТТЫҚ ФОРУМ" in text.upper()
    assert "Азаматтық қоғам – биліктің серіктесі" in text
    assert "Ғалым Өтегенов" in text
    assert "Әсел Құрманова" in text
    assert "Төраға" in text
    assert "Арал ауданы" in text
    assert "Күтуші Үмітов" not in text
    assert "Бас Тартқан" not in text


def test_badges_are_eight_to_a_page(client, staff, get_document):
    # given an event with nine confirmed delegates
    event = EventFactory(title_ru="Круглый стол по грантам")
    RegistrationFactory.create_batch(9, forum=None, event=event, status="confirmed")
    client.force_login(staff)
    # when the badges are made in Russian
    job = get_document(f"/kk/forums/event/{event.pk}/badges.pdf?lang=ru")
    job.refresh_from_db()
    # then two A4 sheets: eight badges and one, under the event's Russian title
    with job.file.open("rb") as fh:
        reader = PdfReader(fh)
        assert len(reader.pages) == 2
        assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 210
        text = " ".join(p.extract_text() for p in reader.pages)
    assert "КРУГЛЫЙ СТОЛ ПО ГРАНТАМ" in text.upper()


def test_badges_without_confirmed_delegates_say_so_and_make_nothing(client, staff):
    # given a forum whose only delegate awaits confirmation
    forum = ForumFactory()
    RegistrationFactory(forum=forum)
    client.force_login(staff)
    # when staff ask for badges
    response = client.get(f"/kk/forums/forum/{forum.pk}/badges.pdf", follow=True)
    # then they are back on the participant page with a Kazakh message, and no job
    assert "Әлі бірде-бір делегат расталмаған" in response.content.decode()
    assert not DocumentJob.objects.filter(kind="forums_badges").exists()


def test_participant_page_has_the_badges_button(client, staff):
    forum = ForumFactory()
    client.force_login(staff)
    html = client.get(f"/kk/forums/forum/{forum.pk}/participants/").content.decode()
    assert f"/kk/forums/forum/{forum.pk}/badges.pdf" in html
    assert "Бейджіктер (PDF)" in html


def test_an_official_downloads_badges_that_staff_made_first(
    client, staff, make_user, get_document
):
    # given staff made the badges of a forum
    forum = ForumFactory()
    RegistrationFactory(forum=forum, full_name="Ғалым Өтегенов", status="confirmed")
    client.force_login(staff)
    get_document(f"/kk/forums/forum/{forum.pk}/badges.pdf")
    # when an official asks for them, then downloads
    official = make_user("official")
    client.force_login(official)
    job = get_document(f"/kk/forums/forum/{forum.pk}/badges.pdf")
    status = client.get(reverse("document_status", args=[job.pk]))
    download = client.get(reverse("document_download", args=[job.pk]))
    # then the job is theirs and the PDF comes
    assert job.requested_by == official
    assert status.status_code == 200
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # and an NGO leader cannot open it
    client.force_login(make_user("ngo_leader"))
    assert client.get(reverse("document_download", args=[job.pk])).status_code == 404


def test_registering_a_delegate_records_their_consent(client, leader):
    from members.models import Consent

    forum = ForumFactory()
    client.force_login(leader)
    register(client, "forum", forum, leader, "Айгүл Сәрсенова")
    consent = Consent.objects.get()
    registration = Registration.objects.get()
    assert consent.context == "delegate"
    assert consent.subject_name == "Айгүл Сәрсенова"
    assert consent.entered_by == leader
    assert consent.object_ref == f"forums.Registration:{registration.pk}"
    assert consent.text_version


def test_a_delegate_is_not_registered_without_their_consent(client, leader):
    forum = ForumFactory()
    client.force_login(leader)
    response = client.post(
        reverse("forums:register", args=["forum", forum.pk]),
        {"full_name": "Х", "organisation": leader.organisation.pk, "phone": "1"},
    )
    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_certificates_are_numbered_dated_signed_and_issued_once(
    client, staff, get_document
):
    from alliance_portal.models import IssuedDocument

    # given a training organised by the alliance, whose head is on record
    alliance = OrganisationFactory(
        kind="alliance", leader_name="Сәуле Әбенова", head_position_kk="Төраға"
    )
    event = EventFactory(past=True, organiser=alliance)
    present = RegistrationFactory(forum=None, event=event, status="attended")
    client.force_login(staff)
    # when staff ask for the certificates
    job = get_document(f"/kk/forums/events/{event.pk}/certificates/")
    text = _pdf_text(job)
    # then each is numbered and dated, with the signer's position and name
    assert f"№ {event.pk}-{present.pk}" in text
    assert "Төраға" in text
    assert "Сәуле Әбенова" in text
    v1 = IssuedDocument.objects.get(kind="forums_certificates", subject_id=event.pk)
    assert v1.issued_on.strftime("%d.%m.%Y") in text
    # and asking again returns the issued version, not a new one
    response = client.get(f"/kk/forums/events/{event.pk}/certificates/")
    assert response.url == reverse("issued_download", args=[v1.pk])
    # when one more person is marked present, version 2 is issued with a reason
    RegistrationFactory(forum=None, event=event, status="attended")
    get_document(f"/kk/forums/events/{event.pk}/certificates/")
    v2 = IssuedDocument.objects.get(kind="forums_certificates", version=2)
    assert v2.reason
    assert IssuedDocument.objects.get(pk=v1.pk).sha256 == v1.sha256


def test_badges_carry_a_number_and_the_date(client, staff, get_document):
    event = EventFactory(past=True)
    delegate = RegistrationFactory(forum=None, event=event, status="confirmed")
    client.force_login(staff)
    text = _pdf_text(get_document(reverse("forums:badges", args=["event", event.pk])))
    assert f"№ {event.pk}-{delegate.pk}" in text
    assert event.starts_at_dt.strftime("%d.%m.%Y") in text
