"""The application's content as plain data: what a snapshot stores and what the
resubmission diff compares. Pure functions over already-loaded rows."""

import difflib
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from alliance_portal.money import format_quantity, format_tenge

from .models import Application, BudgetLine

# Field key -> (section, label). Order is the order staff read the diff in.
FIELDS = {
    "title": ("general", _("project title")),
    "title_ru": ("general", _("project title in Russian (optional)")),
    "theme": ("general", _("theme")),
    "districts": ("general", _("districts")),
    "settlements": ("general", _("settlements")),
    "requested_amount": ("general", _("requested amount, ₸")),
    "problem": ("problem", _("social problem and why it matters")),
    "goals": ("goals", _("goals and objectives")),
    "target_group": ("target_group", _("target group")),
    "beneficiaries_direct": ("target_group", _("direct beneficiaries")),
    "beneficiaries_indirect": ("target_group", _("indirect beneficiaries")),
    "activities": ("activities", _("activities")),
    "results": ("results", _("expected results")),
    "sustainability": ("sustainability", _("sustainability after the grant")),
    "team": ("sustainability", _("project team")),
    "experience": ("sustainability", _("organisation's experience")),
    "budget": ("budget", _("budget")),
    "attachments": ("attachments", _("attachments")),
}


def application_content(application: Application) -> dict[str, str]:
    """Every field of the application as text (tables one row per line)."""
    a = application
    return {
        "title": a.title,
        "title_ru": a.title_ru,
        "theme": a.theme.code if a.theme_id else "",
        "districts": ", ".join(sorted(d.code for d in a.districts.all())),
        "settlements": a.settlements,
        "requested_amount": str(a.requested_amount),
        "problem": a.problem,
        "goals": a.goals,
        "target_group": a.target_group,
        "beneficiaries_direct": str(a.beneficiaries_direct),
        "beneficiaries_indirect": str(a.beneficiaries_indirect),
        "activities": "\n".join(
            f"{r.activity} | {r.start.isoformat()} – {r.end.isoformat()} | "
            f"{r.responsible}"
            for r in a.activities.all()
        ),
        "results": "\n".join(
            f"{r.indicator} | {r.baseline} → {r.target}" for r in a.results.all()
        ),
        "sustainability": a.sustainability,
        "team": a.team,
        "experience": a.experience,
        "budget": "\n".join(
            f"{r.category} | {r.item} | {r.quantity} {r.unit} × "
            f"{r.unit_cost} = {r.grant_amount} + {r.cofunding}"
            for r in a.budget_lines.all()
        ),
        "attachments": "\n".join(sorted(f.original_name for f in a.attachments.all())),
    }


def content_diff(old: dict, new: dict) -> list[dict]:
    """Per-field differences between two contents: only changed fields, each with
    its section, label and a line diff (``-`` removed, ``+`` added, `` `` kept)."""
    changes = []
    for key, (section, label) in FIELDS.items():
        before, after = old.get(key, ""), new.get(key, "")
        if before == after:
            continue
        before, after = readable(key, before), readable(key, after)
        lines = [
            {"op": line[0], "text": line[2:]}
            for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if line[:1] in "-+ "
        ]
        changes.append(
            {"field": key, "section": section, "label": label, "lines": lines}
        )
    return changes


# A snapshot stores numbers as the database gives them ("9.00 ай × 150000.00"), so
# that old and new snapshots compare exactly; the diff a person reads formats them.
_BUDGET_LINE = re.compile(
    r"^(?P<category>[^|]*) \| (?P<item>.*) \| (?P<quantity>[\d.]+) (?P<unit>.*) × "
    r"(?P<unit_cost>[\d.]+) = (?P<grant>[\d.]+) \+ (?P<cofunding>[\d.]+)$"
)


def _budget_line(text: str) -> str:
    match = _BUDGET_LINE.match(text)
    if not match:
        return text
    try:
        category = BudgetLine.Category(match["category"]).label
    except ValueError:
        category = match["category"]
    try:
        return (
            f"{category} | {match['item']} | "
            f"{format_quantity(Decimal(match['quantity']))} {match['unit']} × "
            f"{format_tenge(Decimal(match['unit_cost']))} = "
            f"{format_tenge(Decimal(match['grant']))} + "
            f"{format_tenge(Decimal(match['cofunding']))}"
        )
    except InvalidOperation:
        return text


def readable(key: str, text: str) -> str:
    """A stored content value as a person reads it, in the active language."""
    if key == "budget":
        return "\n".join(_budget_line(line) for line in text.splitlines())
    if key == "requested_amount" and text:
        try:
            return format_tenge(Decimal(text))
        except InvalidOperation:
            return text
    return text


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0..1, ignoring case and surrounding spaces."""
    a, b = (a or "").strip().casefold(), (b or "").strip().casefold()
    if not a or not b:
        return 0.0
    # autojunk off: on texts of 200+ characters difflib otherwise takes every
    # frequent letter for junk and finds two copies of a Kazakh text ~1% alike.
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
