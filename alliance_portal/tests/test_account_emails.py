"""Account emails (allauth) carry the portal's name, not the host name, in the subject."""

import pytest
from django.core import mail


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
