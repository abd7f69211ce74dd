"""The translated label of every kind of message and reminder.

Kinds are internal keys (``grants.tranche_paid``, ``call_closing``) stored in the database
and chosen by the services; a person reads only the label. An unknown kind (one added
without a row here) reads as "Other messages", never as the key.
"""

from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    # applications
    "application_submitted": _("Application received"),
    "application_to_screen": _("New application to screen"),
    "application_returned": _("Application returned for revision"),
    "application_admitted": _("Application admitted to expert review"),
    "application_rejected": _("Application not admitted"),
    "application_withdrawn": _("Application withdrawn"),
    "application_call_closing": _("Draft application in a call that closes soon"),
    "call_closing": _("Call for proposals closing soon"),
    # expert review
    "review_assigned": _("Applications assigned for review"),
    "review_due": _("Review deadline"),
    "council_decision": _("Expert council decision"),
    # grants
    "grants.tranche_approved": _("Tranche approved for payment"),
    "grants.tranche_paid": _("Tranche paid"),
    "grants.report_approved": _("Grant report approved"),
    "grants.report_returned": _("Grant report returned for revision"),
    "report_due": _("Grant report due"),
    "tranche_awaiting_payment": _("Tranche awaiting payment"),
    # memoranda, forums
    "commitment_due": _("Memorandum commitment due"),
    "memorandum_expiring": _("Memorandum expiring"),
    "resolution_due": _("Forum resolution due"),
    "forums.registration_confirmed": _("Registration confirmed"),
    "forums.waitlist_promoted": _("A place became free for you"),
    "forums.delegates_expected": _("Forum or event starting soon"),
    # registry and membership
    "members.change_request": _("Change of the organisation's details"),
    "members.affiliation": _("Request to join an organisation"),
    "members.membership": _("Alliance membership"),
    "ngo_annual_report": _("Yearly report to the state NGO database"),
    "staff_weekly_digest": _("Weekly digest of overdue items"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, _("Other messages")))
