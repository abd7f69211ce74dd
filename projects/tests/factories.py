import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from members.models import Affiliation
from members.tests.factories import DistrictFactory, OrganisationFactory, UserFactory
from projects.models import (
    Activity,
    Application,
    Attachment,
    BudgetLine,
    Call,
    ExpectedResult,
    RequiredDocument,
)


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


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    call = factory.SubFactory(CallFactory)
    name_kk = factory.Sequence(lambda n: f"Жарғы көшірмесі {n}")
    name_ru = factory.Sequence(lambda n: f"Копия устава {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    application = factory.SubFactory(ApplicationFactory)
    activity = "Оқыту семинары"
    start = datetime.date(2026, 3, 1)
    end = datetime.date(2026, 5, 31)
    responsible = "Жоба үйлестірушісі"


class ExpectedResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpectedResult

    application = factory.SubFactory(ApplicationFactory)
    indicator = "Оқытылған жастар саны"
    baseline = "0"
    target = "120"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Affiliation.Role.LEADER
    status = Affiliation.Status.APPROVED


# The smallest valid PDF header: enough for content sniffing.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="charter.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def leader_of(organisation=None):
    """An NGO leader with an approved affiliation to ``organisation``."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(role="ngo_leader")
    AffiliationFactory(user=user, organisation=organisation)
    return user


def complete_draft(*, call=None, organisation=None, created_by=None, **kwargs):
    """A draft that passes every submission check of its call."""
    call = call or CallFactory()
    organisation = organisation or OrganisationFactory()
    application = ApplicationFactory(
        call=call,
        organisation=organisation,
        created_by=created_by or UserFactory(),
        sustainability="Үйірмелерді мектеп жалғастырады.",
        team="Үйлестіруші, екі тренер.",
        experience="2019 жылдан бері үш жоба.",
        **kwargs,
    )
    application.districts.add(organisation.district or DistrictFactory())
    ActivityFactory(application=application)
    ExpectedResultFactory(application=application)
    BudgetLineFactory(
        application=application,
        quantity=Decimal("3"),
        unit_cost=Decimal("500000.00"),
        grant_amount=application.requested_amount,
    )
    for doc in call.required_documents.all():
        attachment = Attachment(
            application=application,
            required_document=doc,
            original_name="doc.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
        )
        attachment.file.save("doc.pdf", pdf_upload(), save=True)
    return application
