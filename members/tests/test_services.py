import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance_portal.models import Notification
from members import services
from members.models import (
    Affiliation,
    MembershipApplication,
    MembershipPeriod,
    Organisation,
    OrganisationChangeRequest,
)
from members.selectors import members_on, organisation_is_member
from members.tests.factories import (
    AffiliationFactory,
    ChangeRequestFactory,
    DistrictFactory,
    MembershipApplicationFactory,
    MembershipPeriodFactory,
    OrganisationFactory,
    UserFactory,
    valid_bin,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _data(**overrides):
    data = {
        "name_kk": "«Жаңа өмір» қоғамдық бірлестігі",
        "name_ru": "Общественное объединение «Новая жизнь»",
        "legal_form": Organisation.LegalForm.PUBLIC_ASSOCIATION,
        "bin": valid_bin(90001),
        "district": DistrictFactory(),
    }
    data.update(overrides)
    return data


# --- organisations and affiliations ---------------------------------------------


def test_leader_creates_unpublished_organisation_with_pending_leadership():
    leader = UserFactory()
    organisation = services.organisation_create(user=leader, data=_data())
    assert organisation.is_published is False
    assert organisation.kind == Organisation.Kind.NGO
    affiliation = Affiliation.objects.get(user=leader, organisation=organisation)
    assert affiliation.role == Affiliation.Role.LEADER
    assert affiliation.status == Affiliation.Status.PENDING


def test_duplicate_bin_is_refused_on_the_bin_field_and_nothing_is_saved():
    existing = OrganisationFactory()
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as info:
        services.organisation_create(user=UserFactory(), data=_data(bin=existing.bin))
    assert "bin" in info.value.message_dict
    assert "already registered" in info.value.message_dict["bin"][0]
    assert Organisation.objects.count() == before
    assert not Affiliation.objects.exists()


def test_invalid_bin_is_refused():
    with pytest.raises(ValidationError) as info:
        services.organisation_create(user=UserFactory(), data=_data(bin="123456789012"))
    assert "bin" in info.value.message_dict
    assert not Organisation.objects.filter(name_ru__contains="Новая").exists()


def test_logo_that_is_not_an_image_is_refused():
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", "image/png")
    with pytest.raises(ValidationError) as info:
        services.organisation_create(user=UserFactory(), data=_data(logo=fake))
    assert "logo" in info.value.message_dict


def test_approving_founding_leader_publishes_the_organisation_and_tells_them():
    staff = UserFactory(role="staff")
    leader = UserFactory()
    organisation = services.organisation_create(user=leader, data=_data())
    affiliation = organisation.affiliations.get()
    services.affiliation_decide(affiliation=affiliation, actor=staff, approve=True)
    affiliation.refresh_from_db()
    organisation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.APPROVED
    assert affiliation.decided_by == staff
    assert affiliation.decided_at is not None
    assert organisation.is_published
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_declining_needs_a_reason_and_changes_nothing_without_it():
    affiliation = AffiliationFactory(pending=True)
    with pytest.raises(ValidationError):
        services.affiliation_decide(
            affiliation=affiliation, actor=UserFactory(role="staff"), approve=False
        )
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.PENDING


def test_a_decided_affiliation_cannot_be_decided_again():
    affiliation = AffiliationFactory()
    with pytest.raises(ValidationError):
        services.affiliation_decide(
            affiliation=affiliation,
            actor=UserFactory(role="staff"),
            approve=False,
            reason="x",
        )


def test_a_user_can_belong_to_several_organisations():
    leader = UserFactory()
    services.affiliation_request(user=leader, organisation=OrganisationFactory())
    services.affiliation_request(user=leader, organisation=OrganisationFactory())
    assert leader.affiliations.count() == 2


def test_asking_twice_to_join_is_refused_but_a_declined_request_can_be_renewed():
    leader, organisation = UserFactory(), OrganisationFactory()
    affiliation = services.affiliation_request(user=leader, organisation=organisation)
    with pytest.raises(ValidationError):
        services.affiliation_request(user=leader, organisation=organisation)
    services.affiliation_decide(
        affiliation=affiliation,
        actor=UserFactory(role="staff"),
        approve=False,
        reason="Not the leader",
    )
    renewed = services.affiliation_request(user=leader, organisation=organisation)
    assert renewed.pk == affiliation.pk
    assert renewed.status == Affiliation.Status.PENDING


def test_profile_update_does_not_touch_legal_fields():
    organisation = OrganisationFactory()
    old_bin, old_name = organisation.bin, organisation.name_ru
    services.organisation_update_profile(
        organisation=organisation,
        actor=UserFactory(),
        data={"phone": "+7 700 000 00 00", "bin": valid_bin(5), "name_ru": "Другое"},
    )
    organisation.refresh_from_db()
    assert organisation.phone == "+7 700 000 00 00"
    assert (organisation.bin, organisation.name_ru) == (old_bin, old_name)


# --- change requests ---------------------------------------------------------------


def test_change_request_leaves_the_live_record_until_staff_confirm():
    organisation = OrganisationFactory()
    old_bin, new_bin = organisation.bin, valid_bin(77777)
    request = services.organisation_change_request_create(
        organisation=organisation,
        actor=UserFactory(),
        name_kk=organisation.name_kk,
        name_ru="ОО «Новое имя»",
        legal_form=organisation.legal_form,
        bin=new_bin,
    )
    organisation.refresh_from_db()
    assert organisation.bin == old_bin
    assert request.old_values["bin"] == old_bin
    services.organisation_change_request_decide(
        change_request=request, actor=UserFactory(role="staff"), approve=True
    )
    organisation.refresh_from_db()
    assert (organisation.bin, organisation.name_ru) == (new_bin, "ОО «Новое имя»")


def test_rejected_change_request_keeps_the_record():
    request = ChangeRequestFactory()
    old_name = request.organisation.name_kk
    services.organisation_change_request_decide(
        change_request=request,
        actor=UserFactory(role="staff"),
        approve=False,
        reason="Certificate does not match",
    )
    request.refresh_from_db()
    request.organisation.refresh_from_db()
    assert request.status == OrganisationChangeRequest.Status.REJECTED
    assert request.organisation.name_kk == old_name


def test_change_request_to_a_taken_bin_is_refused():
    organisation, other = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(ValidationError) as info:
        services.organisation_change_request_create(
            organisation=organisation,
            actor=UserFactory(),
            name_kk=organisation.name_kk,
            name_ru=organisation.name_ru,
            legal_form=organisation.legal_form,
            bin=other.bin,
        )
    assert "bin" in info.value.message_dict
    assert not OrganisationChangeRequest.objects.exists()


def test_confirming_fails_cleanly_when_the_bin_was_taken_meanwhile():
    request = ChangeRequestFactory(bin=valid_bin(55555))
    OrganisationFactory(bin=valid_bin(55555))
    with pytest.raises(ValidationError):
        services.organisation_change_request_decide(
            change_request=request, actor=UserFactory(role="staff"), approve=True
        )
    request.refresh_from_db()
    assert request.status == OrganisationChangeRequest.Status.PENDING


def test_unchanged_values_are_not_a_change_request():
    organisation = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.organisation_change_request_create(
            organisation=organisation,
            actor=UserFactory(),
            name_kk=organisation.name_kk,
            name_ru=organisation.name_ru,
            legal_form=organisation.legal_form,
            bin=organisation.bin,
        )


# --- membership ----------------------------------------------------------------


def test_approving_an_application_opens_a_membership_period():
    application = MembershipApplicationFactory()
    staff = UserFactory(role="staff")
    services.membership_application_decide(
        application=application, actor=staff, approve=True
    )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED
    assert application.decided_by == staff
    assert organisation_is_member(organisation=application.organisation)
    period = application.organisation.membership_periods.get()
    assert period.started_by == staff
    assert Notification.objects.filter(recipient=application.applied_by).exists()


def test_declining_an_application_keeps_the_reason_and_opens_nothing():
    application = MembershipApplicationFactory()
    services.membership_application_decide(
        application=application,
        actor=UserFactory(role="staff"),
        approve=False,
        reason="Registered less than a year ago",
    )
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.DECLINED
    assert application.decision_reason == "Registered less than a year ago"
    assert not MembershipPeriod.objects.exists()


def test_member_cannot_apply_again_and_one_open_application_at_a_time():
    member = MembershipPeriodFactory().organisation
    with pytest.raises(ValidationError):
        services.membership_apply(
            organisation=member, actor=UserFactory(), statement="x"
        )
    applicant = MembershipApplicationFactory().organisation
    with pytest.raises(ValidationError):
        services.membership_apply(
            organisation=applicant, actor=UserFactory(), statement="again"
        )
    assert MembershipApplication.objects.count() == 1


def test_suspend_reinstate_and_end_keep_the_history():
    staff = UserFactory(role="staff")
    organisation = MembershipPeriodFactory(started_on=D(2006, 3, 15)).organisation
    services.membership_suspend(
        organisation=organisation, actor=staff, on=D(2012, 2, 1), note="Dues unpaid"
    )
    assert not organisation_is_member(organisation=organisation, on=D(2012, 6, 1))
    services.membership_reinstate(
        organisation=organisation, actor=staff, on=D(2013, 3, 1)
    )
    assert organisation_is_member(organisation=organisation, on=D(2013, 3, 1))
    services.membership_end(organisation=organisation, actor=staff, on=D(2020, 1, 1))
    periods = list(organisation.membership_periods.order_by("started_on"))
    assert [(p.status, p.started_on, p.ended_on) for p in periods] == [
        (MembershipPeriod.Status.ACTIVE, D(2006, 3, 15), D(2012, 2, 1)),
        (MembershipPeriod.Status.SUSPENDED, D(2012, 2, 1), D(2013, 3, 1)),
        (MembershipPeriod.Status.ACTIVE, D(2013, 3, 1), D(2020, 1, 1)),
    ]
    assert periods[0].ended_by == staff
    assert periods[0].end_note == "Dues unpaid"
    assert not organisation_is_member(organisation=organisation)


def test_suspending_on_or_before_the_start_is_refused_and_changes_nothing():
    period = MembershipPeriodFactory(started_on=D(2010, 1, 1))
    with pytest.raises(ValidationError) as info:
        services.membership_suspend(
            organisation=period.organisation,
            actor=UserFactory(role="staff"),
            on=D(2009, 12, 31),
        )
    assert "on" in info.value.message_dict
    period.refresh_from_db()
    assert period.ended_on is None
    assert MembershipPeriod.objects.count() == 1


def test_future_dates_and_non_members_are_refused():
    period = MembershipPeriodFactory()
    staff = UserFactory(role="staff")
    with pytest.raises(ValidationError):
        services.membership_end(
            organisation=period.organisation, actor=staff, on=D(2999, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.membership_reinstate(
            organisation=period.organisation, actor=staff, on=D(2020, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.membership_suspend(
            organisation=OrganisationFactory(), actor=staff, on=D(2020, 1, 1)
        )


def test_members_on_answers_for_any_date():
    # given 19 organisations that joined in 2006, 2 of which left in 2010 and 1 was
    # suspended from 2015, and 14 that joined later
    staff = UserFactory(role="staff")
    founders = [MembershipPeriodFactory(started_on=D(2006, 3, 15)) for _ in range(19)]
    for period in founders[:2]:
        services.membership_end(
            organisation=period.organisation, actor=staff, on=D(2010, 1, 1)
        )
    services.membership_suspend(
        organisation=founders[2].organisation, actor=staff, on=D(2015, 1, 1)
    )
    for _ in range(14):
        MembershipPeriodFactory(started_on=D(2012, 5, 5))
    # then the counts follow the history
    assert members_on(on=D(2006, 3, 14)).count() == 0
    assert members_on(on=D(2006, 12, 31)).count() == 19
    assert members_on(on=D(2010, 1, 1)).count() == 17
    assert members_on(on=D(2013, 1, 1)).count() == 31
    assert members_on().count() == 30


# --- import --------------------------------------------------------------------


def test_import_creates_valid_rows_only_and_rechecks_bins():
    district = DistrictFactory(
        code="aral", name_kk="Арал ауданы", name_ru="Аральский район"
    )
    taken = OrganisationFactory()
    rows = [
        {"name_kk": "А", "name_ru": "А", "bin": valid_bin(4001), "district": "aral"},
        {"name_kk": "Б", "name_ru": "Б", "bin": "123456789012", "district": "aral"},
        {"name_kk": "В", "name_ru": "В", "bin": taken.bin, "district": "Арал ауданы"},
        {"name_kk": "Г", "name_ru": "Г", "bin": valid_bin(4002), "district": "Марс"},
        {"name_kk": "Д", "name_ru": "Д", "bin": "", "district": "Аральский район"},
    ]
    created = services.organisations_import(rows=rows, actor=UserFactory(role="staff"))
    assert sorted(o.name_kk for o in created) == ["А", "Д"]
    assert all(o.is_published and o.district == district for o in created)
