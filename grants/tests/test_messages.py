"""Service error messages name money as a person reads it: ``1 500 000 ₸``, never the
database's ``1500000.00``, in Kazakh and Russian alike."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from grants import services
from grants.tests.factories import make_grant, recommended_application, staff_user

pytestmark = pytest.mark.django_db

RAW_DECIMAL = re.compile(r"\d\.\d{2}\b|\d{4,}")  # 1500000.00, 2000000
NBSP = "\xa0"


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _assert_readable(text: str, *amounts: str) -> None:
    assert not RAW_DECIMAL.search(text), text
    for amount in amounts:
        assert amount.replace(" ", NBSP) + NBSP + "₸" in text, (amount, text)
    assert "₸ ₸" not in text
    assert f"₸{NBSP}₸" not in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_envelope_message_formats_money(language):
    # given a call with an envelope of 2 000 000 and a grant of 1 500 000 in it
    first = recommended_application()
    call = first.call
    call.envelope = Decimal("2000000")
    call.max_grant = Decimal("2000000")
    call.save()
    period = {
        "actor": staff_user(),
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2026, 12, 1),
    }
    services.grant_create(application=first, **period)
    second = recommended_application(call=call)
    # when a second grant would exceed the envelope
    with translation.override(language), pytest.raises(ValidationError) as error:
        services.grant_create(application=second, **period)
    # then the message names both amounts formatted
    _assert_readable(_messages(error.value), "2 000 000", "1 500 000")


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_budget_and_schedule_messages_format_money(language):
    # given a draft grant of 1 500 000
    grant = make_grant()
    staff = staff_user()
    line = grant.budget_lines.first()
    tranche = grant.tranches.order_by("sequence").first()
    with translation.override(language):
        # when staff set budget lines and a schedule that do not add up
        with pytest.raises(ValidationError) as budget:
            services.grant_budget_set(
                grant=grant, actor=staff, planned={line.pk: line.planned + 1}
            )
        with pytest.raises(ValidationError) as schedule:
            services.tranche_schedule_set(
                grant=grant,
                actor=staff,
                items=[
                    {"planned_on": tranche.planned_on, "amount": Decimal("1200000")}
                ],
            )
    # then both messages read the sums as money
    _assert_readable(_messages(budget.value), "1 500 001", "1 500 000")
    _assert_readable(_messages(schedule.value), "1 200 000", "1 500 000")


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_tranche_paid_email_names_grant_and_amount_in_the_leaders_language(
    language, django_capture_on_commit_callbacks
):
    from django.conf import settings
    from django.core import mail

    from grants.tests.factories import fund_officer_of, leader_of, pay_tranche

    # given a signed grant whose NGO leader reads the portal in this language
    staff = staff_user()
    grant = make_grant(signed=True, actor=staff)
    leader = leader_of(grant.organisation, language=language)
    officer = fund_officer_of(grant.funder)
    tranche = grant.tranches.order_by("sequence").first()
    mail.outbox.clear()
    # when the fund officer (working in Kazakh) confirms the payment
    with translation.override("kk"), django_capture_on_commit_callbacks(execute=True):
        pay_tranche(tranche, staff=staff, officer=officer)
    # then the leader's email names the grant and the amount, with their prefix
    (email,) = [m for m in mail.outbox if leader.email in m.to]
    with translation.override(language):
        from alliance_portal.money import format_tenge

        amount = format_tenge(tranche.amount)
    assert grant.number in email.subject
    assert amount in email.body
    assert f"{settings.SITE_URL}/{language}/grants/" in email.body
