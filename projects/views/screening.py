"""Staff screening: the list with filters and exports, one application's screening
page (duplicates, the diff since it was returned), and the decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal import exports
from alliance_portal.permissions import is_staff_member, role_required
from alliance_portal.personal_data import mask_iin
from projects import selectors, services
from projects.content import application_content, content_diff
from projects.filters import ScreeningFilter
from projects.forms import AdmitForm, RejectForm, ReturnForm, section_titles
from projects.models import Application

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000


def _filtered(request):
    return ScreeningFilter(
        request.GET or None,
        queryset=selectors.applications_for_screening(user=request.user),
    )


@role_required(is_staff_member)
def screening_list(request):
    filterset = _filtered(request)
    qs = filterset.qs
    page = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.applications_in_order(
        queryset=qs, ids=list(page.object_list)
    )
    selectors.flag_same_organisation(page.object_list)
    return render(
        request,
        "projects/screening_list.html",
        {"filter": filterset, "page_obj": page, "applications": page},
    )


def _export_header():
    return [
        _("Number"),
        _("Status"),
        _("Call"),
        _("Organisation"),
        _("BIN"),
        _("District"),
        _("Theme"),
        _("Project title"),
        _("Requested amount, ₸"),
        _("Submitted at"),
        _("Possible duplicate"),
    ]


def _export_rows(qs):
    status = exports.labels(Application.Status.choices)
    yes = str(_("yes"))
    for a in qs[:EXPORT_LIMIT].iterator(chunk_size=exports.CHUNK_SIZE):
        yield [
            a.number,
            status.get(a.status, a.status),
            a.call.title,
            a.organisation.name,
            mask_iin(a.organisation.bin),
            a.organisation.district.name if a.organisation.district_id else "",
            a.theme.name if a.theme_id else "",
            a.title,
            a.requested_amount,
            timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M")
            if a.submitted_at
            else "",
            yes if a.same_org_in_call else "",
        ]


@role_required(is_staff_member)
def screening_export(request, fmt):
    qs = selectors.with_same_organisation_flag(_filtered(request).qs)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = exports.table_response(
        fmt,
        f"applications-{stamp}",
        _export_header(),
        _export_rows(qs),
        title=_("Applications"),
        formats={8: "#,##0.00"},
    )
    if response is None:
        raise Http404
    return response


def _screen_application(request, pk) -> Application:
    try:
        return selectors.application_for(user=request.user, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _screen_context(request, application, **forms):
    diff = None
    returned = selectors.returned_snapshot_of(application=application)
    if returned is not None and application.status == Application.Status.RESUBMITTED:
        diff = content_diff(returned.data, application_content(application))
    return {
        "application": application,
        "titles": section_titles(),
        "flags": selectors.duplicate_flags(application=application),
        "diff": diff,
        "history": application.transitions.select_related("actor"),
        "comments": selectors.section_comments_of(application=application),
        "return_form": forms.get("return_form") or ReturnForm(),
        "admit_form": forms.get("admit_form") or AdmitForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "can_decide": application.status in Application.SCREENING_STATUSES,
    }


@role_required(is_staff_member)
def screen(request, pk):
    application = _screen_application(request, pk)
    return render(
        request, "projects/screen.html", _screen_context(request, application)
    )


def _decide(request, pk, form_class, form_key, action):
    application = _screen_application(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(application, form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("projects:screen", pk=pk)
        return redirect("projects:screen", pk=pk)
    context = _screen_context(request, application, **{form_key: form})
    return render(request, "projects/screen.html", context, status=400)


@require_POST
@role_required(is_staff_member)
def screen_return(request, pk):
    def action(application, form):
        services.application_return(
            application=application,
            actor=request.user,
            section_comments=form.section_comments(),
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Returned to the applicant for revision."))

    return _decide(request, pk, ReturnForm, "return_form", action)


@require_POST
@role_required(is_staff_member)
def screen_admit(request, pk):
    def action(application, form):
        services.application_admit(
            application=application,
            actor=request.user,
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Admitted to expert review."))

    return _decide(request, pk, AdmitForm, "admit_form", action)


@require_POST
@role_required(is_staff_member)
def screen_reject(request, pk):
    def action(application, form):
        services.application_reject(
            application=application,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The application is rejected."))

    return _decide(request, pk, RejectForm, "reject_form", action)
