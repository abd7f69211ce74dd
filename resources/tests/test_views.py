import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources import services
from resources.models import Consultation, NewsItem

from .conftest import PDF
from .factories import (
    ConsultationFactory,
    FaqEntryFactory,
    MaterialFactory,
    NewsItemFactory,
)

pytestmark = pytest.mark.django_db


def _with_file(material, staff):
    services.material_add_version(
        material=material, upload=SimpleUploadedFile("m.pdf", PDF), actor=staff
    )
    return material


# --- members-only items -------------------------------------------------------------


def test_members_only_news_is_invisible_to_the_public_and_outsiders(
    client, leader, outsider
):
    public = NewsItemFactory(title_kk="Барлығына")
    secret = NewsItemFactory(members_only=True, title_kk="Мүшелерге ғана")
    # the public: list, detail, feed
    page = client.get(reverse("resources:news_list")).content.decode()
    assert public.title_kk in page
    assert secret.title_kk not in page
    assert client.get(secret.get_absolute_url()).status_code == 404
    feed = client.get(reverse("resources:news_feed")).content.decode()
    assert public.title_kk in feed
    assert secret.title_kk not in feed
    # a leader of a non-member NGO is not a member either
    client.force_login(outsider)
    assert client.get(secret.get_absolute_url()).status_code == 404
    # a member NGO's leader reads it
    client.force_login(leader)
    assert client.get(secret.get_absolute_url()).status_code == 200


def test_draft_news_is_404_for_everyone_but_staff(client, leader, staff):
    draft = NewsItemFactory(draft=True)
    client.force_login(leader)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_members_only_material_cannot_be_downloaded_by_the_public(
    client, leader, staff
):
    material = _with_file(MaterialFactory(members_only=True), staff)
    url = reverse("resources:material_download", args=[material.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("resources:material_list"))
        .content.decode()
        .count(material.title_kk)
        == 0
    )
    material.refresh_from_db()
    assert material.downloads == 0
    client.force_login(leader)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    material.refresh_from_db()
    assert material.downloads == 1


def test_public_material_downloads_each_version(client, staff):
    material = _with_file(_with_file(MaterialFactory(), staff), staff)
    response = client.get(
        reverse("resources:material_version_download", args=[material.pk, 1])
    )
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        client.get(
            reverse("resources:material_version_download", args=[material.pk, 3])
        ).status_code
        == 404
    )


# --- consultations ------------------------------------------------------------------


def test_a_leader_sees_only_own_consultations(client, leader, outsider):
    mine = ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    theirs = ConsultationFactory(
        asked_by=outsider, organisation=outsider.organisation, question="Бөгде сұрақ"
    )
    client.force_login(leader)
    page = client.get(reverse("resources:consultation_list")).content.decode()
    assert f'data-consultation="{mine.pk}"' in page
    assert f'data-consultation="{theirs.pk}"' not in page
    assert client.get(theirs.get_absolute_url()).status_code == 404
    # rating someone else's question changes nothing
    Consultation.objects.filter(pk=theirs.pk).update(
        status="answered", answer="x", answered_at=mine.created_at
    )
    client.post(reverse("resources:consultation_rate", args=[theirs.pk]), {"rating": 1})
    theirs.refresh_from_db()
    assert theirs.rating is None


@pytest.mark.parametrize("role", ["ngo_leader", "expert", "official", None])
def test_only_staff_answer(client, make_user, leader, role):
    c = ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    if role:
        client.force_login(leader if role == "ngo_leader" else make_user(role))
    client.post(
        reverse("resources:consultation_answer", args=[c.pk]), {"answer": "Жауап"}
    )
    c.refresh_from_db()
    assert c.answer == ""
    assert c.status == "open"


def test_anonymous_is_sent_to_login_from_consultations(client):
    response = client.get(reverse("resources:consultation_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_experts_have_no_consultation_list(client, make_user):
    client.force_login(make_user("expert"))
    assert client.get(reverse("resources:consultation_list")).status_code == 403


def test_leader_asks_staff_answer_leader_rates(client, leader, staff):
    client.force_login(leader)
    response = client.post(
        reverse("resources:consultation_ask"),
        {
            "organisation": leader.organisation.pk,
            "topic": "reporting",
            "question": "Қорытынды есепті қашан тапсырамыз?",
        },
    )
    c = Consultation.objects.get()
    assert response.url == c.get_absolute_url()
    client.force_login(staff)
    client.post(
        reverse("resources:consultation_answer", args=[c.pk]),
        {"answer": "Жоба аяқталғаннан кейін 10 күн ішінде."},
    )
    client.force_login(leader)
    page = client.get(c.get_absolute_url()).content.decode()
    assert "10 күн ішінде" in page
    client.post(reverse("resources:consultation_rate", args=[c.pk]), {"rating": 4})
    c.refresh_from_db()
    assert c.rating == 4


def test_staff_list_shows_stats_with_bounded_queries(
    client, staff, leader, django_assert_max_num_queries
):
    for _ in range(15):
        ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("resources:consultation_list")).content.decode()
    assert 'data-stat="open">15<' in page


def test_news_and_library_lists_have_bounded_queries(
    client, leader, django_assert_max_num_queries
):
    NewsItemFactory.create_batch(15)
    MaterialFactory.create_batch(15)
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        client.get(reverse("resources:news_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("resources:material_list"))


# --- news form, home page, FAQ --------------------------------------------------------


def test_staff_publish_news_and_it_is_pinned_on_a_members_home(client, staff, leader):
    client.force_login(staff)
    client.post(
        reverse("resources:news_create"),
        {
            "title_kk": "Дөңгелек үстел Аралда",
            "title_ru": "Круглый стол в Аральске",
            "body_kk": "Мәтін",
            "body_ru": "Текст",
            "audience": "members",
            "pinned": "on",
            "publish": "on",
        },
    )
    assert NewsItem.objects.get().is_published
    client.force_login(leader)
    assert "Дөңгелек үстел Аралда" in client.get("/kk/").content.decode()
    client.logout()
    assert "Дөңгелек үстел Аралда" not in client.get("/kk/").content.decode()


def test_a_leader_cannot_write_news(client, leader):
    client.force_login(leader)
    response = client.post(
        reverse("resources:news_create"),
        {"title_kk": "x", "title_ru": "x", "body_kk": "x", "body_ru": "x"},
    )
    assert response.status_code == 403
    assert not NewsItem.objects.exists()


def test_bad_upload_shows_a_message_not_a_500(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("resources:news_create"),
        {
            "title_kk": "x",
            "title_ru": "x",
            "body_kk": "x",
            "body_ru": "x",
            "audience": "public",
            "image": SimpleUploadedFile("a.png", b"not an image at all"),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    assert not NewsItem.objects.exists()


def test_digest_opt_in(client, leader):
    client.force_login(leader)
    from resources.models import NewsDigestSubscription

    client.post(reverse("resources:news_digest"), {"subscribe": "on"})
    assert NewsDigestSubscription.objects.filter(user=leader).exists()
    client.post(reverse("resources:news_digest"), {})
    assert not NewsDigestSubscription.objects.filter(user=leader).exists()


def test_faq_shows_only_approved_entries(client):
    from django.utils import timezone

    FaqEntryFactory(question_kk="Бекітілген сұрақ", approved_at=timezone.now())
    FaqEntryFactory(question_kk="Жоба сұрақ")
    page = client.get(reverse("resources:faq_list")).content.decode()
    assert "Бекітілген сұрақ" in page
    assert "Жоба сұрақ" not in page


def test_transparency_page_lists_public_news_only(client):
    NewsItemFactory(title_kk="Ашық жаңалық")
    NewsItemFactory(title_kk="Жабық жаңалық", members_only=True)
    NewsItemFactory(title_kk="Жоба нұсқасы", draft=True)
    page = client.get(reverse("dashboard:transparency")).content.decode()
    assert "Ашық жаңалық" in page
    assert "Жабық жаңалық" not in page
    assert "Жоба нұсқасы" not in page


def test_staff_add_a_material_and_a_new_version(client, staff):
    client.force_login(staff)
    client.post(
        reverse("resources:material_create"),
        {
            "title_kk": "Есеп үлгісі",
            "title_ru": "Шаблон отчёта",
            "topic": "reporting",
            "language": "kk",
            "audience": "public",
            "file": SimpleUploadedFile("report.pdf", PDF),
        },
    )
    from resources.models import Material

    material = Material.objects.get()
    client.post(
        reverse("resources:material_update", args=[material.pk]),
        {
            "title_kk": "Есеп үлгісі",
            "title_ru": "Шаблон отчёта",
            "topic": "reporting",
            "language": "kk",
            "audience": "public",
            "file": SimpleUploadedFile("report-2.pdf", PDF),
            "note": "2027 жылғы нысан",
        },
    )
    assert list(material.versions.values_list("number", "note")) == [
        (2, "2027 жылғы нысан"),
        (1, ""),
    ]


@pytest.mark.parametrize("role", ["ngo_leader", "staff"])
def test_home_page_with_resource_panels_has_bounded_queries(
    client, make_user, leader, role, django_assert_max_num_queries
):
    NewsItemFactory.create_batch(5, pinned=True)
    for _ in range(8):
        ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    client.force_login(leader if role == "ngo_leader" else make_user(role))
    # The first visit after login also fills per-session caches (bell, idle clock).
    client.get("/kk/")
    with django_assert_max_num_queries(40):
        page = client.get("/kk/").content.decode()
    assert page.count('data-panel="pinned-news"') == 1


def test_booking_calendar_has_bounded_queries(
    client, leader, django_assert_max_num_queries
):
    from .factories import BookingFactory, FacilityFactory, at

    halls = FacilityFactory.create_batch(3)
    for day in range(7):
        for hall in halls:
            BookingFactory(
                facility=hall,
                booked_by=leader,
                organisation=leader.organisation,
                starts_at=at(day, 10),
                ends_at=at(day, 11),
            )
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("resources:booking_calendar")).content.decode()
    assert page.count("data-booking=") >= 18
