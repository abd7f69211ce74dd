"""Thin views of the expert review: a form validates, one service or selector acts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.documents import document_issue, issued_panel, latest_issued
from alliance_portal.forms import apply_service_errors
from alliance_portal.paging import page_over_ids
from alliance_portal.permissions import (
    is_expert,
    is_ngo_leader,
    is_official,
    is_staff_member,
    role_required,
)
from alliance_portal.private_files import file_response
from members.models import Organisation
from projects.forms import section_titles
from projects.models import Application, Attachment, Call

from . import scoring, selectors, services
from .forms import (
    CallSettingsForm,
    ConflictsForm,
    CriterionForm,
    DecisionsForm,
    DeclineForm,
    ManualAssignForm,
    PanelActiveForm,
    PanelAddForm,
    ReassignForm,
    ReopenForm,
    ScoreForm,
    SessionForm,
)
from .models import (
    Assignment,
    CallExpert,
    ConflictDeclaration,
    CouncilSession,
    Criterion,
    Score,
)
from .services import ConflictInput

# The portal's page size: a ranked row is tall (title, organisation, scores).
RANKING_PAGE = 25

# --- expert --------------------------------------------------------------------------


@role_required(is_expert)
def my_assignments(request):
    """The expert's assignments with their due dates; calls awaiting a declaration
    of conflicts are listed first and their applications hidden until declared."""
    # Paged by the database: an expert may have thousands of assignments.
    assignments, declared = selectors.expert_assignments(user=request.user)
    visible = assignments.filter(call_id__in=declared).order_by("due", "pk")
    pending_calls = Call.objects.filter(
        pk__in=assignments.exclude(call_id__in=declared).values("call_id")
    ).order_by("closes_at", "pk")
    # Cut over ids on the expert's index, then 25 rows joined.
    page = page_over_ids(visible, page_number=request.GET.get("page"), per_page=25)
    return render(
        request,
        "reviews/my_assignments.html",
        {
            "page_obj": page,
            "pending_calls": pending_calls,
            "now": timezone.now(),
        },
    )


@role_required(is_expert)
def declare_conflicts(request, call_pk):
    expert = selectors.expert_profile_of(request.user)
    if not Assignment.objects.filter(expert=expert, call_id=call_pk).exists():
        raise Http404
    call = get_object_or_404(Call, pk=call_pk)
    organisations = Organisation.objects.filter(
        applications__call=call,
        applications__status=Application.Status.ADMITTED,
    ).distinct()
    form = ConflictsForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        services.conflicts_declare(
            expert=expert,
            call=call,
            conflicts=[
                ConflictInput(org, kind, form.cleaned_data["note"])
                for org, kind in form.conflicts()
            ],
        )
        messages.success(request, _("Your declaration is recorded."))
        return redirect("reviews:my_assignments")
    return render(
        request, "reviews/declare_conflicts.html", {"form": form, "call": call}
    )


def _expert_assignment(request, pk) -> Assignment:
    assignment = get_object_or_404(
        selectors.assignments_visible_to(user=request.user).filter(
            expert__user=request.user
        ),
        pk=pk,
    )
    if not selectors.expert_has_declared(
        expert=assignment.expert, call=assignment.application.call
    ) or selectors.expert_is_conflicted(assignment=assignment):
        raise Http404
    return assignment


def _application_context(application, *, blind: bool, settings_obj) -> dict:
    return {
        "application": application,
        "titles": section_titles(),
        "blind": blind,
        "hide_organisation": blind and settings_obj.hide_organisation,
        "hide_people": blind and settings_obj.hide_people,
    }


@role_required(is_expert)
def assignment_review(request, pk):
    assignment = _expert_assignment(request, pk)
    application = assignment.application
    call = application.call
    settings_obj = selectors.call_settings(call)
    criteria = list(Criterion.objects.filter(call=call))
    review = getattr(assignment, "review", None)
    if review is not None:
        review = (
            type(review)
            .objects.prefetch_related(
                Prefetch("scores", queryset=Score.objects.select_related("criterion"))
            )
            .get(pk=review.pk)
        )
    form = ScoreForm(
        request.POST or None,
        criteria=criteria,
        allow_na=settings_obj.allow_not_applicable,
        review=review,
    )
    if request.method == "POST":
        if not assignment.is_editable:
            messages.error(request, _("This review is submitted and locked."))
            return redirect("reviews:assignment_review", pk=pk)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.review_save(
                    assignment=assignment,
                    scores=form.score_inputs(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                    submit=submit,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your review is submitted.") if submit else _("Draft saved."),
                )
                return redirect("reviews:assignment_review", pk=pk)
    full = selectors.application_for_review(assignment=assignment)
    context = {
        "assignment": assignment,
        "form": form,
        "criteria": criteria,
        "review": review,
        "deadline": assignment.due or settings_obj.review_deadline,
        **_application_context(
            full.application, blind=settings_obj.blind_review, settings_obj=settings_obj
        ),
        "full": full,
    }
    return render(request, "reviews/assignment_review.html", context)


@role_required(is_expert)
def assignment_attachment(request, pk, attachment_pk):
    """An attachment of the application, for its assigned, non-conflicted expert only
    (the applicant's own download lives in projects, which cannot know experts)."""
    assignment = _expert_assignment(request, pk)
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, application_id=assignment.application_id
    )
    return file_response(
        attachment.file,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_POST
@role_required(is_expert)
def assignment_decline(request, pk):
    assignment = _expert_assignment(request, pk)
    form = DeclineForm(request.POST)
    form.is_valid()
    try:
        services.assignment_decline(
            assignment=assignment, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reviews:assignment_review", pk=pk)
    messages.success(request, _("You have declined this assignment."))
    return redirect("reviews:my_assignments")


# --- staff: calls, criteria, assignment ------------------------------------------------


@role_required(is_staff_member)
def call_list(request):
    page = Paginator(selectors.calls_for_staff(), 25).get_page(request.GET.get("page"))
    return render(request, "reviews/call_list.html", {"page_obj": page})


def _staff_call_context(call, *, page_number=None) -> dict:
    settings_obj = selectors.call_settings(call)
    admitted = Application.objects.filter(call=call, status=Application.Status.ADMITTED)
    # A page of applications, and the assignments of that page only.
    page = Paginator(
        admitted.select_related("organisation")
        .only("pk", "number", "title", "organisation__name_kk", "organisation__name_ru")
        .order_by("number", "pk"),
        25,
    ).get_page(page_number)
    applications = list(page.object_list)
    by_app: dict[int, list] = {a.pk: [] for a in applications}
    for a in (
        Assignment.objects.filter(application__in=applications)
        .select_related("expert__user", "review")
        .order_by("pk")
    ):
        by_app[a.application_id].append(a)
    panel = list(selectors.call_panel(call=call))
    council = [m.expert for m in panel if m.active and m.expert.active]
    return {
        "call": call,
        "settings_obj": settings_obj,
        "criteria": list(Criterion.objects.filter(call=call)),
        "applications": [(a, by_app[a.pk]) for a in applications],
        "page_obj": page,
        "council": council,
        "sessions": list(selectors.sessions_of_call(call=call)),
        "conflicts": ConflictDeclaration.objects.filter(call=call).select_related(
            "expert__user", "organisation"
        ),
        "panel": panel,
        "council_size": len(council),
        "quorum_needed": scoring.quorum_needed(
            len(council),
            settings_obj.quorum_numerator,
            settings_obj.quorum_denominator,
        ),
        # Two forms with an "expert" field on one page: distinct element ids.
        "panel_add_form": PanelAddForm(
            experts=selectors.experts_addable_to_panel(call=call),
            auto_id="panel_%s",
        ),
        "assign_form": ManualAssignForm(
            experts=selectors.call_council(call),
            applications=admitted.only("pk", "number", "title").order_by("number"),
            auto_id="assign_%s",
        ),
        "reassign_experts": council,
        # Translated once: get_status_display() rebuilds the choices on every row.
        "status_labels": dict(Assignment.Status.choices),
    }


@role_required(is_staff_member)
def call_manage(request, pk):
    call = get_object_or_404(Call, pk=pk)
    context = _staff_call_context(call, page_number=request.GET.get("page"))
    return render(request, "reviews/call_manage.html", context)


@role_required(is_staff_member)
def call_settings_edit(request, pk):
    call = get_object_or_404(Call, pk=pk)
    current = selectors.call_settings(call)
    form = CallSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.call_settings_update(call=call, actor=request.user, **fields)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Review settings saved."))
            return redirect("reviews:call_manage", pk=call.pk)
    return render(
        request,
        "reviews/form_page.html",
        {
            "form": form,
            "call": call,
            "title": _("Review settings"),
        },
    )


@require_POST
@role_required(is_staff_member)
def criteria_copy(request, pk):
    call = get_object_or_404(Call, pk=pk)
    try:
        services.criteria_copy_template(call=call, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The default criteria were copied to this call."))
    return redirect("reviews:call_manage", pk=call.pk)


@role_required(is_staff_member)
def criterion_edit(request, pk=None, call_pk=None):
    if pk is not None:
        criterion = get_object_or_404(Criterion, pk=pk)
        call = criterion.call
    else:
        call = get_object_or_404(Call, pk=call_pk)
        criterion = Criterion(call=call)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(criterion=form.instance, actor=request.user)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Criterion saved."))
            return redirect("reviews:call_manage", pk=call.pk)
    return render(
        request,
        "reviews/form_page.html",
        {
            "form": form,
            "call": call,
            "title": _("Criterion"),
        },
    )


@require_POST
@role_required(is_staff_member)
def criterion_delete(request, pk):
    criterion = get_object_or_404(Criterion, pk=pk)
    call_pk = criterion.call_id
    try:
        services.criterion_delete(criterion=criterion, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reviews:call_manage", pk=call_pk)


def _to_panel(call_pk):
    return redirect(reverse("reviews:call_manage", args=[call_pk]) + "#panel")


@require_POST
@role_required(is_staff_member)
def panel_add(request, pk):
    call = get_object_or_404(Call, pk=pk)
    form = PanelAddForm(
        request.POST, experts=selectors.experts_addable_to_panel(call=call)
    )
    if not form.is_valid():
        messages.error(request, _("Choose an expert."))
        return _to_panel(call.pk)
    try:
        services.panel_add(
            call=call, expert=form.cleaned_data["expert"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The expert is on this call's panel."))
    return _to_panel(call.pk)


@require_POST
@role_required(is_staff_member)
def panel_add_all(request, pk):
    call = get_object_or_404(Call, pk=pk)
    added = services.panel_add_all_active(call=call, actor=request.user)
    messages.success(
        request, _("%(n)s experts added to the panel.") % {"n": len(added)}
    )
    return _to_panel(call.pk)


@require_POST
@role_required(is_staff_member)
def panel_set_active(request, pk):
    member = get_object_or_404(CallExpert, pk=pk)
    form = PanelActiveForm(request.POST)
    if form.is_valid():
        services.panel_set_active(
            member=member, active=form.cleaned_data["active"], actor=request.user
        )
        messages.success(request, _("The panel is updated."))
    return _to_panel(member.call_id)


@require_POST
@role_required(is_staff_member)
def panel_remove(request, pk):
    member = get_object_or_404(CallExpert, pk=pk)
    try:
        services.panel_remove(member=member, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The expert is removed from the panel."))
    return _to_panel(member.call_id)


@require_POST
@role_required(is_staff_member)
def assign_auto(request, pk):
    call = get_object_or_404(Call, pk=pk)
    if not Criterion.objects.filter(call=call).exists():
        messages.error(request, _("Set the call's criteria before assigning experts."))
        return redirect("reviews:call_manage", pk=call.pk)
    created = services.assignments_auto(call=call, actor=request.user)
    messages.success(
        request,
        _("%(n)s assignments created.") % {"n": len(created)},
    )
    return redirect("reviews:call_manage", pk=call.pk)


@require_POST
@role_required(is_staff_member)
def assign_manual(request, pk):
    call = get_object_or_404(Call, pk=pk)
    form = ManualAssignForm(
        request.POST,
        experts=selectors.call_council(call),
        applications=Application.objects.filter(call=call),
    )
    if form.is_valid():
        try:
            services.assignment_create(
                expert=form.cleaned_data["expert"],
                application=form.cleaned_data["application"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Expert assigned."))
    else:
        messages.error(request, _("Choose an expert and an application."))
    return redirect("reviews:call_manage", pk=call.pk)


@require_POST
@role_required(is_staff_member)
def reassign(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    call = assignment.application.call
    form = ReassignForm(request.POST, experts=selectors.call_council(call))
    if form.is_valid():
        try:
            services.assignment_reassign(
                assignment=assignment,
                to_expert=form.cleaned_data["expert"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Expert assigned."))
    else:
        messages.error(request, _("Choose an expert."))
    return redirect("reviews:call_manage", pk=call.pk)


@role_required(is_staff_member, is_expert)
def review_detail(request, pk):
    """Staff read any review; an expert only their own (another's id is a 404)."""
    review = get_object_or_404(
        selectors.reviews_visible_to(user=request.user).prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
            "reopenings__by",
        ),
        pk=pk,
    )
    return render(request, "reviews/review_detail.html", {"review": review})


@role_required(is_staff_member)
def review_reopen(request, pk):
    review = get_object_or_404(selectors.reviews_visible_to(user=request.user), pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_reopen(
                review=review,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                due=form.cleaned_data.get("due"),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The review is reopened."))
            return redirect(
                "reviews:call_manage", pk=review.assignment.application.call_id
            )
    return render(
        request,
        "reviews/form_page.html",
        {
            "form": form,
            "call": review.assignment.application.call,
            "title": _("Reopen the review"),
        },
    )


# --- ranking, council, results -------------------------------------------------------


def _call_with_results(request, pk) -> Call:
    return get_object_or_404(
        selectors.calls_with_results_visible_to(user=request.user), pk=pk
    )


@role_required(is_staff_member, is_official)
def ranking(request, pk):
    call = _call_with_results(request, pk)
    page = selectors.call_ranking_page(
        call=call, page_number=request.GET.get("page"), per_page=RANKING_PAGE
    )
    return render(
        request,
        "reviews/ranking.html",
        {
            "call": call,
            "rows": page.object_list,
            "page_obj": page,
            "settings_obj": selectors.call_settings(call),
            "sessions": list(selectors.sessions_of_call(call=call)),
            "can_manage": is_staff_member(request.user),
        },
    )


@role_required(is_staff_member, is_official)
def results(request):
    calls = selectors.calls_with_results_visible_to(user=request.user)
    if is_staff_member(request.user):
        calls = selectors.calls_for_staff()
    page = Paginator(calls, 25).get_page(request.GET.get("page"))
    return render(request, "reviews/results.html", {"page_obj": page})


@role_required(is_staff_member)
def session_create(request, pk):
    call = get_object_or_404(Call, pk=pk)
    form = SessionForm(
        request.POST or None,
        council=selectors.call_council(call),
        call=call,
        initial={"secretary": request.user if request.user.role == "staff" else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.council_session_create(
                call=call,
                held_on=form.cleaned_data["held_on"],
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                agenda=form.cleaned_data["agenda"],
                chair=form.cleaned_data["chair"],
                secretary=form.cleaned_data["secretary"],
                attendance=form.attendance(),
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The council session is opened."))
            return redirect("reviews:session_detail", pk=session.pk)
    return render(request, "reviews/session_create.html", {"form": form, "call": call})


@role_required(is_staff_member)
def session_detail(request, pk):
    session = get_object_or_404(
        CouncilSession.objects.select_related("call").defer("minutes_snapshot"), pk=pk
    )
    call = session.call
    ranked = selectors.ranked_entries(call)
    # A closed session takes no more decisions: no form of every pending row.
    form = None
    if not session.decided_at:
        form = DecisionsForm(
            request.POST or None,
            applications=selectors.applications_awaiting_decision(
                call=call, ranked=ranked
            ),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.council_decisions_record(
                session=session,
                decisions=form.decision_inputs(),
                envelope_override_reason=form.cleaned_data["envelope_override_reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The council's decisions are recorded."))
            return redirect("reviews:session_detail", pk=session.pk)
    page_number = request.GET.get("page")
    if form is not None and request.method == "POST":
        ranked = selectors.ranked_entries(call)  # the POST may have changed it
    page = selectors.call_ranking_page(
        call=call, page_number=page_number, per_page=RANKING_PAGE, ranked=ranked
    )
    decisions = Paginator(
        session.decisions.select_related("application__organisation").order_by("pk"),
        RANKING_PAGE,
    ).get_page(page_number)
    return render(
        request,
        "reviews/session_detail.html",
        {
            "session": session,
            "call": call,
            "rows": page.object_list,
            "page_obj": page,
            "form": form,
            "attendance": session.attendance.select_related("expert__user"),
            "decisions": decisions.object_list,
            **issued_panel(
                user=request.user, subject=session, kinds=("council_minutes",)
            ),
        },
    )


@require_POST
@role_required(is_staff_member)
def session_minutes(request, pk):
    """The minutes as issued at the session's close (the latest version); a session
    closed before minutes were issued gets them issued from its frozen record."""
    session = get_object_or_404(CouncilSession, pk=pk, decided_at__isnull=False)
    language = request.POST.get("language", "kk")
    if language not in services.MINUTES_LANGUAGES:
        language = "kk"
    issued = latest_issued(kind="council_minutes", subject=session, variant=language)
    if issued is not None:
        return redirect("issued_download", pk=issued.pk)
    if not session.minutes_snapshot:
        session = services.minutes_freeze_late(session=session)
    job = document_issue(
        kind="council_minutes",
        subject=session,
        variant=language,
        number=session.minutes_snapshot.get("number") or str(session.pk),
        params={"session": session.pk, "language": language},
        user=request.user,
    )
    return redirect("document_status", pk=job.pk)


# --- applicant ---------------------------------------------------------------------


@role_required(is_ngo_leader, is_staff_member)
def feedback(request, pk):
    application = selectors.feedback_application_for(user=request.user, pk=pk)
    decision = selectors.application_decision(application=application)
    if decision is None:
        raise Http404
    return render(
        request,
        "reviews/feedback.html",
        {
            "application": application,
            "decision": decision,
            "feedback": selectors.anonymised_feedback(application=application),
            "aggregate": selectors.application_aggregate(application=application),
        },
    )
