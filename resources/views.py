"""Views of the resource centre: thin — a form, then one service or selector."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from alliance_portal.forms import apply_service_errors
from alliance_portal.permissions import is_ngo_leader, is_staff_member, role_required
from alliance_portal.private_files import file_response
from members.models import Organisation
from members.selectors import members_on, organisations_of

from . import selectors, services
from .forms import (
    AnswerForm,
    AskForm,
    AssignForm,
    BookingForm,
    DecisionForm,
    DigestForm,
    FaqForm,
    FilingForm,
    FollowUpForm,
    GroupForm,
    LibrarySearchForm,
    MaterialForm,
    MeetingForm,
    NewsForm,
    ProposalForm,
    RateForm,
)
from .models import (
    AkimProposal,
    Audience,
    Booking,
    Consultation,
    FaqEntry,
    Material,
    NewsItem,
    Topic,
)
from .rules import can_book, can_rate_consultation, sees_bookings, sees_members_only

PER_PAGE = 20
staff_only = role_required(is_staff_member)
leaders_only = role_required(is_ngo_leader)


def _page(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- news -------------------------------------------------------------------------


def news_list(request):
    items = selectors.news_visible_to(user=request.user)
    return render(
        request,
        "resources/news_list.html",
        {"page_obj": _page(request, items), "is_staff": is_staff_member(request.user)},
    )


def news_detail(request, pk):
    item = selectors.news_detail(user=request.user, pk=pk)
    return render(
        request,
        "resources/news_detail.html",
        {"item": item, "is_staff": is_staff_member(request.user)},
    )


def news_image(request, pk):
    item = selectors.news_detail(user=request.user, pk=pk)
    return file_response(item.image, private=item.audience != Audience.PUBLIC)


def news_attachment(request, pk, attachment_pk):
    item = selectors.news_detail(user=request.user, pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    return file_response(attachment.file, private=item.audience != Audience.PUBLIC)


def _form_page(request, form, *, save, done, title, **context):
    """Every form page of the resource centre: a valid form goes to one service (``save``
    returns where to go next), its refusal lands on the form, success says so."""
    if request.method == "POST" and form.is_valid():
        try:
            next_url = save(form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return render(
        request, "resources/form.html", {"form": form, "title": title, **context}
    )


def _news_form(request, item: NewsItem | None):
    form = NewsForm(request.POST or None, request.FILES or None, instance=item)

    def save(data):
        saved = services.news_save(
            news=form.save(commit=False),
            actor=request.user,
            image=data["image"],
            attachments=data["attachments"],
            publish=data["publish"],
        )
        return reverse("resources:news_detail", args=[saved.pk])

    return _form_page(
        request,
        form,
        save=save,
        done=_("The news item is saved."),
        title=_("News item"),
        multipart=True,
    )


@staff_only
def news_create(request):
    return _news_form(request, None)


@staff_only
def news_update(request, pk):
    return _news_form(request, get_object_or_404(NewsItem, pk=pk))


@staff_only
@require_POST
def news_publish(request, pk):
    item = get_object_or_404(NewsItem, pk=pk)
    publish = request.POST.get("publish") == "1"
    services.news_publish(news=item, actor=request.user, publish=publish)
    messages.success(
        request,
        _("The news item is published.") if publish else _("The news item is hidden."),
    )
    return redirect("resources:news_detail", pk)


@login_required
def news_digest(request):
    """Opt in or out of the weekly news digest."""
    subscribed = selectors.is_digest_subscriber(user=request.user)
    # An unticked box posts nothing: bind on the method, not on the data.
    form = DigestForm(
        request.POST if request.method == "POST" else None,
        initial={"subscribe": subscribed},
    )
    if request.method == "POST" and form.is_valid():
        services.news_digest_subscribe(
            user=request.user, subscribe=form.cleaned_data["subscribe"]
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("resources:news_list")
    return render(
        request,
        "resources/form.html",
        {"form": form, "title": _("Weekly news digest")},
    )


class NewsFeed(Feed):
    """Public news as an Atom feed; members-only items never appear in it."""

    feed_type = Atom1Feed
    title = _lazy("Civil Alliance news")
    subtitle = _lazy("News and announcements of the Kyzylorda region Civil Alliance.")

    def link(self):
        return reverse("resources:news_list")

    def items(self):
        return selectors.news_for_feed()

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


# --- library ----------------------------------------------------------------------


def material_list(request):
    form = LibrarySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    materials = selectors.materials_visible_to(
        user=request.user,
        text=filters.get("q", ""),
        topic=filters.get("topic", ""),
        language=filters.get("language", ""),
    )
    return render(
        request,
        "resources/material_list.html",
        {
            "form": form,
            "page_obj": _page(request, materials),
            "is_staff": is_staff_member(request.user),
        },
    )


def material_detail(request, pk):
    material = selectors.material_detail(user=request.user, pk=pk)
    return render(
        request,
        "resources/material_detail.html",
        {
            "material": material,
            "is_staff": is_staff_member(request.user),
        },
    )


def material_download(request, pk, number=None):
    material, version = selectors.material_version_for_download(
        user=request.user, pk=pk, number=number
    )
    services.material_count_download(material=material)
    return file_response(
        version.file,
        private=material.audience != Audience.PUBLIC,
        as_attachment=True,
    )


def _material_form(request, material: Material | None):
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material)
    if material is None:
        form.fields["file"].required = True

    def save(data):
        saved = services.material_save_with_file(
            material=form.save(commit=False),
            upload=data["file"],
            note=data["note"],
            actor=request.user,
        )
        return reverse("resources:material_detail", args=[saved.pk])

    return _form_page(
        request,
        form,
        save=save,
        done=_("The material is saved."),
        title=_("Library material"),
        multipart=True,
    )


@staff_only
def material_create(request):
    return _material_form(request, None)


@staff_only
def material_update(request, pk):
    return _material_form(request, get_object_or_404(Material, pk=pk))


# --- consultations ----------------------------------------------------------------


@login_required
def consultation_list(request):
    user = request.user
    if not (is_staff_member(user) or is_ngo_leader(user)):
        raise PermissionDenied
    consultations = selectors.consultations_visible_to(user=user)
    status = request.GET.get("status", "")
    if status in Consultation.Status.values:
        consultations = consultations.filter(status=status)
    context = {
        "page_obj": _page(request, consultations),
        "statuses": Consultation.Status.choices,
        "status": status,
        "is_staff": is_staff_member(user),
    }
    if is_staff_member(user):
        context["stats"] = selectors.consultation_stats()
    return render(request, "resources/consultation_list.html", context)


@leaders_only
def consultation_ask(request):
    organisations = organisations_of(user=request.user)
    form = AskForm(request.POST or None, organisations=organisations)

    def save(data):
        asked = services.consultation_ask(
            user=request.user,
            organisation=data["organisation"],
            topic=data["topic"],
            question=data["question"],
        )
        return reverse("resources:consultation_detail", args=[asked.pk])

    return _form_page(
        request,
        form,
        save=save,
        done=_("Your question is sent to the alliance."),
        title=_("Ask the resource centre"),
        no_organisation=not organisations.exists(),
    )


@login_required
def consultation_detail(request, pk):
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    staff = is_staff_member(request.user)
    return render(
        request,
        "resources/consultation_detail.html",
        {
            "consultation": consultation,
            "is_staff": staff,
            "assign_form": AssignForm(initial={"consultant": consultation.consultant})
            if staff
            else None,
            "answer_form": AnswerForm(initial={"answer": consultation.answer})
            if staff
            else None,
            "rate_form": RateForm(initial={"rating": consultation.rating})
            if can_rate_consultation(request.user, consultation)
            else None,
            "faq_entry": FaqEntry.objects.filter(source=consultation).first()
            if staff
            else None,
        },
    )


def _consultation_action(request, pk, form_class, action, done_message):
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("resources:consultation_detail", pk)
    try:
        action(consultation, form.cleaned_data if form else {})
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, done_message)
    return redirect("resources:consultation_detail", pk)


@staff_only
@require_POST
def consultation_assign(request, pk):
    return _consultation_action(
        request,
        pk,
        AssignForm,
        lambda c, data: services.consultation_assign(
            consultation=c, consultant=data["consultant"], actor=request.user
        ),
        _("The consultant is assigned."),
    )


@staff_only
@require_POST
def consultation_answer(request, pk):
    return _consultation_action(
        request,
        pk,
        AnswerForm,
        lambda c, data: services.consultation_answer(
            consultation=c, actor=request.user, answer=data["answer"]
        ),
        _("The answer is sent."),
    )


@staff_only
@require_POST
def consultation_close(request, pk):
    return _consultation_action(
        request,
        pk,
        None,
        lambda c, data: services.consultation_close(consultation=c, actor=request.user),
        _("The question is closed."),
    )


@leaders_only
@require_POST
def consultation_rate(request, pk):
    return _consultation_action(
        request,
        pk,
        RateForm,
        lambda c, data: services.consultation_rate(
            consultation=c, user=request.user, rating=data["rating"]
        ),
        _("Thank you for your mark."),
    )


@staff_only
def faq_create(request, pk):
    consultation = selectors.consultation_detail(user=request.user, pk=pk)
    form = FaqForm(
        request.POST or None,
        initial={
            "question_kk": consultation.question,
            "answer_kk": consultation.answer,
        },
    )

    def save(data):
        services.faq_from_consultation(
            consultation=consultation, actor=request.user, **data
        )
        return reverse("resources:faq_list")

    return _form_page(
        request,
        form,
        save=save,
        done=_("The FAQ entry waits for approval."),
        title=_("New FAQ entry"),
        hint=_("Write the question without the names of the organisation or people."),
    )


def faq_list(request):
    topic = request.GET.get("topic", "")
    if topic not in Topic.values:
        topic = ""
    staff = is_staff_member(request.user)
    return render(
        request,
        "resources/faq_list.html",
        {
            "entries": selectors.faq_public(topic=topic),
            "drafts": selectors.faq_drafts() if staff else None,
            "topics": Topic.choices,
            "topic": topic,
        },
    )


@staff_only
@require_POST
def faq_approve(request, pk):
    entry = get_object_or_404(FaqEntry, pk=pk)
    try:
        services.faq_approve(entry=entry, actor=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The FAQ entry is published."))
    return redirect("resources:faq_list")


# --- equipment and rooms -------------------------------------------------------------


def _members_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not sees_members_only(request.user):
        raise PermissionDenied
    return None


def booking_calendar(request):
    """The week's bookings of every hall and piece of equipment, for members."""
    denied = _members_only(request)
    if denied:
        return denied
    try:
        start = datetime.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        start = timezone.localdate()
    start -= datetime.timedelta(days=start.weekday())
    return render(
        request,
        "resources/booking_calendar.html",
        {
            "days": selectors.booking_calendar(start=start),
            "facilities": selectors.facilities_bookable(),
            "previous": start - datetime.timedelta(days=7),
            "next": start + datetime.timedelta(days=7),
            "start": start,
            "can_book": can_book(request.user),
            "sees_bookings": sees_bookings(request.user),
        },
    )


def booking_create(request):
    denied = _members_only(request)
    if denied:
        return denied
    if not can_book(request.user):
        raise PermissionDenied
    staff = is_staff_member(request.user)
    organisations = (
        Organisation.objects.filter(pk__in=members_on())
        if staff
        else members_on().filter(pk__in=organisations_of(user=request.user))
    )
    form = BookingForm(
        request.POST or None,
        facilities=selectors.facilities_bookable(),
        organisations=organisations,
        initial={
            "facility": request.GET.get("facility"),
            "day": request.GET.get("day"),
        },
    )
    if not staff:
        form.fields["organisation"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_request(
                facility=form.cleaned_data["facility"],
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "starts_at" in exc.error_dict:
                exc = ValidationError({"start": exc.error_dict.pop("starts_at")})
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The booking waits for the staff's approval."))
            return redirect("resources:booking_list")
    return render(
        request,
        "resources/form.html",
        {"form": form, "title": _("Book a hall or equipment")},
    )


@login_required
def booking_list(request):
    user = request.user
    if not sees_bookings(user):
        raise PermissionDenied
    bookings = selectors.bookings_visible_to(user=user).order_by("-starts_at")
    status = request.GET.get("status", "")
    if status in Booking.Status.values:
        bookings = bookings.filter(status=status)
    return render(
        request,
        "resources/booking_list.html",
        {
            "page_obj": _page(request, bookings),
            "statuses": Booking.Status.choices,
            "status": status,
            "is_staff": is_staff_member(user),
            "now": timezone.now(),
        },
    )


@staff_only
@require_POST
def booking_decide(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        services.booking_decide(
            booking=booking,
            actor=request.user,
            approve=request.POST.get("approve") == "1",
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The decision is saved."))
    return redirect(reverse("resources:booking_list") + "?status=requested")


@login_required
@require_POST
def booking_cancel(request, pk):
    booking = selectors.bookings_visible_to(user=request.user).filter(pk=pk).first()
    if booking is None:
        raise Http404
    try:
        services.booking_cancel(booking=booking, user=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("resources:booking_list")


# --- proposals to the akim -----------------------------------------------------------


def meeting_list(request):
    denied = _members_only(request)
    if denied:
        return denied
    return render(
        request,
        "resources/meeting_list.html",
        {
            "meetings": selectors.akim_meetings(),
            "is_staff": is_staff_member(request.user),
            "today": timezone.localdate(),
        },
    )


@staff_only
def meeting_create(request):
    form = MeetingForm(request.POST or None)

    def save(data):
        meeting = services.meeting_save(meeting=form.save(commit=False))
        return reverse("resources:meeting_detail", args=[meeting.year])

    return _form_page(
        request,
        form,
        save=save,
        done=_("The meeting is saved."),
        title=_("Akim's meeting with NGO leaders"),
    )


def meeting_detail(request, year):
    """Staff: every proposal, to group, forward and follow up; a leader: their own."""
    denied = _members_only(request)
    if denied:
        return denied
    meeting = selectors.akim_meeting(year=year)
    staff = is_staff_member(request.user)
    return render(
        request,
        "resources/meeting_detail.html",
        {
            "meeting": meeting,
            "proposals": selectors.proposals_visible_to(
                user=request.user, meeting=meeting
            ).prefetch_related("notes"),
            "is_staff": staff,
            "can_submit": is_ngo_leader(request.user)
            and timezone.localdate() <= meeting.accepts_until,
            "follow_up_form": FollowUpForm() if staff else None,
        },
    )


@leaders_only
def proposal_submit(request, year):
    meeting = selectors.akim_meeting(year=year)
    organisations = organisations_of(user=request.user)
    form = ProposalForm(request.POST or None, organisations=organisations)

    def save(data):
        services.proposal_submit(meeting=meeting, user=request.user, **data)
        return reverse("resources:meeting_detail", args=[year])

    return _form_page(
        request,
        form,
        save=save,
        done=_("Your proposal is submitted."),
        title=_("Proposal to the akim"),
        no_organisation=not organisations.exists(),
    )


@staff_only
@require_POST
def proposal_group(request, pk):
    proposal = get_object_or_404(AkimProposal, pk=pk)
    form = GroupForm(request.POST)
    if form.is_valid():
        services.proposal_group(proposal=proposal, group=form.cleaned_data["group"])
    return redirect("resources:meeting_detail", proposal.meeting.year)


@staff_only
@require_POST
def proposals_forward(request, year):
    meeting = selectors.akim_meeting(year=year)
    count = services.proposals_forward(meeting=meeting, actor=request.user)
    messages.success(
        request, _("Forwarded to the akimat: %(count)s.") % {"count": count}
    )
    return redirect("resources:meeting_detail", year)


@staff_only
@require_POST
def proposal_follow_up(request, pk):
    proposal = get_object_or_404(AkimProposal, pk=pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            services.proposal_follow_up(
                proposal=proposal, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
    return redirect("resources:meeting_detail", proposal.meeting.year)


def proposal_report(request, year):
    """Public: how the proposals forwarded to the akim were carried out."""
    meeting = selectors.akim_meeting(year=year)
    report = selectors.proposal_report(meeting=meeting)
    return render(
        request,
        "resources/proposal_report.html",
        {
            "report": report,
            "statuses": [
                (s.value, s.label, report.counts.get(s.value, 0))
                for s in AkimProposal.Status
                if s != AkimProposal.Status.SUBMITTED
            ],
        },
    )


# --- the yearly report to the state NGO database -------------------------------------


def _report_year(request) -> int:
    """The year the report covers: last year until the year's report is due."""
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year - 1


@login_required
def state_report_index(request):
    """A leader picks their organisation; staff see who has and has not filed."""
    user = request.user
    year = _report_year(request)
    if is_staff_member(user):
        return render(
            request,
            "resources/state_report_status.html",
            {
                "year": year,
                "organisations": selectors.state_report_status(year=year),
                "due": datetime.date(year + 1, 3, 31),
            },
        )
    if not is_ngo_leader(user):
        raise PermissionDenied
    organisations = list(organisations_of(user=user).filter(kind="ngo"))
    if len(organisations) == 1:
        return redirect(
            reverse("resources:state_report", args=[organisations[0].slug, year])
        )
    return render(
        request,
        "resources/state_report_pick.html",
        {"organisations": organisations, "year": year},
    )


def _figures(request, slug, year):
    from .state_report import figures_for

    organisation = selectors.state_report_organisation(user=request.user, slug=slug)
    return organisation, figures_for(organisation=organisation, year=year)


@login_required
def state_report(request, slug, year):
    """The figures of the yearly report, printable, and the filing note."""
    organisation, sections = _figures(request, slug, year)
    filing = selectors.state_report_filing(organisation=organisation, year=year)
    form = FilingForm(
        request.POST or None,
        initial={"filed_on": filing.filed_on, "reference": filing.reference}
        if filing
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.state_report_record_filing(
                organisation=organisation,
                user=request.user,
                year=year,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The filing is recorded."))
            return redirect("resources:state_report", slug, year)
    return render(
        request,
        "resources/state_report.html",
        {
            "organisation": organisation,
            "year": year,
            "sections": sections,
            "filing": filing,
            "form": form,
            "due": datetime.date(year + 1, 3, 31),
        },
    )


@login_required
def state_report_xlsx(request, slug, year):
    """The same figures as a sheet the NGO copies from into the state database."""
    import io

    from django.http import HttpResponse
    from openpyxl import Workbook
    from openpyxl.styles import Font

    organisation, sections = _figures(request, slug, year)
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    sheet.append(
        [_("Yearly report to the state NGO database, %(year)s") % {"year": year}]
    )
    sheet["A1"].font = Font(bold=True)
    sheet.append([organisation.name, _("BIN") + f" {organisation.bin}"])
    for section in sections:
        sheet.append([])
        sheet.append([str(section.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        for row in section.rows:
            sheet.append([str(row.label), row.value])
            if row.kind == "money":
                sheet.cell(row=sheet.max_row, column=2).number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 24
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="state-report-{organisation.slug}-{year}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
