import datetime

import factory
from django.utils import timezone

from forums.models import (
    AgendaSession,
    Event,
    Forum,
    Registration,
    Resolution,
    normalise_name,
)
from members.tests.factories import DistrictFactory, OrganisationFactory, UserFactory


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    number = factory.Sequence(lambda n: n + 10)
    level = Forum.Level.REGIONAL
    theme_kk = "Азаматтық қоғам және ауыл"
    theme_ru = "Гражданское общество и село"
    starts_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)
    district = factory.SubFactory(DistrictFactory)
    venue = "Қызылорда, филармония"
    capacity = 100

    class Params:
        past = factory.Trait(
            starts_on=factory.LazyFunction(
                lambda: timezone.localdate() - datetime.timedelta(days=700)
            )
        )


class AgendaSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaSession

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.forum.starts_on, datetime.time(9))
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    title_kk = "Пленарлық отырыс"
    title_ru = "Пленарное заседание"


class ResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resolution

    forum = factory.SubFactory(ForumFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_kk = "Аудандарда ресурстық орталықтар ашу."
    text_ru = "Открыть ресурсные центры в районах."
    responsible = factory.SubFactory(OrganisationFactory)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.TRAINING
    title_kk = factory.Sequence(lambda n: f"Семинар-тренинг {n}: жоба жазу")
    title_ru = factory.Sequence(lambda n: f"Семинар-тренинг {n}: написание проекта")
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=6))
    district = factory.SubFactory(DistrictFactory)
    venue = "Мәдениет үйі"
    capacity = 30

    class Params:
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: in_days(-3)))


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A forum registration by default; pass ``event=...`` (and ``forum=None``)."""

    class Meta:
        model = Registration

    forum = factory.SubFactory(ForumFactory)
    full_name = factory.Sequence(lambda n: f"Делегат Әлиев {n}")
    name_key = factory.LazyAttribute(lambda o: normalise_name(o.full_name))
    organisation = factory.SubFactory(OrganisationFactory)
    district = factory.LazyAttribute(lambda o: o.organisation.district)
    email = factory.Sequence(lambda n: f"delegate{n}@example.kz")
    registered_by = factory.SubFactory(UserFactory)
    status = Registration.Status.PENDING
