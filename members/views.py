"""Views of the members app: thin — a form, then one service or selector."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_portal.forms import apply_service_errors
from alliance_portal.permissions import (
    is_ngo_leader,
    is_official,
    is_staff_member,
    role_required,
)
from alliance_portal.private_files import file_response

from . import selectors, services
from .filters import DirectoryFilter
from .forms import (
    BankAccountFormSet,
    DecisionForm,
    DocumentForm,
    ImportUploadForm,
    JoinForm,
    LegalChangeForm,
    MembershipActionForm,
    OrganisationCreateForm,
    OrganisationProfileForm,
    OrganisationStaffForm,
    RequisitesForm,
    StatementForm,
    account_rows,
)
from .importing import read_table, validate_rows
from .models import (
    Affiliation,
    MembershipApplication,
    Organisation,
    OrganisationChangeRequest,
)
from .rules import (
    can_edit_requisites,
    can_manage_organisation,
    can_see_documents,
    can_see_requisites,
    can_upload_document,
)

PAGE_SIZE = 20
IMPORT_SESSION_KEY = "members_import_rows"


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# --- public ------------------------------------------------------------------------


def directory(request):
    """The public NGO directory: search, filters, pagination."""
    filterset = DirectoryFilter(
        request.GET or None, queryset=selectors.directory_queryset(user=request.user)
    )
    return render(
        request,
        "members/directory.html",
        {"filter": filterset, "page_obj": _page(request, filterset.qs)},
    )


def _detail_context(request, organisation, membership_form=None) -> dict:
    """What the profile shows: the public part for all; contacts and decisions for
    the organisation's leaders and staff; documents also for officials; history,
    people and the edit log for staff only."""
    user = request.user
    staff = is_staff_member(user)
    manager = can_manage_organisation(user, organisation)
    context = {
        "organisation": organisation,
        "fields": organisation.fields_of_activity.all(),
        "can_manage": manager,
        "show_private": staff or manager,
        "is_staff_view": staff,
        "can_upload_document": can_upload_document(user, organisation),
    }
    if can_see_requisites(user, organisation):
        context["show_requisites"] = True
        context["can_edit_requisites"] = can_edit_requisites(user, organisation)
        context["bank_accounts"] = list(organisation.bank_accounts.all())
    if can_see_documents(user, organisation):
        context["documents"] = selectors.documents_of(organisation=organisation)
    if staff or manager:
        context["applications"] = organisation.membership_applications.select_related(
            "decided_by"
        )
        context["change_requests"] = organisation.change_requests.select_related(
            "requested_by", "decided_by"
        )
    if staff:
        context["history"] = selectors.membership_history(organisation=organisation)
        context["affiliations"] = organisation.affiliations.select_related(
            "user", "decided_by"
        )
        context["membership_form"] = membership_form or MembershipActionForm()
        context["staff_changes"] = selectors.staff_changes_of(organisation=organisation)
    return context


def organisation_detail(request, slug):
    organisation = selectors.organisation_visible_to(user=request.user, slug=slug)
    return render(
        request,
        "members/organisation_detail.html",
        _detail_context(request, organisation),
    )


def organisation_logo(request, slug):
    organisation = selectors.organisation_visible_to(user=request.user, slug=slug)
    return file_response(organisation.logo, private=False)


# --- private documents ---------------------------------------------------------------


@role_required(is_ngo_leader, is_staff_member)
def document_upload(request, slug):
    """The organisation's leaders and staff add a private document."""
    organisation = selectors.organisation_visible_to(user=request.user, slug=slug)
    if not can_upload_document(request.user, organisation):
        raise Http404
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_document_add(
                organisation=organisation,
                actor=request.user,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The document is uploaded."))
            return redirect(organisation.get_absolute_url() + "#documents")
    return render(
        request,
        "members/document_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@role_required(is_ngo_leader, is_staff_member, is_official)
def document_download(request, pk):
    """A private document, only for those who may see it; never a public media URL."""
    document = selectors.document_visible_to(user=request.user, pk=pk)
    return file_response(
        document.file,
        request=request,
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type or "application/octet-stream",
    )


# --- requisites ---------------------------------------------------------------------


@role_required(is_ngo_leader, is_staff_member)
def requisites_edit(request, slug):
    """The organisation's leaders and staff keep its requisites for contracts; each
    change goes to the record's history."""
    organisation = selectors.organisation_visible_to(user=request.user, slug=slug)
    if not can_edit_requisites(request.user, organisation):
        raise Http404
    form = RequisitesForm(request.POST or None, instance=organisation)
    formset = BankAccountFormSet(
        request.POST or None, instance=organisation, prefix="accounts"
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.organisation_requisites_update(
                organisation=organisation,
                actor=request.user,
                data=form.requisites_data(),
                accounts=account_rows(formset),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The requisites are saved."))
            return redirect(organisation.get_absolute_url() + "#requisites")
    organisation.refresh_from_db()
    return render(
        request,
        "members/requisites_form.html",
        {
            "form": form,
            "formset": formset,
            "organisation": organisation,
            "missing": organisation.requisites_missing(),
            "history": selectors.staff_changes_of(organisation=organisation)[:50],
        },
        status=400 if request.method == "POST" else 200,
    )


# --- NGO leaders -------------------------------------------------------------------


@role_required(is_ngo_leader)
def start(request):
    """Where a leader without an organisation chooses: create it or join it."""
    return render(
        request,
        "members/start.html",
        {"affiliations": selectors.affiliations_of(user=request.user)},
    )


@role_required(is_ngo_leader)
def organisation_create(request):
    form = OrganisationCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                user=request.user,
                data=form.profile_data(),
                fields_of_activity=form.cleaned_data["fields_of_activity"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The organisation is registered. Staff will confirm you as its leader."
                ),
            )
            return redirect(organisation.get_absolute_url())
    return render(
        request, "members/organisation_form.html", {"form": form, "create": True}
    )


@role_required(is_ngo_leader)
def organisation_join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_request(
                user=request.user, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your request was sent to the alliance staff."))
            return redirect("home")
    return render(request, "members/join.html", {"form": form})


@role_required(is_ngo_leader)
def organisation_edit(request, slug):
    organisation = selectors.organisation_managed_by(user=request.user, slug=slug)
    form = OrganisationProfileForm(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update_profile(
                organisation=organisation,
                actor=request.user,
                data=form.profile_data(),
                fields_of_activity=form.cleaned_data["fields_of_activity"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "members/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@role_required(is_ngo_leader)
def organisation_legal_change(request, slug):
    organisation = selectors.organisation_managed_by(user=request.user, slug=slug)
    initial = {
        "name_kk": organisation.name_kk,
        "name_ru": organisation.name_ru,
        "legal_form": organisation.legal_form,
        "bin": organisation.bin,
    }
    form = LegalChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_change_request_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your change was sent to staff; the profile changes once they confirm it."
                ),
            )
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "members/legal_change.html",
        {"form": form, "organisation": organisation},
    )


@role_required(is_ngo_leader)
def membership_apply(request, slug):
    organisation = selectors.organisation_managed_by(user=request.user, slug=slug)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_apply(
                organisation=organisation,
                actor=request.user,
                statement=form.cleaned_data["statement"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your membership application was sent."))
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "members/membership_apply.html",
        {"form": form, "organisation": organisation},
    )


# --- staff -------------------------------------------------------------------------

QUEUES = {
    "affiliations": (
        selectors.affiliations_pending,
        Affiliation,
        services.affiliation_decide,
        "affiliation",
        "members/queue.html",
    ),
    "applications": (
        selectors.applications_pending,
        MembershipApplication,
        services.membership_application_decide,
        "application",
        "members/queue.html",
    ),
    "changes": (
        selectors.change_requests_pending,
        OrganisationChangeRequest,
        services.organisation_change_request_decide,
        "change_request",
        "members/queue.html",
    ),
}


def _render_queue(request, name, *, failed=None, failed_form=None, status=200):
    selector, _model, _service, _arg, template = QUEUES[name]
    return render(
        request,
        template,
        {
            "page_obj": _page(request, selector()),
            "queue": name,
            "failed_pk": failed,
            "failed_form": failed_form,
            "decision_form": DecisionForm(),
        },
        status=status,
    )


@role_required(is_staff_member)
def queue(request, name):
    if name not in QUEUES:
        raise Http404
    return _render_queue(request, name)


@role_required(is_staff_member)
@require_POST
def decide(request, name, pk):
    if name not in QUEUES:
        raise Http404
    _selector, model, service, arg, _template = QUEUES[name]
    item = get_object_or_404(model, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            service(
                **{arg: item},
                actor=request.user,
                approve=form.approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("members:queue", name=name)
    return _render_queue(request, name, failed=item.pk, failed_form=form, status=400)


@role_required(is_staff_member)
def organisation_staff_edit(request, slug):
    """Staff edit any field of the record at once; each change is logged."""
    organisation = selectors.organisation_by_slug(slug=slug)
    form = OrganisationStaffForm(
        request.POST or None, request.FILES or None, instance=organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update_by_staff(
                organisation=organisation, actor=request.user, data=form.staff_data()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The record is saved."))
            return redirect(organisation.get_absolute_url())
    return render(
        request,
        "members/organisation_form.html",
        {"form": form, "organisation": organisation, "staff_edit": True},
        status=400 if form.errors else 200,
    )


@role_required(is_staff_member)
@require_POST
def membership_action(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    form = MembershipActionForm(request.POST)
    if form.is_valid():
        action = {
            "suspend": services.membership_suspend,
            "reinstate": services.membership_reinstate,
            "end": services.membership_end,
        }[form.cleaned_data["action"]]
        try:
            action(
                organisation=organisation,
                actor=request.user,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The membership record is updated."))
            return redirect(organisation.get_absolute_url())
    organisation = selectors.organisation_visible_to(user=request.user, slug=slug)
    return render(
        request,
        "members/organisation_detail.html",
        _detail_context(request, organisation, membership_form=form),
        status=400,
    )


@role_required(is_staff_member)
def import_upload(request):
    """Upload a CSV/XLSX; show every row with its errors; nothing is saved yet."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        try:
            raw_rows = read_table(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            rows = validate_rows(raw_rows)
            request.session[IMPORT_SESSION_KEY] = raw_rows
    context = {
        "form": form,
        "rows": rows,
        "valid_count": sum(1 for r in rows or [] if not r.errors),
        "error_count": sum(1 for r in rows or [] if r.errors),
    }
    return render(request, "members/import.html", context)


@role_required(is_staff_member)
@require_POST
def import_confirm(request):
    raw_rows = request.session.pop(IMPORT_SESSION_KEY, None)
    if not raw_rows:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("members:import")
    try:
        created = services.organisations_import(rows=raw_rows, actor=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            _("Nothing was imported: %(error)s Upload the file again.")
            % {"error": " ".join(exc.messages)},
        )
        return redirect("members:import")
    messages.success(
        request, _("%(count)s organisations imported.") % {"count": len(created)}
    )
    return redirect(reverse("members:directory"))
