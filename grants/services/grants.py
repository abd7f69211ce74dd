"""Creating a grant, its budget and contract, signing and closing it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.documents import document_issue
from alliance_portal.models import DocumentJob
from alliance_portal.money import format_tenge, to_money
from grants.models import Expenditure, Grant, GrantBudgetLine, Report, Tranche
from grants.money import allocate, split_default
from grants.selectors import grant_money
from grants.services.common import audit, grant_move, tranche_move
from grants.validators import validate_pdf
from projects.models import Application, BudgetLine, Call
from projects.services import application_change_status

# Separate Kazakh and Russian texts, and both side by side in two columns.
CONTRACT_LAYOUTS = ("kk", "ru", "kk-ru")


def application_ceiling(application: Application) -> Decimal:
    """The most a grant for this application may be: the council's amount, else the
    requested one."""
    if application.approved_amount is not None:
        return application.approved_amount
    return application.requested_amount


def _next_number(year: int) -> str:
    prefix = f"GR-{year}-"
    last = (
        Grant.objects.filter(number__startswith=prefix)
        .aggregate(m=Max("number"))
        .get("m")
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _default_tranches(grant: Grant, actor) -> None:
    parts = split_default(grant.amount)
    months = max(
        1, (grant.ends_on.year - grant.starts_on.year) * 12 + grant.ends_on.month
    )
    months -= grant.starts_on.month
    dates = [
        grant.starts_on,
        grant.starts_on + datetime.timedelta(days=max(1, months * 30 // 2)),
        grant.ends_on,
    ]
    items = [
        {
            "planned_on": dates[0],
            "amount": parts[0],
            "condition": Tranche.Condition.CONTRACT_SIGNED,
            "condition_report_number": None,
        },
        {
            "planned_on": dates[1],
            "amount": parts[1],
            "condition": Tranche.Condition.REPORT_APPROVED,
            "condition_report_number": 1,
        },
        {
            "planned_on": dates[2],
            "amount": parts[2],
            "condition": Tranche.Condition.REPORT_APPROVED,
            "condition_report_number": 2,
        },
    ]
    _replace_tranches(grant=grant, items=items, actor=actor)


def _replace_tranches(*, grant: Grant, items: list[dict], actor) -> None:
    """Replace the schedule of a locked grant and keep ``tranches_total`` equal to it."""
    for old in grant.tranches.all():
        audit(
            grant=grant,
            actor=actor,
            obj=old,
            field="amount",
            before=old.amount,
            after="",
        )
    grant.tranches.all().delete()
    total = Decimal(0)
    for seq, item in enumerate(items, start=1):
        tranche = Tranche.objects.create(grant=grant, sequence=seq, **item)
        audit(
            grant=grant,
            actor=actor,
            obj=tranche,
            field="amount",
            before="",
            after=tranche.amount,
        )
        total += tranche.amount
    grant.tranches_total = total
    grant.save(update_fields=["tranches_total", "updated_at"])


def _copy_budget(grant: Grant, application: Application, actor) -> None:
    lines = list(
        BudgetLine.objects.filter(application=application).order_by("order", "pk")
    )
    weights = [line.grant_amount for line in lines]
    if not lines or sum(weights) <= 0:
        line = GrantBudgetLine.objects.create(
            grant=grant,
            category=BudgetLine.Category.OTHER,
            item=str(_("Project budget")),
            planned=grant.amount,
        )
        audit(
            grant=grant,
            actor=actor,
            obj=line,
            field="planned",
            before="",
            after=line.planned,
        )
        return
    # When the council reduced the amount, every line shrinks in proportion and the
    # last line takes the rounding remainder: the budget adds up to the grant exactly.
    for index, (line, planned) in enumerate(
        zip(lines, allocate(grant.amount, weights), strict=True)
    ):
        new = GrantBudgetLine.objects.create(
            grant=grant,
            source_line=line,
            category=line.category,
            item=line.item,
            planned=planned,
            order=index,
        )
        audit(
            grant=grant, actor=actor, obj=new, field="planned", before="", after=planned
        )


def _check_period(starts_on, ends_on) -> None:
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        raise ValidationError(
            {"ends_on": _("The end of the period must be after its start.")}
        )


@transaction.atomic
def grant_create(
    *,
    application: Application,
    actor,
    starts_on: datetime.date,
    ends_on: datetime.date,
    amount: Decimal | None = None,
    envelope_override_reason: str = "",
) -> Grant:
    """Create the grant of a recommended application and move the application to
    funded. The amount is the council's (or the requested one), possibly reduced,
    never raised. The grants of a call never exceed its envelope unless staff give a
    reason. The budget is copied from the application and scaled to the amount;
    the default schedule is 50 / 30 / 20. Everything or nothing is saved."""
    app = (
        Application.objects.select_for_update()
        .select_related("call")
        .get(pk=application.pk)
    )
    # Two grants created in one call at the same moment must see each other's amount.
    call = Call.objects.select_for_update().get(pk=app.call_id)
    if app.status != Application.Status.RECOMMENDED:
        raise ValidationError(
            _("Only an application recommended for funding can become a grant.")
        )
    if Grant.objects.filter(application=app).exists():
        raise ValidationError(_("This application already has a grant."))
    ceiling = application_ceiling(app)
    amount = ceiling if amount in (None, "") else to_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if amount > ceiling:
        raise ValidationError(
            {
                "amount": _(
                    "The grant cannot be more than the amount approved by the council."
                )
            }
        )
    _check_period(starts_on, ends_on)
    committed = Grant.objects.filter(application__call=call).aggregate(s=Sum("amount"))[
        "s"
    ] or Decimal(0)
    reason = (envelope_override_reason or "").strip()
    if committed + amount > call.envelope and not reason:
        raise ValidationError(
            {
                "envelope_override_reason": _(
                    "The call's envelope is %(envelope)s and %(committed)s is "
                    "already granted: give a reason to exceed it."
                )
                % {
                    "envelope": format_tenge(call.envelope),
                    "committed": format_tenge(committed),
                }
            }
        )
    year = timezone.localdate().year
    for _attempt in range(5):
        try:
            with transaction.atomic():
                grant = Grant.objects.create(
                    number=_next_number(year),
                    application=app,
                    organisation=app.organisation,
                    funder=app.call.funder,
                    amount=amount,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    created_by=actor,
                    envelope_override_reason=reason,
                )
            break
        except IntegrityError:
            # Two grants created at the same moment took the same number: take the next.
            continue
    else:  # pragma: no cover - five collisions in a row
        raise ValidationError(_("Could not give the grant a number; try again."))
    grant_move_initial(grant=grant, actor=actor)
    audit(grant=grant, actor=actor, obj=grant, field="amount", before="", after=amount)
    _copy_budget(grant, app, actor)
    _default_tranches(grant, actor)
    application_change_status(
        application=app,
        to_status=Application.Status.FUNDED,
        actor=actor,
        comment=str(_("Grant %(number)s") % {"number": grant.number}),
    )
    return grant


def grant_move_initial(*, grant: Grant, actor) -> None:
    from grants.models import GrantStatusChange

    GrantStatusChange.objects.create(
        grant=grant, from_status="", to_status=grant.status, actor=actor
    )


def _lock(grant: Grant) -> Grant:
    return Grant.objects.select_for_update().get(pk=grant.pk)


def _require_editable(grant: Grant) -> None:
    if not grant.is_editable:
        raise ValidationError(
            _(
                "The contract is signed: the budget and the schedule can no longer be edited."
            )
        )


def _back_to_draft(grant: Grant, actor) -> None:
    if grant.status == Grant.Status.CONTRACT_GENERATED:
        grant_move(
            grant=grant,
            to_status=Grant.Status.DRAFT,
            actor=actor,
            comment=str(_("Edited after the contract was generated")),
        )


@transaction.atomic
def grant_change_amount(*, grant: Grant, actor, amount) -> Grant:
    """Reduce (or restore up to the council's amount) the grant before signing. The
    budget lines and the tranches are rescaled in proportion, so both still add up."""
    locked = _lock(grant)
    _require_editable(locked)
    amount = to_money(amount)
    ceiling = application_ceiling(locked.application)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than zero.")})
    if amount > ceiling:
        raise ValidationError(
            {
                "amount": _(
                    "The grant cannot be more than the amount approved by the council."
                )
            }
        )
    before = locked.amount
    locked.amount = amount
    locked.save(update_fields=["amount", "updated_at"])
    audit(
        grant=locked,
        actor=actor,
        obj=locked,
        field="amount",
        before=before,
        after=amount,
    )
    lines = list(locked.budget_lines.all())
    weights = [line.planned for line in lines]
    if sum(weights) <= 0:
        weights = [1] * len(lines)
    for line, planned in zip(lines, allocate(amount, weights), strict=True):
        audit(
            grant=locked,
            actor=actor,
            obj=line,
            field="planned",
            before=line.planned,
            after=planned,
        )
        line.planned = planned
        line.save(update_fields=["planned"])
    tranches = list(locked.tranches.all())
    items = [
        {
            "planned_on": t.planned_on,
            "amount": part,
            "condition": t.condition,
            "condition_report_number": t.condition_report_number,
        }
        for t, part in zip(
            tranches, allocate(amount, [t.amount for t in tranches]), strict=True
        )
    ]
    _replace_tranches(grant=locked, items=items, actor=actor)
    _back_to_draft(locked, actor)
    return locked


@transaction.atomic
def grant_budget_set(*, grant: Grant, actor, planned: dict[int, Decimal]) -> Grant:
    """Staff adjust the approved budget before signing: ``planned`` maps line ids to
    amounts. The lines must add up exactly to the grant amount."""
    locked = _lock(grant)
    _require_editable(locked)
    lines = {line.pk: line for line in locked.budget_lines.select_for_update()}
    if set(planned) - set(lines):
        raise ValidationError(_("A budget line does not belong to this grant."))
    new = {pk: to_money(planned.get(pk, line.planned)) for pk, line in lines.items()}
    if any(v < 0 for v in new.values()):
        raise ValidationError(_("A budget line cannot be negative."))
    total = sum(new.values(), Decimal(0))
    if total != locked.amount:
        raise ValidationError(
            _("The budget lines add up to %(total)s, but the grant is %(amount)s.")
            % {"total": format_tenge(total), "amount": format_tenge(locked.amount)}
        )
    for pk, line in lines.items():
        if line.planned != new[pk]:
            audit(
                grant=locked,
                actor=actor,
                obj=line,
                field="planned",
                before=line.planned,
                after=new[pk],
            )
            line.planned = new[pk]
            line.save(update_fields=["planned"])
    _back_to_draft(locked, actor)
    return locked


@transaction.atomic
def tranche_schedule_set(*, grant: Grant, actor, items: list[dict]) -> Grant:
    """Replace the tranche schedule before signing. Each item: ``planned_on``,
    ``amount`` (> 0), ``condition``, ``condition_report_number``. The amounts must add
    up exactly to the grant; the database refuses to sign a grant where they do not."""
    locked = _lock(grant)
    _require_editable(locked)
    if not items:
        raise ValidationError(_("The schedule needs at least one tranche."))
    clean = []
    for item in items:
        amount = to_money(item["amount"])
        if amount <= 0:
            raise ValidationError(_("Every tranche must be greater than zero."))
        condition = item.get("condition") or Tranche.Condition.CONTRACT_SIGNED
        number = item.get("condition_report_number")
        if condition == Tranche.Condition.REPORT_APPROVED and not number:
            raise ValidationError(_("Say which report releases the tranche."))
        if condition == Tranche.Condition.CONTRACT_SIGNED:
            number = None
        clean.append(
            {
                "planned_on": item["planned_on"],
                "amount": amount,
                "condition": condition,
                "condition_report_number": number,
            }
        )
    total = sum((c["amount"] for c in clean), Decimal(0))
    if total != locked.amount:
        raise ValidationError(
            _("The tranches add up to %(total)s, but the grant is %(amount)s.")
            % {"total": format_tenge(total), "amount": format_tenge(locked.amount)}
        )
    _replace_tranches(grant=locked, items=clean, actor=actor)
    _back_to_draft(locked, actor)
    return locked


@transaction.atomic
def grant_generate_contract(
    *, grant: Grant, actor, reason: str = ""
) -> list[DocumentJob]:
    """Check that the budget and the schedule add up and that the three parties'
    requisites, the template and the memorandum are there; then issue a new version
    of the contract (Kazakh, Russian and the two-column layout), recording the
    template version it is made from, and move the grant to "contract generated".
    An earlier version stays as it was issued; a new one needs its reason."""
    from grants.contract import check_prerequisites

    locked = _lock(grant)
    if locked.status not in Grant.EDITABLE_STATUSES:
        raise ValidationError(_("The contract is already signed."))
    lines_total = locked.budget_lines.aggregate(s=Sum("planned"))["s"] or Decimal(0)
    if lines_total != locked.amount:
        raise ValidationError(_("The budget lines do not add up to the grant amount."))
    if locked.tranches_total != locked.amount:
        raise ValidationError(_("The tranches do not add up to the grant amount."))
    pre = check_prerequisites(locked)
    if locked.contract_version and not reason.strip():
        raise ValidationError(
            {"reason": _("State the reason for the new version of the contract.")}
        )
    locked.contract_version += 1
    locked.contract_template = pre.template_version
    locked.save(update_fields=["contract_version", "contract_template", "updated_at"])
    if locked.status == Grant.Status.DRAFT:
        grant_move(grant=locked, to_status=Grant.Status.CONTRACT_GENERATED, actor=actor)
    return [
        document_issue(
            kind="grant_contract",
            subject=locked,
            variant=layout,
            number=locked.number,
            version=locked.contract_version,
            reason=reason,
            params={
                "grant_id": locked.pk,
                "layout": layout,
                "template_version": pre.template_version.pk,
                "memorandum": pre.memorandum.pk,
            },
            user=actor,
        )
        for layout in CONTRACT_LAYOUTS
    ]


@transaction.atomic
def grant_sign(*, grant: Grant, actor, scan) -> Grant:
    """Store the signed scan (a PDF, checked by content) and mark the contract signed.
    From now on money may move."""
    locked = _lock(grant)
    if locked.status != Grant.Status.CONTRACT_GENERATED:
        raise ValidationError(
            _("Generate the contract before uploading the signed scan.")
        )
    if scan is None:
        raise ValidationError({"scan": _("Upload the signed scan.")})
    validate_pdf(scan)
    if locked.tranches_total != locked.amount:
        raise ValidationError(_("The tranches do not add up to the grant amount."))
    locked.signed_scan.save(f"{locked.number}-signed.pdf", scan, save=False)
    locked.signed_at = timezone.now()
    locked.save(update_fields=["signed_scan", "signed_at", "updated_at"])
    grant_move(grant=locked, to_status=Grant.Status.SIGNED, actor=actor)
    return locked


@transaction.atomic
def grant_sign_electronically(*, document, actor) -> Grant | None:
    """Every party signed the latest issued contract with a verified ЭЦП: the grant is
    signed, as with the paper scan, and money may move. Called by esign in the
    transaction that records the last signature; an old version signs nothing."""
    grant = Grant.objects.filter(pk=document.subject_id).first()
    if grant is None or document.subject_type.model_class() is not Grant:
        return None
    locked = _lock(grant)
    if locked.status != Grant.Status.CONTRACT_GENERATED:
        return None
    if document.version != locked.contract_version:
        return None
    locked.signed_at = timezone.now()
    locked.signed_contract = document
    locked.save(update_fields=["signed_at", "signed_contract", "updated_at"])
    grant_move(
        grant=locked,
        to_status=Grant.Status.SIGNED,
        actor=actor,
        comment=f"ЭЦП: {document.number} v{document.version} ({document.variant})",
    )
    return locked


@transaction.atomic
def grant_close(*, grant: Grant, actor) -> Grant:
    """Close a grant whose final report is approved: what was received and not spent
    is recorded as returned (received = spent + returned), tranches never paid are
    cancelled, and the grant is closed."""
    locked = _lock(grant)
    if locked.status != Grant.Status.CLOSING:
        raise ValidationError(_("Only a grant whose final report is in can be closed."))
    if not Report.objects.filter(
        grant=locked, kind=Report.Kind.FINAL, status=Report.Status.APPROVED
    ).exists():
        raise ValidationError(_("The final report is not approved yet."))
    if Expenditure.objects.filter(
        grant=locked, is_overspend=True, overspend_approved_by__isnull=True
    ).exists():
        raise ValidationError(_("Some over-spending still waits for approval."))
    money = grant_money(grant=locked)
    returned = money.received - money.spent
    if returned < 0:
        raise ValidationError(
            _("More was spent than received: pay the outstanding tranche first.")
        )
    for tranche in (
        Tranche.objects.select_for_update()
        .filter(grant=locked)
        .exclude(status=Tranche.Status.PAID)
    ):
        tranche_move(
            tranche=tranche,
            to_status=Tranche.Status.CANCELLED,
            actor=actor,
            comment=str(_("Not disbursed: the grant is closed")),
        )
    audit(
        grant=locked,
        actor=actor,
        obj=locked,
        field="returned_amount",
        before=locked.returned_amount,
        after=returned,
    )
    locked.returned_amount = returned
    locked.closed_at = timezone.now()
    locked.save(update_fields=["returned_amount", "closed_at", "updated_at"])
    grant_move(grant=locked, to_status=Grant.Status.CLOSED, actor=actor)
    return locked
