import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from alliance_portal.permissions import Role
from members.models import District, Organisation, User

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

    slug = factory.Sequence(lambda n: f"org-{n}")
    name_kk = factory.Sequence(lambda n: f"«Үміт-{n}» қоғамдық бірлестігі")
    name_ru = factory.Sequence(lambda n: f"Общественное объединение «Умит-{n}»")
    kind = Organisation.Kind.NGO
    district = factory.SubFactory(DistrictFactory)
