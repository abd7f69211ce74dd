"""Personal data under the Law of the RK "On personal data and their protection":
consent with its version and time, a notice in kk/ru, the person's own export, erasure
decided by staff with the reason for what is kept, masked IINs, a log of downloads."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from alliance_portal.models import SecurityEvent
from alliance_portal.personal_data import mask_iin, mask_iins
from members.models import Consent, ErasureRequest, OrganisationDocument, User
from members.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "full_name": "Айгүл Сәрсенова",
    "email": "new@example.kz",
    "password1": "Syr-darya-2026!",
    "password2": "Syr-darya-2026!",
}


def test_sign_up_records_consent_with_the_notice_version_and_time(client, settings):
    response = client.post("/kk/accounts/signup/", {**SIGNUP, "consent": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="new@example.kz")
    consent = Consent.objects.get(subject=user)
    assert consent.context == "signup"
    assert consent.text_version == settings.PRIVACY_NOTICE_VERSION
    assert consent.given_at is not None


def test_sign_up_without_consent_creates_no_account(client):
    response = client.post("/kk/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not User.objects.filter(email="new@example.kz").exists()


@pytest.mark.parametrize(
    ("language", "title"),
    [("kk", "Құпиялылық туралы хабарлама"), ("ru", "Уведомление о конфиденциальности")],
)
def test_the_privacy_notice_is_public_in_kazakh_and_russian(client, language, title):
    response = client.get(f"/{language}/members/privacy/")
    assert response.status_code == 200
    assert title in response.content.decode()


def test_a_person_downloads_their_data_and_the_export_is_logged(client, make_user):
    from forums.tests.factories import RegistrationFactory

    user = make_user("ngo_leader", full_name="Әсел Құрманова")
    RegistrationFactory(registered_by=user, full_name="Делегат Бір")
    other = make_user("ngo_leader", full_name="Бөтен Адам")
    client.force_login(user)
    response = client.get(reverse("members:privacy_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["members"]["account"]["email"] == user.email
    assert data["forums"]["registrations"][0]["full_name"] == "Делегат Бір"
    assert other.email not in response.content.decode()
    event = SecurityEvent.objects.get(kind="data_export")
    assert event.user == user


def test_erasure_is_asked_decided_by_staff_and_the_kept_part_explained(
    client, make_user
):
    # given a leader who asks for erasure
    user = make_user("ngo_leader", full_name="Әсел Құрманова")
    email = user.email
    client.force_login(user)
    client.post(reverse("members:privacy_erase"), {"note": "Жойыңыз"})
    erasure = ErasureRequest.objects.get(user=user)
    assert erasure.status == "pending"
    # when staff decide "erase, keep what must be kept" without a reason
    staff = make_user("staff")
    client.force_login(staff)
    url = reverse("members:privacy_decide", args=[erasure.pk])
    client.post(url, {"status": "partly", "reason": ""})
    erasure.refresh_from_db()
    # then nothing happens: the reason is required
    assert erasure.status == "pending"
    # and with the reason the account is anonymised, the reason kept and mailed
    with pytest.MonkeyPatch.context():
        client.post(
            url, {"status": "partly", "reason": "Грант есептері 5 жыл сақталады"}
        )
    erasure.refresh_from_db()
    user.refresh_from_db()
    assert erasure.status == "partly"
    assert erasure.decided_by == staff
    assert user.full_name == ""
    assert user.email != email
    assert not user.is_active
    assert not user.has_usable_password()


def test_the_decision_reaches_the_person_by_email(
    make_user, django_capture_on_commit_callbacks
):
    from members import privacy

    user = make_user("ngo_leader")
    erasure = privacy.erasure_request(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erasure_decide(
            request=erasure,
            actor=make_user("staff"),
            status="refused",
            reason="Аудит жүріп жатыр",
        )
    assert mail.outbox[-1].to == [user.email]
    assert "Аудит жүріп жатыр" in mail.outbox[-1].body


def test_a_leader_cannot_decide_erasure_requests(client, make_user):
    user = make_user("ngo_leader")
    erasure = ErasureRequest.objects.create(user=user)
    client.force_login(make_user("ngo_leader"))
    response = client.post(
        reverse("members:privacy_decide", args=[erasure.pk]),
        {"status": "done", "reason": ""},
    )
    assert response.status_code == 403
    erasure.refresh_from_db()
    assert erasure.status == "pending"


def test_iins_are_masked_and_bins_are_not():
    assert mask_iin("900101300123") == "********0123"  # born 01.01.1990
    assert mask_iin("100140012345") == "100140012345"  # a legal entity's BIN
    assert mask_iins("Үйлестіруші 900101300123, тренер") == (
        "Үйлестіруші ********0123, тренер"
    )


def test_an_entrepreneurs_iin_is_masked_on_the_public_profile(client):
    organisation = OrganisationFactory(bin="900101300123")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "900101300123" not in html
    assert "********0123" in html


def test_private_file_downloads_are_logged(client, make_user):
    from django.core.files.base import ContentFile

    from projects.tests.factories import PDF_BYTES

    organisation = OrganisationFactory()
    document = OrganisationDocument(
        organisation=organisation,
        title="Жарғы",
        uploaded_by=UserFactory(),
        content_type="application/pdf",
    )
    document.file.save("a.pdf", ContentFile(PDF_BYTES), save=True)
    staff = make_user("staff")
    client.force_login(staff)
    response = client.get(reverse("members:document_download", args=[document.pk]))
    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind="file_download")
    assert event.user == staff
    assert document.file.name in event.detail
