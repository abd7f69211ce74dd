"""What the editor shows around the form: the section list with its ticks and
problems, the budget as a table (no empty row when read-only), where «Continue
editing» lands on a returned application and the leader's own diff."""

import pytest
from django.urls import reverse

from members.tests.factories import UserFactory
from projects import services
from projects.tests.factories import CallFactory, complete_draft, leader_of

pytestmark = pytest.mark.django_db


def _draft():
    leader = leader_of()
    draft = complete_draft(
        call=CallFactory(),
        organisation=leader.affiliations.first().organisation,
        created_by=leader,
    )
    return leader, draft


def test_section_list_ticks_complete_sections_and_lists_what_stops_submission(client):
    leader, draft = _draft()
    draft.results.all().delete()
    client.force_login(leader)
    html = client.get(
        reverse("projects:section_edit", args=[draft.pk, "general"])
    ).content.decode()
    assert html.count("data-section-item=") == 10
    assert 'data-section-item="results" data-complete="0"' in html
    assert 'data-section-item="budget" data-complete="1"' in html
    assert "data-stop-problems" in html


def test_read_only_budget_shows_only_its_lines(client, make_user):
    # given a submitted application with one budget line
    leader, draft = _draft()
    submitted = services.application_submit(application=draft, actor=leader)
    client.force_login(make_user("staff"))
    html = client.get(
        reverse("projects:section_edit", args=[submitted.pk, "budget"])
    ).content.decode()
    assert html.count("data-budget-row") == 1
    assert "add_row" not in html


def test_returned_application_continues_on_the_reopened_section_with_a_diff(client):
    leader, draft = _draft()
    submitted = services.application_submit(application=draft, actor=leader)
    services.application_return(
        application=submitted,
        actor=UserFactory(role="staff"),
        section_comments={"sustainability": "Команданы толығырақ сипаттаңыз"},
    )
    client.force_login(leader)
    url = reverse("projects:application_detail", args=[draft.pk])
    html = client.get(url).content.decode()
    edit = reverse("projects:section_edit", args=[draft.pk, "sustainability"])
    assert f'href="{edit}" data-continue' in html
    # nothing changed yet: the diff says so
    assert "data-diff" in html
    # when the leader changes the team, the diff shows the change
    from projects.models import Application

    Application.objects.filter(pk=draft.pk).update(team="Үйлестіруші және үш тренер.")
    html = client.get(url).content.decode()
    assert 'data-op="added">+ Үйлестіруші және үш тренер.' in html
