"""Reports (narrative typed by the NGO, financial part from the expenditures) and
monitoring visits."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from grants.models import Grant, MonitoringVisit, Report, ReportPhoto
from grants.selectors import leaders_of
from grants.services.common import grant_move, grant_url, notify_all
from grants.validators import validate_image

NARRATIVE = ("activities", "results", "beneficiaries_reached")


@transaction.atomic
def report_save(
    *,
    grant: Grant,
    actor,
    kind: str,
    period_start: datetime.date,
    period_end: datetime.date,
    activities: str = "",
    results: str = "",
    beneficiaries_reached: int = 0,
    report: Report | None = None,
    due_on: datetime.date | None = None,
) -> Report:
    """Create or update a draft (or returned) report. Interim reports are numbered
    1, 2, …; the final report takes the next number."""
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    if not locked.money_can_move:
        raise ValidationError(_("Reports can be written only on a signed, open grant."))
    if period_start is None or period_end is None or period_end < period_start:
        raise ValidationError({"period_end": _("The period must end after it starts.")})
    if period_start < locked.starts_on or period_end > locked.ends_on:
        raise ValidationError(
            {"period_start": _("The period must lie within the grant period.")}
        )
    if beneficiaries_reached is None or beneficiaries_reached < 0:
        raise ValidationError({"beneficiaries_reached": _("Enter a number of people.")})
    if report is None:
        if locked.reports.filter(kind=Report.Kind.FINAL).exists():
            raise ValidationError(_("The final report has already been started."))
        number = (locked.reports.aggregate(m=Max("number"))["m"] or 0) + 1
        report = Report(grant=locked, number=number, kind=kind)
    else:
        report = Report.objects.select_for_update().get(pk=report.pk, grant=locked)
        if report.status not in (Report.Status.DRAFT, Report.Status.RETURNED):
            raise ValidationError(_("A submitted report cannot be edited."))
    report.period_start = period_start
    report.period_end = period_end
    report.activities = activities
    report.results = results
    report.beneficiaries_reached = beneficiaries_reached
    if due_on:
        report.due_on = due_on
    report.save()
    return report


@transaction.atomic
def report_add_photo(*, report: Report, actor, image, caption: str = "") -> ReportPhoto:
    validate_image(image)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status not in (Report.Status.DRAFT, Report.Status.RETURNED):
        raise ValidationError(_("A submitted report cannot be edited."))
    photo = ReportPhoto(report=locked, caption=caption)
    photo.image.save(image.name.rsplit("/", 1)[-1][:100], image, save=True)
    return photo


def _lock(report: Report) -> Report:
    Grant.objects.select_for_update().get(pk=report.grant_id)
    return Report.objects.select_for_update().select_related("grant").get(pk=report.pk)


@transaction.atomic
def report_submit(*, report: Report, actor) -> Report:
    """Submit for staff review; submitting the final report moves the grant to
    closing."""
    locked = _lock(report)
    if not locked.can_move_to(Report.Status.SUBMITTED):
        raise ValidationError(_("This report cannot be submitted now."))
    if not locked.activities.strip() or not locked.results.strip():
        raise ValidationError(
            _("Describe the activities and the results before submitting.")
        )
    locked.status = Report.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = actor
    locked.save()
    grant = locked.grant
    if locked.kind == Report.Kind.FINAL and grant.status in (
        Grant.Status.SIGNED,
        Grant.Status.ACTIVE,
    ):
        grant_move(grant=grant, to_status=Grant.Status.CLOSING, actor=actor)
    return locked


@transaction.atomic
def report_decide(*, report: Report, actor, approve: bool, comment: str = "") -> Report:
    """Staff approve the report (the next tranche's condition then holds) or return it
    with comments. The NGO's leaders are told either way."""
    locked = _lock(report)
    if locked.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Write what must be corrected.")})
    if approve:
        from grants.selectors import report_approval_blockers

        waiting = list(report_approval_blockers(report=locked))
        if waiting:
            raise ValidationError(
                _(
                    "The report cannot be approved while %(n)s over-spend(s) of its "
                    "period await a decision: %(items)s."
                )
                % {
                    "n": len(waiting),
                    "items": "; ".join(
                        f"{e.spent_on:%d.%m.%Y} {e.description}" for e in waiting
                    ),
                }
            )
    locked.status = Report.Status.APPROVED if approve else Report.Status.RETURNED
    locked.review_comment = comment
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    grant = locked.grant
    title = (
        format_lazy(
            _("Report {n} of grant {number} is approved"),
            n=locked.number,
            number=grant.number,
        )
        if approve
        else format_lazy(
            _("Report {n} of grant {number} is returned for corrections"),
            n=locked.number,
            number=grant.number,
        )
    )
    notify_all(
        leaders_of(organisation_id=grant.organisation_id),
        kind="grants.report_approved" if approve else "grants.report_returned",
        title=title,
        body=comment,
        url=grant_url(grant),
    )
    return locked


@transaction.atomic
def monitoring_visit_record(
    *,
    grant: Grant,
    actor,
    visited_on: datetime.date,
    visitors: str,
    findings: str,
    rating: int,
    follow_up: str = "",
) -> MonitoringVisit:
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("The rating is from 1 to 5.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Describe what was found.")})
    return MonitoringVisit.objects.create(
        grant=grant,
        visited_on=visited_on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        rating=int(rating),
        follow_up=follow_up.strip(),
        recorded_by=actor,
    )
