"""No internal key on a page: every kind, status, field name and step has a translated
label, and money reads as money (``1 200 000 ₸``), not as a column value."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from alliance_portal.kinds import KIND_LABELS
from alliance_portal.models import Notification, Reminder
from alliance_portal.tests.test_translations import _visible_text
from forums.tests.factories import ResolutionFactory
from grants.tests.factories import fund_officer_of, make_grant, pay_tranche
from members.tests.factories import AffiliationFactory, UserFactory
from memoranda.tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"\S+@\S+")
# application_to_screen, call_closing, returned_amount; grants.tranche_paid
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z]+\.[a-z][a-z_]+\b")
RAW_MONEY = re.compile(r"\b\d{4,}\.\d{2}\b")  # 1200000.00


@pytest.fixture(autouse=True)
def _keep_the_active_language():
    # A request under /ru/ leaves Russian active in the thread (LocaleMiddleware);
    # the next test would reverse() its URLs under /ru/.
    language = translation.get_language()
    yield
    translation.activate(language)


def raw_keys(content: bytes) -> list[str]:
    text = EMAIL.sub(" ", _visible_text(content))
    return sorted(
        set(SNAKE_CASE.findall(text) + DOTTED.findall(text) + RAW_MONEY.findall(text))
    )


@pytest.fixture
def staff(make_user):
    user = make_user("staff")
    for kind in KIND_LABELS:
        Notification.objects.create(recipient=user, kind=kind, title="—")
    return user


@pytest.fixture
def deadlines():
    organisation = AffiliationFactory().organisation
    soon = timezone.localdate() + datetime.timedelta(days=5)
    CommitmentFactory(responsible=organisation, due_on=soon)
    ResolutionFactory(responsible=organisation, deadline=soon)
    Reminder.objects.create(
        key="test:call_closing",
        kind="call_closing",
        recipient=UserFactory(),
        due_date=soon,
        title="—",
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
    )


@pytest.fixture
def paid_grant(staff):
    grant = make_grant(signed=True, actor=staff)
    officer = fund_officer_of(grant.funder)
    pay_tranche(
        grant.tranches.order_by("sequence").first(), staff=staff, officer=officer
    )
    return grant


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_notification_settings_name_each_kind(client, staff, language):
    # given a staff member who received a message of every kind
    client.force_login(staff)
    # when they open their notification settings
    response = client.get(f"/{language}/notifications/settings/")
    # then each kind reads as a label, never as its key
    assert response.status_code == 200
    assert raw_keys(response.content) == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_deadlines_page_names_each_kind(client, staff, deadlines, language):
    # given commitments, resolutions and a sent reminder
    client.force_login(staff)
    # when staff open the deadlines page
    response = client.get(f"/{language}/deadlines/")
    # then kinds are labels (filter, table, reminders sent)
    assert response.status_code == 200
    assert raw_keys(response.content) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_grant_money_timeline_shows_labels_and_money(
    client, staff, paid_grant, language
):
    # given a signed grant whose first tranche was approved and paid
    client.force_login(staff)
    # when staff open its money timeline
    response = client.get(
        f"/{language}{reverse('grants:timeline', args=[paid_grant.pk])[3:]}"
    )
    # then field names, statuses and amounts are translated and formatted
    assert response.status_code == 200
    assert raw_keys(response.content) == []
    text = _visible_text(response.content)
    assert " ₸" in text
    assert not re.search(r"· (amount|planned|status|sequence)\b", text)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_application_history_shows_labels(client, staff, paid_grant, language):
    # given the application behind a grant, with its status history
    client.force_login(staff)
    application = paid_grant.application
    # when staff open the application
    response = client.get(
        f"/{language}{reverse('projects:screen', args=[application.pk])[3:]}"
    )
    # then its history names each step
    assert response.status_code == 200
    assert raw_keys(response.content) == []


ATTRIBUTE = re.compile(r'\b(aria-label|title|placeholder|alt)="([^"]*)"')


def test_no_template_has_an_untranslated_attribute_text():
    # given every template of the project
    from pathlib import Path

    from django.conf import settings

    base = Path(settings.BASE_DIR)
    found = []
    for path in base.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for name, value in ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            # when an accessible name, title or placeholder is literal English text
            if re.search(r"[A-Za-z]{3,}", value) and "{" not in value:
                found.append(f"{path.relative_to(base)}: {name}={value!r}")
    # then none is left: a screen reader would read it aloud on Kazakh pages
    assert found == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_breadcrumb_is_named_in_the_page_language(client, staff, paid_grant, language):
    client.force_login(staff)
    response = client.get(
        f"/{language}{reverse('grants:timeline', args=[paid_grant.pk])[3:]}"
    )
    assert 'aria-label="breadcrumb"' not in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_forum_resolution_page_names_its_deadline_and_statuses(client, staff, language):
    # given a forum resolution with a deadline
    resolution = ResolutionFactory(deadline=timezone.localdate())
    client.force_login(staff)
    # when staff open it
    response = client.get(
        f"/{language}{reverse('forums:resolution_detail', args=[resolution.pk])[3:]}"
    )
    # then no key shows, and its deadline is the resolution's, not a call's
    assert response.status_code == 200
    assert raw_keys(response.content) == []
    text = _visible_text(response.content)
    expected = {"kk": "Орындау мерзімі", "ru": "Срок исполнения"}[language]
    call_deadline = {"kk": "Өтінім қабылдаудың", "ru": "Срок подачи"}[language]
    assert expected in text
    assert call_deadline not in text
