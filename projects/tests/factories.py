import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from members.tests.factories import OrganisationFactory, UserFactory
from projects.models import Application, BudgetLine, Call


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title_kk = factory.Sequence(lambda n: f"Әлеуметтік жобалар конкурсы {n}")
    title_ru = factory.Sequence(lambda n: f"Конкурс социальных проектов {n}")
    funder = factory.SubFactory(OrganisationFactory, kind="fund")
    envelope = Decimal("20000000.00")
    min_grant = Decimal("500000.00")
    max_grant = Decimal("5000000.00")
    opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=20)
    )
    status = Call.Status.OPEN
    membership_required = False
    no_unfinished_reports = False


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Жоба {n}: Арал балаларына")
    problem = "Ауылдағы жастардың бос уақыты ұйымдастырылмаған."
    goals = "Жастарға арналған үйірмелер ашу."
    target_group = "14–18 жастағы жасөспірімдер"
    beneficiaries_direct = 120
    beneficiaries_indirect = 600
    requested_amount = Decimal("1500000.00")

    class Params:
        submitted = factory.Trait(
            status=Application.Status.SUBMITTED,
            number=factory.Sequence(lambda n: f"IG-2026-{n + 1:04d}"),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        admitted = factory.Trait(
            status=Application.Status.ADMITTED,
            number=factory.Sequence(lambda n: f"IG-2026-{n + 5001:04d}"),
            submitted_at=factory.LazyFunction(timezone.now),
        )


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory)
    category = BudgetLine.Category.EVENTS
    item = "Семинар өткізу"
    unit = "іс-шара"
    quantity = Decimal("3")
    unit_cost = Decimal("500000.00")
    grant_amount = Decimal("1500000.00")
