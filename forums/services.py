"""Every write of the forums app: forums, agenda, resolutions, events, registrations."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal import uploads
from alliance_portal.figures import figures_changed_on_commit
from alliance_portal.notifications import notify
from alliance_portal.permissions import is_staff_member
from members.selectors import organisations_of
from resources.services import news_announce

from .models import (
    AgendaSession,
    Event,
    EventMaterial,
    Forum,
    Registration,
    RegistrationChange,
    Resolution,
    ResolutionNote,
    normalise_name,
)

# Materials are read by content: PDF, office documents (zip/OLE containers), images.
MATERIAL_MIME_TYPES = {
    "application/pdf",
    "application/zip",  # docx/xlsx/pptx are zip containers
    "application/x-ole-storage",  # doc/xls/ppt
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "image/jpeg",
    "image/png",
}


def _save(instance, **kwargs):
    instance.full_clean(**kwargs)
    instance.save()
    return instance


# --- forums, agenda, resolutions -------------------------------------------------


@transaction.atomic
def forum_save(*, forum: Forum, actor, organisers=None) -> Forum:
    """Create or update a forum (validated: it cannot end before it starts).

    If more places are opened, wait-listed delegates move up into them.
    """
    if forum.pk:
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
    _save(forum)
    if organisers is not None:
        forum.organisers.set(organisers)
    _fill_places(gathering=forum, actor=actor)
    if forum.starts_on >= timezone.localdate():
        _announce_forum(forum)
    return forum


def _announce_forum(forum: Forum) -> None:
    """A coming forum appears in the alliance's news once (editing it does not
    announce it again); past forums entered as history are not news."""
    with translation.override("kk"):
        title_kk = str(forum.title)
    with translation.override("ru"):
        title_ru = str(forum.title)
    day = forum.starts_on.strftime("%d.%m.%Y")
    news_announce(
        source_key=f"forum:{forum.pk}",
        title_kk=title_kk,
        title_ru=title_ru,
        body_kk=f"{day}. «{forum.theme_kk}». Қатысушыларды тіркеу ашық.",
        body_ru=f"{day}. «{forum.theme_ru}». Открыта регистрация участников.",
        link=reverse("forums:forum_detail", args=[forum.pk]),
    )


@transaction.atomic
def agenda_session_save(*, session: AgendaSession) -> AgendaSession:
    return _save(session)


@transaction.atomic
def resolution_save(*, resolution: Resolution) -> Resolution:
    return _save(resolution)


@transaction.atomic
def resolution_add_note(
    *, resolution: Resolution, actor, text: str, status: str | None = None
) -> ResolutionNote:
    """Record progress on a resolution and, if given, move it to ``status``.

    The note row is the status history: it keeps the status before and after.
    """
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    new_status = status or resolution.status
    if new_status not in Resolution.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    note = ResolutionNote(
        resolution=resolution,
        text=text,
        status_from=resolution.status,
        status_to=new_status,
        author=actor,
    )
    _save(note)
    if new_status != resolution.status:
        resolution.status = new_status
        resolution.save(update_fields=["status", "updated_at"])
        figures_changed_on_commit()
    return note


# --- events and materials -------------------------------------------------------


@transaction.atomic
def event_save(*, event: Event, actor) -> Event:
    """Create or update an event (validated: it must end after it starts).

    If more places are opened, wait-listed delegates move up into them.
    """
    if event.pk:
        Event.objects.select_for_update().filter(pk=event.pk).first()
    _save(event)
    _fill_places(gathering=event, actor=actor)
    return event


def validate_material_file(upload) -> None:
    """Size ≤ 10 MB and a type read from the content, never from the name."""
    try:
        uploads.check_upload(
            upload,
            allowed=MATERIAL_MIME_TYPES,
            message=_(
                "This file type is not accepted: upload a PDF, an office "
                "document or an image."
            ),
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code=exc.code) from exc


@transaction.atomic
def event_material_add(*, event: Event, title: str, upload, actor) -> EventMaterial:
    validate_material_file(upload)
    material = EventMaterial(event=event, title=title, file=upload, uploaded_by=actor)
    return _save(material)


# --- registrations --------------------------------------------------------------


@dataclass(frozen=True)
class DelegateData:
    full_name: str
    organisation: object
    position: str = ""
    district: object = None
    email: str = ""
    phone: str = ""


def _locked_gathering(gathering: Forum | Event) -> Forum | Event:
    # Locking the forum/event row serialises every registration change on it, so
    # two people never take the last place at the same moment.
    return type(gathering).objects.select_for_update().get(pk=gathering.pk)


def _scope(gathering: Forum | Event):
    if isinstance(gathering, Forum):
        return Registration.objects.filter(forum=gathering)
    return Registration.objects.filter(event=gathering)


def _log(registration: Registration, status_from: str, actor) -> None:
    RegistrationChange.objects.create(
        registration=registration,
        status_from=status_from,
        status_to=registration.status,
        actor=actor,
    )


def may_register_for(*, user, organisation) -> bool:
    if is_staff_member(user):
        return True
    return organisations_of(user=user).filter(pk=organisation.pk).exists()


DUPLICATE_MESSAGE = _("This person is already registered for it.")


@transaction.atomic
def registration_create(
    *, gathering: Forum | Event, delegate: DelegateData, actor
) -> Registration:
    """Register a delegate.

    Guarantees: refused after the deadline; refused for an organisation the actor
    does not lead (staff may register anyone); the same person (normalised name and
    organisation, or email) is never registered twice; beyond capacity the delegate
    goes to the waiting list. Either a registration row and its history row are
    written, or nothing is.
    """
    gathering = _locked_gathering(gathering)
    if not may_register_for(user=actor, organisation=delegate.organisation):
        raise ValidationError(
            {"organisation": _("You can register delegates of your own organisation.")}
        )
    if not gathering.is_registration_open:
        raise ValidationError(
            _("Registration closed on %(date)s.")
            % {
                "date": timezone.localtime(gathering.registration_closes_at).strftime(
                    "%d.%m.%Y %H:%M"
                )
            },
            code="deadline",
        )
    name_key = normalise_name(delegate.full_name)
    email = delegate.email.strip().lower()
    active = _scope(gathering).exclude(status=Registration.Status.CANCELLED)
    if active.filter(name_key=name_key, organisation=delegate.organisation).exists():
        raise ValidationError({"full_name": DUPLICATE_MESSAGE}, code="duplicate")
    if email and active.filter(email=email).exists():
        raise ValidationError({"email": DUPLICATE_MESSAGE}, code="duplicate")
    full = (
        gathering.capacity is not None
        and _scope(gathering).holding_place().count() >= gathering.capacity
    )
    registration = Registration(
        forum=gathering if isinstance(gathering, Forum) else None,
        event=gathering if isinstance(gathering, Event) else None,
        full_name=" ".join(delegate.full_name.split()),
        name_key=name_key,
        position=delegate.position,
        organisation=delegate.organisation,
        district=delegate.district or delegate.organisation.district,
        email=email,
        phone=delegate.phone,
        registered_by=actor,
        status=Registration.Status.WAITLISTED if full else Registration.Status.PENDING,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # a race the lock did not cover: same answer
        raise ValidationError(DUPLICATE_MESSAGE, code="duplicate") from exc
    _log(registration, "", actor)
    return registration


def _registration_url(registration: Registration) -> str:
    return reverse("forums:my_registrations")


@transaction.atomic
def registration_cancel(*, registration: Registration, actor) -> Registration | None:
    """Cancel a registration; if it held a place, the first wait-listed delegate
    moves up (to awaiting confirmation) and whoever registered them is told.

    Returns the promoted registration, if any.
    """
    gathering = _locked_gathering(registration.gathering)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status in (
        Registration.Status.CANCELLED,
        Registration.Status.ATTENDED,
    ):
        raise ValidationError(_("This registration can no longer be cancelled."))
    held_place = registration.status in Registration.PLACE_STATUSES
    before = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    _log(registration, before, actor)
    if not held_place:
        return None
    promoted = _fill_places(gathering=gathering, actor=actor)
    return promoted[0] if promoted else None


def _fill_places(*, gathering: Forum | Event, actor) -> list[Registration]:
    """Move wait-listed delegates up, first come first served, while there is room.

    The caller holds the lock on the forum/event row.
    """
    waiting = _scope(gathering).waitlisted().select_for_update()
    if gathering.capacity is not None:
        room = gathering.capacity - _scope(gathering).holding_place().count()
        waiting = waiting[: max(room, 0)]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = Registration.Status.PENDING
        registration.save(update_fields=["status", "updated_at"])
        _log(registration, Registration.Status.WAITLISTED, actor)
        notify(
            user=registration.registered_by,
            kind="forums.waitlist_promoted",
            title=format_lazy(
                _("A place has opened: {name} moved up from the waiting list"),
                name=registration.full_name,
            ),
            body=str(gathering),
            url=_registration_url(registration),
        )
    return promoted


@transaction.atomic
def registration_confirm(*, registration: Registration, actor) -> Registration:
    """Staff confirm a delegate who holds a place (awaiting confirmation)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.PENDING:
        raise ValidationError(
            _("Only a registration awaiting confirmation can be confirmed.")
        )
    registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    _log(registration, Registration.Status.PENDING, actor)
    notify(
        user=registration.registered_by,
        kind="forums.registration_confirmed",
        title=format_lazy(
            _("Registration confirmed: {name}"), name=registration.full_name
        ),
        body=str(registration.gathering),
        url=_registration_url(registration),
    )
    return registration


@transaction.atomic
def registration_mark_attendance(
    *, registration: Registration, actor, attended: bool
) -> Registration:
    """After the event has started, staff mark who came (or undo the mark)."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if timezone.now() < registration.gathering.starts_at_dt:
        raise ValidationError(_("Attendance can be marked once it has started."))
    before = registration.status
    if attended:
        if before not in (Registration.Status.PENDING, Registration.Status.CONFIRMED):
            raise ValidationError(
                _("Only a delegate with a place can be marked present.")
            )
        registration.status = Registration.Status.ATTENDED
    else:
        if before != Registration.Status.ATTENDED:
            raise ValidationError(_("This delegate is not marked present."))
        registration.status = Registration.Status.CONFIRMED
    registration.save(update_fields=["status", "updated_at"])
    _log(registration, before, actor)
    return registration
