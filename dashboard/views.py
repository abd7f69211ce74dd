"""Pages of the dashboard: thin — parse the filters, call one selector, render."""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alliance_portal import exports
from alliance_portal.documents import document_request
from alliance_portal.paging import page_over_ids
from alliance_portal.permissions import (
    is_fund_officer,
    is_official,
    is_staff_member,
    role_required,
)
from members.models import District
from resources.selectors import news_latest_public

from . import opendata, selectors
from .cache import data_version, figures_key
from .filters import DashboardFilters, funder_scope_of
from .forms import DashboardFilterForm

PAGE_SIZE = 25
READERS = (is_official, is_staff_member, is_fund_officer)
CHART_LABELS = {
    "allocated": _("Allocated"),
    "contracted": _("Contracted"),
    "paid": _("Paid"),
    "spent": _("Spent"),
    "count": _("Number"),
}


def _filters(request) -> tuple[DashboardFilterForm, DashboardFilters]:
    scope = funder_scope_of(request.user)
    form = DashboardFilterForm(
        request.GET or None,
        choices=selectors.filter_choices(funder_scope=scope),
    )
    return form, replace(form.to_filters(), funder_scope=scope)


@role_required(*READERS)
def dashboard(request):
    form, filters = _filters(request)
    data = selectors.dashboard_data(filters=filters)
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "form": form,
            "data": data,
            "chart_data": data.chart_data(),
            "fragment_key": figures_key(filters.digest()),
            "chart_labels": CHART_LABELS,
            "query": filters.query_string(),
            "no_fund": filters.funder_scope == (),
        },
    )


@role_required(*READERS)
def district_projects(request, pk: int):
    """Drill-down: the funded projects of one district under the same filters."""
    district = get_object_or_404(District, pk=pk)
    _form, filters = _filters(request)
    filters = replace(filters, district=district.pk)
    page_obj = page_over_ids(
        selectors.funded_projects(filters=filters),
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    return render(
        request,
        "dashboard/district_projects.html",
        {
            "district": district,
            "page_obj": page_obj,
            "query": filters.query_string(),
        },
    )


@role_required(*READERS)
def project_detail(request, pk: int):
    scope = funder_scope_of(request.user)
    summary = selectors.project_summary(
        filters=DashboardFilters(funder_scope=scope), pk=pk
    )
    return render(request, "dashboard/project_detail.html", {"summary": summary})


def _export_language(request) -> str:
    language = request.POST.get("language") or translation.get_language()
    return language if language in ("kk", "ru") else "ru"


@require_POST
@role_required(*READERS)
def export(request, kind: str):
    """Queue the XLSX or PDF of the figures; same filters and data → same job."""
    if kind not in ("xlsx", "pdf"):
        raise Http404
    _form, filters = _filters(request)
    if kind == "pdf":
        language = _export_language(request)
    else:
        language = translation.get_language() or "kk"
    stamp = f"{data_version()}:{timezone.localdate().isoformat()}"
    job = document_request(
        kind=f"dashboard_{kind}",
        key=f"{request.user.pk}:{language}:{filters.digest()}:{stamp}",
        params={"filters": filters.to_params(), "language": language},
        user=request.user,
    )
    return redirect(reverse("document_status", args=[job.pk]))


# --- public ---------------------------------------------------------------------

TABS = ("projects", "members", "memoranda", "calls")


def transparency(request):
    """Where the money went, for everyone: no login, no personal data."""
    tab = request.GET.get("tab", "projects")
    if tab not in TABS:
        tab = "projects"
    querysets = {
        "projects": selectors.public_projects,
        "members": selectors.public_members,
        "memoranda": selectors.public_memoranda,
        "calls": selectors.public_calls,
    }
    page_obj = page_over_ids(
        querysets[tab](), page_number=request.GET.get("page"), per_page=PAGE_SIZE
    )
    return render(
        request,
        "dashboard/transparency.html",
        {
            "tab": tab,
            "tabs": TABS,
            "page_obj": page_obj,
            # The alliance's public news: the page is the sector's mirror.
            "news": news_latest_public(limit=5),
        },
    )


def open_data(request, dataset: str, fmt: str):
    """The transparency page's lists as CSV or JSON, streamed: public, and no larger
    in memory with ten years of data than with one."""
    if dataset not in opendata.DATASETS or fmt not in ("csv", "json"):
        raise Http404
    columns, rows = opendata.DATASETS[dataset]()
    filename = f"alliance-{dataset}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "json":
        return exports.json_response(filename, rows, private=False)
    return exports.csv_response(
        filename, columns, ([row[c] for c in columns] for row in rows), private=False
    )
