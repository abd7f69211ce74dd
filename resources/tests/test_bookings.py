"""Booking the alliance's halls and equipment: no double booking, staff approval,
the calendar, and the reminder the day before."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from alliance_portal.models import Notification
from alliance_portal.reminders import reminders_send_due
from resources import services
from resources.models import Booking

from .factories import BookingFactory, FacilityFactory, at

pytestmark = pytest.mark.django_db


def _book(user, facility, start, end, purpose="Тренинг"):
    return services.booking_request(
        facility=facility,
        user=user,
        organisation=user.organisation,
        starts_at=start,
        ends_at=end,
        purpose=purpose,
    )


def test_overlapping_booking_is_refused_adjacent_is_fine(leader):
    hall = FacilityFactory()
    _book(leader, hall, at(2, 10), at(2, 12))
    with pytest.raises(ValidationError) as exc:
        _book(leader, hall, at(2, 11), at(2, 13))
    assert "starts_at" in exc.value.error_dict
    _book(leader, hall, at(2, 12), at(2, 14))  # starts when the other ends
    _book(leader, FacilityFactory(), at(2, 11), at(2, 13))  # another hall
    assert Booking.objects.count() == 3


def test_a_declined_booking_frees_the_slot_and_needs_a_reason(leader, staff):
    hall = FacilityFactory()
    first = _book(leader, hall, at(2, 10), at(2, 12))
    with pytest.raises(ValidationError):
        services.booking_decide(booking=first, actor=staff, approve=False, reason="")
    services.booking_decide(
        booking=first, actor=staff, approve=False, reason="Зал жөндеуде"
    )
    assert Notification.objects.filter(
        recipient=leader, kind="booking_decided"
    ).exists()
    _book(leader, hall, at(2, 10), at(2, 12))


def test_only_members_book_for_their_own_organisation(leader, outsider):
    hall = FacilityFactory()
    with pytest.raises(PermissionDenied):
        _book(outsider, hall, at(2, 10), at(2, 12))
    with pytest.raises(PermissionDenied):
        services.booking_request(
            facility=hall,
            user=leader,
            organisation=outsider.organisation,
            starts_at=at(2, 10),
            ends_at=at(2, 12),
            purpose="x",
        )
    assert not Booking.objects.exists()


def test_no_booking_in_the_past_or_backwards(leader):
    hall = FacilityFactory()
    with pytest.raises(ValidationError):
        _book(leader, hall, at(-1, 10), at(-1, 12))
    with pytest.raises(ValidationError):
        _book(leader, hall, at(2, 12), at(2, 10))
    assert not Booking.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraint (PostgreSQL)"
)
def test_the_database_refuses_an_overlap_even_past_the_service(leader):
    hall = FacilityFactory()
    BookingFactory(
        facility=hall, booked_by=leader, starts_at=at(2, 10), ends_at=at(2, 12)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            facility=hall, booked_by=leader, starts_at=at(2, 11), ends_at=at(2, 13)
        )
    # a declined booking does not hold the slot
    BookingFactory(
        facility=hall,
        booked_by=leader,
        starts_at=at(2, 11),
        ends_at=at(2, 13),
        status=Booking.Status.DECLINED,
    )


def test_calendar_is_for_members(client, leader, outsider):
    hall = FacilityFactory()
    booking = _book(leader, hall, at(1, 10), at(1, 12))
    url = reverse("resources:booking_calendar")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(leader)
    week = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = client.get(url, {"week": week}).content.decode()
    assert f'data-booking="{booking.pk}"' in page


def test_staff_approve_from_the_list(client, leader, staff):
    booking = _book(leader, FacilityFactory(), at(2, 10), at(2, 12))
    client.force_login(leader)
    client.post(
        reverse("resources:booking_decide", args=[booking.pk]), {"approve": "1"}
    )
    booking.refresh_from_db()
    assert booking.status == "requested"
    client.force_login(staff)
    client.post(
        reverse("resources:booking_decide", args=[booking.pk]), {"approve": "1"}
    )
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == ("approved", staff)


def test_booking_form_shows_the_clash_on_the_form(client, leader):
    hall = FacilityFactory()
    _book(leader, hall, at(2, 10), at(2, 12))
    client.force_login(leader)
    day = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("resources:booking_create"),
        {
            "facility": hall.pk,
            "organisation": leader.organisation.pk,
            "day": day,
            "start": "11:00",
            "end": "12:30",
            "purpose": "Дөңгелек үстел",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start"]
    assert Booking.objects.count() == 1


def test_reminder_the_day_before_once(
    leader, staff, django_capture_on_commit_callbacks
):
    booking = _book(leader, FacilityFactory(name_kk="Үлкен зал"), at(2, 10), at(2, 12))
    services.booking_decide(booking=booking, actor=staff, approve=True)
    tz = timezone.get_current_timezone()
    for days in (0, 1, 1):
        day = timezone.localdate() + datetime.timedelta(days=days)
        when = datetime.datetime.combine(day, datetime.time(9), tzinfo=tz)
        with (
            time_machine.travel(when),
            django_capture_on_commit_callbacks(execute=True),
        ):
            reminders_send_due(today=day)
    reminders = Notification.objects.filter(recipient=leader, kind="booking_tomorrow")
    assert reminders.count() == 1
    assert "10:00" in reminders.get().title
    assert "Үлкен зал" in reminders.get().title


def test_officials_see_the_calendar_but_book_nothing(client, make_user, leader):
    official = make_user("official")
    calendar = reverse("resources:booking_calendar")
    client.force_login(official)
    response = client.get(calendar)
    assert response.status_code == 200
    assert reverse("resources:booking_create") not in response.content.decode()
    assert (
        f'href="{reverse("resources:booking_list")}"' not in response.content.decode()
    )
    assert client.get(reverse("resources:booking_create")).status_code == 403
    assert client.get(reverse("resources:booking_list")).status_code == 403
    client.force_login(leader)
    assert reverse("resources:booking_create") in client.get(calendar).content.decode()
    assert client.get(reverse("resources:booking_create")).status_code == 200
