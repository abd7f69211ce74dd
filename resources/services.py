"""Every write of the resource centre: news, the library, consultations and the FAQ."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads
from alliance_portal.notifications import notify
from alliance_portal.permissions import Role, is_staff_member
from members.models import User
from members.selectors import leaders_of, members_on, organisations_of

from .models import (
    AkimMeeting,
    AkimProposal,
    Booking,
    Consultation,
    Facility,
    FaqEntry,
    Material,
    MaterialVersion,
    NewsAttachment,
    NewsDigestSubscription,
    NewsItem,
    ProposalNote,
    StateReportFiling,
)

# Library files and news attachments are read by content: PDF, office documents,
# images. DOCX/XLSX are zip containers; some detectors only see the zip.
DOCUMENT_TYPES = {
    uploads.PDF,
    *uploads.OFFICE,
    "application/zip",
    "application/x-ole-storage",
    "application/msword",
    "application/vnd.ms-excel",
    "image/jpeg",
    "image/png",
}
DOCUMENT_MESSAGE = _("Upload a PDF, a Word or Excel document, or a JPEG or PNG image.")
IMAGE_MESSAGE = _("Upload a JPEG, PNG, WebP or GIF image.")


def _save(instance, **kwargs):
    instance.full_clean(**kwargs)
    instance.save()
    return instance


def _check(upload, field: str, *, allowed, message) -> None:
    try:
        uploads.check_upload(upload, allowed=allowed, message=message)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _staff_users():
    return User.objects.filter(
        role__in=[Role.STAFF, Role.ADMIN], is_active=True
    ).order_by("pk")


# --- news -------------------------------------------------------------------------


@transaction.atomic
def news_save(
    *, news: NewsItem, actor, image=None, attachments=(), publish: bool = False
) -> NewsItem:
    """Create or edit a news item with its image and new attachments; every upload is
    checked by content first, so a refused file leaves nothing saved."""
    if image is not None:
        _check(image, "image", allowed=uploads.IMAGES, message=IMAGE_MESSAGE)
    for upload in attachments:
        _check(upload, "attachments", allowed=DOCUMENT_TYPES, message=DOCUMENT_MESSAGE)
    if news.pk:
        NewsItem.objects.select_for_update().filter(pk=news.pk).first()
    else:
        news.author = actor
    if image is not None:
        news.image = image
    if publish and news.published_at is None:
        news.published_at = timezone.now()
    _save(news)
    for upload in attachments:
        NewsAttachment.objects.create(
            news=news,
            # The checked upload has a generated name; the title keeps the uploader's.
            title=getattr(upload, "original_name", upload.name).rsplit("/", 1)[-1][
                :200
            ],
            file=upload,
        )
    return news


@transaction.atomic
def news_publish(*, news: NewsItem, actor, publish: bool = True) -> NewsItem:
    """Publish a draft now, or take a published item back to draft."""
    locked = NewsItem.objects.select_for_update().get(pk=news.pk)
    if publish and locked.published_at is None:
        locked.published_at = timezone.now()
    elif not publish:
        locked.published_at = None
    locked.save(update_fields=["published_at", "updated_at"])
    return locked


@transaction.atomic
def news_announce(
    *,
    source_key: str,
    title_kk: str,
    title_ru: str,
    body_kk: str,
    body_ru: str,
    link: str = "",
    members_only: bool = False,
) -> NewsItem:
    """Publish an announcement on behalf of another app (a call opened, a forum
    planned). Announcing the same ``source_key`` again returns the first item
    unchanged, so a call reopened or a forum edited is not announced twice."""
    news, _created = NewsItem.objects.get_or_create(
        source_key=source_key,
        defaults={
            "title_kk": title_kk[:300],
            "title_ru": title_ru[:300],
            "body_kk": body_kk,
            "body_ru": body_ru,
            "link": link,
            "audience": "members" if members_only else "public",
            "published_at": timezone.now(),
        },
    )
    return news


@transaction.atomic
def news_digest_subscribe(*, user, subscribe: bool) -> bool:
    """Opt a user in or out of the weekly news digest; returns the new state."""
    if subscribe:
        NewsDigestSubscription.objects.get_or_create(user=user)
    else:
        NewsDigestSubscription.objects.filter(user=user).delete()
    return subscribe


# --- library ----------------------------------------------------------------------


@transaction.atomic
def material_save(*, material: Material) -> Material:
    return _save(material)


@transaction.atomic
def material_save_with_file(
    *, material: Material, upload, actor, note: str = ""
) -> Material:
    """Save a material and, when a file is given, add it as the next version: a
    refused file leaves the material unsaved too."""
    if upload is not None:
        _check(upload, "file", allowed=DOCUMENT_TYPES, message=DOCUMENT_MESSAGE)
    _save(material)
    if upload is not None:
        material_add_version(material=material, upload=upload, actor=actor, note=note)
    return material


@transaction.atomic
def material_add_version(
    *, material: Material, upload, actor, note: str = ""
) -> MaterialVersion:
    """Add the next version of a material's file; the material row is locked so two
    uploads at once get numbers n+1 and n+2, never the same one."""
    _check(upload, "file", allowed=DOCUMENT_TYPES, message=DOCUMENT_MESSAGE)
    locked = Material.objects.select_for_update().get(pk=material.pk)
    last = locked.versions.aggregate(n=Max("number"))["n"] or 0
    return MaterialVersion.objects.create(
        material=locked,
        number=last + 1,
        file=upload,
        note=note.strip(),
        uploaded_by=actor,
    )


def material_count_download(*, material: Material) -> None:
    """One more download, counted in the database so parallel downloads all count."""
    Material.objects.filter(pk=material.pk).update(downloads=F("downloads") + 1)


# --- consultations ----------------------------------------------------------------


def _lock(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


@transaction.atomic
def consultation_ask(*, user, organisation, topic: str, question: str) -> Consultation:
    """A leader asks on behalf of an organisation they belong to; staff are told."""
    if not organisations_of(user=user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    consultation = _save(
        Consultation(
            organisation=organisation,
            asked_by=user,
            topic=topic,
            question=question.strip(),
        )
    )
    for staff in _staff_users():
        notify(
            user=staff,
            kind="consultation_asked",
            title=_("A new question to the resource centre"),
            body=consultation.get_topic_display(),
            url=consultation.get_absolute_url(),
        )
    return consultation


@transaction.atomic
def consultation_assign(*, consultation: Consultation, consultant, actor):
    """Staff give an open question to a consultant (a staff member)."""
    if not is_staff_member(consultant):
        raise ValidationError({"consultant": _("A consultant must be alliance staff.")})
    locked = _lock(consultation)
    if locked.status not in (Consultation.Status.OPEN, Consultation.Status.ASSIGNED):
        raise ValidationError(_("This question has already been answered."))
    locked.consultant = consultant
    locked.status = Consultation.Status.ASSIGNED
    locked.save(update_fields=["consultant", "status", "updated_at"])
    if consultant.pk != actor.pk:
        notify(
            user=consultant,
            kind="consultation_assigned",
            title=_("You are the consultant on a question"),
            body=locked.get_topic_display(),
            url=locked.get_absolute_url(),
        )
    return locked


@transaction.atomic
def consultation_answer(*, consultation: Consultation, actor, answer: str):
    """Record the answer (the first one fixes the time to answer) and tell the leader."""
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    locked = _lock(consultation)
    if locked.status == Consultation.Status.CLOSED:
        raise ValidationError(_("This question is closed."))
    locked.answer = answer
    locked.answered_at = locked.answered_at or timezone.now()
    locked.status = Consultation.Status.ANSWERED
    if locked.consultant_id is None:
        locked.consultant = actor
    _save(locked)
    notify(
        user=locked.asked_by,
        kind="consultation_answered",
        title=_("Your question to the resource centre is answered"),
        body=locked.get_topic_display(),
        url=locked.get_absolute_url(),
    )
    return locked


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor):
    locked = _lock(consultation)
    if locked.status != Consultation.Status.ANSWERED:
        raise ValidationError(_("Only an answered question can be closed."))
    locked.status = Consultation.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked


@transaction.atomic
def consultation_rate(*, consultation: Consultation, user, rating: int):
    """The leader who asked rates the answer from 1 to 5 (and may change the mark)."""
    locked = _lock(consultation)
    if locked.asked_by_id != user.pk:
        raise PermissionDenied
    if locked.status not in (Consultation.Status.ANSWERED, Consultation.Status.CLOSED):
        raise ValidationError(_("You can rate an answer once it is given."))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("Choose a mark from 1 to 5.")})
    locked.rating = rating
    locked.save(update_fields=["rating", "updated_at"])
    return locked


@transaction.atomic
def faq_from_consultation(
    *,
    consultation: Consultation,
    actor,
    question_kk: str,
    question_ru: str,
    answer_kk: str,
    answer_ru: str,
) -> FaqEntry:
    """Draft a FAQ entry from an answered question. Staff retype the question without
    names: the entry keeps no link to the organisation, only to the consultation, and
    stays unpublished until approved."""
    locked = _lock(consultation)
    if locked.status not in (Consultation.Status.ANSWERED, Consultation.Status.CLOSED):
        raise ValidationError(_("Only an answered question can become a FAQ entry."))
    if FaqEntry.objects.filter(source=locked).exists():
        raise ValidationError(_("This question is already in the FAQ."))
    texts = " ".join([question_kk, question_ru, answer_kk, answer_ru]).casefold()
    names = [
        locked.organisation.name_kk,
        locked.organisation.name_ru,
        locked.asked_by.full_name,
        locked.asked_by.email,
    ]
    if any(name and name.casefold() in texts for name in names):
        raise ValidationError(
            _("Remove the names of the organisation and the person who asked.")
        )
    return _save(
        FaqEntry(
            topic=locked.topic,
            question_kk=question_kk,
            question_ru=question_ru,
            answer_kk=answer_kk,
            answer_ru=answer_ru,
            source=locked,
        )
    )


@transaction.atomic
def faq_approve(*, entry: FaqEntry, actor) -> FaqEntry:
    locked = FaqEntry.objects.select_for_update().get(pk=entry.pk)
    locked.approved_at = locked.approved_at or timezone.now()
    locked.approved_by = locked.approved_by or actor
    return _save(locked)


# --- equipment and rooms -------------------------------------------------------------


def _member_organisation_of(user, organisation) -> bool:
    """Members book: the organisation is the user's own and an alliance member."""
    return (
        organisation is not None
        and members_on()
        .filter(pk=organisation.pk, pk__in=organisations_of(user=user))
        .exists()
    )


def _overlap_error() -> ValidationError:
    return ValidationError(
        {"starts_at": _("This time is already booked. Choose another time.")}
    )


@transaction.atomic
def booking_request(
    *,
    facility: Facility,
    user,
    starts_at,
    ends_at,
    purpose: str,
    organisation=None,
) -> Booking:
    """Book a facility for a time; staff approve it later. The facility row is locked
    so two requests at once are judged one after the other; the second overlapping one
    is refused. On PostgreSQL an exclusion constraint refuses it as well."""
    if not is_staff_member(user) and not _member_organisation_of(user, organisation):
        raise PermissionDenied
    locked = Facility.objects.select_for_update().get(pk=facility.pk)
    if not locked.is_active:
        raise ValidationError(_("This hall or equipment cannot be booked now."))
    booking = Booking(
        facility=locked,
        organisation=organisation,
        booked_by=user,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose.strip(),
    )
    booking.full_clean()
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("A booking cannot start in the past.")})
    clash = Booking.objects.filter(
        facility=locked,
        status__in=Booking.HOLDING,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if clash.exists():
        raise _overlap_error()
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as exc:  # the PostgreSQL exclusion constraint
        raise _overlap_error() from exc
    for staff in _staff_users():
        notify(
            user=staff,
            kind="booking_requested",
            title=_("A booking waits for approval"),
            body=str(booking),
            url=reverse("resources:booking_list") + "?status=requested",
        )
    return booking


@transaction.atomic
def booking_decide(*, booking: Booking, actor, approve: bool, reason: str = ""):
    """Staff approve or decline a request (a decline needs a reason); the booker is
    told either way."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status != Booking.Status.REQUESTED:
        raise ValidationError(_("This booking has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Say why the booking is declined.")})
    locked.status = Booking.Status.APPROVED if approve else Booking.Status.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.reason = reason.strip()
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"]
    )
    notify(
        user=locked.booked_by,
        kind="booking_decided",
        title=_("Your booking is approved")
        if approve
        else _("Your booking is declined"),
        body=f"{locked}\n{locked.reason}".strip(),
        url=reverse("resources:booking_list"),
    )
    return locked


@transaction.atomic
def booking_cancel(*, booking: Booking, user) -> Booking:
    """The booker (or staff) cancels a booking that has not started; the slot frees."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.booked_by_id != user.pk and not is_staff_member(user):
        raise PermissionDenied
    if locked.status not in Booking.HOLDING or locked.starts_at <= timezone.now():
        raise ValidationError(_("This booking can no longer be cancelled."))
    locked.status = Booking.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


# --- proposals to the akim -----------------------------------------------------------


@transaction.atomic
def meeting_save(*, meeting: AkimMeeting) -> AkimMeeting:
    return _save(meeting)


@transaction.atomic
def proposal_submit(
    *,
    meeting: AkimMeeting,
    user,
    organisation,
    topic: str,
    problem: str,
    proposal: str,
    district,
) -> AkimProposal:
    """A leader submits their organisation's proposal while the meeting accepts them."""
    if not organisations_of(user=user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if timezone.localdate() > meeting.accepts_until:
        raise ValidationError(
            _("Proposals for this meeting were accepted until %(date)s."),
            params={"date": meeting.accepts_until.strftime("%d.%m.%Y")},
        )
    return _save(
        AkimProposal(
            meeting=meeting,
            organisation=organisation,
            submitted_by=user,
            topic=topic.strip(),
            problem=problem.strip(),
            proposal=proposal.strip(),
            district=district,
        )
    )


@transaction.atomic
def proposal_group(*, proposal: AkimProposal, group: str) -> AkimProposal:
    locked = AkimProposal.objects.select_for_update().get(pk=proposal.pk)
    locked.group = group.strip()
    locked.save(update_fields=["group", "updated_at"])
    return locked


@transaction.atomic
def proposals_forward(*, meeting: AkimMeeting, actor) -> int:
    """Forward every submitted proposal of the meeting to the akimat, each with its
    history note; returns how many were forwarded."""
    now = timezone.now()
    proposals = list(
        AkimProposal.objects.select_for_update().filter(
            meeting=meeting, status=AkimProposal.Status.SUBMITTED
        )
    )
    for p in proposals:
        ProposalNote.objects.create(
            proposal=p,
            status_from=p.status,
            status_to=AkimProposal.Status.FORWARDED,
            author=actor,
        )
    AkimProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        status=AkimProposal.Status.FORWARDED, forwarded_at=now, updated_at=now
    )
    return len(proposals)


@transaction.atomic
def proposal_follow_up(
    *,
    proposal: AkimProposal,
    actor,
    status: str,
    text: str = "",
    responsible: str = "",
    reason: str = "",
) -> ProposalNote:
    """Record how a forwarded proposal is followed up: accepted, in work and done name
    who is responsible; declined says why. The leaders who proposed it are told."""
    locked = AkimProposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in AkimProposal.FOLLOW_UP:
        raise ValidationError({"status": _("Unknown status.")})
    if locked.status == AkimProposal.Status.SUBMITTED:
        raise ValidationError(_("Forward the proposal to the akimat first."))
    responsible = responsible.strip() or locked.responsible
    if status == AkimProposal.Status.DECLINED and not reason.strip():
        raise ValidationError({"reason": _("Say why the proposal is declined.")})
    if status != AkimProposal.Status.DECLINED and not responsible:
        raise ValidationError(
            {"responsible": _("Name who is responsible for carrying it out.")}
        )
    note = ProposalNote.objects.create(
        proposal=locked,
        status_from=locked.status,
        status_to=status,
        text=text.strip(),
        author=actor,
    )
    locked.status = status
    locked.responsible = responsible
    locked.reason = reason.strip() if status == AkimProposal.Status.DECLINED else ""
    _save(locked)
    for leader in leaders_of(organisation=locked.organisation):
        notify(
            user=leader,
            kind="akim_proposal_follow_up",
            title=_("Your proposal to the akim has moved on"),
            # Lazy: rendered in each leader's language by notify().
            body=format_lazy("{}: {}", AkimProposal.Status(status).label, locked.topic),
            url=reverse("resources:proposal_report", args=[locked.meeting.year]),
        )
    return note


# --- the yearly report to the state NGO database -------------------------------------


@transaction.atomic
def state_report_record_filing(
    *, organisation, user, year: int, filed_on, reference: str
) -> StateReportFiling:
    """The NGO records that it filed the report for ``year`` (date and registration
    number); recording again corrects the earlier note."""
    if not is_staff_member(user) and not (
        organisations_of(user=user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied
    if filed_on > timezone.localdate():
        raise ValidationError({"filed_on": _("The date cannot be in the future.")})
    filing = (
        StateReportFiling.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .first()
    ) or StateReportFiling(organisation=organisation, year=year)
    filing.filed_on = filed_on
    filing.reference = reference.strip()
    filing.recorded_by = user
    return _save(filing)
