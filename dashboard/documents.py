"""Generated documents of the dashboard: its figures as XLSX and as a PDF report.

Both are built from the same :func:`dashboard_figures` as the page, so a download
never disagrees with the screen for the same filters and data version."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance_portal import exports
from alliance_portal.documents import register
from alliance_portal.pdf import render_pdf

from .filters import DashboardFilters
from .selectors import DashboardData, dashboard_figures, filter_labels

MONEY_FORMAT = "#,##0.00"


def _figures(job) -> tuple[DashboardData, dict]:
    filters = DashboardFilters.from_params(job.params["filters"])
    data = dashboard_figures(filters=filters)
    return data, filter_labels(filters)


def headline_rows(data: DashboardData) -> list[tuple[str, object, bool]]:
    """(label, value, is money) of each headline figure, in the page's order."""
    h = data.headline
    rows = [
        (_("Money allocated (call envelopes), ₸"), h.allocated, True),
        (_("Contracted (grant amounts), ₸"), h.contracted, True),
        (_("Paid (tranches), ₸"), h.paid, True),
        (_("Spent (expenditures), ₸"), h.spent, True),
        (_("Returned unspent, ₸"), h.returned, True),
        (_("Calls for proposals"), h.calls, False),
        (_("Applications submitted"), h.applications, False),
        (_("Funded projects"), h.funded_projects, False),
        (_("NGOs funded"), h.ngos_funded, False),
        (_("Beneficiaries reached"), h.beneficiaries, False),
        (_("Member NGOs now"), h.members_now, False),
    ]
    if h.members_at_start is not None:
        rows.append(
            (_("Member NGOs at the start of the period"), h.members_at_start, False)
        )
    return rows


def _sheet(sheets: list, title: str, header: list, rows: list, money_columns=()):
    sheets.append(
        exports.Sheet(
            title,
            header,
            rows,
            formats={column - 1: MONEY_FORMAT for column in money_columns},
            widths=[48 if index == 0 else 20 for index in range(len(header))],
        )
    )


def build_workbook(data: DashboardData, labels: dict) -> bytes:
    """The figures in one sheet per chart; money as numbers formatted as tenge."""
    workbook: list = []
    money = [_("Contracted, ₸"), _("Paid, ₸"), _("Spent, ₸")]
    _sheet(
        workbook,
        _("Headline"),
        [_("Figure"), _("Value")],
        [
            *((label, value) for label, value, _money in headline_rows(data)),
            ("", ""),
            *labels.items(),
        ],
        money_columns=(2,),
    )
    _sheet(
        workbook,
        _("By year"),
        [_("Year"), _("Allocated, ₸"), *money],
        [(r.year, r.allocated, r.contracted, r.paid, r.spent) for r in data.by_year],
        money_columns=(2, 3, 4, 5),
    )
    for title, rows in (
        (_("By district"), data.by_district),
        (_("By theme"), data.by_theme),
        (_("By funder"), data.by_funder),
    ):
        _sheet(
            workbook,
            title,
            [title, _("Projects"), *money],
            [(r.label, r.projects, r.contracted, r.paid, r.spent) for r in rows],
            money_columns=(3, 4, 5),
        )
    _sheet(
        workbook,
        _("Applications funnel"),
        [_("Stage"), _("Applications")],
        [(r.label, r.count) for r in data.funnel],
    )
    _sheet(
        workbook,
        _("Paid and spent by quarter"),
        [_("Quarter"), _("Paid, ₸"), _("Spent, ₸")],
        [(r.label, r.paid, r.spent) for r in data.quarters],
        money_columns=(2, 3),
    )
    _sheet(
        workbook,
        _("Memorandum commitments"),
        [_("Status"), _("Commitments")],
        [(r.label, r.count) for r in data.commitments],
    )
    _sheet(
        workbook,
        _("Forum resolutions"),
        [_("Status"), _("Resolutions")],
        [(r.label, r.count) for r in data.resolutions],
    )
    return exports.xlsx_bytes(workbook)


@register("dashboard_xlsx")
def build_xlsx(job) -> tuple[str, bytes]:
    language = job.params.get("language", "kk")
    with translation.override(language):
        data, labels = _figures(job)
        content = build_workbook(data, labels)
    return f"dashboard-{timezone.localdate().isoformat()}.xlsx", content


@register("dashboard_pdf")
def build_pdf(job) -> tuple[str, bytes]:
    language = job.params.get("language", "kk")
    with translation.override(language):
        data, labels = _figures(job)
        content = render_pdf(
            "dashboard/pdf/report.html",
            {
                "data": data,
                "labels": labels,
                "headline_rows": headline_rows(data),
                "generated_on": timezone.localdate(),
            },
            language=language,
        )
    return f"dashboard-{timezone.localdate().isoformat()}-{language}.pdf", content
