"""Views of the forums app: thin — a form, then one service or selector."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from alliance_portal import exports
from alliance_portal.documents import (
    document_issue,
    document_request,
    issued_panel,
    latest_issued,
)
from alliance_portal.forms import apply_service_errors
from alliance_portal.permissions import (
    is_ngo_leader,
    is_official,
    is_staff_member,
    role_required,
)
from alliance_portal.private_files import file_response
from alliance_portal.security import record_download
from alliance_portal.typography import nested_quotes
from members.models import Consent, Organisation
from members.privacy import consent_record
from members.selectors import organisations_of

from . import ical, selectors, services
from .forms import (
    AgendaSessionForm,
    CalendarFilterForm,
    EventForm,
    ForumForm,
    MaterialForm,
    RegistrationForm,
    ResolutionEditForm,
    ResolutionForm,
    ResolutionNoteForm,
)
from .models import AgendaSession, Event, EventMaterial, Forum, Registration, Resolution
from .rules import can_manage_forums, can_read_participants, can_register_delegates

PER_PAGE = 20
staff_only = role_required(is_staff_member)
readers = role_required(is_staff_member, is_official)


def _page(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _gathering(kind: str, pk: int) -> Forum | Event:
    model = Forum if kind == "forum" else Event
    return get_object_or_404(model, pk=pk)


def _abilities(user, gathering) -> dict:
    return {
        "can_register": gathering.is_registration_open and can_register_delegates(user),
        "can_read": can_read_participants(user),
        "can_manage": can_manage_forums(user),
    }


# --- forums ---------------------------------------------------------------------


def forum_list(request):
    forums = selectors.forums_visible_to(user=request.user)
    return render(
        request, "forums/forum_list.html", {"page_obj": _page(request, forums)}
    )


def forum_detail(request, pk):
    try:
        forum = selectors.forum_detail(pk=pk)
    except Forum.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "forums/forum_detail.html",
        {
            "forum": forum,
            "previous": selectors.previous_forum(forum=forum),
            **_abilities(request.user, forum),
        },
    )


def _forum_form(request, forum: Forum | None):
    form = ForumForm(request.POST or None, instance=forum)
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_save(
                forum=form.save(commit=False),
                actor=request.user,
                organisers=form.cleaned_data["organisers"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The forum is saved."))
            return redirect("forums:forum_detail", forum.pk)
    return render(request, "forums/form.html", {"form": form, "title": _("Forum")})


@staff_only
def forum_create(request):
    return _forum_form(request, None)


@staff_only
def forum_update(request, pk):
    return _forum_form(request, get_object_or_404(Forum, pk=pk))


@staff_only
def session_create(request, pk):
    forum = get_object_or_404(Forum, pk=pk)
    form = AgendaSessionForm(request.POST or None, instance=AgendaSession(forum=forum))
    if request.method == "POST" and form.is_valid():
        services.agenda_session_save(session=form.save(commit=False))
        messages.success(request, _("The session is added to the agenda."))
        return redirect("forums:forum_detail", forum.pk)
    return render(
        request,
        "forums/form.html",
        {"form": form, "title": _("Agenda session"), "subject": forum},
    )


# --- resolutions ----------------------------------------------------------------


def resolution_list(request):
    resolutions = selectors.resolutions_visible_to(user=request.user)
    status = request.GET.get("status", "")
    if status in Resolution.Status.values:
        resolutions = resolutions.filter(status=status)
    return render(
        request,
        "forums/resolution_list.html",
        {
            "page_obj": _page(request, resolutions),
            "statuses": Resolution.Status.choices,
            "status": status,
        },
    )


def resolution_detail(request, pk):
    try:
        resolution = selectors.resolution_detail(pk=pk)
    except Resolution.DoesNotExist as exc:
        raise Http404 from exc
    note_form = None
    if is_staff_member(request.user):
        note_form = ResolutionNoteForm(initial={"status": resolution.status})
    return render(
        request,
        "forums/resolution_detail.html",
        {"resolution": resolution, "note_form": note_form},
    )


def _resolution_form(request, resolution: Resolution):
    form_class = ResolutionEditForm if resolution.pk else ResolutionForm
    form = form_class(request.POST or None, instance=resolution)
    if request.method == "POST" and form.is_valid():
        services.resolution_save(resolution=form.save(commit=False))
        messages.success(request, _("The resolution is saved."))
        return redirect("forums:forum_detail", resolution.forum_id)
    return render(
        request,
        "forums/form.html",
        {"form": form, "title": _("Resolution"), "subject": resolution.forum},
    )


@staff_only
def resolution_create(request, pk):
    forum = get_object_or_404(Forum, pk=pk)
    number = forum.resolutions.count() + 1
    resolution = Resolution(forum=forum, number=number)
    return _resolution_form(request, resolution)


@staff_only
def resolution_update(request, pk):
    return _resolution_form(request, get_object_or_404(Resolution, pk=pk))


@staff_only
@require_POST
def resolution_note(request, pk):
    resolution = get_object_or_404(Resolution, pk=pk)
    form = ResolutionNoteForm(request.POST)
    if form.is_valid():
        services.resolution_add_note(
            resolution=resolution,
            actor=request.user,
            text=form.cleaned_data["text"],
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("The progress note is recorded."))
    else:
        messages.error(request, _("Write the note and choose a status."))
    return redirect("forums:resolution_detail", pk)


# --- calendar -------------------------------------------------------------------


def _calendar_filters(request) -> tuple[CalendarFilterForm, dict]:
    form = CalendarFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v}
    return form, {}


def calendar(request):
    form, filters = _calendar_filters(request)
    page = _page(request, selectors.calendar_items(**filters))
    months = [(m, list(items)) for m, items in groupby(page, key=lambda i: i.month)]
    return render(
        request,
        "forums/calendar.html",
        {"form": form, "page_obj": page, "months": months, "filters": filters},
    )


def calendar_ics(request):
    _form, filters = _calendar_filters(request)
    # Subscribers keep the last three months too, not only what is still ahead.
    since = timezone.now() - timezone.timedelta(days=90)
    items = selectors.calendar_items(since=since, **filters)
    body = ical.build_calendar(items=items, request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alliance-calendar.ics"'
    return response


# --- events ---------------------------------------------------------------------


def event_detail(request, pk):
    event = get_object_or_404(
        selectors.events_visible_to(user=request.user).prefetch_related("materials"),
        pk=pk,
    )
    return render(
        request,
        "forums/event_detail.html",
        {"event": event, **_abilities(request.user, event)},
    )


def _event_form(request, event: Event | None):
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = services.event_save(event=form.save(commit=False), actor=request.user)
        messages.success(request, _("The event is saved."))
        return redirect("forums:event_detail", event.pk)
    return render(request, "forums/form.html", {"form": form, "title": _("Event")})


@staff_only
def event_create(request):
    return _event_form(request, None)


@staff_only
def event_update(request, pk):
    return _event_form(request, get_object_or_404(Event, pk=pk))


@staff_only
def material_add(request, pk):
    event = get_object_or_404(Event, pk=pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_material_add(
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The material is uploaded."))
            return redirect("forums:event_detail", event.pk)
    return render(
        request,
        "forums/form.html",
        {"form": form, "title": _("Material"), "subject": event, "multipart": True},
    )


def material_download(request, pk):
    """Materials are public like their event, but served only through this view."""
    material = get_object_or_404(EventMaterial, pk=pk)
    return file_response(material.file, as_attachment=True, private=False)


# --- registrations --------------------------------------------------------------


def _registration_organisations(user):
    if is_staff_member(user):
        return Organisation.objects.all()
    return organisations_of(user=user)


@role_required(is_ngo_leader, is_staff_member)
def register(request, kind, pk):
    gathering = _gathering(kind, pk)
    organisations = _registration_organisations(request.user)
    # A leader most often registers themself first: start from their own name and
    # phone (not the email: it must be unique per gathering, and the same form then
    # registers further delegates). Staff register other people: an empty form.
    initial = (
        {"full_name": request.user.full_name, "phone": request.user.phone}
        if is_ngo_leader(request.user)
        else {}
    )
    form = RegistrationForm(
        request.POST or None, organisations=organisations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                gathering=gathering,
                delegate=services.DelegateData(
                    full_name=data["full_name"],
                    organisation=data["organisation"],
                    position=data["position"],
                    district=data["district"],
                    email=data["email"],
                    phone=data["phone"],
                ),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            consent_record(
                context=Consent.Context.DELEGATE,
                subject_name=registration.full_name,
                entered_by=request.user,
                object_ref=f"forums.Registration:{registration.pk}",
            )
            if registration.status == Registration.Status.WAITLISTED:
                messages.warning(
                    request,
                    _(
                        "All %(n)s places are taken: %(name)s is on the waiting list "
                        "and moves up if someone cancels."
                    )
                    % {"n": gathering.capacity, "name": registration.full_name},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s is registered; staff will confirm the place.")
                    % {"name": registration.full_name},
                )
            if "another" in request.POST:
                return redirect(request.path)
            return redirect("forums:my_registrations")
    return render(
        request,
        "forums/register.html",
        {
            "form": form,
            "gathering": gathering,
            "kind": kind,
            "has_organisations": organisations.exists(),
        },
    )


@role_required(is_ngo_leader, is_staff_member, is_official)
def my_registrations(request):
    registrations = selectors.registrations_visible_to(user=request.user).order_by(
        "-created_at", "-pk"
    )
    status = request.GET.get("status", "")
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    cancellable = set()
    page = _page(request, registrations)
    if not is_official(request.user):
        cancellable = {r.pk for r in page}
    return render(
        request,
        "forums/my_registrations.html",
        {
            "page_obj": page,
            "statuses": Registration.Status.choices,
            "status": status,
            "cancellable": cancellable,
        },
    )


def _back(request, registration: Registration):
    fallback = reverse("forums:my_registrations")
    target = request.POST.get("next", "")
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else fallback
    )


@role_required(is_ngo_leader, is_staff_member)
@require_POST
def registration_cancel(request, pk):
    registration = get_object_or_404(
        selectors.registrations_cancellable_by(user=request.user), pk=pk
    )
    try:
        promoted = services.registration_cancel(
            registration=registration, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The registration is cancelled."))
        if promoted:
            messages.info(
                request,
                _("%(name)s moved up from the waiting list.")
                % {"name": promoted.full_name},
            )
    return _back(request, registration)


@staff_only
@require_POST
def registration_confirm(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    try:
        services.registration_confirm(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(name)s is confirmed for “%(event)s”; they are told by a message.")
            % {
                "name": registration.full_name,
                "event": nested_quotes(registration.gathering),
            },
        )
    return _back(request, registration)


@staff_only
@require_POST
def registration_attendance(request, pk):
    registration = get_object_or_404(Registration, pk=pk)
    try:
        services.registration_mark_attendance(
            registration=registration,
            actor=request.user,
            attended=request.POST.get("attended") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back(request, registration)


# --- participants, exports, documents -------------------------------------------


@readers
def participants(request, kind, pk):
    gathering = _gathering(kind, pk)
    registrations = selectors.participants_of(gathering=gathering)
    return render(
        request,
        "forums/participants.html",
        {
            "gathering": gathering,
            "kind": kind,
            "page_obj": _page(request, registrations, per_page=50),
            "stats": selectors.participant_stats(registrations=registrations),
            "started": timezone.now() >= gathering.starts_at_dt,
            **_abilities(request.user, gathering),
            **(
                issued_panel(
                    user=request.user,
                    subject=gathering,
                    kinds=("forums_certificates",),
                )
                if kind == "event"
                else {}
            ),
        },
    )


EXPORT_COLUMNS = (
    _lazy("Full name"),
    _lazy("Position"),
    _lazy("Organisation"),
    _lazy("District"),
    _lazy("Email"),
    _lazy("Phone"),
    _lazy("Status"),
    _lazy("Registered"),
)


def export_rows(registrations):
    for r in registrations.iterator(chunk_size=2000):
        yield [
            r.full_name,
            r.position,
            r.organisation.name,
            r.district.name if r.district else "",
            r.email,
            r.phone,
            r.get_status_display(),
            timezone.localtime(r.created_at).strftime("%d.%m.%Y %H:%M"),
        ]


@readers
def participants_export(request, kind, pk, fmt):
    gathering = _gathering(kind, pk)
    registrations = selectors.participants_of(gathering=gathering)
    response = exports.table_response(
        fmt,
        f"participants-{kind}-{pk}",
        [str(label) for label in EXPORT_COLUMNS],
        export_rows(registrations),
        title=_("Participants"),
        widths=(32, 24, 40, 22, 26, 16, 20, 17),
    )
    if response is None:
        raise Http404
    record_download(request, what=f"participants {kind} {pk}.{fmt}")
    return response


def _version(registrations) -> str:
    """Changes whenever the participants do, so a new PDF is made only then."""
    latest = (
        registrations.order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return f"{registrations.count()}-{latest.timestamp() if latest else 0}"


def _language(request) -> str:
    lang = request.GET.get("lang") or translation.get_language()
    return lang if lang in ("kk", "ru") else "kk"


def _requester(user) -> str:
    """Part of a document key: staff share one job (they may open any job); every
    other reader gets their own, since a job is shown only to whoever asked for it."""
    return "staff" if is_staff_member(user) else f"u{user.pk}"


@readers
def participants_pdf(request, kind, pk):
    gathering = _gathering(kind, pk)
    registrations = selectors.participants_of(gathering=gathering)
    lang = _language(request)
    job = document_request(
        kind="forums_participants",
        key=(
            f"{kind}-{pk}-{lang}-{_version(registrations)}"
            f"-{gathering.updated_at.timestamp()}-{_requester(request.user)}"
        ),
        params={"kind": kind, "pk": pk, "language": lang},
        user=request.user,
    )
    return redirect("document_status", job.pk)


@readers
def badges(request, kind, pk):
    """Name badges of the confirmed delegates, as a PDF job."""
    gathering = _gathering(kind, pk)
    holders = selectors.badge_holders_of(gathering=gathering)
    if not holders.exists():
        messages.error(request, _("No delegate is confirmed yet: there are no badges."))
        return redirect("forums:participants", kind, pk)
    lang = _language(request)
    job = document_request(
        kind="forums_badges",
        key=(
            f"{kind}-{pk}-{lang}-{_version(holders)}"
            f"-{gathering.updated_at.timestamp()}-{_requester(request.user)}"
        ),
        params={"kind": kind, "pk": pk, "language": lang},
        user=request.user,
    )
    return redirect("document_status", job.pk)


@readers
def forum_report(request, pk):
    forum = get_object_or_404(Forum, pk=pk)
    lang = _language(request)
    resolutions_version = max(
        [r.timestamp() for r in forum.resolutions.values_list("updated_at", flat=True)]
        or [0]
    )
    job = document_request(
        kind="forums_report",
        key=(
            f"{pk}-{lang}-{_version(selectors.participants_of(gathering=forum))}"
            f"-{resolutions_version}-{forum.updated_at.timestamp()}"
            f"-{_requester(request.user)}"
        ),
        params={"pk": pk, "language": lang},
        user=request.user,
    )
    return redirect("document_status", job.pk)


@staff_only
def certificates(request, pk):
    event = get_object_or_404(Event, pk=pk)
    if event.kind != Event.Kind.TRAINING:
        raise Http404
    attended = selectors.participants_of(gathering=event).filter(
        status=Registration.Status.ATTENDED
    )
    if not attended.exists():
        messages.error(request, _("No one is marked present yet."))
        return redirect("forums:participants", "event", pk)
    lang = _language(request)
    # Certificates are issued documents: the same attendance gets the issued
    # version back; a changed attendance list is issued as a new version.
    attendees = _version(attended)
    latest = latest_issued(kind="forums_certificates", subject=event, variant=lang)
    if latest is not None and latest.params.get("attendees") == attendees:
        return redirect("issued_download", latest.pk)
    job = document_issue(
        kind="forums_certificates",
        subject=event,
        variant=lang,
        number=f"{event.pk}",
        params={"pk": pk, "language": lang, "attendees": attendees},
        user=request.user,
        reason=_("The list of those present changed.") if latest else "",
    )
    return redirect("document_status", job.pk)


@readers
def stats(request):
    forums = selectors.forums_with_counts()
    events = selectors.events_with_counts().order_by("-starts_at")
    return render(
        request,
        "forums/stats.html",
        {
            "stats": selectors.participant_stats(
                registrations=Registration.objects.all()
            ),
            "forums": _page(request, forums),
            "events": Paginator(events, PER_PAGE).get_page(request.GET.get("epage")),
        },
    )
