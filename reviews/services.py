"""Writes of the expert review. Every assignment, whatever the path (by hand,
automatic, reassignment), goes through :func:`assignment_create`, which refuses an
expert with a conflict of interest, in particular their own organisation."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.names import names_of
from alliance_portal.notifications import notify
from members.models import Affiliation, Organisation
from projects.models import Application, Call
from projects.services import application_change_status

from . import scoring
from .assignment import ApplicationSlot, plan_assignments
from .defaults import criterion_templates_ensure
from .minutes import minutes_snapshot_build
from .models import (
    Assignment,
    CallExpert,
    CallReviewSettings,
    ConflictDeclaration,
    ConflictStatement,
    CouncilDecision,
    CouncilSession,
    Criterion,
    CriterionTemplate,
    ExpertProfile,
    ReopenRecord,
    Review,
    Score,
    SessionAttendance,
)
from .selectors import (
    call_council,
    call_settings,
    conflict_pairs_for_call,
    expert_conflict_organisation_ids,
)

MINUTES_LANGUAGES = ("kk", "ru")
ACTIVE_STATUSES = (
    Assignment.Status.ASSIGNED,
    Assignment.Status.SUBMITTED,
    Assignment.Status.REOPENED,
)


# --- settings and criteria ---------------------------------------------------------


@transaction.atomic
def call_settings_update(*, call: Call, actor, **fields) -> CallReviewSettings:
    """Create or update the review settings of ``call``. A moved review deadline
    moves the due date of open assignments that followed the old one."""
    settings_obj, _created = (
        CallReviewSettings.objects.select_for_update().get_or_create(call=call)
    )
    old_deadline = settings_obj.review_deadline
    for name, value in fields.items():
        setattr(settings_obj, name, value)
    settings_obj.full_clean()
    settings_obj.save()
    if settings_obj.review_deadline != old_deadline:
        Assignment.objects.filter(
            call=call,
            status=Assignment.Status.ASSIGNED,
            due=old_deadline,
        ).update(due=settings_obj.review_deadline, updated_at=timezone.now())
    return settings_obj


def _call_has_scores(call: Call) -> bool:
    return Score.objects.filter(criterion__call=call).exists()


@transaction.atomic
def criteria_copy_template(*, call: Call, actor) -> list[Criterion]:
    """Replace the call's criteria by a copy of the default template. Refused once
    any expert has scored against the call's criteria."""
    Call.objects.select_for_update().get(pk=call.pk)
    if _call_has_scores(call):
        raise ValidationError(
            _("Experts have already scored this call: its criteria cannot be replaced.")
        )
    call.criteria.all().delete()
    criterion_templates_ensure(CriterionTemplate)
    copied = [
        Criterion(
            call=call,
            name_kk=t.name_kk,
            name_ru=t.name_ru,
            guidance_kk=t.guidance_kk,
            guidance_ru=t.guidance_ru,
            weight=t.weight,
            scale_max=t.scale_max,
            comment_required=t.comment_required,
            may_be_not_applicable=t.may_be_not_applicable,
            order=t.order,
        )
        for t in CriterionTemplate.objects.all()
    ]
    return Criterion.objects.bulk_create(copied)


@transaction.atomic
def criterion_save(*, criterion: Criterion, actor) -> Criterion:
    """Create or edit a criterion; the scale cannot change once scored."""
    if criterion.pk:
        old = Criterion.objects.select_for_update().get(pk=criterion.pk)
        if old.scale_max != criterion.scale_max and old.score_set.exists():
            raise ValidationError(
                {"scale_max": _("This criterion has been scored: keep its scale.")}
            )
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor) -> None:
    if criterion.score_set.exists():
        raise ValidationError(
            _("This criterion has been scored and cannot be deleted.")
        )
    criterion.delete()


# --- conflicts of interest ---------------------------------------------------------


@dataclass(frozen=True)
class ConflictInput:
    organisation: Organisation
    kind: str
    note: str = ""


@transaction.atomic
def conflicts_declare(
    *, expert: ExpertProfile, call: Call, conflicts: list[ConflictInput]
) -> ConflictStatement:
    """Record the expert's statement for ``call`` and each declared conflict. Any
    assignment of the expert to an application of a declared organisation is removed
    (status "conflict", with a note) so it leaves the expert's list."""
    ExpertProfile.objects.select_for_update().get(pk=expert.pk)
    statement, _created = ConflictStatement.objects.get_or_create(
        expert=expert, call=call
    )
    for c in conflicts:
        ConflictDeclaration.objects.update_or_create(
            expert=expert,
            call=call,
            organisation=c.organisation,
            defaults={"kind": c.kind, "note": c.note},
        )
    org_ids = [c.organisation.pk for c in conflicts]
    if org_ids:
        affected = Assignment.objects.select_for_update().filter(
            expert=expert,
            call=call,
            application__organisation_id__in=org_ids,
            status__in=ACTIVE_STATUSES,
        )
        for assignment in affected:
            assignment.status = Assignment.Status.CONFLICT
            assignment.note = str(_("Removed after a declared conflict of interest."))
            assignment.save(update_fields=["status", "note", "updated_at"])
    return statement


# --- the call's panel (its council) --------------------------------------------------


def _panel_member_locked(*, call_id: int, expert_id: int) -> CallExpert | None:
    return (
        CallExpert.objects.select_for_update()
        .filter(call_id=call_id, expert_id=expert_id)
        .first()
    )


@transaction.atomic
def panel_add(*, call: Call, expert: ExpertProfile, actor) -> CallExpert:
    """Put an active expert on the panel of ``call`` (active for the call). Adding
    a member already on the panel activates them again."""
    expert = ExpertProfile.objects.select_for_update().get(pk=expert.pk)
    if not expert.active:
        raise ValidationError({"expert": [str(_("This expert is not active."))]})
    member, created = CallExpert.objects.get_or_create(
        call=call, expert=expert, defaults={"added_by": actor}
    )
    if not created and not member.active:
        return panel_set_active(member=member, active=True, actor=actor)
    return member


@transaction.atomic
def panel_add_all_active(*, call: Call, actor) -> list[CallExpert]:
    """Put every active expert not yet on the panel of ``call`` on it; members
    made inactive for this call stay inactive. Returns the rows added."""
    Call.objects.select_for_update().get(pk=call.pk)
    missing = ExpertProfile.objects.filter(active=True).exclude(panels__call=call)
    rows = [CallExpert(call=call, expert=e, added_by=actor) for e in missing]
    return CallExpert.objects.bulk_create(rows)


@transaction.atomic
def panel_set_active(*, member: CallExpert, active: bool, actor) -> CallExpert:
    """Activate or deactivate an expert for this call only, recording who and when.

    Deactivating takes the member off the call's council: their open (not yet
    submitted) assignments on the call are marked declined with a note, so they
    leave the expert's list and staff can reassign them; submitted reviews stay
    and count. Nothing assigns an inactive member afterwards (see
    :func:`assignment_create`)."""
    member = CallExpert.objects.select_for_update().get(pk=member.pk)
    if member.active == active:
        return member
    member.active = active
    member.changed_by = actor
    member.changed_at = timezone.now()
    member.save(update_fields=["active", "changed_by", "changed_at"])
    if not active:
        open_ = Assignment.objects.select_for_update().filter(
            expert_id=member.expert_id,
            call_id=member.call_id,
            status__in=[Assignment.Status.ASSIGNED, Assignment.Status.REOPENED],
        )
        note = str(_("Withdrawn: the expert is no longer on this call's panel."))
        for assignment in open_:
            assignment.status = Assignment.Status.DECLINED
            assignment.note = note
            assignment.save(update_fields=["status", "note", "updated_at"])
    return member


@transaction.atomic
def panel_remove(*, member: CallExpert, actor) -> None:
    """Take a member off the panel entirely, only while they have no assignment
    and no attendance on this call; otherwise deactivate them, which keeps the
    record of who served."""
    member = CallExpert.objects.select_for_update().get(pk=member.pk)
    used = (
        Assignment.objects.filter(
            expert_id=member.expert_id, call_id=member.call_id
        ).exists()
        or SessionAttendance.objects.filter(
            expert_id=member.expert_id, session__call_id=member.call_id
        ).exists()
    )
    if used:
        raise ValidationError(
            _(
                "This expert has worked on this call and cannot be removed from "
                "its panel: make them inactive for the call instead."
            )
        )
    member.delete()


# --- assignment ----------------------------------------------------------------------


def _assignment_refusal(
    *, expert: ExpertProfile, application: Application
) -> str | None:
    if application.status != Application.Status.ADMITTED:
        return str(_("Only applications admitted to review can be assigned."))
    if not expert.active:
        return str(_("This expert is not active."))
    # Locked, so a concurrent deactivation waits for this assignment (and then
    # withdraws it) instead of racing past it.
    member = _panel_member_locked(call_id=application.call_id, expert_id=expert.pk)
    if member is None or not member.active:
        return str(_("This expert is not on the active panel of this call."))
    blocked = expert_conflict_organisation_ids(expert=expert, call=application.call)
    if application.organisation_id in blocked:
        return str(
            _("This expert has a conflict of interest with the applicant organisation.")
        )
    return None


@transaction.atomic
def assignment_create(
    *,
    expert: ExpertProfile,
    application: Application,
    actor,
    due: datetime.datetime | None = None,
) -> Assignment:
    """The one way an expert gets an application to review.

    Guarantees: the application is admitted to review; the expert is active and on
    the call's panel, active for this call; the expert does not belong to the
    applicant (own organisation or an approved affiliation) and has not declared a
    conflict with it; the pair is new (unique in the database too). The
    expert is notified once the transaction commits.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    expert = ExpertProfile.objects.select_related("user").get(pk=expert.pk)
    refusal = _assignment_refusal(expert=expert, application=application)
    if refusal:
        raise ValidationError(refusal)
    if Assignment.objects.filter(expert=expert, application=application).exists():
        raise ValidationError(_("This expert is already assigned to this application."))
    if due is None:
        due = call_settings(application.call).review_deadline
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                expert=expert,
                application=application,
                call_id=application.call_id,
                organisation_id=application.organisation_id,
                expert_organisation_id=expert.organisation_id,
                due=due,
                assigned_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("This expert cannot be assigned to this application.")
        ) from exc
    params = {
        "number": application.number,
        "title": application.title,
        "call": names_of(application.call, "title"),
        "due": due,
    }
    notify(
        user=expert.user,
        kind="review_assigned",
        title=_("Application %(number)s to review: %(title)s"),
        body=_("Call: %(call)s. Review deadline: %(due)s.")
        if due
        else _("Call: %(call)s."),
        params=params,
        url=reverse("reviews:my_assignments"),
    )
    return assignment


@transaction.atomic
def assignments_auto(*, call: Call, actor) -> list[Assignment]:
    """Bring every admitted application of ``call`` up to the minimum number of
    reviews, balancing the experts' load and respecting conflicts."""
    Call.objects.select_for_update().get(pk=call.pk)
    settings_obj = call_settings(call)
    experts = list(call_council(call))
    applications = list(
        Application.objects.filter(call=call, status=Application.Status.ADMITTED)
    )
    existing = list(
        Assignment.objects.filter(call=call).values_list(
            "expert_id", "application_id", "status"
        )
    )
    taken: dict[int, set[int]] = {}
    load: dict[int, int] = {e.pk: 0 for e in experts}
    blocked = conflict_pairs_for_call(call=call, experts=experts)
    for expert_id, app_id, status in existing:
        if status in ACTIVE_STATUSES:
            taken.setdefault(app_id, set()).add(expert_id)
            if expert_id in load:
                load[expert_id] += 1
        else:
            # A declined or conflicted pair is never offered again.
            blocked.add((expert_id, app_id))
    slots = [
        ApplicationSlot(id=a.pk, assigned=frozenset(taken.get(a.pk, ())))
        for a in applications
    ]
    plan = plan_assignments(
        applications=slots,
        experts=[e.pk for e in experts],
        conflicts=blocked,
        load=load,
        min_reviews=settings_obj.min_reviews,
    )
    by_id = {e.pk: e for e in experts}
    apps_by_id = {a.pk: a for a in applications}
    return [
        assignment_create(
            expert=by_id[expert_id], application=apps_by_id[app_id], actor=actor
        )
        for expert_id, app_id in plan
    ]


@transaction.atomic
def assignment_decline(*, assignment: Assignment, reason: str = "") -> Assignment:
    """The expert declines an assignment they have not submitted."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError(_("Only an open assignment can be declined."))
    assignment.status = Assignment.Status.DECLINED
    assignment.note = reason[:500]
    assignment.save(update_fields=["status", "note", "updated_at"])
    return assignment


@transaction.atomic
def assignment_reassign(
    *, assignment: Assignment, to_expert: ExpertProfile, actor
) -> Assignment:
    """Give a declined (or conflicted) assignment's application to another expert."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in (
        Assignment.Status.DECLINED,
        Assignment.Status.CONFLICT,
    ):
        raise ValidationError(_("Only a declined assignment can be reassigned."))
    return assignment_create(
        expert=to_expert, application=assignment.application, actor=actor
    )


# --- scoring -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    value: Decimal | None
    not_applicable: bool = False
    comment: str = ""


def _deadline(assignment: Assignment) -> datetime.datetime | None:
    return assignment.due or call_settings(assignment.application.call).review_deadline


def _validate_scores(
    *,
    criteria: list[Criterion],
    scores: dict[int, ScoreInput],
    allow_na: bool,
    complete: bool,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for c in criteria:
        s = scores.get(c.pk, ScoreInput(value=None))
        if s.not_applicable:
            if not (allow_na and c.may_be_not_applicable):
                errors[f"na_{c.pk}"] = [
                    str(_("This criterion cannot be marked not applicable."))
                ]
            continue
        if s.value is not None and not (0 <= s.value <= c.scale_max):
            errors[f"score_{c.pk}"] = [
                str(_("Enter a score from 0 to %(max)s.") % {"max": c.scale_max})
            ]
        if complete and s.value is None:
            errors[f"score_{c.pk}"] = [str(_("Score this criterion."))]
        if complete and c.comment_required and not s.comment.strip():
            errors[f"comment_{c.pk}"] = [str(_("A comment is required here."))]
    return errors


@transaction.atomic
def review_save(
    *,
    assignment: Assignment,
    scores: dict[int, ScoreInput],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save the expert's scores (a draft) or submit them. Submission requires every
    criterion scored (or not applicable where allowed), the required comments and an
    overall recommendation, before the deadline; it locks the review. Nothing is
    saved when any check fails."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("application__call")
        .get(pk=assignment.pk)
    )
    if not assignment.is_editable:
        raise ValidationError(_("This review is submitted and locked."))
    call = assignment.application.call
    settings_obj = call_settings(call)
    criteria = list(Criterion.objects.filter(call=call))
    if not criteria:
        raise ValidationError(_("The criteria of this call are not set yet."))
    errors = _validate_scores(
        criteria=criteria,
        scores=scores,
        allow_na=settings_obj.allow_not_applicable,
        complete=submit,
    )
    if submit and not recommendation:
        errors["recommendation"] = [str(_("Choose an overall recommendation."))]
    if recommendation and recommendation not in Review.Recommendation.values:
        errors["recommendation"] = [str(_("Choose an overall recommendation."))]
    if errors:
        raise ValidationError(errors)
    deadline = _deadline(assignment)
    if submit and deadline and timezone.now() > deadline:
        raise ValidationError(
            _("The review deadline has passed: ask the alliance staff to reopen it.")
        )
    review, _created = Review.objects.get_or_create(assignment=assignment)
    inputs = []
    for c in criteria:
        s = scores.get(c.pk, ScoreInput(value=None))
        na = bool(s.not_applicable)
        Score.objects.update_or_create(
            review=review,
            criterion=c,
            defaults={
                "value": None if na else s.value,
                "not_applicable": na,
                "comment": s.comment.strip(),
            },
        )
        inputs.append(
            scoring.CriterionScore(c.weight, c.scale_max, None if na else s.value, na)
        )
    review.recommendation = recommendation
    review.comment = comment.strip()
    review.total = scoring.weighted_total(inputs)
    if submit:
        review.submitted_at = timezone.now()
        assignment.status = Assignment.Status.SUBMITTED
        assignment.save(update_fields=["status", "updated_at"])
    review.save()
    return review


@transaction.atomic
def review_reopen(
    *, review: Review, actor, reason: str, due: datetime.datetime | None = None
) -> ReopenRecord:
    """Staff unlock a submitted review; the reason is recorded. ``due`` gives the
    expert a new deadline when the call's one has passed."""
    if not reason.strip():
        raise ValidationError({"reason": [str(_("Give the reason for reopening."))]})
    assignment = Assignment.objects.select_for_update().get(pk=review.assignment_id)
    if assignment.status != Assignment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted review can be reopened."))
    assignment.status = Assignment.Status.REOPENED
    if due is not None:
        assignment.due = due
    assignment.save(update_fields=["status", "due", "updated_at"])
    Review.objects.filter(pk=review.pk).update(submitted_at=None)
    return ReopenRecord.objects.create(review=review, reason=reason.strip(), by=actor)


# --- the council -----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceInput:
    expert: ExpertProfile
    remote: bool = False


@transaction.atomic
def council_session_create(
    *,
    call: Call,
    held_on: datetime.date,
    attendance: list[AttendanceInput],
    actor,
    place: str = "",
    starts_at: datetime.time | None = None,
    agenda: str = "",
    chair: ExpertProfile | None = None,
    secretary=None,
) -> CouncilSession:
    """Open a council session; refused without quorum (by default two thirds of the
    call's council — its active panel — rounded up), with nothing saved. Attendance
    of anyone outside that council is ignored. The chair, if given, must be one of
    the members present."""
    Call.objects.select_for_update().get(pk=call.pk)
    settings_obj = call_settings(call)
    council_ids = {e.pk for e in call_council(call)}
    present = {a.expert.pk: a for a in attendance if a.expert.pk in council_ids}
    needed = scoring.quorum_needed(
        len(council_ids), settings_obj.quorum_numerator, settings_obj.quorum_denominator
    )
    if not council_ids or len(present) < needed:
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(size)s council members present, "
                "%(needed)s needed."
            )
            % {"present": len(present), "size": len(council_ids), "needed": needed}
        )
    if chair is not None and chair.pk not in present:
        raise ValidationError(
            {"chair": _("The chair must be one of the council members present.")}
        )
    session = CouncilSession.objects.create(
        call=call,
        held_on=held_on,
        starts_at=starts_at,
        place=place,
        agenda=agenda.strip(),
        chair=chair,
        secretary=secretary,
        council_size=len(council_ids),
        created_by=actor,
    )
    SessionAttendance.objects.bulk_create(
        SessionAttendance(session=session, expert_id=pk, remote=a.remote)
        for pk, a in present.items()
    )
    return session


@dataclass(frozen=True)
class DecisionInput:
    application: Application
    decision: str
    amount: Decimal | None = None
    conditions: str = ""
    reasons: str = ""
    votes_for: int = 0
    votes_against: int = 0
    votes_abstained: int = 0
    dissent: str = ""


@transaction.atomic
def application_set_approved_amount(
    *, application: Application, amount: Decimal | None
) -> Application:
    """Set the one field the council owns on an application, under a lock.
    (Ideally projects would offer this service; see the report.)"""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    locked.approved_amount = amount
    locked.save(update_fields=["approved_amount", "updated_at"])
    application.approved_amount = amount
    return locked


def _validate_decisions(
    session: CouncilSession, decisions: list[DecisionInput]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen: set[int] = set()
    present = session.attendance.count()
    for d in decisions:
        votes = (d.votes_for or 0) + (d.votes_against or 0) + (d.votes_abstained or 0)
        if votes > present:
            errors[f"votes_for_{d.application.pk}"] = [
                str(
                    _("%(votes)s votes, but only %(present)s members are present.")
                    % {"votes": votes, "present": present}
                )
            ]
        key = f"app_{d.application.pk}"
        app = d.application
        if app.pk in seen:
            errors[key] = [str(_("One decision per application."))]
        seen.add(app.pk)
        if app.call_id != session.call_id or app.status != Application.Status.ADMITTED:
            errors[key] = [str(_("This application is not awaiting a decision."))]
            continue
        if d.decision not in CouncilDecision.Decision.values:
            errors[key] = [str(_("Choose a decision."))]
            continue
        recommended = d.decision in (
            CouncilDecision.Decision.RECOMMEND,
            CouncilDecision.Decision.RECOMMEND_WITH_CONDITIONS,
        )
        if recommended and (d.amount is None or d.amount <= 0):
            errors[f"amount_{app.pk}"] = [str(_("Enter the recommended amount."))]
        elif recommended and d.amount > app.requested_amount:
            errors[f"amount_{app.pk}"] = [
                str(_("The amount cannot exceed the requested amount."))
            ]
        if (
            d.decision == CouncilDecision.Decision.RECOMMEND_WITH_CONDITIONS
            and not d.conditions.strip()
        ):
            errors[f"conditions_{app.pk}"] = [str(_("State the conditions."))]
        if d.decision == CouncilDecision.Decision.DO_NOT_RECOMMEND and not (
            d.reasons.strip()
        ):
            errors[f"reasons_{app.pk}"] = [str(_("Give the reasons."))]
    return errors


@transaction.atomic
def council_decisions_record(
    *,
    session: CouncilSession,
    decisions: list[DecisionInput],
    actor,
    envelope_override_reason: str = "",
) -> list[CouncilDecision]:
    """Record the session's decisions; move each application (recommended / not
    recommended; deferred stays admitted), set the approved amount, and notify the
    applicant. A recommended total beyond the call's envelope needs a recorded
    override reason. All or nothing."""
    session = (
        CouncilSession.objects.select_for_update()
        .select_related("call")
        .get(pk=session.pk)
    )
    if session.decided_at:
        raise ValidationError(_("This session's decisions are already recorded."))
    if not decisions:
        raise ValidationError(_("Choose a decision for at least one application."))
    locked_ids = [d.application.pk for d in decisions]
    fresh = {
        a.pk: a
        for a in Application.objects.select_for_update().filter(pk__in=locked_ids)
    }
    decisions = [
        dataclasses.replace(d, application=fresh[d.application.pk]) for d in decisions
    ]
    errors = _validate_decisions(session, decisions)
    if errors:
        raise ValidationError(errors)
    call = session.call
    already = Application.objects.filter(
        call=call, status=Application.Status.RECOMMENDED
    ).aggregate(s=Sum("approved_amount"))["s"] or Decimal(0)
    new_total = sum(
        (d.amount for d in decisions if d.amount is not None and _is_rec(d.decision)),
        Decimal(0),
    )
    if already + new_total > call.envelope and not envelope_override_reason.strip():
        raise ValidationError(
            {
                "envelope_override_reason": [
                    str(
                        _(
                            "The recommended total exceeds the call's envelope: "
                            "record the reason to override it."
                        )
                    )
                ]
            }
        )
    from .selectors import application_aggregate

    created = []
    for d in decisions:
        agg = application_aggregate(application=d.application)
        created.append(
            CouncilDecision.objects.create(
                session=session,
                application=d.application,
                decision=d.decision,
                amount=d.amount if _is_rec(d.decision) else None,
                conditions=d.conditions.strip(),
                reasons=d.reasons.strip(),
                mean_score=agg.mean,
                votes_for=d.votes_for or 0,
                votes_against=d.votes_against or 0,
                votes_abstained=d.votes_abstained or 0,
                dissent=d.dissent.strip(),
                decided_by=actor,
            )
        )
        if _is_rec(d.decision):
            application_change_status(
                application=d.application,
                to_status=Application.Status.RECOMMENDED,
                actor=actor,
                comment=str(_("Expert council decision")),
            )
            application_set_approved_amount(application=d.application, amount=d.amount)
        elif d.decision == CouncilDecision.Decision.DO_NOT_RECOMMEND:
            application_change_status(
                application=d.application,
                to_status=Application.Status.NOT_RECOMMENDED,
                actor=actor,
                comment=d.reasons.strip(),
            )
        if d.decision != CouncilDecision.Decision.DEFER:
            _notify_applicant(d.application)
    session.envelope_override_reason = envelope_override_reason.strip()
    session.decided_at = timezone.now()
    session.save(update_fields=["envelope_override_reason", "decided_at", "updated_at"])
    # The session closes here: freeze what the minutes record and issue them.
    session.minutes_snapshot = minutes_snapshot_build(session)
    session.save(update_fields=["minutes_snapshot", "updated_at"])
    minutes_issue(session=session, user=actor)
    return created


@transaction.atomic
def minutes_freeze_late(*, session: CouncilSession) -> CouncilSession:
    """A session closed before minutes were frozen gets its snapshot now, once,
    marked as reconstructed (its ranking is the one of today, not of the meeting),
    so staff can still issue its minutes."""
    locked = CouncilSession.objects.select_for_update().get(pk=session.pk)
    if locked.minutes_snapshot or locked.decided_at is None:
        return locked
    snapshot = minutes_snapshot_build(locked)
    snapshot["reconstructed_on"] = timezone.localdate().isoformat()
    locked.minutes_snapshot = snapshot
    locked.save(update_fields=["minutes_snapshot", "updated_at"])
    return locked


def minutes_issue(*, session: CouncilSession, user, reason: str = "") -> list:
    """Issue the minutes of a closed session in Kazakh and Russian from its
    snapshot (the next version of each, with ``reason`` after the first)."""
    from alliance_portal.documents import document_issue

    return [
        document_issue(
            kind="council_minutes",
            subject=session,
            variant=language,
            number=session.minutes_snapshot.get("number") or str(session.pk),
            params={"session": session.pk, "language": language},
            user=user,
            reason=reason,
        )
        for language in MINUTES_LANGUAGES
    ]


def _is_rec(decision: str) -> bool:
    return decision in (
        CouncilDecision.Decision.RECOMMEND,
        CouncilDecision.Decision.RECOMMEND_WITH_CONDITIONS,
    )


def _notify_applicant(application: Application) -> None:
    from members.models import User

    leaders = set(
        Affiliation.objects.filter(
            organisation_id=application.organisation_id,
            status=Affiliation.Status.APPROVED,
            role=Affiliation.Role.LEADER,
        ).values_list("user_id", flat=True)
    )
    leaders.add(application.created_by_id)
    url = reverse("reviews:feedback", args=[application.pk])
    for user in User.objects.filter(pk__in=leaders, is_active=True):
        notify(
            user=user,
            kind="council_decision",
            title=_("The expert council has decided on application %(number)s"),
            body=_(
                "%(title)s (call: %(call)s). See the decision and the experts' "
                "anonymised comments."
            ),
            params={
                "number": application.number,
                "title": application.title,
                "call": names_of(application.call, "title"),
            },
            url=url,
        )
