"""Expenditures against budget lines, over-spending approval, budget revisions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.money import to_money
from grants.models import BudgetRevision, Expenditure, Grant, GrantBudgetLine
from grants.services.common import audit
from grants.services.summary import money_summary_refresh
from grants.validators import validate_image_or_pdf


def _spent_on_line(line: GrantBudgetLine) -> Decimal:
    return Expenditure.objects.filter(budget_line=line).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal(0)


@transaction.atomic
def expenditure_record(
    *,
    grant: Grant,
    actor,
    budget_line_id: int,
    spent_on: datetime.date,
    description: str,
    amount,
    supplier: str,
    payment_document: str,
    receipt=None,
) -> Expenditure:
    """Record money the NGO spent. The line must belong to the grant, the date must lie
    in the grant's period, the amount must be positive and the receipt an image or a
    PDF. Spending beyond the line's plan is saved but flagged for staff approval."""
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    if not locked.money_can_move:
        raise ValidationError(
            _("Spending can be recorded only on a signed, open grant.")
        )
    line = (
        GrantBudgetLine.objects.select_for_update()
        .filter(grant=locked, pk=budget_line_id)
        .first()
    )
    if line is None:
        raise ValidationError(
            {"budget_line": _("Choose a line of this grant's budget.")}
        )
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if spent_on is None or not locked.starts_on <= spent_on <= locked.ends_on:
        raise ValidationError(
            {
                "spent_on": _(
                    "The date must lie within the grant period (%(start)s – %(end)s)."
                )
                % {
                    "start": locked.starts_on.strftime("%d.%m.%Y"),
                    "end": locked.ends_on.strftime("%d.%m.%Y"),
                }
            }
        )
    if spent_on > timezone.localdate():
        # Money not yet spent is no expenditure: it would show in a future quarter.
        raise ValidationError({"spent_on": _("The date cannot be in the future.")})
    if receipt is not None:
        validate_image_or_pdf(receipt)
    overspend = _spent_on_line(line) + amount > line.planned
    expenditure = Expenditure(
        grant=locked,
        budget_line=line,
        spent_on=spent_on,
        description=description.strip(),
        amount=amount,
        supplier=supplier.strip(),
        payment_document=payment_document.strip(),
        recorded_by=actor,
        is_overspend=overspend,
    )
    expenditure.save()
    if receipt is not None:
        expenditure.receipt.save(
            receipt.name.rsplit("/", 1)[-1][:100], receipt, save=True
        )
    audit(
        grant=locked,
        actor=actor,
        obj=expenditure,
        field="amount",
        before="",
        after=amount,
    )
    money_summary_refresh(grant_ids=[locked.pk])
    return expenditure


@transaction.atomic
def expenditure_approve_overspend(*, expenditure: Expenditure, actor) -> Expenditure:
    locked = Expenditure.objects.select_for_update().get(pk=expenditure.pk)
    if not locked.needs_overspend_approval:
        raise ValidationError(_("This expenditure needs no approval."))
    locked.overspend_approved_by = actor
    locked.overspend_approved_at = timezone.now()
    locked.save(
        update_fields=["overspend_approved_by", "overspend_approved_at", "updated_at"]
    )
    audit(
        grant=locked.grant,
        actor=actor,
        obj=locked,
        field="overspend_approved",
        before="",
        after=str(actor),
    )
    return locked


@transaction.atomic
def budget_revision_request(
    *, grant: Grant, actor, from_line_id: int, to_line_id: int, amount, reason: str
) -> BudgetRevision:
    """The NGO asks to move money between two lines of its budget."""
    locked = Grant.objects.select_for_update().get(pk=grant.pk)
    if not locked.money_can_move:
        raise ValidationError(
            _("The budget can be revised only on a signed, open grant.")
        )
    lines = {line.pk: line for line in locked.budget_lines.all()}
    if from_line_id not in lines or to_line_id not in lines:
        raise ValidationError(_("Choose lines of this grant's budget."))
    if from_line_id == to_line_id:
        raise ValidationError({"to_line": _("Choose two different lines.")})
    amount = to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Explain why the money should move.")})
    from_line = lines[from_line_id]
    if amount > from_line.planned - _spent_on_line(from_line):
        raise ValidationError({"amount": _("The line does not have that much left.")})
    revision = BudgetRevision.objects.create(
        grant=locked,
        from_line=from_line,
        to_line=lines[to_line_id],
        amount=amount,
        reason=reason.strip(),
        requested_by=actor,
    )
    audit(
        grant=locked,
        actor=actor,
        obj=revision,
        field="status",
        before="",
        after=revision.status,
    )
    return revision


@transaction.atomic
def budget_revision_decide(
    *, revision: BudgetRevision, actor, approve: bool, comment: str = ""
) -> BudgetRevision:
    """Staff approve (money moves between the two lines, the total stays) or decline."""
    Grant.objects.select_for_update().get(pk=revision.grant_id)
    locked = (
        BudgetRevision.objects.select_for_update()
        .select_related("grant")
        .get(pk=revision.pk)
    )
    if locked.status != BudgetRevision.Status.REQUESTED:
        raise ValidationError(_("This revision is already decided."))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the revision is declined.")})
    if approve:
        from_line = GrantBudgetLine.objects.select_for_update().get(
            pk=locked.from_line_id
        )
        to_line = GrantBudgetLine.objects.select_for_update().get(pk=locked.to_line_id)
        if locked.amount > from_line.planned - _spent_on_line(from_line):
            raise ValidationError(_("The line no longer has that much left."))
        for line, new in (
            (from_line, from_line.planned - locked.amount),
            (to_line, to_line.planned + locked.amount),
        ):
            audit(
                grant=locked.grant,
                actor=actor,
                obj=line,
                field="planned",
                before=line.planned,
                after=new,
            )
            line.planned = new
            line.save(update_fields=["planned"])
    before = locked.status
    locked.status = (
        BudgetRevision.Status.APPROVED if approve else BudgetRevision.Status.DECLINED
    )
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_comment = comment.strip()
    locked.save()
    audit(
        grant=locked.grant,
        actor=actor,
        obj=locked,
        field="status",
        before=before,
        after=locked.status,
    )
    return locked
