import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from alliance_portal.permissions import Role
from members.models import (
    Affiliation,
    BankAccount,
    District,
    FieldOfActivity,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChangeRequest,
    User,
)

TEST_PASSWORD = "Test-pass-2026!"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPKZALLIAN"


class UserFactory(factory.django.DjangoModelFactory):
    """A verified user; roles that require 2FA get TOTP with TEST_TOTP_SECRET."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kz")
    full_name = factory.Faker("name", locale="ru_RU")
    role = Role.NGO_LEADER
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def setup_account(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        EmailAddress.objects.create(
            user=self, email=self.email, verified=True, primary=True
        )
        if self.role in settings.MFA_REQUIRED_ROLES:
            TOTP.activate(self, TEST_TOTP_SECRET)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"org-{n}")
    name_kk = factory.Sequence(lambda n: f"«Үміт-{n}» қоғамдық бірлестігі")
    name_ru = factory.Sequence(lambda n: f"Общественное объединение «Умит-{n}»")
    kind = Organisation.Kind.NGO
    district = factory.SubFactory(DistrictFactory)
    bin = factory.Sequence(lambda n: valid_bin(n + 1))

    class Params:
        # Everything a contract needs: legal address, signatory, a main account.
        with_requisites = factory.Trait(
            legal_address="Қызылорда қ., Әйтеке би к-сі, 27",
            leader_name="Жанар Сейітова",
            head_position_kk="Төраға",
            head_position_ru="Председатель",
            authority_basis=Organisation.AuthorityBasis.CHARTER,
            account=factory.RelatedFactory(
                "members.tests.factories.BankAccountFactory", "organisation"
            ),
        )


def valid_iban(serial: int) -> str:
    """A valid Kazakh IBAN (ISO 13616 check digits) for a distinct account number."""
    from members.validators import iban_check_digits

    bban = f"601{serial:013d}"
    return f"KZ{iban_check_digits('KZ', bban)}{bban}"


class BankAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BankAccount

    organisation = factory.SubFactory(OrganisationFactory)
    bank_name = "АҚ «Қазақстан Халық Банкі»"
    iban = factory.Sequence(lambda n: valid_iban(n + 1))
    bik = "HSBKKZKX"
    kbe = "18"
    is_primary = True


def valid_bin(serial: int) -> str:
    """A valid BIN of a legal entity; distinct serials (< 100000) give distinct BINs."""
    from members.validators import bin_check_digit

    for month in range(1, 13):
        first = f"10{month:02d}40{serial:05d}"
        digit = bin_check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
    raise ValueError(serial)


class FieldOfActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOfActivity
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"field-{n}")
    name_kk = factory.Sequence(lambda n: f"Сала {n}")
    name_ru = factory.Sequence(lambda n: f"Сфера {n}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Affiliation.Role.LEADER
    status = Affiliation.Status.APPROVED

    class Params:
        pending = factory.Trait(status=Affiliation.Status.PENDING)


class MembershipPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    organisation = factory.SubFactory(OrganisationFactory)
    status = MembershipPeriod.Status.ACTIVE
    started_on = datetime.date(2006, 3, 15)
    ended_on = None


class MembershipApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipApplication

    organisation = factory.SubFactory(OrganisationFactory)
    statement = "Біз альянсқа кіргіміз келеді."
    applied_by = factory.SubFactory(UserFactory)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationChangeRequest

    organisation = factory.SubFactory(OrganisationFactory)
    name_kk = factory.LazyAttribute(lambda o: o.organisation.name_kk + " (жаңа)")
    name_ru = factory.LazyAttribute(lambda o: o.organisation.name_ru)
    legal_form = factory.LazyAttribute(lambda o: o.organisation.legal_form)
    bin = factory.LazyAttribute(lambda o: o.organisation.bin)
    old_values = factory.LazyAttribute(
        lambda o: {
            "name_kk": o.organisation.name_kk,
            "name_ru": o.organisation.name_ru,
            "legal_form": o.organisation.legal_form,
            "bin": o.organisation.bin,
        }
    )
    requested_by = factory.SubFactory(UserFactory)
