"""The council session's minutes (хаттама / протокол) as a PDF in Kazakh or Russian,
rendered from the snapshot frozen when the session closed, and nothing else."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation

from alliance_portal.dates import long_date
from alliance_portal.documents import issue_info, issued_access, register
from alliance_portal.pdf import render_pdf
from alliance_portal.permissions import is_official, is_staff_member

from .models import CouncilDecision, CouncilSession


@register("council_minutes")
def build_minutes(job) -> tuple[str, bytes]:
    info = issue_info(job)
    return minutes_pdf(
        job.params["session"], job.params.get("language", "kk"), issue=info
    )


@issued_access("council_minutes", reissuable=True)
def can_download_minutes(user, session: CouncilSession) -> bool:
    return is_staff_member(user) or is_official(user)


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _title(row: dict, language: str) -> str:
    if language == "ru" and row.get("title_ru"):
        return row["title_ru"]
    return row.get("title") or ""


def _sentence(text: str | None) -> str:
    """A free text typed by the secretary, ended once: the minutes put it before
    the next sentence, and «… өлшенетін..» reads as a typo."""
    text = (text or "").strip()
    if not text or text.endswith((".", "!", "?", "…")):
        return text
    return text + "."


def minutes_context(snapshot: dict, language: str) -> dict:
    """The snapshot made printable in one language (labels of the decision codes,
    the organisation's name in that language, amounts as Decimals).

    Each application is identified in full once, in the ranking; a decision names
    its application's number and ranking position (``position``, looked up here:
    the frozen snapshots have no such key). A decided application missing from the
    ranking (reconstructed minutes list only those still under review) has no
    position, and its decision then names the organisation and title itself."""
    labels = dict(CouncilDecision.Decision.choices)
    ranking = [
        {
            **row,
            "organisation_name": row["organisation"].get(language, ""),
            "title_shown": _title(row, language),
            "mean": _decimal(row["mean"]),
            "spread": _decimal(row["spread"]),
            "requested": _decimal(row["requested"]),
            "running_total": _decimal(row["running_total"]),
            "decision_label": labels.get(row["decision"], "")
            if row["decision"]
            else "",
        }
        for row in snapshot.get("ranking", [])
    ]
    positions = {row["application"]: row.get("position") for row in ranking}
    decisions = [
        {
            **row,
            "position": positions.get(row["application"]),
            "organisation_name": row["organisation"].get(language, ""),
            "title_shown": _title(row, language),
            "requested": _decimal(row["requested"]),
            "mean": _decimal(row["mean"]),
            "amount": _decimal(row["amount"]),
            "conditions": _sentence(row.get("conditions")),
            "reasons": _sentence(row.get("reasons")),
            "dissent": _sentence(row.get("dissent")),
            "decision_label": labels.get(row["decision"], row["decision"]),
            "recommended": row["decision"]
            in (
                CouncilDecision.Decision.RECOMMEND,
                CouncilDecision.Decision.RECOMMEND_WITH_CONDITIONS,
            ),
        }
        for row in snapshot.get("decisions", [])
    ]
    held_on = datetime.date.fromisoformat(snapshot["held_on"])
    return {
        "m": snapshot,
        "call_title": snapshot["call"]["title_kk" if language == "kk" else "title_ru"],
        "envelope": _decimal(snapshot["call"]["envelope"]),
        "held_on_text": long_date(held_on, language),
        "ranking": ranking,
        "decisions": decisions,
        "language": language,
    }


def minutes_pdf(
    session_id: int, language: str, *, issue: dict | None = None
) -> tuple[str, bytes]:
    """(file name, PDF) of a closed session's minutes, from its snapshot only."""
    session = CouncilSession.objects.only("pk", "minutes_snapshot").get(pk=session_id)
    snapshot = session.minutes_snapshot
    if not snapshot:
        raise ValueError(f"council session {session_id} has no frozen minutes")
    issue = issue or {}
    with translation.override(language):
        context = {
            **minutes_context(snapshot, language),
            "version": issue.get("version"),
            "issued_on": issue.get("issued_on"),
        }
        pdf = render_pdf("reviews/minutes_pdf.html", context, language=language)
    version = f"-v{issue['version']}" if issue.get("version") else ""
    return f"minutes-{snapshot['number']}{version}-{language}.pdf", pdf
