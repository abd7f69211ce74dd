import factory
from django.utils import timezone

from members.tests.factories import OrganisationFactory, UserFactory
from resources.models import (
    Booking,
    Consultation,
    Facility,
    FaqEntry,
    Material,
    NewsItem,
    Topic,
)


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title_kk = factory.Sequence(lambda n: f"Альянс жаңалығы {n}")
    title_ru = factory.Sequence(lambda n: f"Новость альянса {n}")
    body_kk = "Ақпараттық ресурстық орталық семинар өткізеді."
    body_ru = "Информационно-ресурсный центр проводит семинар."
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(published_at=None)
        members_only = factory.Trait(audience="members")


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    title_kk = factory.Sequence(lambda n: f"Әдістемелік құрал {n}")
    title_ru = factory.Sequence(lambda n: f"Методическое пособие {n}")
    topic = Topic.REPORTING
    language = "kk"

    class Params:
        members_only = factory.Trait(audience="members")


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    organisation = factory.SubFactory(OrganisationFactory)
    asked_by = factory.SubFactory(UserFactory)
    topic = Topic.ACCOUNTING
    question = "Жобаның шығыстарын қалай есепке алу керек?"

    class Params:
        answered = factory.Trait(
            status=Consultation.Status.ANSWERED,
            answer="Шығыс бабы бойынша құжаттарды сақтаңыз.",
            answered_at=factory.LazyFunction(timezone.now),
        )


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    topic = Topic.REGISTRATION
    question_kk = "ҮЕҰ-ны қалай тіркеуге болады?"
    question_ru = "Как зарегистрировать НПО?"
    answer_kk = "Әділет басқармасына құжаттар тапсырыңыз."
    answer_ru = "Подайте документы в управление юстиции."


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    name_kk = factory.Sequence(lambda n: f"Мәжіліс залы {n}")
    name_ru = factory.Sequence(lambda n: f"Конференц-зал {n}")
    kind = Facility.Kind.ROOM
    capacity = 40


def at(days: int, hour: int, minute: int = 0):
    import datetime

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    facility = factory.SubFactory(FacilityFactory)
    booked_by = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: at(3, 10))
    ends_at = factory.LazyFunction(lambda: at(3, 12))
    purpose = "Семинар-тренинг"
