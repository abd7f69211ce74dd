import io

import pytest

from members import demo as members_demo
from reviews import demo
from reviews.models import Criterion, ExpertProfile
from reviews.tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_demo_without_calls_creates_experts_only():
    members_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert ExpertProfile.objects.filter(user__email="expert@demo.kz").exists()
    assert ExpertProfile.objects.count() == 4
    assert not Criterion.objects.exists()


def test_demo_copies_criteria_onto_the_latest_call_once():
    members_demo.seed(io.StringIO())
    CallFactory()
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Criterion.objects.count() == 6
    assert ExpertProfile.objects.count() == 4
