"""Emails in the recipient's language, with links under that language's prefix, naming
the applications; a batch of assignments is one email; the bell reads in the reader's
language whatever the sender's."""

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from alliance_portal.models import Notification
from reviews import services

SUBJECT = {
    "kk": "[Азаматтық альянс] ",
    "ru": "[Гражданский альянс] ",
    "en": "[Civil Alliance] ",
}
CALL_TITLE = {
    "kk": "Жастар жобалары",
    "ru": "Молодёжные проекты",
    "en": "Jastar jobalary",
}


@pytest.fixture(autouse=True)
def _keep_the_active_language():
    # A request under /ru/ leaves Russian active in the thread (LocaleMiddleware);
    # the next test would reverse() its URLs under /ru/.
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_assignment_email_is_in_the_experts_language_and_names_the_applications(
    call, experts, applications, staff, language, django_capture_on_commit_callbacks
):
    # given an expert who reads the portal in this language, and a call named in kk/ru
    call.title_kk, call.title_ru = CALL_TITLE["kk"], CALL_TITLE["ru"]
    call.save()
    expert = experts[0]
    expert.user.language = language
    expert.user.save()
    # when staff (working in Kazakh) assign three applications to them at once
    with translation.override("kk"), django_capture_on_commit_callbacks(execute=True):
        for application in applications[:3]:
            services.assignment_create(
                expert=expert, application=application, actor=staff
            )
    # then one email reaches the expert, in their language, under their prefix
    sent = [m for m in mail.outbox if expert.user.email in m.to]
    assert len(sent) == 1
    email = sent[0]
    assert email.subject.startswith(SUBJECT[language])
    assert f"{settings.SITE_URL}/{language}/reviews/" in email.body
    assert f"{settings.SITE_URL}/kk/" not in email.body or language == "kk"
    # and it names each application, the call and the review deadline
    deadline = call.review_settings.review_deadline
    with translation.override(language):
        from django.utils import formats, timezone

        due = formats.date_format(timezone.localtime(deadline), "SHORT_DATETIME_FORMAT")
    for application in applications[:3]:
        assert application.number in email.body
        assert application.title in email.body
    assert CALL_TITLE[language] in email.body
    assert due in email.body
    html = email.alternatives[0][0]
    assert f'href="{settings.SITE_URL}/{language}/reviews/' in html


def test_bell_renders_in_the_readers_language_not_the_senders(
    client, call, experts, applications, staff
):
    # given an assignment made while the expert's language was Kazakh
    expert = experts[0]
    expert.user.language = "kk"
    expert.user.save()
    with translation.override("kk"):
        services.assignment_create(
            expert=expert, application=applications[0], actor=staff
        )
    notification = Notification.objects.get(recipient=expert.user)
    assert "сараптама" in notification.title.lower()
    # when the expert reads the bell in Russian
    client.force_login(expert.user)
    response = client.get("/ru/notifications/")
    page = response.content.decode()
    # then the title is Russian and its link keeps the Russian prefix
    assert response.status_code == 200
    assert f"Заявка {applications[0].number} на экспертизу" in page
    assert 'href="/ru/reviews/' in page
