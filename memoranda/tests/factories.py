import datetime

import factory

from members.tests.factories import OrganisationFactory
from memoranda.models import Commitment, Memorandum, MemorandumParty


class MemorandumFactory(factory.django.DjangoModelFactory):
    """An in-force memorandum valid this year; traits for the other statuses."""

    class Meta:
        model = Memorandum

    class Params:
        draft = factory.Trait(status=Memorandum.Status.DRAFT, signed_on=None)
        lapsed = factory.Trait(
            valid_from=datetime.date(2013, 4, 18),
            valid_until=datetime.date(2014, 4, 17),
            signed_on=datetime.date(2013, 4, 18),
        )

    kind = Memorandum.Kind.TRIPARTITE
    number = factory.Sequence(lambda n: n + 1)
    title_kk = factory.Sequence(lambda n: f"Бірлескен іс-қимыл туралы меморандум {n}")
    title_ru = factory.Sequence(lambda n: f"Меморандум о совместных действиях {n}")
    status = Memorandum.Status.IN_FORCE
    signed_on = datetime.date(2026, 1, 15)
    valid_from = datetime.date(2026, 1, 15)
    valid_until = datetime.date(2030, 12, 31)
    goals_kk = "Ортақ мақсаттар: ҮЕҰ әлеуметтік жобаларын қолдау."
    goals_ru = "Общие цели: поддержка социальных проектов НПО."
    directions_kk = "Бірлескен іс-қимылдың негізгі бағыттары."
    directions_ru = "Основные направления совместных действий."


class MemorandumPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemorandumParty

    memorandum = factory.SubFactory(MemorandumFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    signatory_name = factory.Sequence(lambda n: f"Әлібек Сейітов {n}")
    signatory_position_kk = "Төраға"
    signatory_position_ru = "Председатель"
    order = factory.Sequence(lambda n: n)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    class Params:
        done = factory.Trait(
            status=Commitment.Status.DONE, completed_on=datetime.date(2026, 3, 1)
        )

    memorandum = factory.SubFactory(MemorandumFactory)
    text_kk = factory.Sequence(lambda n: f"Әлеуметтік жобаларды іріктеу {n}")
    text_ru = factory.Sequence(lambda n: f"Отбор социальных проектов {n}")
    responsible = factory.SubFactory(OrganisationFactory)
    due_on = datetime.date(2030, 6, 30)
    status = Commitment.Status.PLANNED


def memorandum_with_parties(count: int = 3, **kwargs) -> Memorandum:
    memorandum = MemorandumFactory(**kwargs)
    for _ in range(count):
        MemorandumPartyFactory(memorandum=memorandum)
    return memorandum
