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
