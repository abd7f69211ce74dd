import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone, translation

from alliance_portal.models import Notification
from grants import services
from grants.models import (
    BudgetRevision,
    Expenditure,
    Grant,
    MoneyAuditEntry,
    MonitoringVisit,
    Report,
    Tranche,
)
from grants.selectors import budget_lines_with_spending, grant_money
from grants.tests.factories import (
    fund_officer_of,
    leader_of,
    make_grant,
    pay_tranche,
    png_upload,
    recommended_application,
    staff_user,
    text_as_pdf_upload,
)
from members.tests.factories import OrganisationFactory
from projects.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are asserted in English (the default language, Kazakh, is tested in
    test_service_messages_are_translated_to_kazakh)."""
    with translation.override("en"):
        yield


def test_service_messages_are_translated_to_kazakh():
    grant = make_grant()
    with pytest.raises(ValidationError) as error:
        services.tranche_approve(tranche=grant.tranches.first(), actor=staff_user())
    with translation.override("kk"):
        assert "Бұл транштың шарты әлі орындалған жоқ." in error.value.messages


def _lines_total(grant):
    return grant.budget_lines.aggregate(s=Sum("planned"))["s"]


def _tranches_total(grant):
    return grant.tranches.aggregate(s=Sum("amount"))["s"]


def test_grant_from_recommended_application_copies_budget_and_splits_50_30_20():
    # given a recommended application with a council amount
    staff = staff_user()
    app = recommended_application(
        requested=Decimal("1500000"), approved=Decimal("1500000")
    )
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 12, 31)
    # when staff create the grant
    grant = services.grant_create(
        application=app, actor=staff, starts_on=start, ends_on=end
    )
    # then it is numbered, its budget and tranches add up, the application is funded
    assert grant.number == f"GR-{timezone.localdate().year}-0001"
    assert grant.amount == Decimal("1500000.00")
    assert grant.funder == app.call.funder
    assert _lines_total(grant) == grant.amount
    assert [t.amount for t in grant.tranches.all()] == [
        Decimal("750000.00"),
        Decimal("450000.00"),
        Decimal("300000.00"),
    ]
    assert grant.tranches_total == grant.amount
    app.refresh_from_db()
    assert app.status == Application.Status.FUNDED
    assert app.transitions.last().to_status == Application.Status.FUNDED
    assert MoneyAuditEntry.objects.filter(
        grant=grant, object_type="grant", field="amount", after="1500000.00"
    ).exists()
    assert grant.status_changes.get().to_status == Grant.Status.DRAFT


def test_reduced_grant_scales_budget_lines_to_the_tiyn():
    # given an application whose lines add up to 1 000 000 but the council gives less
    app = recommended_application(
        requested=Decimal("1000000"),
        approved=Decimal("999999.99"),
        lines=(Decimal("333333.33"), Decimal("333333.33"), Decimal("333333.34")),
    )
    # when the grant is reduced further by staff
    grant = services.grant_create(
        application=app,
        actor=staff_user(),
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 6, 30),
        amount=Decimal("777777.77"),
    )
    # then lines and tranches still add up exactly
    assert _lines_total(grant) == Decimal("777777.77")
    assert _tranches_total(grant) == Decimal("777777.77")


@pytest.mark.parametrize(
    ("status", "amount", "message"),
    [
        (Application.Status.ADMITTED, None, "recommended"),
        (Application.Status.RECOMMENDED, Decimal("1500000.01"), "more than"),
        (Application.Status.RECOMMENDED, Decimal("0"), "greater than zero"),
        (Application.Status.RECOMMENDED, Decimal("-5"), "greater than zero"),
    ],
)
def test_grant_create_refuses_bad_input_and_saves_nothing(status, amount, message):
    # given an application (recommended or not)
    app = recommended_application(requested=Decimal("1500000"))
    Application.objects.filter(pk=app.pk).update(status=status)
    # when staff try to create a grant with a bad amount or from a wrong status
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            application=app,
            actor=staff_user(),
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 6, 1),
            amount=amount,
        )
    # then a clear message, no grant, the application untouched
    assert message in str(error.value)
    assert not Grant.objects.exists()
    app.refresh_from_db()
    assert app.status == status


def test_grant_period_must_end_after_start():
    app = recommended_application()
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            application=app,
            actor=staff_user(),
            starts_on=datetime.date(2026, 6, 1),
            ends_on=datetime.date(2026, 6, 1),
        )
    assert "ends_on" in error.value.message_dict
    assert not Grant.objects.exists()


def test_database_refuses_period_ending_before_start():
    grant = make_grant()
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(ends_on=grant.starts_on)


def test_schedule_that_does_not_add_up_is_refused():
    # given a draft grant of 1 500 000
    grant = make_grant()
    before = list(grant.tranches.values_list("amount", flat=True))
    # when staff set a schedule that adds up to one tiyn less
    with pytest.raises(ValidationError) as error:
        services.tranche_schedule_set(
            grant=grant,
            actor=staff_user(),
            items=[
                {"planned_on": grant.starts_on, "amount": Decimal("1000000")},
                {"planned_on": grant.ends_on, "amount": Decimal("499999.99")},
            ],
        )
    # then it is refused and the old schedule stays
    # (the sum is named as money, formatted: 1,499,999.99 ₸ in English)
    assert "1,499,999.99\xa0₸" in error.value.messages[0]
    assert list(grant.tranches.values_list("amount", flat=True)) == before


def test_schedule_with_zero_tranche_is_refused():
    grant = make_grant()
    with pytest.raises(ValidationError, match="greater than zero"):
        services.tranche_schedule_set(
            grant=grant,
            actor=staff_user(),
            items=[
                {"planned_on": grant.starts_on, "amount": Decimal("1500000")},
                {"planned_on": grant.ends_on, "amount": Decimal("0")},
            ],
        )


def test_database_refuses_signed_grant_whose_tranches_do_not_add_up():
    # given a signed grant
    grant = make_grant(signed=True)
    # when something bypasses the services and breaks the tranche total
    # then the database refuses
    with pytest.raises(IntegrityError), transaction.atomic():
        Grant.objects.filter(pk=grant.pk).update(tranches_total=Decimal("1"))


def test_database_refuses_zero_tranche():
    grant = make_grant()
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.tranches.filter(sequence=1).update(amount=Decimal("0"))


def test_staff_can_set_a_two_tranche_schedule_before_signing():
    grant = make_grant()
    services.tranche_schedule_set(
        grant=grant,
        actor=staff_user(),
        items=[
            {"planned_on": grant.starts_on, "amount": Decimal("900000")},
            {
                "planned_on": grant.ends_on,
                "amount": Decimal("600000"),
                "condition": Tranche.Condition.REPORT_APPROVED,
                "condition_report_number": 1,
            },
        ],
    )
    grant.refresh_from_db()
    assert grant.tranches.count() == 2
    assert grant.tranches_total == grant.amount


def test_budget_adjustment_must_add_up_to_the_grant():
    grant = make_grant()
    first, second = grant.budget_lines.all()
    with pytest.raises(ValidationError, match="add up"):
        services.grant_budget_set(
            grant=grant,
            actor=staff_user(),
            planned={first.pk: Decimal("1"), second.pk: Decimal("1")},
        )
    services.grant_budget_set(
        grant=grant,
        actor=staff_user(),
        planned={first.pk: Decimal("700000"), second.pk: Decimal("800000")},
    )
    assert _lines_total(grant) == grant.amount
    assert MoneyAuditEntry.objects.filter(
        object_type="grantbudgetline", before="1000000.00", after="700000.00"
    ).exists()


def test_budget_cannot_be_edited_after_signing():
    grant = make_grant(signed=True)
    line = grant.budget_lines.first()
    with pytest.raises(ValidationError, match="signed"):
        services.grant_budget_set(
            grant=grant, actor=staff_user(), planned={line.pk: line.planned}
        )


def test_grant_amount_can_be_reduced_but_never_raised():
    grant = make_grant()
    with pytest.raises(ValidationError):
        services.grant_change_amount(
            grant=grant, actor=staff_user(), amount=Decimal("1500000.01")
        )
    services.grant_change_amount(
        grant=grant, actor=staff_user(), amount=Decimal("1000000.01")
    )
    grant.refresh_from_db()
    assert grant.amount == Decimal("1000000.01")
    assert _lines_total(grant) == grant.amount
    assert grant.tranches_total == grant.amount == _tranches_total(grant)


def test_signing_needs_a_real_pdf():
    grant = make_grant()
    services.grant_generate_contract(grant=grant, actor=staff_user())
    with pytest.raises(ValidationError, match="PDF"):
        services.grant_sign(grant=grant, actor=staff_user(), scan=text_as_pdf_upload())
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CONTRACT_GENERATED
    assert not grant.signed_scan


def test_tranche_cannot_be_approved_before_its_report_is_approved():
    # given a signed grant
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    second = grant.tranches.get(sequence=2)
    # when staff approve the tranche released by report 1
    # then it is refused: the condition does not hold
    with pytest.raises(ValidationError, match="condition"):
        services.tranche_approve(tranche=second, actor=staff)
    second.refresh_from_db()
    assert second.status == Tranche.Status.PLANNED


def test_tranche_cannot_be_approved_before_signing():
    staff = staff_user()
    grant = make_grant(actor=staff)
    with pytest.raises(ValidationError, match="condition"):
        services.tranche_approve(tranche=grant.tranches.first(), actor=staff)


def test_payment_is_recorded_once_and_leader_is_told():
    # given a signed grant, its first tranche approved
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    officer = fund_officer_of(grant.funder)
    leader = leader_of(grant.organisation)
    first = grant.tranches.get(sequence=1)
    services.tranche_approve(tranche=first, actor=staff)
    assert Notification.objects.filter(
        recipient=officer, kind="grants.tranche_approved"
    ).exists()
    # when the fund officer confirms the payment
    services.tranche_confirm_payment(
        tranche=first,
        actor=officer,
        paid_on=timezone.localdate(),
        payment_document="ПП-0042",
    )
    # then it is paid once, the grant is active and the leader is told
    first.refresh_from_db()
    assert first.status == Tranche.Status.PAID
    assert first.confirmed_by == officer
    assert first.payment_document == "ПП-0042"
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    assert Notification.objects.filter(
        recipient=leader, kind="grants.tranche_paid"
    ).exists()
    assert list(first.status_changes.values_list("to_status", flat=True)) == [
        "approved",
        "paid",
    ]
    # and a second confirmation is refused
    with pytest.raises(ValidationError, match="already paid"):
        services.tranche_confirm_payment(
            tranche=first,
            actor=officer,
            paid_on=timezone.localdate(),
            payment_document="ПП-0043",
        )
    first.refresh_from_db()
    assert first.payment_document == "ПП-0042"


def test_payment_needs_an_approved_tranche():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    officer = fund_officer_of(grant.funder)
    with pytest.raises(ValidationError):
        services.tranche_confirm_payment(
            tranche=grant.tranches.first(),
            actor=officer,
            paid_on=timezone.localdate(),
            payment_document="1",
        )
    assert not grant.tranches.filter(status=Tranche.Status.PAID).exists()


def test_officer_of_another_fund_cannot_confirm_payment():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    stranger = fund_officer_of(OrganisationFactory(kind="fund"))
    first = grant.tranches.first()
    services.tranche_approve(tranche=first, actor=staff)
    with pytest.raises(PermissionDenied):
        services.tranche_confirm_payment(
            tranche=first,
            actor=stranger,
            paid_on=timezone.localdate(),
            payment_document="1",
        )
    first.refresh_from_db()
    assert first.status == Tranche.Status.APPROVED


def test_payment_needs_document_number_and_no_future_date():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    officer = fund_officer_of(grant.funder)
    first = grant.tranches.first()
    services.tranche_approve(tranche=first, actor=staff)
    with pytest.raises(ValidationError) as error:
        services.tranche_confirm_payment(
            tranche=first,
            actor=officer,
            paid_on=timezone.localdate(),
            payment_document=" ",
        )
    assert "payment_document" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.tranche_confirm_payment(
            tranche=first,
            actor=officer,
            paid_on=timezone.localdate() + datetime.timedelta(days=1),
            payment_document="1",
        )
    assert "paid_on" in error.value.message_dict


def test_held_tranche_needs_reason_and_can_be_released():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    first = grant.tranches.first()
    with pytest.raises(ValidationError):
        services.tranche_hold(tranche=first, actor=staff, reason="  ")
    services.tranche_hold(tranche=first, actor=staff, reason="Есеп кешікті")
    first.refresh_from_db()
    assert first.status == Tranche.Status.HELD
    services.tranche_release(tranche=first, actor=staff)
    first.refresh_from_db()
    assert first.status == Tranche.Status.PLANNED


def _expenditure(grant, actor, **overrides):
    data = {
        "grant": grant,
        "actor": actor,
        "budget_line_id": grant.budget_lines.first().pk,
        "spent_on": grant.starts_on + datetime.timedelta(days=3),
        "description": "Семинар залын жалға алу",
        "amount": Decimal("100000"),
        "supplier": "ЖШС «Сыр»",
        "payment_document": "ПП-7",
    }
    data.update(overrides)
    return services.expenditure_record(**data)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"spent_on": datetime.date(2000, 1, 1)}, "spent_on"),
        ({"budget_line_id": 999999}, "budget_line"),
    ],
)
def test_bad_expenditure_is_refused_with_a_field_message(overrides, field):
    grant = make_grant(signed=True)
    leader = leader_of(grant.organisation)
    with pytest.raises(ValidationError) as error:
        _expenditure(grant, leader, **overrides)
    assert field in error.value.message_dict
    assert not Expenditure.objects.exists()


def test_expenditure_on_another_grants_line_is_refused():
    grant = make_grant(signed=True)
    other = make_grant(signed=True)
    with pytest.raises(ValidationError):
        _expenditure(grant, staff_user(), budget_line_id=other.budget_lines.first().pk)
    assert not Expenditure.objects.exists()


def test_receipt_that_is_not_image_or_pdf_is_refused():
    grant = make_grant(signed=True)
    with pytest.raises(ValidationError, match="image"):
        _expenditure(grant, staff_user(), receipt=text_as_pdf_upload())
    assert not Expenditure.objects.exists()


def test_receipt_image_is_stored_privately():
    grant = make_grant(signed=True)
    expenditure = _expenditure(grant, staff_user(), receipt=png_upload())
    assert expenditure.receipt.name.startswith(f"private/grants/{grant.pk}/receipts/")


def test_overspending_is_flagged_and_needs_staff_approval():
    # given a line of 500 000 with 400 000 spent
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    line = grant.budget_lines.get(planned=Decimal("500000.00"))
    _expenditure(grant, staff, budget_line_id=line.pk, amount=Decimal("400000"))
    # when another 100 000.01 is spent on it
    over = _expenditure(
        grant, staff, budget_line_id=line.pk, amount=Decimal("100000.01")
    )
    # then it is flagged, the line shows remaining −0.01, and staff approve it
    assert over.is_overspend
    assert over.needs_overspend_approval
    row = budget_lines_with_spending(grant=grant).get(pk=line.pk)
    assert row.spent == Decimal("500000.01")
    assert row.remaining == Decimal("-0.01")
    assert grant_money(grant=grant).pending_overspend == 1
    services.expenditure_approve_overspend(expenditure=over, actor=staff)
    over.refresh_from_db()
    assert over.overspend_approved_by == staff
    assert grant_money(grant=grant).pending_overspend == 0


def test_budget_revision_moves_money_and_keeps_the_total():
    # given a signed grant with two lines
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    leader = leader_of(grant.organisation)
    big, small = grant.budget_lines.order_by("order")
    # when the NGO asks to move 200 000 and staff approve
    revision = services.budget_revision_request(
        grant=grant,
        actor=leader,
        from_line_id=big.pk,
        to_line_id=small.pk,
        amount=Decimal("200000"),
        reason="Баға өзгерді",
    )
    services.budget_revision_decide(revision=revision, actor=staff, approve=True)
    # then the lines changed, the total did not, and history is kept
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.planned, small.planned) == (Decimal("800000.00"), Decimal("700000.00"))
    assert _lines_total(grant) == grant.amount
    revision.refresh_from_db()
    assert revision.status == BudgetRevision.Status.APPROVED
    assert revision.decided_by == staff
    assert MoneyAuditEntry.objects.filter(
        object_type="grantbudgetline", object_id=big.pk, after="800000.00"
    ).exists()


def test_budget_revision_decline_needs_a_reason_and_changes_nothing():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    big, small = grant.budget_lines.order_by("order")
    revision = services.budget_revision_request(
        grant=grant,
        actor=staff,
        from_line_id=big.pk,
        to_line_id=small.pk,
        amount=Decimal("1"),
        reason="x",
    )
    with pytest.raises(ValidationError):
        services.budget_revision_decide(revision=revision, actor=staff, approve=False)
    services.budget_revision_decide(
        revision=revision, actor=staff, approve=False, comment="Негіз жоқ"
    )
    big.refresh_from_db()
    assert big.planned == Decimal("1000000.00")


def test_revision_cannot_move_more_than_the_line_has_left():
    grant = make_grant(signed=True)
    big, small = grant.budget_lines.order_by("order")
    with pytest.raises(ValidationError):
        services.budget_revision_request(
            grant=grant,
            actor=staff_user(),
            from_line_id=small.pk,
            to_line_id=big.pk,
            amount=Decimal("500000.01"),
            reason="x",
        )


def _report(grant, actor, kind=Report.Kind.INTERIM):
    return services.report_save(
        grant=grant,
        actor=actor,
        kind=kind,
        period_start=grant.starts_on,
        period_end=grant.starts_on + datetime.timedelta(days=30),
        activities="Үш семинар өтті",
        results="120 жасөспірім қатысты",
        beneficiaries_reached=120,
    )


def test_approved_report_releases_the_next_tranche():
    # given a signed grant with the first tranche paid
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    officer = fund_officer_of(grant.funder)
    leader = leader_of(grant.organisation)
    pay_tranche(grant.tranches.get(sequence=1), staff=staff, officer=officer)
    # when the interim report is submitted, returned, resubmitted and approved
    report = _report(grant, leader)
    services.report_submit(report=report, actor=leader)
    services.report_decide(
        report=report, actor=staff, approve=False, comment="Фото жоқ"
    )
    assert Notification.objects.filter(
        recipient=leader, kind="grants.report_returned"
    ).exists()
    services.report_submit(report=report, actor=leader)
    services.report_decide(report=report, actor=staff, approve=True)
    # then the second tranche can be approved and paid
    second = grant.tranches.get(sequence=2)
    pay_tranche(second, staff=staff, officer=officer)
    second.refresh_from_db()
    assert second.status == Tranche.Status.PAID
    assert Notification.objects.filter(
        recipient=leader, kind="grants.report_approved"
    ).exists()


def test_returning_a_report_needs_comments():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    report = _report(grant, staff)
    services.report_submit(report=report, actor=staff)
    with pytest.raises(ValidationError):
        services.report_decide(report=report, actor=staff, approve=False, comment="")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_closure_records_the_unspent_remainder_as_returned():
    # given a grant: tranches 1 and 2 paid (1 200 000), 1 000 000 spent
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    officer = fund_officer_of(grant.funder)
    pay_tranche(grant.tranches.get(sequence=1), staff=staff, officer=officer)
    _expenditure(grant, staff, amount=Decimal("600000"))
    interim = _report(grant, staff)
    services.report_submit(report=interim, actor=staff)
    services.report_decide(report=interim, actor=staff, approve=True)
    pay_tranche(grant.tranches.get(sequence=2), staff=staff, officer=officer)
    _expenditure(grant, staff, amount=Decimal("400000"))
    # when the final report is approved and staff close the grant
    final = _report(grant, staff, kind=Report.Kind.FINAL)
    services.report_submit(report=final, actor=staff)
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSING
    with pytest.raises(ValidationError, match="final report"):
        services.grant_close(grant=grant, actor=staff)
    services.report_decide(report=final, actor=staff, approve=True)
    services.grant_close(grant=grant, actor=staff)
    # then 200 000 is returned, the money reconciles, the third tranche is cancelled
    grant.refresh_from_db()
    assert grant.status == Grant.Status.CLOSED
    assert grant.returned_amount == Decimal("200000.00")
    money = grant_money(grant=grant)
    assert money.received == money.spent + money.returned
    assert money.reconciled
    assert grant.tranches.get(sequence=3).status == Tranche.Status.CANCELLED
    assert MoneyAuditEntry.objects.filter(
        grant=grant, field="returned_amount", after="200000.00"
    ).exists()


def test_monitoring_rating_must_be_1_to_5():
    grant = make_grant(signed=True)
    with pytest.raises(ValidationError):
        services.monitoring_visit_record(
            grant=grant,
            actor=staff_user(),
            visited_on=timezone.localdate(),
            visitors="A",
            findings="B",
            rating=6,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        MonitoringVisit.objects.create(
            grant=grant,
            visited_on=timezone.localdate(),
            visitors="a",
            findings="b",
            rating=0,
        )


def test_grants_of_a_call_never_exceed_its_envelope_without_a_reason():
    # given a call with an envelope of 2 000 000 and a grant of 1 500 000 in it
    first = recommended_application()
    call = first.call
    call.envelope = Decimal("2000000")
    call.max_grant = Decimal("2000000")
    call.save()
    make_kwargs = {
        "actor": staff_user(),
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2026, 12, 1),
    }
    services.grant_create(application=first, **make_kwargs)
    second = recommended_application(call=call)
    # when staff create a second grant of 1 500 000 without a reason
    with pytest.raises(ValidationError) as error:
        services.grant_create(application=second, **make_kwargs)
    # then it is refused; with a reason it is created and the reason is kept
    assert "envelope_override_reason" in error.value.message_dict
    assert Grant.objects.count() == 1
    grant = services.grant_create(
        application=second, envelope_override_reason="Акім шешімі", **make_kwargs
    )
    assert grant.envelope_override_reason == "Акім шешімі"


def test_expenditure_dated_after_today_is_refused_even_inside_the_period():
    # given a signed grant whose period runs for months after today
    grant = make_grant(signed=True)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert grant.starts_on < tomorrow < grant.ends_on
    # when money "spent" tomorrow is recorded
    with pytest.raises(ValidationError) as error:
        _expenditure(grant, leader_of(grant.organisation), spent_on=tomorrow)
    # then it is refused on the date, and nothing is saved
    assert "spent_on" in error.value.message_dict
    assert not Expenditure.objects.exists()
    # while today is fine
    _expenditure(grant, staff_user(), spent_on=timezone.localdate())


def _submitted_report_over(grant, leader, start, end):
    report = services.report_save(
        grant=grant,
        actor=leader,
        kind=Report.Kind.INTERIM,
        period_start=start,
        period_end=end,
        activities="Семинар өтті.",
        results="40 адам оқыды.",
    )
    return services.report_submit(report=report, actor=leader)


def test_report_cannot_be_approved_while_an_overspend_of_its_period_awaits():
    # given an over-spend in the period of a submitted report
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    leader = leader_of(grant.organisation)
    line = grant.budget_lines.get(planned=Decimal("500000.00"))
    over = _expenditure(grant, leader, budget_line_id=line.pk, amount=Decimal("600000"))
    report = _submitted_report_over(grant, leader, grant.starts_on, over.spent_on)
    # when staff approve the report
    with pytest.raises(ValidationError, match="over-spend"):
        services.report_decide(report=report, actor=staff, approve=True)
    # then it stays submitted (no tranche released) until the over-spend is decided
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    services.expenditure_approve_overspend(expenditure=over, actor=staff)
    services.report_decide(report=report, actor=staff, approve=True)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_overspend_outside_the_reports_period_does_not_block_it():
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    leader = leader_of(grant.organisation)
    line = grant.budget_lines.get(planned=Decimal("500000.00"))
    _expenditure(
        grant,
        leader,
        budget_line_id=line.pk,
        amount=Decimal("600000"),
        spent_on=grant.starts_on + datetime.timedelta(days=20),
    )
    report = _submitted_report_over(
        grant, leader, grant.starts_on, grant.starts_on + datetime.timedelta(days=10)
    )
    services.report_decide(report=report, actor=staff, approve=True)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
