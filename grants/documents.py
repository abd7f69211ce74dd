"""Generated documents of the grants app: the tripartite contract (kk, ru) and the
auditors' dossier (ZIP). Rendered by Celery through alliance_portal.documents."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from alliance_portal import exports
from alliance_portal.documents import issue_info, issued_access, latest_issued, register
from alliance_portal.money import format_tenge
from alliance_portal.pdf import render_pdf
from grants.models import Expenditure, Grant, MonitoringVisit, Report, Tranche
from grants.selectors import grants_visible_to, report_financial_part
from projects.documents import application_pdf
from reviews.documents import minutes_pdf
from reviews.models import CouncilDecision


def contract_pdf(grant: Grant, layout: str, issue: dict | None = None) -> bytes:
    """The contract in one layout: "kk", "ru" or "kk-ru" (two columns, Kazakh |
    Russian). ``issue`` (number, version, issue date, template version and
    memorandum ids) pins what an issued version was made from; without it the
    current template and the memorandum in force are used."""
    from grants.contract import check_prerequisites, contract_context
    from grants.models import ContractTemplateVersion
    from memoranda.models import Memorandum

    grant = (
        Grant.objects.select_related(
            "application__call", "organisation", "funder", "contract_template"
        )
        .prefetch_related(
            "organisation__bank_accounts", "funder__bank_accounts", "tranches"
        )
        .get(pk=grant.pk)
    )
    issue = issue or {}
    pre = check_prerequisites(grant)
    version = pre.template_version
    if issue.get("template_version"):
        version = ContractTemplateVersion.objects.select_related("template").get(
            pk=issue["template_version"]
        )
    memorandum = pre.memorandum
    if issue.get("memorandum"):
        memorandum = Memorandum.objects.get(pk=issue["memorandum"])
    context = contract_context(
        grant,
        version=version,
        memorandum=memorandum,
        the_alliance=pre.alliance,
        issue=issue,
    )
    language = "ru" if layout == "ru" else "kk"
    with translation.override(language):
        return render_pdf(
            "grants/pdf/contract.html",
            {**context, "layout": layout, "one": [layout], "both": ["kk", "ru"]},
            language=language,
        )


@register("grant_contract")
def build_contract(job) -> tuple[str, bytes]:
    grant = Grant.objects.get(pk=job.params["grant_id"])
    layout = job.params.get("layout") or job.params.get("language", "kk")
    info = issue_info(job)
    issue = {
        **info,
        "template_version": job.params.get("template_version"),
        "memorandum": job.params.get("memorandum"),
    }
    version = info.get("version", grant.contract_version)
    return (
        f"{grant.number}-contract-v{version}-{layout}.pdf",
        contract_pdf(grant, layout, issue),
    )


@issued_access("grant_contract")
def can_download_contract(user, grant: Grant) -> bool:
    return grants_visible_to(user=user).filter(pk=grant.pk).exists()


def expenditure_ledger_xlsx(grant: Grant) -> bytes:
    """The ledger sheet of the audit dossier, through the portal's one export writer
    (suppliers and descriptions are typed by leaders: never formulas)."""
    header = [
        _("Date"),
        _("Budget line"),
        _("Description"),
        _("Supplier"),
        _("Payment document"),
        _("Amount, ₸"),
        _("Over the plan"),
        _("Approved by"),
    ]
    rows = Expenditure.objects.filter(grant=grant).select_related(
        "budget_line", "overspend_approved_by"
    )
    total = rows.aggregate(s=Sum("amount"))["s"] or 0

    def lines():
        for e in rows.iterator(chunk_size=2000):
            yield [
                e.spent_on,
                e.budget_line.item,
                e.description,
                e.supplier,
                e.payment_document,
                e.amount,
                _("yes") if e.is_overspend else "",
                str(e.overspend_approved_by or ""),
            ]
        yield ["", "", "", "", _("Total"), total]

    sheet = exports.Sheet(
        "Ledger",
        header,
        lines(),
        formats={0: "DD.MM.YYYY", 5: "#,##0.00"},
        widths=(12, 30, 40, 25, 18, 16, 10, 20),
    )
    return exports.xlsx_bytes([sheet])


def _payments_text(grant: Grant) -> str:
    lines = [f"{_('Tranche payments')} — {grant.number}", ""]
    lines.extend(
        f"#{t.sequence}\t{format_tenge(t.amount)}\t{t.get_status_display()}\t"
        f"{t.paid_on or ''}\t{t.payment_document}\t{t.confirmed_by or ''}"
        for t in Tranche.objects.filter(grant=grant).select_related("confirmed_by")
    )
    return "\n".join(lines) + "\n"


def _report_text(report: Report) -> str:
    parts = [
        f"{report.get_kind_display()} №{report.number} — {report.grant.number}",
        f"{report.period_start:%d.%m.%Y} – {report.period_end:%d.%m.%Y}",
        f"{_('Status')}: {report.get_status_display()}",
        "",
        f"{_('Activities done')}:\n{report.activities}",
        "",
        f"{_('Results against the indicators')}:\n{report.results}",
        "",
        f"{_('Beneficiaries reached')}: {report.beneficiaries_reached}",
        "",
        f"{_('Financial part')}:",
    ]
    parts.extend(
        f"  {row['budget_line__item']}: {format_tenge(row['spent'])}"
        for row in report_financial_part(report=report)
    )
    if report.review_comment:
        parts += ["", f"{_('Staff comments')}:\n{report.review_comment}"]
    return "\n".join(parts) + "\n"


def _monitoring_text(grant: Grant) -> str:
    parts = [f"{_('Monitoring visits')} — {grant.number}", ""]
    for v in MonitoringVisit.objects.filter(grant=grant).order_by("visited_on"):
        parts += [
            f"{v.visited_on:%d.%m.%Y} · {v.visitors} · {v.rating}/5",
            v.findings,
            v.follow_up,
            "",
        ]
    return "\n".join(parts) + "\n"


def dossier_zip(grant: Grant, language: str = "kk") -> bytes:
    """Everything about one grant for the fund's and the akimat's auditors."""
    buffer = io.BytesIO()
    with (
        translation.override(language),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        n = grant.number
        _, application = application_pdf(grant.application_id, language)
        archive.writestr(f"{n}/00-application-{language}.pdf", application)
        decision = (
            CouncilDecision.objects.filter(
                application_id=grant.application_id, session__decided_at__isnull=False
            )
            .select_related("session")
            .order_by("-session__held_on", "-pk")
            .first()
        )
        if decision is not None:
            # The minutes as issued; a session closed before minutes were issued
            # is rendered from its frozen snapshot.
            issued = latest_issued(
                kind="council_minutes", subject=decision.session, variant=language
            )
            if issued is not None:
                with issued.file.open("rb") as stored:
                    minutes = stored.read()
            elif decision.session.minutes_snapshot:
                _, minutes = minutes_pdf(decision.session_id, language)
            else:
                minutes = None
            if minutes is not None:
                archive.writestr(f"{n}/00-council-minutes-{language}.pdf", minutes)
        # The contract as issued (the exact bytes of its latest version), never
        # re-rendered from today's data.
        for layout in ("kk", "ru", "kk-ru"):
            issued = latest_issued(kind="grant_contract", subject=grant, variant=layout)
            if issued is not None:
                with issued.file.open("rb") as stored:
                    archive.writestr(
                        f"{n}/01-contract-v{issued.version}-{layout}.pdf",
                        stored.read(),
                    )
        if grant.signed_scan:
            with grant.signed_scan.open("rb") as scan:
                archive.writestr(f"{n}/02-contract-signed.pdf", scan.read())
        if grant.signed_contract_id:
            # The exact PDF, every party's .cms and the portal's verdicts.
            from esign.copies import signed_zip

            archive.writestr(
                f"{n}/02-contract-signed-ecp.zip", signed_zip(grant.signed_contract)
            )
        archive.writestr(f"{n}/03-tranche-payments.txt", _payments_text(grant))
        archive.writestr(
            f"{n}/04-expenditure-ledger.xlsx", expenditure_ledger_xlsx(grant)
        )
        for e in Expenditure.objects.filter(grant=grant).exclude(receipt=""):
            name = e.receipt.name.rsplit("/", 1)[-1]
            with e.receipt.open("rb") as receipt:
                archive.writestr(
                    f"{n}/05-receipts/{e.spent_on}-{e.pk}-{name}", receipt.read()
                )
        for report in Report.objects.filter(grant=grant).select_related("grant"):
            archive.writestr(
                f"{n}/06-reports/{report.number:02d}-{report.kind}.txt",
                _report_text(report),
            )
        archive.writestr(f"{n}/07-monitoring.txt", _monitoring_text(grant))
    return buffer.getvalue()


@register("grant_dossier")
def build_dossier(job) -> tuple[str, bytes]:
    grant = Grant.objects.get(pk=job.params["grant_id"])
    language = getattr(job.requested_by, "language", None) or "kk"
    return f"{grant.number}-dossier.zip", dossier_zip(grant, language)
