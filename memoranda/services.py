"""Writes of the memoranda app. Every change of a memorandum, its parties or its
commitments goes through here; status changes leave a history row with who and when."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance_portal.documents import document_issue, document_request, latest_issued
from alliance_portal.figures import figures_changed_on_commit
from alliance_portal.models import DocumentJob, IssuedDocument
from alliance_portal.permissions import is_staff_member
from members.models import Organisation

from .models import (
    Commitment,
    CommitmentEvidence,
    CommitmentNote,
    Memorandum,
    MemorandumParty,
    MemorandumStatusChange,
)
from .validators import validate_evidence, validate_pdf

MEMORANDUM_FIELDS = (
    "kind",
    "number",
    "title_kk",
    "title_ru",
    "signed_on",
    "valid_from",
    "valid_until",
    "goals_kk",
    "goals_ru",
    "directions_kk",
    "directions_ru",
    "status",
)
PDF_LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class PartyData:
    organisation: Organisation
    signatory_name: str
    signatory_position_kk: str
    signatory_position_ru: str


def _check_parties(parties: list[PartyData]) -> None:
    if len(parties) < 2:
        raise ValidationError(
            _("A memorandum needs at least two parties."), code="too_few_parties"
        )
    ids = [p.organisation.pk for p in parties]
    if len(set(ids)) != len(ids):
        raise ValidationError(
            _("Each organisation can be a party only once."), code="duplicate_party"
        )


def _save_parties(*, memorandum: Memorandum, parties: list[PartyData]) -> None:
    keep = {p.organisation.pk for p in parties}
    orphaned = memorandum.commitments.exclude(responsible_id__in=keep)
    if orphaned.exists():
        raise ValidationError(
            _(
                "An organisation responsible for commitments cannot be removed from "
                "the parties."
            ),
            code="party_has_commitments",
        )
    memorandum.parties.exclude(organisation_id__in=keep).delete()
    for order, party in enumerate(parties):
        MemorandumParty.objects.update_or_create(
            memorandum=memorandum,
            organisation=party.organisation,
            defaults={
                "signatory_name": party.signatory_name,
                "signatory_position_kk": party.signatory_position_kk,
                "signatory_position_ru": party.signatory_position_ru,
                "order": order,
            },
        )


def _record_status(
    *, memorandum: Memorandum, from_status: str, actor, comment: str = ""
) -> None:
    if from_status != memorandum.status:
        MemorandumStatusChange.objects.create(
            memorandum=memorandum,
            from_status=from_status,
            to_status=memorandum.status,
            actor=actor,
            comment=comment,
        )


@transaction.atomic
def memorandum_create(
    *, data: dict, parties: list[PartyData], actor, scan=None
) -> Memorandum:
    """Create a memorandum with its parties (two or more, each organisation once).

    Raises ``ValidationError`` and saves nothing when the data or parties are invalid;
    the first status is recorded in the history.
    """
    _check_parties(parties)
    memorandum = Memorandum(**{k: data[k] for k in MEMORANDUM_FIELDS if k in data})
    if scan:
        validate_pdf(scan)
        memorandum.scan = scan
    memorandum.full_clean()
    memorandum.save()
    _save_parties(memorandum=memorandum, parties=parties)
    _record_status(memorandum=memorandum, from_status="", actor=actor)
    return memorandum


@transaction.atomic
def memorandum_update(
    *, memorandum: Memorandum, data: dict, parties: list[PartyData], actor, scan=None
) -> Memorandum:
    """Change a memorandum and replace its parties; a status change is recorded."""
    _check_parties(parties)
    locked = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
    from_status = locked.status
    for field in MEMORANDUM_FIELDS:
        if field in data:
            setattr(locked, field, data[field])
    if scan:
        validate_pdf(scan)
        locked.scan = scan
    locked.full_clean()
    locked.save()
    _save_parties(memorandum=locked, parties=parties)
    _record_status(memorandum=locked, from_status=from_status, actor=actor)
    return locked


@transaction.atomic
def memorandum_change_status(
    *, memorandum: Memorandum, to_status: str, actor, comment: str = ""
) -> Memorandum:
    locked = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    _record_status(
        memorandum=locked, from_status=from_status, actor=actor, comment=comment
    )
    return locked


def memoranda_expire_lapsed(*, on: datetime.date | None = None) -> int:
    """Store "expired" on signed or in-force memoranda whose validity has passed.

    Readers already see them as expired (``effective_status``); this keeps the stored
    status in step and writes the history rows. Returns how many were changed.
    """
    on = on or timezone.localdate()
    lapsed = Memorandum.objects.filter(
        status__in=[Memorandum.Status.SIGNED, Memorandum.Status.IN_FORCE],
        valid_until__lt=on,
    ).values_list("pk", flat=True)
    changed = 0
    for pk in list(lapsed):
        with transaction.atomic():
            locked = Memorandum.objects.select_for_update().get(pk=pk)
            if not locked.is_lapsed(on) or locked.status not in (
                Memorandum.Status.SIGNED,
                Memorandum.Status.IN_FORCE,
            ):
                continue
            memorandum_change_status(
                memorandum=locked,
                to_status=Memorandum.Status.EXPIRED,
                actor=None,
                comment="validity period ended",
            )
            changed += 1
    return changed


def _touch(memorandum_pk: int) -> None:
    """Bump the memorandum's revision so its PDF is rendered afresh."""
    Memorandum.objects.filter(pk=memorandum_pk).update(updated_at=timezone.now())


def _check_responsible(memorandum: Memorandum, responsible: Organisation) -> None:
    if not memorandum.parties.filter(organisation=responsible).exists():
        raise ValidationError(
            {
                "responsible": _(
                    "The responsible organisation must be a party to the memorandum."
                )
            }
        )


@transaction.atomic
def commitment_add(
    *,
    memorandum: Memorandum,
    text_kk: str,
    text_ru: str,
    responsible: Organisation,
    due_on: datetime.date,
    actor,
) -> Commitment:
    """Add a planned commitment; the responsible organisation must be a party."""
    locked = Memorandum.objects.select_for_update().get(pk=memorandum.pk)
    _check_responsible(locked, responsible)
    commitment = Commitment(
        memorandum=locked,
        text_kk=text_kk,
        text_ru=text_ru,
        responsible=responsible,
        due_on=due_on,
        order=locked.commitments.count(),
    )
    commitment.full_clean()
    commitment.save()
    CommitmentNote.objects.create(
        commitment=commitment,
        author=actor,
        text=str(_("Commitment recorded.")),
        from_status="",
        to_status=commitment.status,
    )
    _touch(locked.pk)
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    text_kk: str,
    text_ru: str,
    responsible: Organisation,
    due_on: datetime.date,
    actor,
) -> Commitment:
    """Correct what a commitment says, who answers for it and when it is due."""
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    _check_responsible(locked.memorandum, responsible)
    locked.text_kk, locked.text_ru = text_kk, text_ru
    locked.responsible, locked.due_on = responsible, due_on
    locked.full_clean()
    locked.save()
    _touch(locked.memorandum_id)
    return locked


@transaction.atomic
def commitment_update_status(
    *,
    commitment: Commitment,
    to_status: str,
    note: str,
    actor,
    evidence: list | None = None,
    on: datetime.date | None = None,
) -> CommitmentNote:
    """Record progress: a note (required), an optional status change and evidence
    files (each checked by content and size). All or nothing."""
    if not note.strip():
        raise ValidationError({"note": _("Describe the progress in a note.")})
    if to_status not in Commitment.Status.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    checked = [(upload, validate_evidence(upload)) for upload in evidence or []]
    locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
    from_status = locked.status
    if to_status != from_status:
        locked.status = to_status
        locked.completed_on = (
            (on or timezone.localdate())
            if to_status == Commitment.Status.DONE
            else None
        )
        locked.save(update_fields=["status", "completed_on", "updated_at"])
        figures_changed_on_commit()
    progress = CommitmentNote.objects.create(
        commitment=locked,
        author=actor,
        text=note.strip(),
        from_status=from_status,
        to_status=to_status,
    )
    for upload, mime in checked:
        CommitmentEvidence.objects.create(
            commitment=locked,
            note=progress,
            file=upload,
            original_name=getattr(upload, "original_name", upload.name)[:255],
            content_type=mime,
            size=upload.size,
            uploaded_by=actor,
        )
    _touch(locked.memorandum_id)
    commitment.status = locked.status
    commitment.completed_on = locked.completed_on
    return progress


def memorandum_request_pdf(
    *, memorandum: Memorandum, language: str, user
) -> DocumentJob | IssuedDocument:
    """The official PDF in Kazakh or Russian.

    A signed memorandum is an issued document: the first request issues version 1
    (exact bytes and SHA-256 kept), later ones get that issued version back. When
    the memorandum changed since (its ``updated_at`` revision), staff asking for it
    issue the next version with the reason; everyone else keeps getting the
    latest issued one. A draft is not a document yet: it is rendered per revision
    and per person, as a preview.
    """
    if language not in PDF_LANGUAGES:
        raise ValidationError(_("The PDF is available in Kazakh and Russian."))
    revision = int(memorandum.updated_at.timestamp() * 1000)
    params = {"memorandum": memorandum.pk, "language": language}
    if memorandum.status == Memorandum.Status.DRAFT:
        return document_request(
            kind="memorandum_pdf",
            key=f"{memorandum.pk}:{language}:{revision}:{user.pk}",
            params=params,
            user=user,
        )
    latest = latest_issued(kind="memorandum_pdf", subject=memorandum, variant=language)
    if latest is not None and (
        latest.params.get("revision") == revision or not is_staff_member(user)
    ):
        return latest
    return document_issue(
        kind="memorandum_pdf",
        subject=memorandum,
        variant=language,
        number=str(memorandum.number),
        params={**params, "revision": revision},
        user=user,
        reason=str(
            _("The memorandum was changed after version %(v)s was issued.")
            % {"v": latest.version}
        )
        if latest
        else "",
    )
