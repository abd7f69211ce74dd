"""The leader's side: applying, the section editor with autosave, attachments,
submission, withdrawal, the PDF."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from alliance_portal.documents import document_request
from alliance_portal.permissions import is_ngo_leader, role_required
from alliance_portal.private_files import file_response
from members.models import Consent
from members.privacy import consent_record
from members.selectors import organisations_of
from projects import selectors, services
from projects.forms import (
    ROW_FORMSETS,
    SECTION_FORMS,
    ApplyForm,
    AttachmentForm,
    RowFormSetBase,
    WithdrawForm,
    section_titles,
)
from projects.models import Application, Attachment, Call
from projects.services.submission import GENERAL, submission_problems

TABLE_DEFAULT_ROWS = 3


def _application(request, pk) -> Application:
    try:
        return selectors.application_for(user=request.user, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _can_edit(request, application) -> bool:
    return request.user.has_perm("projects.edit_application", application)


@role_required(is_ngo_leader)
def my_applications(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.applications_of_leader(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/my_applications.html",
        {"page_obj": page, "applications": page},
    )


@require_POST
@role_required(is_ngo_leader)
def application_apply(request, pk):
    try:
        call = Call.objects.open_now().get(pk=pk)
    except Call.DoesNotExist as exc:
        raise Http404 from exc
    form = ApplyForm(request.POST, organisations=organisations_of(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations."))
        return redirect("projects:call_detail", pk=call.pk)
    try:
        application = services.application_create(
            call=call,
            organisation=form.cleaned_data["organisation"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("projects:call_detail", pk=call.pk)
    messages.success(request, _("A draft is created. It is saved as you type."))
    return redirect("projects:section_edit", pk=application.pk, section="general")


def _problems_context(application) -> dict:
    problems = submission_problems(application=application, call=application.call)
    return {"problems": problems}


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    context = {
        "application": application,
        "titles": section_titles(),
        "can_edit": _can_edit(request, application),
        "can_withdraw": request.user.has_perm(
            "projects.withdraw_application", application
        ),
        "comments": selectors.section_comments_of(application=application),
        "history": application.transitions.select_related("actor"),
        "withdraw_form": WithdrawForm(),
    }
    if context["can_edit"] and request.GET.get("check"):
        context.update(_problems_context(application))
    return render(request, "projects/application_detail.html", context)


# ---- the section editor ----------------------------------------------------------


def _row_formset(section, application, data=None, extra=None):
    form_class, names = ROW_FORMSETS[section]
    related = {
        "activities": application.activities,
        "results": application.results,
        "budget": application.budget_lines,
    }[section]
    if data is not None:
        # What is posted is the whole table: never mix in the stored rows (see
        # RowFormSetBase), so an autosave and a button save the same rows.
        return form_class(data, prefix="rows")
    initial = [{n: getattr(r, n) for n in names} for r in related.all()]
    if extra is None:
        extra = TABLE_DEFAULT_ROWS if not initial else 1
    formset_class = type(
        form_class.__name__,
        (form_class,),
        {"extra": extra},
    )
    return formset_class(initial=initial, prefix="rows")


def _budget_totals(rows) -> dict:
    grant = sum((r.get("grant_amount", Decimal(0)) for r in rows), Decimal(0))
    cofunding = sum((r.get("cofunding", Decimal(0)) for r in rows), Decimal(0))
    return {"grant": grant, "cofunding": cofunding, "total": grant + cofunding}


def _budget_rows_from(application) -> list[dict]:
    return [
        {"grant_amount": r.grant_amount, "cofunding": r.cofunding}
        for r in application.budget_lines.all()
    ]


def _section_form(section, application, data=None):
    form_class = SECTION_FORMS[section]
    kwargs = {"call": application.call} if section == "general" else {}
    return form_class(data, instance=application, **kwargs)


def _submitted_values(form) -> list[tuple]:
    """What the user typed, label by label, to show back after a conflict."""
    values = []
    forms_ = form.forms if isinstance(form, RowFormSetBase) else [form]
    for index, f in enumerate(forms_, start=1):
        for bound in f:
            if bound.name == "DELETE":
                continue
            raw = f.data.getlist(bound.html_name) if hasattr(f.data, "getlist") else []
            text = ", ".join(str(v) for v in raw if v not in ("", None))
            if text:
                label = bound.label
                if isinstance(form, RowFormSetBase):
                    label = f"{index}. {label}"
                values.append((label, text))
    return values


# Never from the browser's cache: the back button must show what is stored now, with
# the current version, or the next autosave would look like a conflict.
@never_cache
@login_required
def section_edit(request, pk, section):
    application = _application(request, pk)
    if section not in Application.SECTIONS:
        raise Http404
    editable = _can_edit(request, application) and application.section_is_editable(
        section
    )
    if request.method == "POST" and not editable:
        raise PermissionDenied
    titles = section_titles()
    context = {
        "application": application,
        "section": section,
        "section_title": titles[section],
        "titles": titles,
        "editable": editable,
        "comments": selectors.section_comments_of(application=application).get(
            section, []
        ),
        "sections": [
            (key, titles[key], application.section_is_editable(key))
            for key in Application.SECTIONS
        ],
        "next_section": _next_section(section),
    }
    if section == "organisation":
        return render(request, "projects/section_organisation.html", context)
    if section == "attachments":
        context["form"] = AttachmentForm(call=application.call)
        context["required"] = _required_with_files(application)
        return render(request, "projects/section_attachments.html", context)

    is_table = section in ROW_FORMSETS
    data = request.POST if request.method == "POST" else None
    if is_table:
        extra = _int(request.GET.get("extra"), None)
        form = _row_formset(section, application, data, extra=extra)
    else:
        form = _section_form(section, application, data)
    if request.GET.get("check") and data is None:
        _attach_problems(form, section, application, context)
    if not editable and not is_table:
        for field in form.fields.values():
            field.disabled = True

    state = None
    if data is not None:
        version = _int(request.POST.get("version"), -1)
        if form.is_valid():
            try:
                if is_table:
                    saved = services.application_save_section(
                        application=application,
                        section=section,
                        version=version,
                        actor=request.user,
                        rows=form.rows(),
                    )
                else:
                    saved = services.application_save_section(
                        application=application,
                        section=section,
                        version=version,
                        actor=request.user,
                        fields=form.cleaned_data,
                    )
            except services.StaleVersionError as exc:
                state = "conflict"
                context["current"] = exc.application
                context["typed"] = _submitted_values(form)
            else:
                state = "saved"
                application = saved
                context["application"] = saved
                if not request.htmx:
                    messages.success(
                        request,
                        _("Saved at %(time)s.")
                        % {
                            "time": timezone.localtime(saved.updated_at).strftime(
                                "%H:%M"
                            )
                        },
                    )
                    if "add_row" in request.POST:
                        url = reverse("projects:section_edit", args=[pk, section])
                        return redirect(f"{url}?extra=2")
                    if "next" in request.POST and context["next_section"]:
                        return redirect(
                            "projects:section_edit",
                            pk=pk,
                            section=context["next_section"],
                        )
                    return redirect("projects:section_edit", pk=pk, section=section)
        else:
            state = "invalid"
        context["state"] = state
        if request.htmx:
            if section == "budget":
                context["totals"] = _budget_totals(_budget_rows_from(application))
            return render(request, "projects/partials/save_status.html", context)
    context["form"] = form
    context["is_table"] = is_table
    context["version"] = (
        request.POST.get("version", application.version)
        if state == "conflict"
        else application.version
    )
    if section == "budget":
        context["totals"] = _budget_totals(_budget_rows_from(application))
        context["call"] = application.call
    template = (
        "projects/section_table.html" if is_table else "projects/section_form.html"
    )
    return render(
        request, template, context, status=409 if state == "conflict" else 200
    )


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _next_section(section):
    order = Application.SECTIONS
    i = order.index(section)
    return order[i + 1] if i + 1 < len(order) else None


def _attach_problems(form, section, application, context):
    problems = submission_problems(application=application, call=application.call)
    context["section_problems"] = []
    fields = getattr(form, "fields", {})
    for field, message in problems.get(section, []):
        label = fields[field].label if field != GENERAL and field in fields else ""
        context["section_problems"].append((label, message))


def _required_with_files(application):
    attachments = list(application.attachments.all())
    rows = [
        (doc, [a for a in attachments if a.required_document_id == doc.pk])
        for doc in application.call.required_documents.all()
    ]
    others = [a for a in attachments if a.required_document_id is None]
    return {"rows": rows, "others": others}


# ---- attachments --------------------------------------------------------------------


@require_POST
@login_required
def attachment_upload(request, pk):
    application = _application(request, pk)
    if not (
        _can_edit(request, application)
        and application.section_is_editable("attachments")
    ):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES, call=application.call)
    if form.is_valid():
        try:
            services.attachment_add(
                application=application,
                upload=form.cleaned_data["file"],
                required_document=form.cleaned_data["required_document"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("The file is attached."))
            return redirect("projects:section_edit", pk=pk, section="attachments")
    titles = section_titles()
    context = {
        "application": application,
        "section": "attachments",
        "section_title": titles["attachments"],
        "editable": True,
        "form": form,
        "required": _required_with_files(application),
        "comments": selectors.section_comments_of(application=application).get(
            "attachments", []
        ),
        "sections": [
            (key, titles[key], application.section_is_editable(key))
            for key in Application.SECTIONS
        ],
        "next_section": None,
    }
    return render(request, "projects/section_attachments.html", context, status=400)


@require_POST
@login_required
def attachment_delete(request, pk):
    try:
        attachment = selectors.attachment_for(user=request.user, pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    application = attachment.application
    if not (
        _can_edit(request, application)
        and application.section_is_editable("attachments")
    ):
        raise Http404
    services.attachment_delete(attachment=attachment, actor=request.user)
    messages.success(request, _("The file is removed."))
    return redirect("projects:section_edit", pk=application.pk, section="attachments")


@login_required
def attachment_download(request, pk):
    """Private files: only for those who may see the application."""
    try:
        attachment = selectors.attachment_for(user=request.user, pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    return file_response(
        attachment.file,
        request=request,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


# ---- submission, withdrawal, PDF -------------------------------------------------------


@require_POST
@login_required
def application_submit(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("projects.view_application", application) or not (
        is_ngo_leader(request.user)
        and selectors.is_leader_of(
            user=request.user, organisation_id=application.organisation_id
        )
    ):
        raise Http404
    was = application.status
    try:
        submitted = services.application_submit(
            application=application, actor=request.user
        )
    except services.SubmissionInvalidError as exc:
        context = {
            "application": application,
            "titles": section_titles(),
            "can_edit": _can_edit(request, application),
            "can_withdraw": request.user.has_perm(
                "projects.withdraw_application", application
            ),
            "comments": selectors.section_comments_of(application=application),
            "history": application.transitions.select_related("actor"),
            "withdraw_form": WithdrawForm(),
            "problems": exc.problems,
        }
        return render(request, "projects/application_detail.html", context, status=400)
    if was not in (Application.Status.SUBMITTED, Application.Status.RESUBMITTED):
        # The leader confirms, by submitting, that the people named in the team
        # agreed (the form says so next to the button): recorded per submission.
        consent_record(
            context=Consent.Context.TEAM_MEMBER,
            subject_name=submitted.team,
            entered_by=request.user,
            object_ref=f"projects.Application:{submitted.pk}:v{submitted.version}",
        )
    if was in (Application.Status.SUBMITTED, Application.Status.RESUBMITTED):
        messages.info(request, _("This application was already submitted."))
    elif was == Application.Status.RETURNED:
        messages.success(request, _("Resubmitted. Staff will see what you changed."))
    else:
        messages.success(
            request,
            _("Submitted. Your application's number is %(number)s.")
            % {"number": submitted.number},
        )
    return redirect("projects:application_detail", pk=pk)


@require_POST
@login_required
def application_withdraw(request, pk):
    application = _application(request, pk)
    if not request.user.has_perm("projects.withdraw_application", application):
        raise Http404
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                actor=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The application is withdrawn."))
    return redirect("projects:application_detail", pk=pk)


@require_POST
@login_required
def application_pdf(request, pk):
    application = _application(request, pk)
    if not application.number:
        raise Http404
    language = request.POST.get("language")
    if language not in ("kk", "ru"):
        language = "kk"
    job = document_request(
        kind="application_pdf",
        key=(
            f"{application.pk}:{application.version}:{application.status}:"
            f"{language}:{request.user.pk}"
        ),
        params={"application_id": application.pk, "language": language},
        user=request.user,
    )
    return redirect("document_status", pk=job.pk)
