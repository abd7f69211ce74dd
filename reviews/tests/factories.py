from decimal import Decimal

import factory

from alliance_portal.permissions import Role
from members.tests.factories import UserFactory
from projects.tests.factories import ApplicationFactory, CallFactory
from reviews.models import (
    Assignment,
    CallExpert,
    CallReviewSettings,
    ConflictStatement,
    Criterion,
    ExpertProfile,
)


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.EXPERT)
    expertise = "Әлеуметтік жобалар"
    active = True

    @factory.post_generation
    def panel(self, create, extracted, **kwargs):
        # ExpertProfileFactory(panel=[call, ...]): active on those calls' panels.
        for call in extracted or ():
            CallExpert.objects.get_or_create(call=call, expert=self)


class CallExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallExpert
        django_get_or_create = ("call", "expert")

    call = factory.SubFactory(CallFactory)
    expert = factory.SubFactory(ExpertProfileFactory)
    active = True


class CallReviewSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallReviewSettings
        django_get_or_create = ("call",)

    call = factory.SubFactory(CallFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name_kk = factory.Sequence(lambda n: f"Өлшем {n}")
    name_ru = factory.Sequence(lambda n: f"Критерий {n}")
    weight = Decimal("1.00")
    scale_max = 10
    comment_required = False
    may_be_not_applicable = False
    order = factory.Sequence(lambda n: n)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """An assignment made directly (tests of reading); writes use the service."""

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    expert = factory.SubFactory(ExpertProfileFactory)
    application = factory.SubFactory(ApplicationFactory, admitted=True)
    call = factory.SelfAttribute("application.call")
    organisation = factory.SelfAttribute("application.organisation")

    @factory.post_generation
    def on_panel(self, create, extracted, **kwargs):
        # An assigned expert sits on the call's panel unless told otherwise.
        if create and extracted is not False:
            CallExpert.objects.get_or_create(
                call=self.application.call, expert=self.expert
            )

    @factory.post_generation
    def declared(self, create, extracted, **kwargs):
        # The expert has declared conflicts for the call unless told otherwise.
        if create and extracted is not False:
            ConflictStatement.objects.get_or_create(
                expert=self.expert, call=self.application.call
            )


__all__ = [
    "ApplicationFactory",
    "AssignmentFactory",
    "CallExpertFactory",
    "CallFactory",
    "CallReviewSettingsFactory",
    "CriterionFactory",
    "ExpertProfileFactory",
]
