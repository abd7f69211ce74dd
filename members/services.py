"""Writes of the members app: organisations, affiliations, alliance membership and
changes to an organisation's legal identity. Every function is atomic, locks what it
changes and records who decided and when."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from slugify import slugify

from alliance_portal import uploads
from alliance_portal.notifications import notify

from .models import (
    Affiliation,
    BankAccount,
    FieldOfActivity,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChange,
    OrganisationChangeRequest,
    OrganisationDocument,
    User,
)
from .validators import validate_bin

DUPLICATE_BIN = _("An organisation with this BIN is already registered.")
LEGAL_FIELDS = ("name_kk", "name_ru", "legal_form", "bin")
PROFILE_FIELDS = (
    "district",
    "registration_date",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "description_kk",
    "description_ru",
    "logo",
)


def _unique_slug(*names: str) -> str:
    base = next((s for s in (slugify(n, max_length=50) for n in names) if s), "org")
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_bin_free(bin_value: str, *, exclude_pk: int | None = None) -> None:
    if not bin_value:
        return
    taken = Organisation.objects.filter(bin=bin_value)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"bin": DUPLICATE_BIN}, code="duplicate_bin")


def _save_checked(organisation: Organisation) -> None:
    """full_clean, then save; a BIN taken by a concurrent request still gets the message."""
    organisation.full_clean(validate_constraints=False)
    _check_bin_free(organisation.bin, exclude_pk=organisation.pk)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:
        if "bin" in str(exc).lower():
            raise ValidationError({"bin": DUPLICATE_BIN}) from exc
        raise


def _organisation_url(organisation: Organisation) -> str:
    return reverse("members:organisation_detail", args=[organisation.slug])


# --- organisations -----------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *,
    user: User,
    data: dict,
    fields_of_activity: Iterable[FieldOfActivity] = (),
) -> Organisation:
    """An NGO leader registers their organisation: it is created unpublished, with the
    leader's affiliation pending; staff approving that affiliation publish it."""
    organisation = Organisation(
        kind=Organisation.Kind.NGO,
        is_published=False,
        slug=_unique_slug(data.get("name_ru", ""), data.get("name_kk", "")),
        **{k: v for k, v in data.items() if k in LEGAL_FIELDS + PROFILE_FIELDS},
    )
    _save_checked(organisation)
    organisation.fields_of_activity.set(fields_of_activity)
    Affiliation.objects.create(
        user=user,
        organisation=organisation,
        role=Affiliation.Role.LEADER,
        status=Affiliation.Status.PENDING,
    )
    return organisation


@transaction.atomic
def organisation_update_profile(
    *,
    organisation: Organisation,
    actor: User,
    data: dict,
    fields_of_activity: Iterable[FieldOfActivity] | None = None,
) -> Organisation:
    """Change contacts, description, district, logo: everything but the legal identity,
    which goes through :func:`organisation_change_request_create`."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for field, value in data.items():
        if field in PROFILE_FIELDS:
            setattr(locked, field, value)
    _save_checked(locked)
    if fields_of_activity is not None:
        locked.fields_of_activity.set(fields_of_activity)
    return locked


@transaction.atomic
def organisation_change_request_create(
    *,
    organisation: Organisation,
    actor: User,
    name_kk: str,
    name_ru: str,
    legal_form: str,
    bin: str,
) -> OrganisationChangeRequest:
    """Ask staff to change the BIN, legal names or legal form; the live record stays
    as it is until staff confirm."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if bin:
        validate_bin(bin)
        _check_bin_free(bin, exclude_pk=locked.pk)
    old = {f: getattr(locked, f) for f in LEGAL_FIELDS}
    new = {"name_kk": name_kk, "name_ru": name_ru, "legal_form": legal_form, "bin": bin}
    if old == new:
        raise ValidationError(_("Nothing to change: the values are the same."))
    if locked.change_requests.filter(
        status=OrganisationChangeRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("A change request is already waiting for staff; wait for its decision.")
        )
    return OrganisationChangeRequest.objects.create(
        organisation=locked, requested_by=actor, old_values=old, **new
    )


@transaction.atomic
def organisation_change_request_decide(
    *,
    change_request: OrganisationChangeRequest,
    actor: User,
    approve: bool,
    reason: str = "",
) -> OrganisationChangeRequest:
    """Staff confirm (the live record takes the new values) or reject (with a reason)."""
    locked = OrganisationChangeRequest.objects.select_for_update().get(
        pk=change_request.pk
    )
    if locked.status != OrganisationChangeRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for rejecting.")})
    if approve:
        organisation = Organisation.objects.select_for_update().get(
            pk=locked.organisation_id
        )
        for field in LEGAL_FIELDS:
            setattr(organisation, field, getattr(locked, field))
        _save_checked(organisation)
    locked.status = (
        OrganisationChangeRequest.Status.CONFIRMED
        if approve
        else OrganisationChangeRequest.Status.REJECTED
    )
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_reason = reason.strip()
    locked.save()
    if locked.requested_by:
        notify(
            user=locked.requested_by,
            kind="members.change_request",
            title=_("Your change of the organisation's details was confirmed")
            if approve
            else _("Your change of the organisation's details was rejected"),
            body=locked.decision_reason,
            url=_organisation_url(locked.organisation),
        )
    return locked


STAFF_FIELDS = ("kind", *LEGAL_FIELDS, *PROFILE_FIELDS, "fields_of_activity")
DOCUMENT_TYPES = frozenset({uploads.PDF, *uploads.IMAGES, *uploads.OFFICE})


def _shown(organisation: Organisation, field: str):
    """A field's value as the history keeps it: text, or names in both languages."""
    if field == "district":
        district = organisation.district
        return {"kk": district.name_kk, "ru": district.name_ru} if district else ""
    if field == "fields_of_activity":
        fields = list(organisation.fields_of_activity.order_by("order", "code"))
        return {
            "kk": ", ".join(f.name_kk for f in fields),
            "ru": ", ".join(f.name_ru for f in fields),
        }
    value = getattr(organisation, field)
    if field == "logo":
        return value.name if value else ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


@transaction.atomic
def organisation_update_by_staff(
    *, organisation: Organisation, actor: User, data: dict
) -> Organisation:
    """Staff change any field of an organisation's record, the BIN and legal names
    included, at once (they are the ones who confirm such changes). A bad or taken
    BIN raises a ValidationError on ``bin`` and nothing is saved. When something
    changed, an :class:`OrganisationChange` row records who, when, before and after."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {f: _shown(locked, f) for f in STAFF_FIELDS}
    for field, value in data.items():
        if field in STAFF_FIELDS and field != "fields_of_activity":
            setattr(locked, field, value)
    _save_checked(locked)
    if "fields_of_activity" in data:
        locked.fields_of_activity.set(data["fields_of_activity"])
    after = {f: _shown(locked, f) for f in STAFF_FIELDS}
    changes = {f: [before[f], after[f]] for f in STAFF_FIELDS if before[f] != after[f]}
    if changes:
        OrganisationChange.objects.create(
            organisation=locked, actor=actor, changes=changes
        )
    return locked


REQUISITE_FIELDS = (
    "legal_address",
    "leader_name",
    "head_position_kk",
    "head_position_ru",
    "authority_basis",
    "attorney_number",
    "attorney_date",
)


def _accounts_shown(organisation: Organisation) -> str:
    return "; ".join(
        ("★ " if a.is_primary else "") + a.as_text()
        for a in organisation.bank_accounts.order_by("-is_primary", "pk")
    )


@transaction.atomic
def organisation_requisites_update(
    *,
    organisation: Organisation,
    actor: User,
    data: dict,
    accounts: list[dict],
) -> Organisation:
    """Set the requisites a contract names the organisation by: legal address, the
    signatory (head, position, basis of authority) and the bank accounts. Used by the
    organisation's leaders and by staff alike; every change is recorded field by
    field with who and when (:class:`OrganisationChange`). ``accounts`` are dicts with
    ``id`` (None for a new one), ``delete`` and the account's fields; exactly one
    remaining account is the main one (the first, if none is marked). All or
    nothing: a bad IBAN or a missing power-of-attorney date saves nothing."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {f: _shown(locked, f) for f in REQUISITE_FIELDS}
    before["bank_accounts"] = _accounts_shown(locked)
    for field in REQUISITE_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if locked.authority_basis != Organisation.AuthorityBasis.ATTORNEY:
        locked.attorney_number, locked.attorney_date = "", None
    elif not (locked.attorney_number.strip() and locked.attorney_date):
        raise ValidationError(
            {
                "attorney_number": _(
                    "Give the number and the date of the power of attorney."
                )
            }
        )
    locked.clean_fields(
        exclude=[
            f.name for f in Organisation._meta.fields if f.name not in REQUISITE_FIELDS
        ]
    )
    locked.save()
    existing = {a.pk: a for a in locked.bank_accounts.all()}
    kept: list[BankAccount] = []
    for row in accounts:
        account = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if account is not None:
                account.delete()
            continue
        if account is None:
            account = BankAccount(organisation=locked)
        for field in ("bank_name", "iban", "bik", "kbe", "is_primary"):
            setattr(account, field, row[field])
        kept.append(account)
    if sum(a.is_primary for a in kept) > 1:
        raise ValidationError(_("Only one account can be the main one."))
    if kept and not any(a.is_primary for a in kept):
        kept[0].is_primary = True
    # Clear the old main flag first so the one-main-account constraint holds at
    # every statement.
    BankAccount.objects.filter(organisation=locked).update(is_primary=False)
    for account in kept:
        account.full_clean(exclude=["organisation"])
        account.save()
    after = {f: _shown(locked, f) for f in REQUISITE_FIELDS}
    after["bank_accounts"] = _accounts_shown(locked)
    changes = {f: [before[f], after[f]] for f in before if before[f] != after[f]}
    if changes:
        OrganisationChange.objects.create(
            organisation=locked, actor=actor, changes=changes
        )
    return locked


@transaction.atomic
def organisation_document_add(
    *, organisation: Organisation, actor: User, title: str, file
) -> OrganisationDocument:
    """Store a private document of the organisation: a PDF, an image, DOCX or XLSX
    (judged by its content) of at most 10 MB, with who uploaded it and when. Who may
    upload is the caller's check (``members.upload_document``)."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    try:
        content_type = uploads.check_upload(
            file,
            allowed=DOCUMENT_TYPES,
            message=_("Upload a PDF, an image (PNG, JPEG), a DOCX or an XLSX file."),
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from exc
    document = OrganisationDocument(
        organisation=locked,
        title=title.strip(),
        file=file,
        content_type=content_type,
        uploaded_by=actor,
    )
    document.full_clean()
    document.save()
    return document


# --- affiliations ------------------------------------------------------------------


@transaction.atomic
def affiliation_request(
    *,
    user: User,
    organisation: Organisation,
    role: str = Affiliation.Role.LEADER,
) -> Affiliation:
    """Ask to join an existing organisation; staff approve. A declined request may be
    asked again."""
    existing = (
        Affiliation.objects.select_for_update()
        .filter(user=user, organisation=organisation)
        .first()
    )
    if existing is None:
        return Affiliation.objects.create(
            user=user, organisation=organisation, role=role
        )
    if existing.status != Affiliation.Status.DECLINED:
        raise ValidationError(
            {"organisation": _("You have already asked to join this organisation.")}
        )
    existing.status, existing.role = Affiliation.Status.PENDING, role
    existing.decided_by, existing.decided_at, existing.decision_reason = None, None, ""
    existing.save()
    return existing


@transaction.atomic
def affiliation_decide(
    *, affiliation: Affiliation, actor: User, approve: bool, reason: str = ""
) -> Affiliation:
    """Staff approve or decline a person's place in an organisation. Approving the
    founding leader of an unpublished organisation publishes it."""
    locked = (
        Affiliation.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=affiliation.pk)
    )
    if locked.status != Affiliation.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for declining.")})
    locked.status = (
        Affiliation.Status.APPROVED if approve else Affiliation.Status.DECLINED
    )
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_reason = reason.strip()
    locked.save()
    if approve and not locked.organisation.is_published:
        Organisation.objects.filter(pk=locked.organisation_id).update(
            is_published=True, updated_at=timezone.now()
        )
    notify(
        user=locked.user,
        kind="members.affiliation",
        title=_("Your place in the organisation was approved")
        if approve
        else _("Your request to join the organisation was declined"),
        body=locked.decision_reason,
        url=_organisation_url(locked.organisation),
    )
    return locked


# --- membership in the alliance -----------------------------------------------------


def _open_period(organisation: Organisation) -> MembershipPeriod | None:
    return (
        MembershipPeriod.objects.select_for_update()
        .filter(organisation=organisation, ended_on__isnull=True)
        .first()
    )


def _check_date(on: datetime.date, period: MembershipPeriod | None = None) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if period is not None and on <= period.started_on:
        raise ValidationError(
            {"on": _("The date must be after the current period began (%(date)s).")},
            params={"date": period.started_on.strftime("%d.%m.%Y")},
        )


@transaction.atomic
def membership_apply(
    *, organisation: Organisation, actor: User, statement: str
) -> MembershipApplication:
    """An organisation asks to join the alliance with a statement."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not statement.strip():
        raise ValidationError({"statement": _("Write a statement.")})
    if MembershipPeriod.objects.filter(
        organisation=locked,
        ended_on__isnull=True,
        status=MembershipPeriod.Status.ACTIVE,
    ).exists():
        raise ValidationError(_("This organisation is already a member."))
    if locked.membership_applications.filter(
        status=MembershipApplication.Status.APPLIED
    ).exists():
        raise ValidationError(_("An application is already waiting for a decision."))
    return MembershipApplication.objects.create(
        organisation=locked, statement=statement.strip(), applied_by=actor
    )


@transaction.atomic
def membership_application_decide(
    *,
    application: MembershipApplication,
    actor: User,
    approve: bool,
    reason: str = "",
    on: datetime.date | None = None,
) -> MembershipApplication:
    """Approving opens a membership period from ``on`` (today by default); declining
    needs a reason. Both are recorded with who and when and the applicant is told."""
    locked = (
        MembershipApplication.objects.select_for_update()
        .select_related("organisation")
        .get(pk=application.pk)
    )
    if locked.status != MembershipApplication.Status.APPLIED:
        raise ValidationError(_("This application has already been decided."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for declining.")})
    if approve:
        on = on or timezone.localdate()
        _check_date(on)
        Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        if _open_period(locked.organisation) is not None:
            raise ValidationError(
                _("This organisation already has an open membership period.")
            )
        MembershipPeriod.objects.create(
            organisation=locked.organisation,
            status=MembershipPeriod.Status.ACTIVE,
            started_on=on,
            started_by=actor,
            note=str(_("Application approved")),
        )
    locked.status = (
        MembershipApplication.Status.APPROVED
        if approve
        else MembershipApplication.Status.DECLINED
    )
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.decision_reason = reason.strip()
    locked.save()
    if locked.applied_by:
        notify(
            user=locked.applied_by,
            kind="members.membership",
            title=_("Your organisation was admitted to the alliance")
            if approve
            else _("Your membership application was declined"),
            body=locked.decision_reason,
            url=_organisation_url(locked.organisation),
        )
    return locked


def _close_and_open(
    *,
    organisation: Organisation,
    actor: User,
    on: datetime.date,
    note: str,
    expect: str | None,
    then: str | None,
) -> MembershipPeriod | None:
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = _open_period(organisation)
    if current is None or (expect and current.status != expect):
        messages = {
            MembershipPeriod.Status.ACTIVE: _(
                "This organisation is not an active member."
            ),
            MembershipPeriod.Status.SUSPENDED: _("This organisation is not suspended."),
            None: _("This organisation is not a member."),
        }
        raise ValidationError(messages[expect])
    _check_date(on, current)
    current.ended_on, current.ended_by, current.end_note = on, actor, note.strip()
    current.save()
    if then is None:
        return None
    return MembershipPeriod.objects.create(
        organisation=organisation,
        status=then,
        started_on=on,
        started_by=actor,
        note=note.strip(),
    )


@transaction.atomic
def membership_suspend(
    *, organisation: Organisation, actor: User, on: datetime.date, note: str = ""
) -> MembershipPeriod:
    """Close the active period on ``on`` and open a suspended one from that day."""
    return _close_and_open(
        organisation=organisation,
        actor=actor,
        on=on,
        note=note,
        expect=MembershipPeriod.Status.ACTIVE,
        then=MembershipPeriod.Status.SUSPENDED,
    )


@transaction.atomic
def membership_reinstate(
    *, organisation: Organisation, actor: User, on: datetime.date, note: str = ""
) -> MembershipPeriod:
    """End a suspension: the organisation is an active member again from ``on``."""
    return _close_and_open(
        organisation=organisation,
        actor=actor,
        on=on,
        note=note,
        expect=MembershipPeriod.Status.SUSPENDED,
        then=MembershipPeriod.Status.ACTIVE,
    )


@transaction.atomic
def membership_end(
    *, organisation: Organisation, actor: User, on: datetime.date, note: str = ""
) -> None:
    """The organisation leaves (or is excluded): its open period closes on ``on``."""
    _close_and_open(
        organisation=organisation, actor=actor, on=on, note=note, expect=None, then=None
    )


# --- import ------------------------------------------------------------------------


@transaction.atomic
def organisations_import(*, rows: list[dict], actor: User) -> list[Organisation]:
    """Create the rows of a previewed file that are still valid, all or nothing.

    The rows are checked again here (another import may have taken a BIN since the
    preview); rows with errors are skipped, as the preview told the user.
    """
    from .importing import validate_rows

    created = []
    for row in validate_rows(rows):
        if row.errors:
            continue
        data = dict(row.data)
        fields = data.pop("fields_of_activity", [])
        organisation = Organisation(
            kind=Organisation.Kind.NGO,
            is_published=True,
            slug=_unique_slug(data.get("name_ru", ""), data.get("name_kk", "")),
            **data,
        )
        _save_checked(organisation)
        if fields:
            organisation.fields_of_activity.set(fields)
        created.append(organisation)
    return created
