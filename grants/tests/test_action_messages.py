"""Every staff action on a grant ends with a message saying what happened."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from grants import services
from grants.tests.factories import make_grant, staff_user

pytestmark = pytest.mark.django_db


def test_approving_an_over_spend_says_so(client):
    # given an expenditure over its line's plan
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    line = grant.budget_lines.get(planned=Decimal("500000.00"))
    over = services.expenditure_record(
        grant=grant,
        actor=staff,
        budget_line_id=line.pk,
        spent_on=grant.starts_on + datetime.timedelta(days=3),
        description="Семинар залын жалға алу",
        amount=Decimal("500000.01"),
        supplier="ЖШС «Сыр»",
        payment_document="ПП-7",
    )
    assert over.needs_overspend_approval

    # when staff approve it
    client.force_login(staff)
    response = client.post(reverse("grants:overspend_approve", args=[over.pk]))

    # then one success message names the amount and the line
    assert response.status_code == 302
    notes = list(get_messages(response.wsgi_request))
    assert [m.level_tag for m in notes] == ["success"]
    assert "500\xa0000,01\xa0₸" in str(notes[0])
    assert line.item in str(notes[0])
    over.refresh_from_db()
    assert over.overspend_approved_by == staff


def test_staff_see_approve_only_where_it_can_succeed_and_what_is_missing_elsewhere(
    client,
):
    # given a signed grant: tranche 1 on signature, a later one on report №1
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    tranches = list(grant.tranches.order_by("sequence"))
    assert tranches[0].condition == "contract_signed"
    later = next(t for t in tranches if t.condition == "report_approved")

    # when staff open the grant
    client.force_login(staff)
    html = client.get(reverse("grants:detail", args=[grant.pk])).content.decode()

    # then tranche 1 can be approved, the later one says which report it waits for
    first_row = html.split(f'data-tranche="{tranches[0].sequence}"')[1].split("</tr>")[
        0
    ]
    later_row = html.split(f'data-tranche="{later.sequence}"')[1].split("</tr>")[0]
    approve_1 = reverse("grants:tranche_action", args=[tranches[0].pk, "approve"])
    approve_later = reverse("grants:tranche_action", args=[later.pk, "approve"])
    assert approve_1 in first_row
    assert approve_later not in later_row
    assert "data-missing" in later_row
    assert f"№{later.condition_report_number}" in later_row
