import io

import pytest

from members import demo as members_demo
from reviews import demo
from reviews.models import CallExpert, Criterion, ExpertProfile
from reviews.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_demo_without_calls_creates_experts_only():
    members_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert ExpertProfile.objects.filter(user__email="expert@demo.kz").exists()
    assert ExpertProfile.objects.count() == 4
    assert not Criterion.objects.exists()
    assert not CallExpert.objects.exists()


def test_demo_gives_the_latest_call_criteria_and_a_panel_once():
    members_demo.seed(io.StringIO())
    call = CallFactory()
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Criterion.objects.count() == 6
    assert ExpertProfile.objects.count() == 4
    # and the call's panel holds the four experts, once
    assert CallExpert.objects.filter(call=call, active=True).count() == 4
