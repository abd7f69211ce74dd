"""Pages of the memoranda app: thin — a form checks input, then a service or a
selector, then render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliance_portal.documents import issued_panel
from alliance_portal.forms import apply_service_errors
from alliance_portal.models import IssuedDocument
from alliance_portal.permissions import is_oversight, is_staff_member, role_required
from alliance_portal.private_files import file_response

from . import selectors, services
from .forms import (
    CommitmentForm,
    CommitmentProgressForm,
    MemorandumFilterForm,
    MemorandumForm,
    party_formset,
)
from .models import Commitment, Memorandum

PAGE_SIZE = 20


def memorandum_list(request):
    """Memoranda in force for everyone; all of them for staff, officials and the fund."""
    sees_all = is_oversight(request.user)
    statuses = (
        Memorandum.Status.choices
        if sees_all
        else [
            (Memorandum.Status.IN_FORCE, Memorandum.Status.IN_FORCE.label),
            (Memorandum.Status.EXPIRED, Memorandum.Status.EXPIRED.label),
            (Memorandum.Status.TERMINATED, Memorandum.Status.TERMINATED.label),
        ]
    )
    form = MemorandumFilterForm(
        request.GET or None,
        years=selectors.memorandum_years(user=request.user),
        statuses=statuses,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.memorandum_list(
        user=request.user,
        kind=filters.get("kind") or "",
        year=filters.get("year"),
        status=filters.get("status") or "",
    )
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "memoranda/memorandum_list.html",
        {"page_obj": page_obj, "filter_form": form, "sees_all": sees_all},
    )


def memorandum_detail(request, pk: int):
    memorandum = selectors.memorandum_detail(user=request.user, pk=pk)
    commitments = list(memorandum.commitments.all())
    total = memorandum.commitments_total
    percent = round(100 * memorandum.commitments_done / total) if total else 0
    return render(
        request,
        "memoranda/memorandum_detail.html",
        {
            "memorandum": memorandum,
            "commitments": commitments,
            "progress_percent": percent,
            "can_edit": is_staff_member(request.user),
            "sees_evidence": is_oversight(request.user),
            **issued_panel(
                user=request.user, subject=memorandum, kinds=("memorandum_pdf",)
            ),
        },
    )


def _memorandum_form_page(request, memorandum: Memorandum | None):
    data = request.POST if request.method == "POST" else None
    form = MemorandumForm(data, request.FILES or None, instance=memorandum)
    parties = party_formset(data=data, memorandum=memorandum)
    if data is not None and form.is_valid() and parties.is_valid():
        fields = form.cleaned_data
        scan = request.FILES.get("scan")
        try:
            if memorandum is None:
                memorandum = services.memorandum_create(
                    data=fields,
                    parties=parties.parties(),
                    actor=request.user,
                    scan=scan,
                )
            else:
                memorandum = services.memorandum_update(
                    memorandum=memorandum,
                    data=fields,
                    parties=parties.parties(),
                    actor=request.user,
                    scan=scan,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The memorandum is saved."))
            return redirect("memoranda:detail", pk=memorandum.pk)
    return render(
        request,
        "memoranda/memorandum_form.html",
        {"form": form, "parties": parties, "memorandum": memorandum},
    )


@role_required(is_staff_member)
def memorandum_create(request):
    return _memorandum_form_page(request, None)


@role_required(is_staff_member)
def memorandum_update(request, pk: int):
    memorandum = get_object_or_404(
        Memorandum.objects.prefetch_related("parties"), pk=pk
    )
    return _memorandum_form_page(request, memorandum)


def memorandum_scan(request, pk: int):
    """The signed scan, only to those who may see the memorandum."""
    memorandum = get_object_or_404(
        selectors.memoranda_visible_to(user=request.user), pk=pk
    )
    return file_response(
        memorandum.scan,
        request=request,
        content_type="application/pdf",
        filename=f"memorandum-{memorandum.number}-scan.pdf",
    )


@login_required
@require_POST
def memorandum_pdf(request, pk: int, language: str):
    memorandum = get_object_or_404(
        selectors.memoranda_visible_to(user=request.user), pk=pk
    )
    if language not in services.PDF_LANGUAGES:
        raise Http404
    result = services.memorandum_request_pdf(
        memorandum=memorandum, language=language, user=request.user
    )
    if isinstance(result, IssuedDocument):
        return redirect(reverse("issued_download", args=[result.pk]))
    return redirect(reverse("document_status", args=[result.pk]))


@role_required(is_staff_member)
def commitment_create(request, pk: int):
    memorandum = get_object_or_404(Memorandum, pk=pk)
    form = CommitmentForm(request.POST or None, memorandum=memorandum)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_add(
                memorandum=memorandum, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is added."))
            return redirect("memoranda:detail", pk=memorandum.pk)
    return render(
        request,
        "memoranda/commitment_form.html",
        {"form": form, "memorandum": memorandum},
    )


@role_required(is_staff_member)
def commitment_update(request, pk: int):
    commitment = get_object_or_404(
        Commitment.objects.select_related("memorandum"), pk=pk
    )
    memorandum = commitment.memorandum
    form = CommitmentForm(
        request.POST or None, instance=commitment, memorandum=memorandum
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                commitment=commitment, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The commitment is saved."))
            return redirect("memoranda:detail", pk=memorandum.pk)
    return render(
        request,
        "memoranda/commitment_form.html",
        {"form": form, "memorandum": memorandum, "commitment": commitment},
    )


@role_required(is_staff_member)
def commitment_progress(request, pk: int):
    """Record progress on a commitment: a note, a status, evidence files."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("memorandum", "responsible"), pk=pk
    )
    initial = {"status": commitment.status}
    form = CommitmentProgressForm(
        request.POST or None, request.FILES or None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update_status(
                commitment=commitment,
                to_status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The progress is recorded."))
            return redirect("memoranda:detail", pk=commitment.memorandum_id)
    return render(
        request,
        "memoranda/commitment_progress.html",
        {"form": form, "commitment": commitment, "memorandum": commitment.memorandum},
    )


@login_required
def evidence_download(request, pk: int):
    evidence = selectors.evidence_visible_to(user=request.user, pk=pk)
    return file_response(
        evidence.file,
        request=request,
        content_type=evidence.content_type,
        as_attachment=True,
        filename=evidence.original_name,
    )
