"""Factories and builders for grants tests. Grants are built through the services so
that every test starts from a state the portal itself can reach."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from alliance_portal.permissions import Role
from grants import services
from grants.models import Grant, MonitoringVisit
from members.models import Affiliation, Organisation
from members.tests.factories import (
    BankAccountFactory,
    OrganisationFactory,
    UserFactory,
)
from memoranda.models import Memorandum
from memoranda.tests.factories import MemorandumFactory
from projects.models import Application
from projects.tests.factories import ApplicationFactory, BudgetLineFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# The smallest valid PNG (1×1 pixel).
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def pdf_upload(name="scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name="receipt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def text_as_pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "receipt.pdf", b"not a pdf at all", content_type="application/pdf"
    )


def recommended_application(
    *,
    requested=Decimal("1500000.00"),
    approved=None,
    lines=(Decimal("1000000.00"), Decimal("500000.00")),
    organisation=None,
    call=None,
) -> Application:
    kwargs = {}
    if organisation is not None:
        kwargs["organisation"] = organisation
    if call is not None:
        kwargs["call"] = call
    app = ApplicationFactory(
        admitted=True,
        status=Application.Status.RECOMMENDED,
        requested_amount=requested,
        approved_amount=approved,
        **kwargs,
    )
    for index, amount in enumerate(lines):
        BudgetLineFactory(
            application=app,
            item=f"Бап {index + 1}",
            quantity=Decimal(1),
            unit_cost=amount,
            grant_amount=amount,
            order=index,
        )
    return app


def staff_user():
    return UserFactory(role=Role.STAFF)


def leader_of(organisation, **kwargs):
    user = UserFactory(role=Role.NGO_LEADER, **kwargs)
    Affiliation.objects.create(
        user=user, organisation=organisation, status=Affiliation.Status.APPROVED
    )
    return user


def fund_officer_of(funder, **kwargs):
    user = UserFactory(role=Role.FUND_OFFICER, **kwargs)
    Affiliation.objects.create(
        user=user,
        organisation=funder,
        role=Affiliation.Role.STAFF,
        status=Affiliation.Status.APPROVED,
    )
    return user


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=60), today + datetime.timedelta(days=300)


REQUISITES = {
    "legal_address": "Қызылорда қ., Абай даңғылы, 10",
    "leader_name": "Сәуле Әбенова",
    "head_position_kk": "Төраға",
    "head_position_ru": "Председатель",
    "authority_basis": Organisation.AuthorityBasis.CHARTER,
}


def give_requisites(organisation: Organisation, **overrides) -> Organisation:
    for field, value in {**REQUISITES, **overrides}.items():
        setattr(organisation, field, value)
    organisation.save()
    if not organisation.bank_accounts.exists():
        BankAccountFactory(organisation=organisation)
    return organisation


def contract_ready(grant: Grant) -> Grant:
    """Everything a contract needs besides the grant: the three parties'
    requisites and a tripartite memorandum in force."""
    alliance = Organisation.objects.filter(kind=Organisation.Kind.ALLIANCE).first()
    if alliance is None:
        alliance = OrganisationFactory(
            kind=Organisation.Kind.ALLIANCE,
            name_kk="Қызылорда облысы «Азаматтық альянсы» қауымдастығы",
            name_ru="Ассоциация «Гражданский альянс» Кызылординской области",
        )
    give_requisites(alliance)
    give_requisites(grant.organisation, leader_name="Гүлнар Жақыпова")
    give_requisites(
        grant.funder,
        leader_name="Ерлан Сұлтанов",
        head_position_kk="Директор",
        head_position_ru="Директор",
        authority_basis=Organisation.AuthorityBasis.ATTORNEY,
        attorney_number="17-Д",
        attorney_date=datetime.date(2026, 1, 10),
    )
    if not Memorandum.objects.filter(kind=Memorandum.Kind.TRIPARTITE).exists():
        MemorandumFactory(number=18, signed_on=datetime.date(2026, 1, 15))
    return grant


def make_grant(
    *, actor=None, amount=None, signed=False, ready=True, **app_kwargs
) -> Grant:
    """A grant in draft (or signed, with the contract generated and the scan in).
    ``ready``: the parties have their requisites and a memorandum is in force."""
    actor = actor or staff_user()
    app = recommended_application(**app_kwargs)
    starts_on, ends_on = period()
    grant = services.grant_create(
        application=app,
        actor=actor,
        starts_on=starts_on,
        ends_on=ends_on,
        amount=amount,
    )
    if ready:
        contract_ready(grant)
    if signed:
        services.grant_generate_contract(grant=grant, actor=actor)
        services.grant_sign(grant=grant, actor=actor, scan=pdf_upload())
    grant.refresh_from_db()
    return grant


def pay_tranche(tranche, *, staff, officer):
    services.tranche_approve(tranche=tranche, actor=staff)
    return services.tranche_confirm_payment(
        tranche=tranche,
        actor=officer,
        paid_on=timezone.localdate(),
        payment_document=f"ПП-{tranche.pk}",
    )


class MonitoringVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringVisit

    visited_on = factory.LazyFunction(timezone.localdate)
    visitors = "Ә. Сейітқали, Н. Жақыпова"
    findings = "Үйірмелер жұмыс істейді, қатысушылар саны жоспарға сай."
    rating = 4


__all__ = ["OrganisationFactory", "UserFactory"]
