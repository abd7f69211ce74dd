"""Tranches: request, approval, hold, and the fund's payment confirmation."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.names import names_of
from alliance_portal.permissions import is_fund_officer, is_ngo_leader, is_staff_member
from grants.models import Grant, Tranche
from grants.selectors import (
    fund_officers_of,
    leaders_of,
    organisation_ids_of,
    tranche_condition_holds,
)
from grants.services.common import grant_move, grant_url, notify_all, tranche_move
from grants.services.summary import money_summary_refresh


def _lock(tranche: Tranche) -> Tranche:
    """Lock the grant first, then the tranche: every grants service takes the locks in
    this order, so two services never wait on each other crosswise."""
    Grant.objects.select_for_update().get(pk=tranche.grant_id)
    return (
        Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    )


def _require(locked: Tranche, *allowed: str) -> None:
    if locked.status not in allowed:
        raise ValidationError(
            _("The tranche is “%(status)s”: this action is not possible now.")
            % {"status": locked.get_status_display()}
        )


@transaction.atomic
def tranche_request(*, tranche: Tranche, actor) -> Tranche:
    """The NGO (or staff) asks for a planned tranche once its condition holds."""
    locked = _lock(tranche)
    _require(locked, Tranche.Status.PLANNED)
    if not tranche_condition_holds(tranche=locked):
        raise ValidationError(_("The condition of this tranche does not hold yet."))
    tranche_move(tranche=locked, to_status=Tranche.Status.REQUESTED, actor=actor)
    return locked


@transaction.atomic
def tranche_approve(*, tranche: Tranche, actor) -> Tranche:
    """Staff approve a tranche for payment; only when its condition holds. The fund's
    officers are told."""
    locked = _lock(tranche)
    _require(locked, Tranche.Status.PLANNED, Tranche.Status.REQUESTED)
    if not tranche_condition_holds(tranche=locked):
        raise ValidationError(_("The condition of this tranche does not hold yet."))
    tranche_move(tranche=locked, to_status=Tranche.Status.APPROVED, actor=actor)
    grant = locked.grant
    notify_all(
        fund_officers_of(funder_id=grant.funder_id),
        kind="grants.tranche_approved",
        title=format_lazy(
            _("Tranche {n} of grant {number} is approved for payment"),
            n=locked.sequence,
            number=grant.number,
        ),
        body=_("Amount: %(amount)s. Grantee: %(organisation)s."),
        params={"amount": locked.amount, "organisation": names_of(grant.organisation)},
        url=grant_url(grant),
    )
    return locked


@transaction.atomic
def tranche_hold(*, tranche: Tranche, actor, reason: str) -> Tranche:
    locked = _lock(tranche)
    _require(
        locked,
        Tranche.Status.PLANNED,
        Tranche.Status.REQUESTED,
        Tranche.Status.APPROVED,
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the tranche is held.")})
    locked.held_reason = reason
    tranche_move(
        tranche=locked,
        to_status=Tranche.Status.HELD,
        actor=actor,
        comment=reason,
        extra=("held_reason",),
    )
    return locked


@transaction.atomic
def tranche_release(*, tranche: Tranche, actor) -> Tranche:
    locked = _lock(tranche)
    _require(locked, Tranche.Status.HELD)
    locked.held_reason = ""
    tranche_move(
        tranche=locked,
        to_status=Tranche.Status.PLANNED,
        actor=actor,
        extra=("held_reason",),
    )
    return locked


def may_confirm_payment(user, grant: Grant) -> bool:
    """Fund officers of the grant's funder (and alliance staff) confirm payments."""
    if is_staff_member(user):
        return True
    return is_fund_officer(user) and grant.funder_id in organisation_ids_of(user=user)


@transaction.atomic
def tranche_confirm_payment(
    *, tranche: Tranche, actor, paid_on: datetime.date, payment_document: str
) -> Tranche:
    """Record that the fund paid the tranche, exactly once.

    Guarantees: the tranche row is locked (``select_for_update``) so that concurrent
    confirmations serialise; the tranche must be approved and its condition must hold
    (contract signed / report approved); a tranche already paid is refused, so
    twenty simultaneous confirmations produce one payment. The first payment makes the
    grant active; the NGO's leaders are told.
    """
    if not may_confirm_payment(actor, tranche.grant):
        raise PermissionDenied
    payment_document = (payment_document or "").strip()
    if not payment_document:
        raise ValidationError(
            {"payment_document": _("Enter the payment document number.")}
        )
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError(
            {"paid_on": _("The payment date cannot be in the future.")}
        )
    locked = _lock(tranche)
    if locked.status == Tranche.Status.PAID:
        raise ValidationError(_("This tranche is already paid."))
    _require(locked, Tranche.Status.APPROVED)
    if not tranche_condition_holds(tranche=locked):
        raise ValidationError(_("The condition of this tranche does not hold."))
    locked.paid_on = paid_on
    locked.paid_at = timezone.now()
    locked.payment_document = payment_document
    locked.confirmed_by = actor
    tranche_move(
        tranche=locked,
        to_status=Tranche.Status.PAID,
        actor=actor,
        comment=payment_document,
        extra=("paid_on", "paid_at", "payment_document", "confirmed_by"),
    )
    money_summary_refresh(grant_ids=[locked.grant_id])
    grant = Grant.objects.get(pk=locked.grant_id)
    if grant.status == Grant.Status.SIGNED:
        grant_move(grant=grant, to_status=Grant.Status.ACTIVE, actor=actor)
    notify_all(
        leaders_of(organisation_id=grant.organisation_id),
        kind="grants.tranche_paid",
        title=format_lazy(
            _("Tranche {n} of grant {number} has been paid"),
            n=locked.sequence,
            number=grant.number,
        ),
        body=_("Amount: %(amount)s. Grantee: %(organisation)s."),
        params={"amount": locked.amount, "organisation": names_of(grant.organisation)},
        url=grant_url(grant),
    )
    return locked


def may_request_tranche(user, grant: Grant) -> bool:
    return is_staff_member(user) or (
        is_ngo_leader(user) and grant.organisation_id in organisation_ids_of(user=user)
    )
