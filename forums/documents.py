"""Generated documents of the forums app: participant lists, the forum report,
certificates of attendance. Rendered by Celery through ``alliance_portal.documents``."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from alliance_portal.documents import issue_info, issued_access, register
from alliance_portal.pdf import render_pdf
from alliance_portal.permissions import is_official, is_staff_member
from members.models import Organisation

from . import selectors
from .models import Event, Forum, Registration


def _pdf(template: str, context: dict, language: str) -> bytes:
    return render_pdf(
        template, {"PORTAL_NAME": settings.PORTAL_NAME, **context}, language=language
    )


def _gathering(kind: str, pk: int) -> Forum | Event:
    return (
        (Forum if kind == "forum" else Event)
        .objects.select_related("district")
        .get(pk=pk)
    )


@register("forums_participants")
def build_participants(job) -> tuple[str, bytes]:
    p = job.params
    gathering = _gathering(p["kind"], p["pk"])
    with translation.override(p["language"]):
        registrations = list(
            selectors.participants_of(gathering=gathering).exclude(
                status=Registration.Status.CANCELLED
            )
        )
        pdf = _pdf(
            "forums/pdf/participants.html",
            {
                "gathering": gathering,
                "kind": p["kind"],
                "registrations": registrations,
                "now": timezone.now(),
            },
            p["language"],
        )
    return f"participants-{p['kind']}-{p['pk']}-{p['language']}.pdf", pdf


@register("forums_report")
def build_report(job) -> tuple[str, bytes]:
    p = job.params
    with translation.override(p["language"]):
        forum = selectors.forum_detail(pk=p["pk"])
        stats = selectors.participant_stats(
            registrations=selectors.participants_of(gathering=forum)
        )
        pdf = _pdf(
            "forums/pdf/report.html",
            {
                "forum": forum,
                "stats": stats,
                "previous": selectors.previous_forum(forum=forum),
                "now": timezone.now(),
            },
            p["language"],
        )
    return f"forum-{forum.roman}-report-{p['language']}.pdf", pdf


BADGES_PER_PAGE = 8  # 2 × 4 on an A4 sheet


@register("forums_badges")
def build_badges(job) -> tuple[str, bytes]:
    """Name badges of a forum's or an event's confirmed delegates, 8 to an A4 sheet."""
    p = job.params
    gathering = _gathering(p["kind"], p["pk"])
    with translation.override(p["language"]):
        badges = list(selectors.badge_holders_of(gathering=gathering))
        sheets = [
            badges[i : i + BADGES_PER_PAGE]
            for i in range(0, len(badges), BADGES_PER_PAGE)
        ]
        pdf = _pdf(
            "forums/pdf/badges.html",
            {
                "gathering": gathering,
                "kind": p["kind"],
                "sheets": sheets,
                "printed_on": timezone.localdate(),
            },
            p["language"],
        )
    return f"badges-{p['kind']}-{p['pk']}-{p['language']}.pdf", pdf


def certificate_signer(event: Event) -> Organisation | None:
    """Who signs the certificates: the organiser's head when the organiser has one
    on record, else the alliance's head (from the organisations' requisites)."""
    organiser = event.organiser
    if organiser is not None and organiser.leader_name.strip():
        return organiser
    return (
        Organisation.objects.filter(kind=Organisation.Kind.ALLIANCE)
        .exclude(leader_name="")
        .order_by("pk")
        .first()
    )


@register("forums_certificates")
def build_certificates(job) -> tuple[str, bytes]:
    """One page per delegate marked present at a seminar-training, each numbered,
    dated and with its signer's name and position."""
    p = job.params
    event = _gathering("event", p["pk"])
    info = issue_info(job)
    with translation.override(p["language"]):
        attended = list(
            selectors.participants_of(gathering=event).filter(
                status=Registration.Status.ATTENDED
            )
        )
        signer = certificate_signer(event)
        pdf = _pdf(
            "forums/pdf/certificates.html",
            {
                "event": event,
                "registrations": attended,
                "signer": signer,
                "signer_position": (
                    signer.head_position_kk
                    if p["language"] == "kk"
                    else signer.head_position_ru
                )
                if signer
                else "",
                "issued_on": info.get("issued_on") or timezone.localdate(),
                "version": info.get("version"),
            },
            p["language"],
        )
    version = f"-v{info['version']}" if info.get("version") else ""
    return f"certificates-event-{event.pk}{version}-{p['language']}.pdf", pdf


@issued_access("forums_certificates", reissuable=True)
def can_download_certificates(user, event: Event) -> bool:
    return is_staff_member(user) or is_official(user)
