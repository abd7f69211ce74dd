"""Account emails (allauth) carry the portal's name, not the host name, in the subject."""

import pytest
from django.core import mail
from django.utils import translation


@pytest.fixture(autouse=True)
def _keep_the_active_language():
    # A request under /ru/ leaves Russian active in the thread (LocaleMiddleware);
    # the next test would reverse() its URLs under /ru/.
    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "prefix"),
    [("kk", "[Азаматтық альянс] "), ("ru", "[Гражданский альянс] ")],
)
def test_password_reset_subject_starts_with_the_portal_name(
    client, make_user, language, prefix
):
    user = make_user("ngo_leader")
    client.post(f"/{language}/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith(prefix)
    assert "127.0.0.1" not in mail.outbox[0].subject
    assert "testserver" not in mail.outbox[0].subject
