"""Read queries of the resource centre, scoped to the asker: an item outside the
user's scope is not found (404), never forbidden."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from alliance_portal.permissions import is_staff_member
from members.selectors import organisations_of

from .models import (
    AkimMeeting,
    AkimProposal,
    Audience,
    Booking,
    Consultation,
    Facility,
    FaqEntry,
    Material,
    MaterialVersion,
    NewsDigestSubscription,
    NewsItem,
    StateReportFiling,
)
from .rules import sees_members_only

# --- news -------------------------------------------------------------------------


def _audience_for(user) -> Q:
    return Q() if sees_members_only(user) else Q(audience=Audience.PUBLIC)


def news_visible_to(*, user) -> QuerySet[NewsItem]:
    """Published news the user may read; staff also see drafts."""
    qs = NewsItem.objects.filter(_audience_for(user))
    if not is_staff_member(user):
        qs = qs.published()
    return qs.annotate(attachment_count=Count("attachments")).order_by(
        "-pinned", "-published_at", "-pk"
    )


def news_pinned_for(*, user, limit: int = 3) -> list[NewsItem]:
    """Pinned published news for the home page, newest first."""
    return list(
        NewsItem.objects.published()
        .filter(_audience_for(user), pinned=True)
        .order_by("-published_at")[:limit]
    )


def news_latest_public(*, limit: int = 5) -> list[NewsItem]:
    return list(NewsItem.objects.published().public().order_by("-published_at")[:limit])


def news_detail(*, user, pk: int) -> NewsItem:
    item = (
        news_visible_to(user=user).prefetch_related("attachments").filter(pk=pk).first()
    )
    if item is None:
        raise Http404
    return item


def news_for_feed(*, limit: int = 30) -> QuerySet[NewsItem]:
    """The Atom feed is public: members-only news never enters it."""
    return NewsItem.objects.published().public().order_by("-published_at")[:limit]


def news_published_between(
    *, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[NewsItem]:
    return NewsItem.objects.filter(
        published_at__gte=start, published_at__lt=end
    ).order_by("published_at")


def digest_subscribers() -> QuerySet:
    return NewsDigestSubscription.objects.select_related("user").filter(
        user__is_active=True
    )


def is_digest_subscriber(*, user) -> bool:
    return NewsDigestSubscription.objects.filter(user=user).exists()


# --- library ----------------------------------------------------------------------


def _search(qs: QuerySet[Material], text: str) -> QuerySet[Material]:
    """Full-text search with a trigram fallback for typos and word endings on
    PostgreSQL (both indexed by migration 0002); a plain substring match elsewhere."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchRank,
            SearchVector,
            TrigramWordSimilarity,
        )

        vector = SearchVector(
            "title_kk", "title_ru", "description_kk", "description_ru", config="simple"
        )
        query = SearchQuery(text, config="simple", search_type="websearch")
        return (
            qs.annotate(
                rank=SearchRank(vector, query),
                similarity=TrigramWordSimilarity(text, "title_kk")
                + TrigramWordSimilarity(text, "title_ru"),
            )
            .filter(Q(rank__gt=0) | Q(similarity__gt=0.3))
            .order_by("-rank", "-similarity", "title_kk")
        )
    return qs.filter(
        Q(title_kk__icontains=text)
        | Q(title_ru__icontains=text)
        | Q(description_kk__icontains=text)
        | Q(description_ru__icontains=text)
    )


def materials_visible_to(
    *, user, text: str = "", topic: str = "", language: str = ""
) -> QuerySet[Material]:
    qs = (
        Material.objects.filter(_audience_for(user))
        .annotate(version_count=Count("versions"))
        .order_by("topic", "title_kk", "pk")
    )
    if topic:
        qs = qs.filter(topic=topic)
    if language:
        qs = qs.filter(language=language)
    text = text.strip()
    if text:
        qs = _search(qs, text)
    return qs


def material_detail(*, user, pk: int) -> Material:
    material = (
        Material.objects.filter(_audience_for(user))
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=MaterialVersion.objects.select_related("uploaded_by"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if material is None:
        raise Http404
    return material


def material_version_for_download(*, user, pk: int, number: int | None):
    """The asked version (the latest when ``number`` is None) of a visible material."""
    material = Material.objects.filter(_audience_for(user)).filter(pk=pk).first()
    if material is None:
        raise Http404
    versions = material.versions.all()
    version = versions.filter(number=number).first() if number else versions.first()
    if version is None:
        raise Http404
    return material, version


# --- consultations ----------------------------------------------------------------


def consultations_visible_to(*, user) -> QuerySet[Consultation]:
    """Staff see every question; a leader only those of their own organisations."""
    qs = Consultation.objects.select_related("organisation", "consultant", "asked_by")
    if is_staff_member(user):
        return qs
    return qs.filter(organisation__in=organisations_of(user=user))


def consultation_detail(*, user, pk: int) -> Consultation:
    consultation = consultations_visible_to(user=user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


@dataclass(frozen=True)
class ConsultationStats:
    open: int
    answered: int
    median_hours_to_answer: float | None
    average_rating: float | None


def consultation_stats() -> ConsultationStats:
    """Counts by the database; the median over the answer times, which come as one
    column (no portable median aggregate exists across PostgreSQL and SQLite)."""
    from django.db.models import Avg

    counts = Consultation.objects.aggregate(
        open=Count(
            "pk",
            filter=Q(
                status__in=[Consultation.Status.OPEN, Consultation.Status.ASSIGNED]
            ),
        ),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        rating=Avg("rating"),
    )
    durations = [
        (answered - asked).total_seconds() / 3600
        for asked, answered in Consultation.objects.filter(
            answered_at__isnull=False
        ).values_list("created_at", "answered_at")
    ]
    return ConsultationStats(
        open=counts["open"],
        answered=counts["answered"],
        median_hours_to_answer=round(statistics.median(durations), 1)
        if durations
        else None,
        average_rating=round(counts["rating"], 1) if counts["rating"] else None,
    )


def faq_public(*, topic: str = "") -> QuerySet[FaqEntry]:
    qs = FaqEntry.objects.filter(approved_at__isnull=False)
    return qs.filter(topic=topic) if topic else qs


def faq_drafts() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(approved_at__isnull=True)


# --- equipment and rooms -------------------------------------------------------------


def facilities_bookable() -> QuerySet[Facility]:
    return Facility.objects.filter(is_active=True)


def bookings_visible_to(*, user) -> QuerySet[Booking]:
    """Staff see every booking; a leader those of their own organisations."""
    qs = Booking.objects.select_related("facility", "organisation", "booked_by")
    if is_staff_member(user):
        return qs
    return qs.filter(organisation__in=organisations_of(user=user))


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    bookings: list


def booking_calendar(*, start: datetime.date, days: int = 7) -> list[CalendarDay]:
    """Holding bookings of every facility, day by day, from ``start``: one query."""
    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    last = first + datetime.timedelta(days=days)
    rows = list(
        Booking.objects.filter(
            status__in=Booking.HOLDING, starts_at__lt=last, ends_at__gt=first
        )
        .select_related("facility", "organisation")
        .order_by("starts_at", "facility__name_kk")
    )
    calendar = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        calendar.append(
            CalendarDay(
                day=day,
                bookings=[
                    b
                    for b in rows
                    if timezone.localtime(b.starts_at).date()
                    <= day
                    <= timezone.localtime(
                        b.ends_at - datetime.timedelta(seconds=1)
                    ).date()
                ],
            )
        )
    return calendar


def bookings_starting_on(*, day: datetime.date) -> QuerySet[Booking]:
    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Booking.objects.filter(
        status=Booking.Status.APPROVED,
        starts_at__gte=first,
        starts_at__lt=first + datetime.timedelta(days=1),
    ).select_related("facility", "booked_by")


# --- proposals to the akim -----------------------------------------------------------


def akim_meetings() -> QuerySet[AkimMeeting]:
    return AkimMeeting.objects.annotate(proposal_count=Count("proposals"))


def akim_meeting(*, year: int) -> AkimMeeting:
    meeting = AkimMeeting.objects.filter(year=year).first()
    if meeting is None:
        raise Http404
    return meeting


def proposals_visible_to(*, user, meeting: AkimMeeting) -> QuerySet[AkimProposal]:
    """Staff see every proposal of the meeting; a leader their organisations' own."""
    qs = AkimProposal.objects.filter(meeting=meeting).select_related(
        "organisation", "district"
    )
    if is_staff_member(user):
        return qs
    return qs.filter(organisation__in=organisations_of(user=user))


@dataclass(frozen=True)
class ProposalReport:
    meeting: AkimMeeting
    groups: list  # [(group heading, [proposals])]
    counts: dict  # status value -> number


def proposal_report(*, meeting: AkimMeeting) -> ProposalReport:
    """The follow-up report shown at the next meeting: every forwarded proposal by
    group, with its status, who is responsible and the notes; counts by the database."""
    from itertools import groupby

    proposals = (
        AkimProposal.objects.filter(meeting=meeting)
        .exclude(status=AkimProposal.Status.SUBMITTED)
        .select_related("organisation", "district")
        .prefetch_related("notes")
        .order_by("group", "pk")
    )
    counts = dict(
        AkimProposal.objects.filter(meeting=meeting)
        .exclude(status=AkimProposal.Status.SUBMITTED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    groups = [(g, list(items)) for g, items in groupby(proposals, lambda p: p.group)]
    return ProposalReport(meeting=meeting, groups=groups, counts=counts)


# --- the yearly report to the state NGO database -------------------------------------


def state_report_filing(*, organisation, year: int):
    return StateReportFiling.objects.filter(
        organisation=organisation, year=year
    ).first()


def state_report_status(*, year: int):
    """Member NGOs today with their filing for ``year`` (or none), filed ones last."""
    from django.db.models import F, OuterRef, Subquery

    from members.selectors import members_on

    filings = StateReportFiling.objects.filter(organisation=OuterRef("pk"), year=year)
    return (
        members_on()
        .filter(kind="ngo")
        .annotate(
            filed_on=Subquery(filings.values("filed_on")[:1]),
            reference=Subquery(filings.values("reference")[:1]),
        )
        .order_by(F("filed_on").asc(nulls_first=True), "name_kk")
    )


def state_report_organisation(*, user, slug: str):
    """An organisation whose report the user may prepare: their own; staff any NGO."""
    from members.models import Organisation

    qs = Organisation.objects.filter(kind="ngo")
    if not is_staff_member(user):
        qs = qs.filter(pk__in=organisations_of(user=user))
    organisation = qs.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation
