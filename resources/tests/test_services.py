import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance_portal.models import Notification
from resources import selectors, services
from resources.models import Consultation, FaqEntry, MaterialVersion, NewsItem

from .conftest import PDF, PNG
from .factories import ConsultationFactory, MaterialFactory, NewsItemFactory

pytestmark = pytest.mark.django_db


# --- news -------------------------------------------------------------------------


def test_news_save_stores_image_and_attachments_and_publishes(staff):
    news = NewsItem(title_kk="Семинар", title_ru="Семинар", body_kk="М", body_ru="Т")
    # when staff save it with an image, a PDF attachment and "publish now"
    services.news_save(
        news=news,
        actor=staff,
        image=SimpleUploadedFile("photo.png", PNG),
        attachments=[SimpleUploadedFile("programme.pdf", PDF)],
        publish=True,
    )
    news.refresh_from_db()
    assert news.author == staff
    assert news.image.name.endswith(".png")
    assert news.is_published
    assert [a.title for a in news.attachments.all()] == ["programme.pdf"]


def test_news_save_refuses_a_non_image_and_saves_nothing(staff):
    news = NewsItem(title_kk="Семинар", title_ru="Семинар", body_kk="М", body_ru="Т")
    with pytest.raises(ValidationError) as exc:
        services.news_save(
            news=news, actor=staff, image=SimpleUploadedFile("x.png", b"MZ\x90 exe")
        )
    assert "image" in exc.value.error_dict
    assert not NewsItem.objects.exists()


def test_news_announce_twice_keeps_one_item():
    first = services.news_announce(
        source_key="call:7",
        title_kk="Конкурс ашылды",
        title_ru="Открыт конкурс",
        body_kk="а",
        body_ru="б",
    )
    second = services.news_announce(
        source_key="call:7",
        title_kk="Басқа",
        title_ru="Другое",
        body_kk="в",
        body_ru="г",
    )
    assert first.pk == second.pk
    assert NewsItem.objects.get().title_kk == "Конкурс ашылды"
    assert first.is_published


def test_unpublish_hides_news_from_the_public(staff):
    item = NewsItemFactory()
    assert selectors.news_visible_to(user=_anon()).exists()
    services.news_publish(news=item, actor=staff, publish=False)
    assert not selectors.news_visible_to(user=_anon()).exists()


def _anon():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# --- library ----------------------------------------------------------------------


def test_versions_are_numbered_in_order(staff):
    material = MaterialFactory()
    for name in ["v1.pdf", "v2.pdf"]:
        services.material_add_version(
            material=material, upload=SimpleUploadedFile(name, PDF), actor=staff
        )
    assert list(material.versions.values_list("number", flat=True)) == [2, 1]


def test_a_bad_file_is_refused_and_the_new_material_not_saved(staff):
    material = MaterialFactory.build()
    with pytest.raises(ValidationError):
        services.material_save_with_file(
            material=material,
            upload=SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
            actor=staff,
        )
    assert not MaterialVersion.objects.exists()
    assert material.pk is None


def test_download_counter_counts_in_the_database():
    material = MaterialFactory()
    services.material_count_download(material=material)
    services.material_count_download(material=material)
    material.refresh_from_db()
    assert material.downloads == 2


def test_search_finds_by_title_and_description_in_both_languages():
    manual = MaterialFactory(
        title_kk="Әлеуметтік жобалардың есебін жүргізу құралы",
        title_ru="Пособие по учёту социальных проектов",
        description_ru="Как вести бухгалтерию гранта",
    )
    MaterialFactory(title_kk="Бюджет үлгісі", title_ru="Шаблон бюджета")
    found = selectors.materials_visible_to(user=_anon(), text="бухгалтерию")
    assert list(found) == [manual]
    assert list(selectors.materials_visible_to(user=_anon(), text="есебін")) == [manual]


# --- consultations ----------------------------------------------------------------


def test_full_consultation_cycle_notifies_and_rates(leader, staff, make_user):
    consultant = make_user("staff")
    c = services.consultation_ask(
        user=leader,
        organisation=leader.organisation,
        topic="accounting",
        question="Банк комиссиясын қай бапқа жазамыз?",
    )
    assert Notification.objects.filter(kind="consultation_asked").count() == 2
    services.consultation_assign(consultation=c, consultant=consultant, actor=staff)
    services.consultation_answer(
        consultation=c, actor=consultant, answer="Әкімшілік шығыстар бабына."
    )
    assert Notification.objects.filter(
        recipient=leader, kind="consultation_answered"
    ).exists()
    services.consultation_rate(consultation=c, user=leader, rating=5)
    services.consultation_close(consultation=c, actor=staff)
    c.refresh_from_db()
    assert (c.status, c.rating, c.consultant) == ("closed", 5, consultant)
    assert c.answered_at
    assert c.closed_at


def test_leader_cannot_ask_for_an_organisation_not_theirs(leader, outsider):
    with pytest.raises(PermissionDenied):
        services.consultation_ask(
            user=leader,
            organisation=outsider.organisation,
            topic="legal",
            question="?",
        )
    assert not Consultation.objects.exists()


def test_only_the_asker_rates_and_only_after_the_answer(leader, outsider):
    c = ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    with pytest.raises(ValidationError):
        services.consultation_rate(consultation=c, user=leader, rating=4)
    c = ConsultationFactory(
        asked_by=leader, organisation=leader.organisation, answered=True
    )
    with pytest.raises(PermissionDenied):
        services.consultation_rate(consultation=c, user=outsider, rating=1)
    with pytest.raises(ValidationError):
        services.consultation_rate(consultation=c, user=leader, rating=9)
    c.refresh_from_db()
    assert c.rating is None


def test_the_assigned_consultant_must_be_staff(leader, staff):
    c = ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    with pytest.raises(ValidationError):
        services.consultation_assign(consultation=c, consultant=leader, actor=staff)
    c.refresh_from_db()
    assert c.consultant is None


def test_median_time_to_answer(leader):
    now = timezone.now()
    for hours in (2, 10, 30):
        c = ConsultationFactory(
            asked_by=leader, organisation=leader.organisation, answered=True
        )
        Consultation.objects.filter(pk=c.pk).update(
            created_at=now - datetime.timedelta(hours=hours), answered_at=now
        )
    ConsultationFactory(asked_by=leader, organisation=leader.organisation)
    stats = selectors.consultation_stats()
    assert (stats.open, stats.answered, stats.median_hours_to_answer) == (1, 3, 10.0)


def test_faq_entry_refuses_names_and_waits_for_approval(leader, staff):
    c = ConsultationFactory(
        asked_by=leader, organisation=leader.organisation, answered=True
    )
    with pytest.raises(ValidationError):
        services.faq_from_consultation(
            consultation=c,
            actor=staff,
            question_kk=f"{leader.organisation.name_kk} сұрайды: шығыс?",
            question_ru="Расход?",
            answer_kk="Жауап",
            answer_ru="Ответ",
        )
    entry = services.faq_from_consultation(
        consultation=c,
        actor=staff,
        question_kk="Шығысты қалай жазамыз?",
        question_ru="Как записать расход?",
        answer_kk="Жауап",
        answer_ru="Ответ",
    )
    assert not selectors.faq_public().exists()
    services.faq_approve(entry=entry, actor=staff)
    assert list(selectors.faq_public()) == [entry]
    assert FaqEntry.objects.get().approved_by == staff
