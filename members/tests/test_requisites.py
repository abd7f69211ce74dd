"""An organisation's requisites for contracts: the IBAN check, who may edit them,
the history of their changes, and what is still missing for a contract."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.models import BankAccount, Organisation, OrganisationChange
from members.tests.factories import (
    AffiliationFactory,
    BankAccountFactory,
    OrganisationFactory,
    UserFactory,
    valid_iban,
)
from members.validators import (
    is_valid_iban,
    validate_bik,
    validate_kbe,
    validate_kz_iban,
)

pytestmark = pytest.mark.django_db


# --- IBAN, BIK, KBe ------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "KZ86125KZT5004100100",  # the example the banks of Kazakhstan publish
        "GB82WEST12345698765432",  # ISO 13616's own example
        "DE89370400440532013000",
    ],
)
def test_published_ibans_pass_the_mod97_check(iban):
    assert is_valid_iban(iban)


def test_one_changed_digit_or_swapped_pair_fails_the_check_digits():
    good = "KZ86125KZT5004100100"
    assert not is_valid_iban("KZ86125KZT5004100101")
    assert not is_valid_iban("KZ68125KZT5004100100")
    assert not is_valid_iban(good[:10] + good[11] + good[10] + good[12:])


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("KZ86125KZT5004100101", "iban_checksum"),
        ("KZ86125KZT500410010", "iban_format"),  # 19 characters
        ("KZ86125KZT50041001000", "iban_format"),  # 21 characters
        ("GB82WEST12345698765432", "iban_format"),  # valid, but not Kazakh
        ("kz86125kzt5004100100", "iban_format"),
    ],
)
def test_kazakh_iban_validator_names_the_problem(value, code):
    with pytest.raises(ValidationError) as error:
        validate_kz_iban(value)
    assert error.value.code == code


def test_generated_ibans_are_valid_kazakh_ibans():
    for serial in (1, 42, 99999):
        validate_kz_iban(valid_iban(serial))


@pytest.mark.parametrize("bik", ["HSBKKZKX", "KCJBKZKX", "CASPKZKA"])
def test_real_biks_pass(bik):
    validate_bik(bik)


@pytest.mark.parametrize("bik", ["HSBKRUKX", "HSBK", "hsbkkzkx", "HSBKKZKX1"])
def test_bad_biks_fail(bik):
    with pytest.raises(ValidationError):
        validate_bik(bik)


@pytest.mark.parametrize(
    ("kbe", "ok"),
    [
        ("18", True),
        ("17", True),
        ("28", True),
        ("38", False),
        ("10", False),
        ("8", False),
    ],
)
def test_kbe_is_residency_then_sector(kbe, ok):
    if ok:
        validate_kbe(kbe)
    else:
        with pytest.raises(ValidationError):
            validate_kbe(kbe)


# --- the service ---------------------------------------------------------------------


def _account(**overrides):
    return {
        "id": None,
        "delete": False,
        "bank_name": "АҚ «Kaspi Bank»",
        "iban": valid_iban(7),
        "bik": "CASPKZKA",
        "kbe": "18",
        "is_primary": False,
        **overrides,
    }


REQUISITES = {
    "legal_address": "Арал қ., Бақтыбай батыр к-сі, 4",
    "leader_name": "Айгүл Нұрова",
    "head_position_kk": "Директор",
    "head_position_ru": "Директор",
    "authority_basis": "charter",
    "attorney_number": "",
    "attorney_date": None,
}


def test_missing_requisites_are_listed_then_none_once_filled():
    # given a bare organisation
    organisation = OrganisationFactory(bin="")
    # then every requisite a contract needs is named
    missing = organisation.requisites_missing()
    assert len(missing) == 6
    assert "bank account (IBAN, BIK, KBe)" in missing
    # when its leader fills them in with one account
    organisation.bin = OrganisationFactory.build().bin
    organisation.save()
    services.organisation_requisites_update(
        organisation=organisation,
        actor=UserFactory(role="staff"),
        data=REQUISITES,
        accounts=[_account()],
    )
    # then nothing is missing and the only account became the main one
    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.requisites_missing() == []
    assert organisation.primary_account.is_primary


def test_power_of_attorney_needs_number_and_date():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_requisites_update(
            organisation=organisation,
            actor=UserFactory(role="staff"),
            data={**REQUISITES, "authority_basis": "attorney"},
            accounts=[],
        )
    organisation.refresh_from_db()
    assert organisation.authority_basis == ""
    assert not OrganisationChange.objects.exists()


def test_bad_iban_saves_nothing():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_requisites_update(
            organisation=organisation,
            actor=UserFactory(role="staff"),
            data=REQUISITES,
            accounts=[_account(iban="KZ86125KZT5004100101")],
        )
    organisation.refresh_from_db()
    assert organisation.legal_address == ""
    assert not BankAccount.objects.exists()


def test_changes_are_recorded_field_by_field_with_the_accounts():
    # given an organisation with one account
    organisation = OrganisationFactory(with_requisites=True)
    old = organisation.bank_accounts.get()
    leader = UserFactory(role="ngo_leader")
    # when its leader changes the address and replaces the account
    services.organisation_requisites_update(
        organisation=organisation,
        actor=leader,
        data={**REQUISITES, "leader_name": organisation.leader_name},
        accounts=[{"id": old.pk, "delete": True}, _account(is_primary=True)],
    )
    # then one history row has the address before/after and the accounts as text
    change = OrganisationChange.objects.get(organisation=organisation)
    assert change.actor == leader
    assert change.changes["legal_address"][1] == REQUISITES["legal_address"]
    before, after = change.changes["bank_accounts"]
    assert old.iban in before
    assert valid_iban(7) in after
    assert old.iban not in after
    assert "leader_name" not in change.changes
    labels = [str(label) for label, _, _ in change.rows()]
    assert "bank accounts" in labels


def test_two_main_accounts_are_refused():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_requisites_update(
            organisation=organisation,
            actor=UserFactory(role="staff"),
            data=REQUISITES,
            accounts=[
                _account(is_primary=True),
                _account(iban=valid_iban(8), is_primary=True),
            ],
        )
    assert not BankAccount.objects.exists()


# --- the page ------------------------------------------------------------------------


def _post(organisation, **extra):
    return {
        **{k: v or "" for k, v in REQUISITES.items()},
        "accounts-TOTAL_FORMS": "1",
        "accounts-INITIAL_FORMS": "0",
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "10",
        "accounts-0-bank_name": "АҚ «Halyk»",
        "accounts-0-iban": "kz86 125K ZT50 0410 0100",
        "accounts-0-bik": "hsbkkzkx",
        "accounts-0-kbe": "18",
        **extra,
    }


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("stranger", False),
        ("expert", False),
        ("official", False),
        ("fund_officer", False),
        ("leader", True),
        ("staff", True),
    ],
)
def test_only_the_leader_and_staff_edit_requisites(client, who, allowed):
    # given an organisation with a leader
    organisation = OrganisationFactory()
    leader = UserFactory(role="ngo_leader")
    AffiliationFactory(user=leader, organisation=organisation)
    users = {
        "leader": leader,
        "stranger": UserFactory(role="ngo_leader"),
        "expert": UserFactory(role="expert"),
        "official": UserFactory(role="official"),
        "fund_officer": UserFactory(role="fund_officer"),
        "staff": UserFactory(role="staff"),
    }
    if who != "anonymous":
        client.force_login(users[who])
    url = reverse("members:requisites", args=[organisation.slug])
    # when they post requisites (IBAN pasted with spaces, lower case)
    response = client.post(url, _post(organisation))
    # then only the leader and staff save them; for others nothing changed
    organisation.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert organisation.bank_accounts.get().iban == "KZ86125KZT5004100100"
        assert organisation.requisites_missing() == []
    else:
        assert response.status_code in (302, 403, 404)
        assert organisation.legal_address == ""
        assert not BankAccount.objects.exists()
        if who != "anonymous":
            assert response.status_code in (403, 404)


def test_bad_iban_on_the_page_is_a_clear_message(client):
    staff = UserFactory(role="staff")
    organisation = OrganisationFactory()
    client.force_login(staff)
    response = client.post(
        reverse("members:requisites", args=[organisation.slug]),
        _post(organisation, **{"accounts-0-iban": "KZ86125KZT5004100101"}),
    )
    assert response.status_code == 400
    assert "check digits do not match" in response.content.decode()
    assert not BankAccount.objects.exists()


def test_profile_shows_requisites_to_the_leader_not_to_the_public(client):
    organisation = OrganisationFactory(with_requisites=True)
    iban = BankAccount.objects.get().iban
    public = client.get(organisation.get_absolute_url()).content.decode()
    assert iban not in public
    leader = UserFactory(role="ngo_leader")
    AffiliationFactory(user=leader, organisation=organisation)
    client.force_login(leader)
    assert iban in client.get(organisation.get_absolute_url()).content.decode()


def test_bank_account_factory_builds_a_valid_row():
    account = BankAccountFactory()
    account.full_clean()
