"""Thin views: check the role and the object's scope, parse a form, call one service or
selector, render or redirect. Objects outside the user's scope are 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliance_portal import exports
from alliance_portal.documents import document_request, issued_panel, latest_issued
from alliance_portal.forms import apply_service_errors
from alliance_portal.money import format_tenge
from alliance_portal.paging import page_over_ids
from alliance_portal.permissions import (
    is_fund_officer,
    is_ngo_leader,
    is_official,
    is_staff_member,
    role_required,
)
from alliance_portal.private_files import file_response
from alliance_portal.typography import nested_quotes
from grants import rules, selectors, services
from grants.forms import (
    AmountForm,
    BudgetForm,
    DecisionForm,
    ExpenditureForm,
    GrantCreateForm,
    GrantFilterForm,
    MonitoringForm,
    PaymentForm,
    ReasonForm,
    ReportForm,
    RevisionForm,
    ScheduleFormSet,
    SignForm,
)
from grants.models import (
    BudgetRevision,
    Expenditure,
    Grant,
    Report,
    ReportPhoto,
    Tranche,
)
from projects.models import Application
from projects.selectors import LONG_TEXTS

PAGE_SIZE = 25
ANY_GRANT_ROLE = (is_staff_member, is_official, is_ngo_leader, is_fund_officer)
OVERSIGHT = (is_staff_member, is_official, is_fund_officer)


def _grant(request, pk) -> Grant:
    """The grant if the user may see it, else 404 (never confirm it exists)."""
    return get_object_or_404(
        selectors.grants_visible_to(user=request.user).select_related(
            "application__call",
            "organisation",
            "funder",
            "contract_template__template",
        ),
        pk=pk,
    )


def _grant_for_reporting(request, pk) -> Grant:
    grant = _grant(request, pk)
    if not rules.can_report_on_grant.test(request.user, grant):
        raise Http404
    return grant


def _form_page(request, *, grant, form, title, submit, enctype=False, extra=None):
    context = {
        "grant": grant,
        "form": form,
        "title": title,
        "submit": submit,
        "multipart": enctype,
        **(extra or {}),
    }
    return render(request, "grants/form.html", context)


def _back(grant: Grant):
    return redirect("grants:detail", pk=grant.pk)


# ---------------------------------------------------------------- lists


@role_required(*OVERSIGHT)
def grant_list(request):
    """The staff grants table (officials read-only; fund officers: their fund's)."""
    form = GrantFilterForm(request.GET or None)
    page = selectors.grants_table_page(
        user=request.user,
        filters=form.filters(),
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    awaiting = selectors.applications_awaiting_grant(user=request.user)[:20]
    return render(
        request,
        "grants/list.html",
        {"page_obj": page, "filter_form": form, "awaiting": awaiting},
    )


def _export_columns() -> list[tuple]:
    status = exports.labels(Grant.Status.choices)
    return [
        (_("Number"), lambda g: g.number),
        (_("Project"), lambda g: g.application.title),
        (_("Organisation"), lambda g: g.organisation.name),
        (
            _("District"),
            lambda g: g.organisation.district.name if g.organisation.district else "",
        ),
        (_("Call"), lambda g: g.application.call.title),
        (_("Funder"), lambda g: g.funder.name),
        (_("Status"), lambda g: status.get(g.status, g.status)),
        (_("Amount, ₸"), lambda g: g.amount),
        (_("Received, ₸"), lambda g: g.received),
        (_("Spent, ₸"), lambda g: g.spent),
        (_("Returned, ₸"), lambda g: g.returned_amount),
    ]


@role_required(*OVERSIGHT)
def grant_export(request, fmt):
    form = GrantFilterForm(request.GET or None)
    # Every row is written, none of the application's long texts is.
    rows = selectors.grants_table(user=request.user, filters=form.filters()).defer(
        *(f"application__{field}" for field in LONG_TEXTS)
    )
    columns = _export_columns()
    header = [str(title) for title, _get in columns]
    response = exports.table_response(
        fmt,
        "grants",
        header,
        exports.mapped(rows, [get for _title, get in columns]),
        title=_("Grants"),
        formats=dict.fromkeys(range(len(header) - 4, len(header)), "#,##0.00"),
    )
    if response is None:
        raise Http404
    return response


@role_required(is_ngo_leader)
def my_grants(request):
    page = Paginator(selectors.my_grants(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "grants/my.html", {"page_obj": page})


@role_required(is_fund_officer, is_staff_member, is_official)
def payments(request):
    data = selectors.tranches_for_fund_officer(user=request.user)
    paid = page_over_ids(
        data["paid"], page_number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(
        request,
        "grants/payments.html",
        {"awaiting": data["awaiting"], "page_obj": paid},
    )


# ---------------------------------------------------------------- one grant


@role_required(*ANY_GRANT_ROLE)
def grant_detail(request, pk):
    grant = _grant(request, pk)
    user = request.user
    context = {
        "grant": grant,
        "money": selectors.grant_money(grant=grant),
        "lines": selectors.budget_lines_with_spending(grant=grant),
        "tranches": selectors.tranches_with_readiness(grant=grant),
        "expenditures": grant.expenditures.select_related(
            "budget_line", "overspend_approved_by"
        ).order_by("-spent_on", "-pk")[:50],
        "reports": grant.reports.all(),
        "revisions": grant.budget_revisions.select_related("from_line", "to_line"),
        "visits": grant.monitoring_visits.all(),
        "can_manage": rules.can_manage_grant.test(user, grant),
        "can_report": rules.can_report_on_grant.test(user, grant),
        "can_confirm": rules.can_confirm_payment.test(user, grant),
        "can_dossier": rules.can_download_dossier.test(user, grant),
        "is_leader": is_ngo_leader(user),
        "hold_form": ReasonForm(),
        "decision_form": DecisionForm(),
        **issued_panel(user=user, subject=grant, kinds=("grant_contract",)),
    }
    return render(request, "grants/detail.html", context)


@role_required(*ANY_GRANT_ROLE)
def grant_timeline(request, pk):
    grant = _grant(request, pk)
    return render(
        request,
        "grants/timeline.html",
        {"grant": grant, "events": selectors.grant_timeline(grant=grant)},
    )


@role_required(is_staff_member)
def grant_create(request, application_pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation"),
        pk=application_pk,
        status=Application.Status.RECOMMENDED,
    )
    ceiling = services.application_ceiling(application)
    form = GrantCreateForm(request.POST or None, initial={"amount": ceiling})
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_create(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, gettext("Grant %(number)s created.") % {"number": grant.number}
            )
            return _back(grant)
    return render(
        request,
        "grants/form.html",
        {
            "form": form,
            "title": _("New grant: %(title)s") % {"title": application.title},
            "submit": _("Create the grant"),
        },
    )


def _staff_grant_form(request, pk, form_class, call, *, title, submit, multipart=False):
    grant = _grant(request, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(grant, form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return _back(grant)
    return _form_page(
        request, grant=grant, form=form, title=title, submit=submit, enctype=multipart
    )


@role_required(is_staff_member)
def grant_amount(request, pk):
    return _staff_grant_form(
        request,
        pk,
        AmountForm,
        lambda g, d: services.grant_change_amount(
            grant=g, actor=request.user, amount=d["amount"]
        ),
        title=_("Change the grant amount"),
        submit=_("Save"),
    )


@role_required(is_staff_member)
def grant_budget(request, pk):
    grant = _grant(request, pk)
    form = BudgetForm(request.POST or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_budget_set(
                grant=grant, actor=request.user, planned=form.planned()
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("Saved."))
            return _back(grant)
    return _form_page(
        request, grant=grant, form=form, title=_("Approved budget"), submit=_("Save")
    )


@role_required(is_staff_member)
def grant_schedule(request, pk):
    grant = _grant(request, pk)
    initial = [
        {
            "planned_on": t.planned_on,
            "amount": t.amount,
            "condition": t.condition,
            "condition_report_number": t.condition_report_number,
        }
        for t in grant.tranches.all()
    ]
    formset = ScheduleFormSet(request.POST or None, grant=grant, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.tranche_schedule_set(
                grant=grant, actor=request.user, items=formset.items()
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, gettext("Saved."))
            return _back(grant)
    return render(request, "grants/schedule.html", {"grant": grant, "formset": formset})


@role_required(is_staff_member)
@require_POST
def grant_generate_contract(request, pk):
    grant = _grant(request, pk)
    try:
        services.grant_generate_contract(
            grant=grant, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext(
                "The contract is being generated in Kazakh, in Russian and in two "
                "columns."
            ),
        )
    return _back(grant)


@role_required(*ANY_GRANT_ROLE)
def grant_contract(request, pk, lang):
    """The latest issued version of the contract in one layout, exactly as issued."""
    grant = _grant(request, pk)
    if lang not in services.grants.CONTRACT_LAYOUTS or grant.contract_version == 0:
        raise Http404
    issued = latest_issued(kind="grant_contract", subject=grant, variant=lang)
    if issued is None or issued.version != grant.contract_version:
        messages.info(
            request, gettext("The contract is being generated; try again in a moment.")
        )
        return _back(grant)
    return redirect("issued_download", issued.pk)


@role_required(is_staff_member)
def grant_sign(request, pk):
    return _staff_grant_form(
        request,
        pk,
        SignForm,
        lambda g, d: services.grant_sign(grant=g, actor=request.user, scan=d["scan"]),
        title=_("Upload the signed contract"),
        submit=_("Mark as signed"),
        multipart=True,
    )


def _private_file(request, field, filename: str):
    return file_response(field, as_attachment=True, filename=filename, request=request)


@role_required(*ANY_GRANT_ROLE)
def grant_scan(request, pk):
    grant = _grant(request, pk)
    return _private_file(request, grant.signed_scan, f"{grant.number}-signed.pdf")


@role_required(is_staff_member)
@require_POST
def grant_close(request, pk):
    grant = _grant(request, pk)
    try:
        services.grant_close(grant=grant, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The grant is closed."))
    return _back(grant)


@role_required(*OVERSIGHT)
@require_POST
def grant_dossier(request, pk):
    grant = _grant(request, pk)
    if not rules.can_download_dossier.test(request.user, grant):
        raise Http404
    job = document_request(
        kind="grant_dossier",
        key=f"{grant.pk}:{request.user.pk}:{timezone.now():%Y%m%d%H%M%S}",
        params={"grant_id": grant.pk},
        user=request.user,
    )
    return redirect("document_status", job.pk)


# ---------------------------------------------------------------- tranches


@role_required(is_staff_member, is_ngo_leader)
@require_POST
def tranche_action(request, pk, action):
    tranche = get_object_or_404(
        Tranche.objects.filter(
            grant__in=selectors.grants_visible_to(user=request.user)
        ),
        pk=pk,
    )
    grant = tranche.grant
    staff_only = {"approve", "hold", "release"}
    if action not in staff_only | {"request"}:
        raise Http404
    if action in staff_only and not is_staff_member(request.user):
        raise PermissionDenied
    try:
        if action == "request":
            services.tranche_request(tranche=tranche, actor=request.user)
        elif action == "approve":
            services.tranche_approve(tranche=tranche, actor=request.user)
        elif action == "hold":
            services.tranche_hold(
                tranche=tranche,
                actor=request.user,
                reason=request.POST.get("reason", ""),
            )
        else:
            services.tranche_release(tranche=tranche, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Saved."))
    return _back(grant)


@role_required(is_fund_officer, is_staff_member)
def tranche_confirm(request, pk):
    tranche = get_object_or_404(
        Tranche.objects.filter(
            grant__in=selectors.grants_visible_to(user=request.user)
        ).select_related("grant"),
        pk=pk,
    )
    form = PaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.tranche_confirm_payment(
                tranche=tranche, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("The payment is recorded."))
            return redirect("grants:payments")
    return _form_page(
        request,
        grant=tranche.grant,
        form=form,
        title=_("Confirm payment of tranche %(n)s (%(amount)s)")
        % {"n": tranche.sequence, "amount": format_tenge(tranche.amount)},
        submit=_("Confirm payment"),
    )


# ---------------------------------------------------------------- spending


@role_required(is_ngo_leader, is_staff_member)
def expenditure_create(request, pk):
    grant = _grant_for_reporting(request, pk)
    form = ExpenditureForm(request.POST or None, request.FILES or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expenditure = services.expenditure_record(
                grant=grant,
                actor=request.user,
                budget_line_id=data["budget_line"].pk,
                spent_on=data["spent_on"],
                description=data["description"],
                amount=data["amount"],
                supplier=data["supplier"],
                payment_document=data["payment_document"],
                receipt=data.get("receipt"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if expenditure.is_overspend:
                messages.warning(
                    request,
                    gettext(
                        "This spending goes beyond the line's plan: staff must approve it."
                    ),
                )
            else:
                messages.success(request, gettext("The expenditure is recorded."))
            return _back(grant)
    return _form_page(
        request,
        grant=grant,
        form=form,
        title=_("Record an expenditure"),
        submit=_("Save"),
        enctype=True,
    )


@role_required(*ANY_GRANT_ROLE)
def expenditure_receipt(request, pk):
    expenditure = get_object_or_404(
        Expenditure.objects.filter(
            grant__in=selectors.grants_visible_to(user=request.user)
        ),
        pk=pk,
    )
    return _private_file(
        request, expenditure.receipt, expenditure.receipt.name.rsplit("/", 1)[-1]
    )


@role_required(is_staff_member)
@require_POST
def expenditure_approve_overspend(request, pk):
    expenditure = get_object_or_404(Expenditure, pk=pk)
    try:
        services.expenditure_approve_overspend(
            expenditure=expenditure, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The over-spend of %(amount)s on “%(line)s” is approved.")
            % {
                "amount": format_tenge(expenditure.amount),
                "line": nested_quotes(expenditure.budget_line),
            },
        )
    return _back(expenditure.grant)


@role_required(is_ngo_leader, is_staff_member)
def revision_create(request, pk):
    grant = _grant_for_reporting(request, pk)
    form = RevisionForm(request.POST or None, grant=grant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_revision_request(
                grant=grant,
                actor=request.user,
                from_line_id=data["from_line"].pk,
                to_line_id=data["to_line"].pk,
                amount=data["amount"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, gettext("The budget revision is requested."))
            return _back(grant)
    return _form_page(
        request,
        grant=grant,
        form=form,
        title=_("Request a budget revision"),
        submit=_("Send"),
    )


@role_required(is_staff_member)
@require_POST
def revision_decide(request, pk):
    revision = get_object_or_404(BudgetRevision, pk=pk)
    try:
        services.budget_revision_decide(
            revision=revision,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(revision.grant)


# ---------------------------------------------------------------- reports


def _report(request, pk) -> Report:
    return get_object_or_404(
        Report.objects.filter(
            grant__in=selectors.grants_visible_to(user=request.user)
        ).select_related("grant"),
        pk=pk,
    )


def _save_report(request, grant, form, report=None, kind=Report.Kind.INTERIM):
    data = form.cleaned_data
    report = services.report_save(
        grant=grant,
        actor=request.user,
        kind=kind,
        report=report,
        period_start=data["period_start"],
        period_end=data["period_end"],
        activities=data["activities"],
        results=data["results"],
        beneficiaries_reached=data["beneficiaries_reached"],
    )
    if data.get("photo"):
        services.report_add_photo(
            report=report, actor=request.user, image=data["photo"]
        )
    return report


@role_required(is_ngo_leader, is_staff_member)
def report_create(request, pk):
    grant = _grant_for_reporting(request, pk)
    kind = (
        Report.Kind.FINAL if request.GET.get("kind") == "final" else Report.Kind.INTERIM
    )
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = _save_report(request, grant, form, kind=kind)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("grants:report", pk=report.pk)
    title = _("Final report") if kind == Report.Kind.FINAL else _("Interim report")
    return _form_page(
        request,
        grant=grant,
        form=form,
        title=title,
        submit=_("Save draft"),
        enctype=True,
    )


@role_required(is_ngo_leader, is_staff_member)
def report_edit(request, pk):
    report = _report(request, pk)
    grant = report.grant
    if not rules.can_report_on_grant.test(request.user, grant):
        raise Http404
    initial = {
        f: getattr(report, f)
        for f in (
            "period_start",
            "period_end",
            "activities",
            "results",
            "beneficiaries_reached",
        )
    }
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_report(request, grant, form, report=report, kind=report.kind)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("grants:report", pk=report.pk)
    return _form_page(
        request,
        grant=grant,
        form=form,
        title=str(report),
        submit=_("Save draft"),
        enctype=True,
    )


@role_required(*ANY_GRANT_ROLE)
def report_detail(request, pk):
    report = _report(request, pk)
    return render(
        request,
        "grants/report.html",
        {
            "report": report,
            "grant": report.grant,
            "financial": selectors.report_financial_part(report=report),
            "expenditures": selectors.report_expenditures(report=report),
            "photos": report.photos.all(),
            "can_report": rules.can_report_on_grant.test(request.user, report.grant),
            "can_manage": rules.can_manage_grant.test(request.user, report.grant),
            "decision_form": DecisionForm(),
            "blockers": selectors.report_approval_blockers(report=report),
        },
    )


@role_required(is_ngo_leader, is_staff_member)
@require_POST
def report_submit(request, pk):
    report = _report(request, pk)
    if not rules.can_report_on_grant.test(request.user, report.grant):
        raise Http404
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("The report is submitted."))
    return redirect("grants:report", pk=report.pk)


@role_required(is_staff_member)
@require_POST
def report_decide(request, pk):
    report = _report(request, pk)
    try:
        services.report_decide(
            report=report,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("grants:report", pk=report.pk)


@role_required(*ANY_GRANT_ROLE)
def report_photo(request, pk):
    photo = get_object_or_404(
        ReportPhoto.objects.filter(
            report__grant__in=selectors.grants_visible_to(user=request.user)
        ),
        pk=pk,
    )
    return file_response(photo.image, request=request)


# ---------------------------------------------------------------- monitoring


@role_required(is_staff_member)
def monitoring_create(request, pk):
    grant = _grant(request, pk)
    form = MonitoringForm(
        request.POST or None, initial={"visited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.monitoring_visit_record(
                grant=grant, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _back(grant)
    return _form_page(
        request, grant=grant, form=form, title=_("Monitoring visit"), submit=_("Save")
    )


def contract_url(grant: Grant, lang: str) -> str:
    return reverse("grants:contract", args=[grant.pk, lang])
