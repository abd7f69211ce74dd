"""The forum journey in a real browser: staff build a forum, leaders register delegates
(the third is wait-listed), staff record resolutions, the next forum reports back on
them, and the calendar feed can be subscribed to."""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar

from conftest import login
from members.models import Affiliation
from members.tests.factories import DistrictFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SUBMIT = "main form button[type=submit]:not([name])"


def _forum_pk(page) -> int:
    return int(re.search(r"/forums/(\d+)/$", page.url).group(1))


def _create_forum(page, base, *, number, starts_on, theme, district, capacity=""):
    page.goto(f"{base}/kk/forums/new/")
    page.fill("#id_number", str(number))
    page.fill("#id_theme_kk", theme)
    page.fill("#id_theme_ru", theme)
    page.fill("#id_starts_on", starts_on.isoformat())
    page.fill("#id_ends_on", starts_on.isoformat())
    page.select_option("#id_district", str(district.pk))
    page.fill("#id_venue", "Қызылорда, облыстық филармония")
    page.fill("#id_capacity", str(capacity))
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/forums/\d+/$"))
    return _forum_pk(page)


def _add_session(page, day, start, end, title):
    page.click("text=Бөлім қосу")  # Add a session
    page.fill("#id_starts_at", f"{day.isoformat()}T{start}")
    page.fill("#id_ends_at", f"{day.isoformat()}T{end}")
    page.fill("#id_title_kk", title)
    page.fill("#id_title_ru", title)
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/forums/\d+/$"))


def _add_resolution(page, text, status):
    page.click("text=Ұстаным қосу")  # Add a resolution
    page.fill("#id_text_kk", text)
    page.fill("#id_text_ru", text)
    page.select_option("#id_status", status)
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/forums/\d+/$"))


def test_forum_journey_registration_waitlist_resolutions_and_ics(
    page, browser, live_server, make_user
):
    base = live_server.url
    district = DistrictFactory(code="aral", name_kk="Арал ауданы")
    staff = make_user("staff")
    leader = make_user("ngo_leader")
    organisation = OrganisationFactory(district=district)
    Affiliation.objects.create(
        user=leader, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    day = timezone.localdate() + datetime.timedelta(days=40)

    # given staff create a forum with capacity 2 and two agenda sessions
    login(page, base, staff)
    forum_pk = _create_forum(
        page,
        base,
        number=8,
        starts_on=day,
        theme="Азаматтық қоғам және ауыл",
        district=district,
        capacity=2,
    )
    _add_session(page, day, "09:00", "10:30", "Пленарлық отырыс")
    _add_session(page, day, "11:00", "13:00", "Секциялық жұмыс")
    agenda = page.locator("#agenda li")
    assert agenda.count() == 2
    assert "Пленарлық отырыс" in agenda.first.inner_text()

    # when an NGO leader registers three delegates
    leader_page = browser.new_page(locale="kk-KZ")
    login(leader_page, base, leader)
    leader_page.goto(f"{base}/kk/forums/{forum_pk}/")
    leader_page.click("text=Делегаттарды тіркеу")  # Register delegates
    for i, name in enumerate(
        ["Айгүл Сәрсенова", "Ержан Қалиев", "Гүлнар Әбдірахманова"]
    ):
        leader_page.fill("#id_full_name", name)
        leader_page.fill("#id_phone", f"+7 701 000 00 0{i}")
        leader_page.check("#id_consent")
        leader_page.click("button[name=another]")
        leader_page.wait_for_load_state()

    # then the third is on the waiting list, with a clear message
    assert "күту тізіміне енгізілді" in leader_page.locator(".alert").last.inner_text()
    leader_page.goto(f"{base}/kk/forums/registrations/")
    rows = leader_page.locator("tr[data-registration]")
    assert rows.count() == 3
    waitlisted = leader_page.locator(
        "tr:has-text('Гүлнар Әбдірахманова') [data-status]:visible"
    )
    assert waitlisted.get_attribute("data-status") == "waitlisted"
    leader_page.close()

    # when staff record two resolutions of the forum
    page.goto(f"{base}/kk/forums/{forum_pk}/")
    _add_resolution(page, "Аудандарда ресурстық орталықтар ашу", "done")
    _add_resolution(page, "Жастар кеңесін құру", "in_progress")

    # and create the next forum and a round table
    later = _create_forum(
        page,
        base,
        number=9,
        starts_on=day + datetime.timedelta(days=730),
        theme="Келесі форум",
        district=district,
    )
    page.goto(f"{base}/kk/forums/events/new/")
    page.select_option("#id_kind", "round_table")
    page.fill("#id_title_kk", "Дөңгелек үстел: ауыл жастары")
    page.fill("#id_title_ru", "Круглый стол: сельская молодёжь")
    page.fill("#id_starts_at", f"{day.isoformat()}T15:00")
    page.fill("#id_ends_at", f"{day.isoformat()}T17:00")
    page.select_option("#id_district", str(district.pk))
    page.click(SUBMIT)
    page.wait_for_url(re.compile(r"/kk/forums/events/\d+/$"))

    # then the later forum's page shows the resolutions with their status
    page.goto(f"{base}/kk/forums/{later}/")
    section = page.locator("#previous-resolutions")
    text = section.inner_text()
    assert "Аудандарда ресурстық орталықтар ашу" in text
    assert "Жастар кеңесін құру" in text
    assert section.locator("[data-status=done]").inner_text() == "Орындалды"
    assert section.locator("[data-status=in_progress]").inner_text() == "Орындалуда"

    # and the .ics feed parses and holds the forums and the round table
    response = page.request.get(f"{base}/kk/forums/calendar.ics?district=aral")
    assert response.ok
    cal = Calendar.from_ical(response.body())
    summaries = {str(e["SUMMARY"]) for e in cal.walk("VEVENT")}
    assert "Дөңгелек үстел: ауыл жастары" in summaries
    assert any(s.startswith("VIII") for s in summaries)
    assert any(s.startswith("IX") for s in summaries)
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == 3
