"""Every read of the forums app for a page, a feed or an export, scoped to the user."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from alliance_portal.permissions import is_official, is_staff_member
from members.selectors import organisations_of

from .models import (
    AgendaSession,
    Event,
    Forum,
    Registration,
    Resolution,
    ResolutionNote,
)

FORUM_KIND = "forum"


def forums_visible_to(*, user) -> QuerySet[Forum]:
    """Forums are public."""
    return Forum.objects.select_related("district")


def forum_detail(*, pk: int) -> Forum:
    return (
        Forum.objects.select_related("district")
        .prefetch_related(
            "organisers",
            Prefetch("sessions", queryset=AgendaSession.objects.order_by("starts_at")),
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related("responsible"),
            ),
        )
        .get(pk=pk)
    )


def previous_forum(*, forum: Forum) -> Forum | None:
    """The forum of the same level held before this one (it reviews its resolutions)."""
    return (
        Forum.objects.filter(level=forum.level, starts_on__lt=forum.starts_on)
        .order_by("-starts_on")
        .prefetch_related(
            Prefetch(
                "resolutions",
                queryset=Resolution.objects.select_related("responsible"),
            )
        )
        .first()
    )


def resolutions_visible_to(*, user) -> QuerySet[Resolution]:
    return Resolution.objects.select_related("forum", "responsible")


def resolution_detail(*, pk: int) -> Resolution:
    return (
        Resolution.objects.select_related("forum", "responsible")
        .prefetch_related(
            Prefetch("notes", queryset=ResolutionNote.objects.select_related("author"))
        )
        .get(pk=pk)
    )


def events_visible_to(*, user) -> QuerySet[Event]:
    """Events are public."""
    return Event.objects.select_related("district", "organiser")


# --- the calendar -----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    """One forum or event on the calendar / in the .ics feed."""

    uid: str
    kind: str
    kind_label: str
    title: str
    starts: datetime.datetime | datetime.date
    ends: datetime.datetime | datetime.date
    all_day: bool
    district: str
    venue: str
    url_name: str
    pk: int
    description: str

    @property
    def sort_key(self) -> datetime.datetime:
        if self.all_day:
            return timezone.make_aware(
                datetime.datetime.combine(self.starts, datetime.time.min)
            )
        return self.starts

    @property
    def month(self) -> datetime.date:
        day = self.starts if self.all_day else timezone.localtime(self.starts).date()
        return day.replace(day=1)


def calendar_items(
    *,
    district: str = "",
    kind: str = "",
    since: datetime.datetime | None = None,
) -> list[CalendarItem]:
    """Forums and events ending at or after ``since`` (now by default), by start.

    Two queries whatever the number of items; the list is merged in Python because
    the two kinds live in two tables.
    """
    from django.utils.translation import gettext

    since = since or timezone.now()
    items: list[CalendarItem] = []
    if kind in ("", FORUM_KIND):
        forums = Forum.objects.select_related("district").filter(
            ends_on__gte=timezone.localtime(since).date()
        )
        if district:
            forums = forums.filter(district__code=district)
        items += [
            CalendarItem(
                uid=f"forum-{f.pk}",
                kind=FORUM_KIND,
                kind_label=gettext("Forum"),
                title=f.title,
                starts=f.starts_on,
                ends=f.ends_on,
                all_day=True,
                district=f.district.name if f.district else "",
                venue=f.venue,
                url_name="forums:forum_detail",
                pk=f.pk,
                description=f.theme,
            )
            for f in forums
        ]
    if kind != FORUM_KIND:
        events = Event.objects.select_related("district").filter(ends_at__gte=since)
        if kind:
            events = events.filter(kind=kind)
        if district:
            events = events.filter(district__code=district)
        items += [
            CalendarItem(
                uid=f"event-{e.pk}",
                kind=e.kind,
                kind_label=e.get_kind_display(),
                title=e.title,
                starts=e.starts_at,
                ends=e.ends_at,
                all_day=False,
                district=e.district.name if e.district else "",
                venue=e.venue,
                url_name="forums:event_detail",
                pk=e.pk,
                description=e.description,
            )
            for e in events
        ]
    return sorted(items, key=lambda i: (i.sort_key, i.uid))


# --- registrations ----------------------------------------------------------------


def registrations_visible_to(*, user) -> QuerySet[Registration]:
    """Staff and officials see all; an NGO leader sees their organisations' delegates."""
    qs = Registration.objects.select_related(
        "forum", "event", "organisation", "district"
    )
    if is_staff_member(user) or is_official(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organisation__in=organisations_of(user=user))


def registrations_cancellable_by(*, user) -> QuerySet[Registration]:
    if is_staff_member(user):
        return Registration.objects.all()
    if not user.is_authenticated or is_official(user):
        return Registration.objects.none()
    return Registration.objects.filter(organisation__in=organisations_of(user=user))


def participants_of(*, gathering: Forum | Event) -> QuerySet[Registration]:
    field = "forum" if isinstance(gathering, Forum) else "event"
    return (
        Registration.objects.filter(**{field: gathering})
        .select_related("organisation", "district")
        .order_by("status", "created_at", "pk")
    )


def badge_holders_of(*, gathering: Forum | Event) -> QuerySet[Registration]:
    """The confirmed delegates (and those already marked present) who get a badge,
    by name."""
    return (
        participants_of(gathering=gathering)
        .filter(status__in=Registration.CONFIRMED_STATUSES)
        .order_by("full_name", "pk")
    )


def pending_registrations() -> QuerySet[Registration]:
    return Registration.objects.filter(
        status=Registration.Status.PENDING
    ).select_related("forum", "event", "organisation")


# --- statistics -------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    label: str
    count: int


@dataclass(frozen=True)
class ParticipantStats:
    total: int
    by_status: list[Breakdown]
    by_district: list[Breakdown]
    by_sector: list[Breakdown]
    by_legal_form: list[Breakdown]


def participant_stats(*, registrations: QuerySet[Registration]) -> ParticipantStats:
    """Counts of delegates holding a place (not cancelled or wait-listed), by the
    database: a handful of grouped queries whatever the number of rows."""
    from members.models import District, Organisation

    active = registrations.filter(status__in=Registration.PLACE_STATUSES)
    status_labels = dict(Registration.Status.choices)
    by_status = [
        Breakdown(str(status_labels[r["status"]]), r["n"])
        for r in registrations.values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    ]
    district_rows = list(
        active.values("district").annotate(n=Count("pk")).order_by("-n", "district")
    )
    districts = District.objects.in_bulk(
        [r["district"] for r in district_rows if r["district"]]
    )
    by_district = [
        Breakdown(districts[r["district"]].name if r["district"] else "—", r["n"])
        for r in district_rows
    ]
    kinds = dict(Organisation.Kind.choices)
    by_sector = [
        Breakdown(str(kinds.get(r["organisation__kind"], "—")), r["n"])
        for r in active.values("organisation__kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__kind")
    ]
    forms = dict(Organisation.LegalForm.choices)
    by_legal_form = [
        Breakdown(str(forms.get(r["organisation__legal_form"], "—")), r["n"])
        for r in active.values("organisation__legal_form")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__legal_form")
    ]
    return ParticipantStats(
        total=active.count(),
        by_status=by_status,
        by_district=by_district,
        by_sector=by_sector,
        by_legal_form=by_legal_form,
    )


def _counts():
    place = Q(registrations__status__in=Registration.PLACE_STATUSES)
    return {
        "n_places": Count("registrations", filter=place),
        "n_waitlisted": Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.WAITLISTED),
        ),
        "n_attended": Count(
            "registrations",
            filter=Q(registrations__status=Registration.Status.ATTENDED),
        ),
    }


def forums_with_counts() -> QuerySet[Forum]:
    return (
        Forum.objects.select_related("district")
        .annotate(**_counts())
        .order_by("-starts_on")
    )


def events_with_counts() -> QuerySet[Event]:
    return Event.objects.select_related("district").annotate(**_counts())
