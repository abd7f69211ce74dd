"""Every write of the grants app (split by concept)."""

from grants.services.grants import (
    application_ceiling,
    grant_budget_set,
    grant_change_amount,
    grant_close,
    grant_create,
    grant_generate_contract,
    grant_sign,
    grant_sign_electronically,
    tranche_schedule_set,
)
from grants.services.reports import (
    monitoring_visit_record,
    report_add_photo,
    report_decide,
    report_save,
    report_submit,
)
from grants.services.spending import (
    budget_revision_decide,
    budget_revision_request,
    expenditure_approve_overspend,
    expenditure_record,
)
from grants.services.summary import money_summary_refresh
from grants.services.templates import contract_template_save
from grants.services.tranches import (
    may_confirm_payment,
    may_request_tranche,
    tranche_approve,
    tranche_confirm_payment,
    tranche_hold,
    tranche_release,
    tranche_request,
)

__all__ = [
    "application_ceiling",
    "budget_revision_decide",
    "budget_revision_request",
    "contract_template_save",
    "expenditure_approve_overspend",
    "expenditure_record",
    "grant_budget_set",
    "grant_change_amount",
    "grant_close",
    "grant_create",
    "grant_generate_contract",
    "grant_sign",
    "grant_sign_electronically",
    "may_confirm_payment",
    "may_request_tranche",
    "money_summary_refresh",
    "monitoring_visit_record",
    "report_add_photo",
    "report_decide",
    "report_save",
    "report_submit",
    "tranche_approve",
    "tranche_confirm_payment",
    "tranche_hold",
    "tranche_release",
    "tranche_request",
    "tranche_schedule_set",
]
