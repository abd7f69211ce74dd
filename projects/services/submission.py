"""Submitting an application: every check at once, then lock and number it."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.money import format_tenge
from alliance_portal.notifications import notify
from members.selectors import leaders_of, organisation_is_member
from projects.content import application_content
from projects.models import Application, ApplicationSnapshot, Call
from projects.selectors import staff_to_notify, unfinished_projects_of
from projects.texts import lazy_format

from .duplicates import application_flag_duplicates
from .status import application_change_status

# Problems not tied to a field of the form go under this key.
GENERAL = "__all__"


class SubmissionInvalidError(Exception):
    """Raised with every problem found: ``{section: [(field, message), ...]}``."""

    def __init__(self, problems: dict):
        super().__init__("application incomplete")
        self.problems = problems


def _months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def submission_problems(*, application: Application, call: Call, now=None) -> dict:
    """All reasons ``application`` cannot be submitted now, by section and field.
    An empty dict means it can be submitted."""
    now = now or timezone.now()
    problems: dict[str, list] = defaultdict(list)
    a = application

    def add(section, field, message):
        problems[section].append((field, message))

    # The call's deadline: a draft only while the call is open; a returned
    # application may be resubmitted while screening of the call goes on.
    if a.status == Application.Status.DRAFT and not call.accepts_submissions(now):
        add("call", GENERAL, _("The call is not accepting applications any more."))
    if a.status == Application.Status.RETURNED and call.status not in (
        Call.Status.OPEN,
        Call.Status.CLOSED,
    ):
        add("call", GENERAL, _("Screening of this call has ended."))

    required = _("This field is required.")
    if not a.title.strip():
        add("general", "title", required)
    districts = list(a.districts.all())
    if not districts:
        add("general", "districts", _("Choose at least one district."))
    eligible = set(call.eligible_districts.values_list("pk", flat=True))
    if eligible and any(d.pk not in eligible for d in districts):
        add("general", "districts", _("Some districts are not eligible in this call."))
    themes = set(call.priority_themes.values_list("pk", flat=True))
    if themes and a.theme_id not in themes:
        add("general", "theme", _("Choose one of the call's priority themes."))
    amount = a.requested_amount or 0
    if amount <= 0:
        add("general", "requested_amount", required)
    elif not call.min_grant <= amount <= call.max_grant:
        add(
            "general",
            "requested_amount",
            _("The amount must be between %(min)s and %(max)s.")
            % {
                "min": format_tenge(call.min_grant),
                "max": format_tenge(call.max_grant),
            },
        )
    for section, field in (
        ("problem", "problem"),
        ("goals", "goals"),
        ("target_group", "target_group"),
        ("sustainability", "sustainability"),
        ("sustainability", "team"),
        ("sustainability", "experience"),
    ):
        if not getattr(a, field).strip():
            add(section, field, required)
    if a.beneficiaries_direct <= 0:
        add(
            "target_group",
            "beneficiaries_direct",
            _("Give the number of direct beneficiaries."),
        )
    if not a.activities.exists():
        add("activities", GENERAL, _("Add at least one activity."))
    if not a.results.exists():
        add("results", GENERAL, _("Add at least one expected result."))
    grant_total = a.budget_lines.aggregate(s=Sum("grant_amount"))["s"]
    if grant_total is None:
        add("budget", GENERAL, _("Add at least one budget line."))
    elif grant_total != amount:
        add(
            "budget",
            GENERAL,
            _(
                "The budget asks the grant for %(total)s, but the requested amount "
                "is %(amount)s: they must be equal."
            )
            % {"total": format_tenge(grant_total), "amount": format_tenge(amount)},
        )
    attached = set(
        a.attachments.exclude(required_document=None).values_list(
            "required_document_id", flat=True
        )
    )
    for doc in call.required_documents.all():
        if doc.pk not in attached:
            add(
                "attachments",
                GENERAL,
                _("Attach: %(name)s.") % {"name": doc.name},
            )

    organisation = a.organisation
    today = timezone.localdate(now)
    if call.min_months_registered:
        registered_on = organisation.registration_date
        if registered_on is None:
            add(
                "organisation",
                GENERAL,
                _("The organisation's registration date is missing from its profile."),
            )
        elif _months_between(registered_on, today) < call.min_months_registered:
            add(
                "organisation",
                GENERAL,
                _("The organisation must be registered for at least %(n)s months.")
                % {"n": call.min_months_registered},
            )
    if call.membership_required and not organisation_is_member(
        organisation=organisation, on=today
    ):
        add(
            "organisation",
            GENERAL,
            _("Only members of the alliance may apply to this call."),
        )
    if call.no_unfinished_reports:
        unfinished = unfinished_projects_of(
            organisation=organisation, exclude_call=call
        )
        if unfinished:
            add(
                "organisation",
                GENERAL,
                _("The organisation has unfinished projects: %(list)s.")
                % {"list": ", ".join(unfinished)},
            )
    return dict(problems)


def _assign_number(*, application: Application, call: Call) -> None:
    """``<code>-<year>-<seq>``, unique by constraint. The caller holds the lock on
    every call sharing the prefix's code, so two submissions never pick one number."""
    prefix = call.number_prefix
    last = Application.objects.filter(number__startswith=prefix).aggregate(
        m=Max("sequence")
    )["m"]
    sequence = (last or 0) + 1
    # Numbers given outside this service (imports, fixtures) have no sequence.
    while Application.objects.filter(number=f"{prefix}{sequence:04d}").exists():
        sequence += 1
    application.sequence = sequence
    application.number = f"{prefix}{sequence:04d}"


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    """Submit (or resubmit) an application.

    Guarantees: every problem is reported at once (:class:`SubmissionInvalidError`) and
    nothing is written then; a second submit of an already submitted application
    (double click, two tabs) returns it unchanged; the number is assigned once,
    under a lock on the calls sharing its code, and is unique by constraint.
    """
    call = Application.objects.only("call_id").get(pk=application.pk).call
    # Lock order everywhere: calls (by pk) before the application.
    locked_calls = list(
        Call.objects.select_for_update().filter(code=call.code).order_by("pk")
    )
    call = next(c for c in locked_calls if c.pk == call.pk)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status in (Application.Status.SUBMITTED, Application.Status.RESUBMITTED):
        return locked
    if not locked.is_editable:
        raise SubmissionInvalidError(
            {"call": [(GENERAL, _("This application can no longer be submitted."))]}
        )
    problems = submission_problems(application=locked, call=call)
    if problems:
        raise SubmissionInvalidError(problems)
    resubmission = locked.status == Application.Status.RETURNED
    if not locked.number:
        _assign_number(application=locked, call=call)
    if locked.submitted_at is None:
        locked.submitted_at = timezone.now()
    locked.reopened_sections = []
    locked.version += 1
    locked.save(
        update_fields=[
            "number",
            "sequence",
            "submitted_at",
            "reopened_sections",
            "version",
            "updated_at",
        ]
    )
    to_status = (
        Application.Status.RESUBMITTED if resubmission else Application.Status.SUBMITTED
    )
    application_change_status(
        application=locked, to_status=to_status, actor=actor, comment=""
    )
    ApplicationSnapshot.objects.create(
        application=locked,
        kind=ApplicationSnapshot.Kind(to_status),
        data=application_content(locked),
    )
    application_flag_duplicates(application=locked)
    number = locked.number
    url = reverse("projects:application_detail", args=[locked.pk])
    for user in leaders_of(organisation=locked.organisation):
        notify(
            user=user,
            kind="application_submitted",
            title=lazy_format(_("Application %(number)s received"), number=number),
            body=_("The alliance's staff will screen it and let you know."),
            url=url,
        )
    staff_url = reverse("projects:screen", args=[locked.pk])
    for user in staff_to_notify():
        notify(
            user=user,
            kind="application_to_screen",
            title=lazy_format(
                _("Application %(number)s resubmitted")
                if resubmission
                else _("New application %(number)s"),
                number=number,
            ),
            body=_("It is waiting for screening."),
            url=staff_url,
        )
    application.status = locked.status
    application.number = locked.number
    application.version = locked.version
    return locked
