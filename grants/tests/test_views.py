import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance_portal.models import DocumentJob, Notification
from grants import services
from grants.models import Expenditure, Grant, Report, Tranche
from grants.tests.factories import (
    fund_officer_of,
    leader_of,
    make_grant,
    pay_tranche,
    pdf_upload,
    png_upload,
    recommended_application,
    staff_user,
    text_as_pdf_upload,
)
from members.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "owner",
    "stranger",
    "expert",
    "staff",
    "fund_officer",
    "other_fund_officer",
    "official",
    "admin",
)


@pytest.fixture
def world():
    """A signed grant with its first tranche approved, one expenditure with a receipt,
    a submitted report with a photo, and a recommended application; a user per role."""
    staff = staff_user()
    grant = make_grant(actor=staff, signed=True)
    tranche = grant.tranches.get(sequence=1)
    services.tranche_approve(tranche=tranche, actor=staff)
    owner = leader_of(grant.organisation)
    expenditure = services.expenditure_record(
        grant=grant,
        actor=owner,
        budget_line_id=grant.budget_lines.first().pk,
        spent_on=grant.starts_on,
        description="Кітаптар",
        amount=Decimal("1000"),
        supplier="ЖК Арал",
        payment_document="1",
        receipt=png_upload(),
    )
    report = services.report_save(
        grant=grant,
        actor=owner,
        kind=Report.Kind.INTERIM,
        period_start=grant.starts_on,
        period_end=grant.starts_on + datetime.timedelta(days=20),
        activities="Семинар",
        results="Нәтиже",
        beneficiaries_reached=10,
    )
    photo = services.report_add_photo(report=report, actor=owner, image=png_upload())
    big, small = grant.budget_lines.order_by("order")
    revision = services.budget_revision_request(
        grant=grant,
        actor=owner,
        from_line_id=big.pk,
        to_line_id=small.pk,
        amount=Decimal("100"),
        reason="Баға өсті",
    )
    users = {
        "anonymous": None,
        "owner": owner,
        "stranger": leader_of(OrganisationFactory()),
        "expert": UserFactory(role="expert"),
        "staff": staff,
        "fund_officer": fund_officer_of(grant.funder),
        "other_fund_officer": fund_officer_of(OrganisationFactory(kind="fund")),
        "official": UserFactory(role="official"),
        "admin": UserFactory(role="admin"),
    }
    return {
        "grant": grant,
        "tranche": tranche,
        "expenditure": expenditure,
        "report": report,
        "photo": photo,
        "revision": revision,
        "application": recommended_application(),
        "users": users,
    }


def _statuses(
    anonymous, owner, stranger, expert, staff, fund, other_fund, official, admin
):
    return dict(
        zip(
            ROLES,
            (
                anonymous,
                owner,
                stranger,
                expert,
                staff,
                fund,
                other_fund,
                official,
                admin,
            ),
            strict=True,
        )
    )


OVERSIGHT = _statuses(302, 403, 403, 403, 200, 200, 200, 200, 200)
VISIBLE = _statuses(302, 200, 404, 403, 200, 200, 404, 200, 200)
STAFF_ONLY = _statuses(302, 403, 403, 403, 200, 403, 403, 403, 200)
REPORTING = _statuses(302, 200, 404, 403, 200, 403, 403, 403, 200)
CONTRACT = _statuses(302, 302, 404, 403, 302, 302, 404, 302, 302)

GET_MATRIX = [
    ("grants:list", lambda w: [], OVERSIGHT),
    ("grants:export", lambda w: ["csv"], OVERSIGHT),
    ("grants:export", lambda w: ["xlsx"], OVERSIGHT),
    ("grants:my", lambda w: [], _statuses(302, 200, 200, 403, 403, 403, 403, 403, 403)),
    (
        "grants:payments",
        lambda w: [],
        _statuses(302, 403, 403, 403, 200, 200, 200, 200, 200),
    ),
    ("grants:create", lambda w: [w["application"].pk], STAFF_ONLY),
    ("grants:detail", lambda w: [w["grant"].pk], VISIBLE),
    ("grants:timeline", lambda w: [w["grant"].pk], VISIBLE),
    ("grants:amount", lambda w: [w["grant"].pk], STAFF_ONLY),
    ("grants:budget", lambda w: [w["grant"].pk], STAFF_ONLY),
    ("grants:schedule", lambda w: [w["grant"].pk], STAFF_ONLY),
    ("grants:contract", lambda w: [w["grant"].pk, "kk"], CONTRACT),
    ("grants:contract", lambda w: [w["grant"].pk, "ru"], CONTRACT),
    ("grants:sign", lambda w: [w["grant"].pk], STAFF_ONLY),
    ("grants:scan", lambda w: [w["grant"].pk], VISIBLE),
    ("grants:expenditure_new", lambda w: [w["grant"].pk], REPORTING),
    ("grants:revision_new", lambda w: [w["grant"].pk], REPORTING),
    ("grants:report_new", lambda w: [w["grant"].pk], REPORTING),
    ("grants:monitoring_new", lambda w: [w["grant"].pk], STAFF_ONLY),
    (
        "grants:tranche_confirm",
        lambda w: [w["tranche"].pk],
        _statuses(302, 403, 403, 403, 200, 200, 404, 403, 200),
    ),
    ("grants:receipt", lambda w: [w["expenditure"].pk], VISIBLE),
    ("grants:report", lambda w: [w["report"].pk], VISIBLE),
    ("grants:report_edit", lambda w: [w["report"].pk], REPORTING),
    ("grants:photo", lambda w: [w["photo"].pk], VISIBLE),
]


@pytest.mark.parametrize(("name", "args", "expected"), GET_MATRIX)
def test_every_page_answers_each_role_with_the_exact_status(
    client, world, name, args, expected
):
    url = reverse(name, args=args(world))
    for role, status in expected.items():
        # given a user of this role (or nobody)
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        # when they open the page
        response = client.get(url)
        # then they get exactly the expected status
        assert response.status_code == status, (role, url, response.status_code)


def _snapshot(world):
    grant = Grant.objects.get(pk=world["grant"].pk)
    return (
        grant.status,
        grant.amount,
        grant.returned_amount,
        list(grant.tranches.values_list("status", "amount")),
        list(grant.budget_lines.values_list("planned", flat=True)),
        Expenditure.objects.count(),
        list(Report.objects.values_list("status", flat=True)),
        grant.monitoring_visits.count(),
        list(grant.budget_revisions.values_list("status", flat=True)),
        DocumentJob.objects.count(),
        Notification.objects.count(),
    )


POST_MATRIX = [
    ("grants:contract_generate", lambda w: [w["grant"].pk], {}, None),
    ("grants:close", lambda w: [w["grant"].pk], {}, None),
    (
        "grants:tranche_action",
        lambda w: [w["tranche"].pk, "hold"],
        {"reason": "x"},
        None,
    ),
    ("grants:tranche_action", lambda w: [w["tranche"].pk, "approve"], {}, None),
    (
        "grants:tranche_confirm",
        lambda w: [w["tranche"].pk],
        {"paid_on": "2026-01-01", "payment_document": "X"},
        None,
    ),
    ("grants:overspend_approve", lambda w: [w["expenditure"].pk], {}, None),
    ("grants:report_decide", lambda w: [w["report"].pk], {"decision": "approve"}, None),
    ("grants:report_submit", lambda w: [w["report"].pk], {}, None),
    (
        "grants:expenditure_new",
        lambda w: [w["grant"].pk],
        {"description": "x"},
        None,
    ),
    ("grants:monitoring_new", lambda w: [w["grant"].pk], {"findings": "x"}, None),
    ("grants:amount", lambda w: [w["grant"].pk], {"amount": "1"}, None),
    (
        "grants:revision_decide",
        lambda w: [w["revision"].pk],
        {"decision": "approve"},
        None,
    ),
    (
        "grants:dossier",
        lambda w: [w["grant"].pk],
        {},
        ("anonymous", "owner", "stranger", "expert", "other_fund_officer"),
    ),
    ("grants:sign", lambda w: [w["grant"].pk], {}, None),
    ("grants:budget", lambda w: [w["grant"].pk], {}, None),
    ("grants:schedule", lambda w: [w["grant"].pk], {}, None),
    ("grants:revision_new", lambda w: [w["grant"].pk], {"reason": "x"}, None),
    ("grants:report_new", lambda w: [w["grant"].pk], {"activities": "x"}, None),
    ("grants:report_edit", lambda w: [w["report"].pk], {"activities": "x"}, None),
]
DENIED_POST_ROLES = (
    "anonymous",
    "stranger",
    "expert",
    "other_fund_officer",
    "official",
)


@pytest.mark.parametrize(("name", "args", "data", "denied"), POST_MATRIX)
def test_denied_posts_change_nothing(client, world, name, args, data, denied):
    url = reverse(name, args=args(world))
    before = _snapshot(world)
    for role in denied or DENIED_POST_ROLES:
        # given a user who may not do this
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        # when they post anyway
        response = client.post(url, data)
        # then they are refused and nothing changed
        assert response.status_code in (302, 403, 404), (role, response.status_code)
        if role != "anonymous":
            assert response.status_code in (403, 404), role
        assert _snapshot(world) == before, role


ACTION = _statuses(302, 403, 403, 403, 405, 403, 403, 403, 405)
POST_ONLY = [
    ("grants:contract_generate", lambda w: [w["grant"].pk], ACTION),
    ("grants:close", lambda w: [w["grant"].pk], ACTION),
    ("grants:overspend_approve", lambda w: [w["expenditure"].pk], ACTION),
    ("grants:revision_decide", lambda w: [w["revision"].pk], ACTION),
    ("grants:report_decide", lambda w: [w["report"].pk], ACTION),
    (
        "grants:report_submit",
        lambda w: [w["report"].pk],
        _statuses(302, 405, 405, 403, 405, 403, 403, 403, 405),
    ),
    (
        "grants:tranche_action",
        lambda w: [w["tranche"].pk, "approve"],
        _statuses(302, 405, 405, 403, 405, 403, 403, 403, 405),
    ),
    (
        "grants:dossier",
        lambda w: [w["grant"].pk],
        _statuses(302, 403, 403, 403, 405, 405, 405, 405, 405),
    ),
]


@pytest.mark.parametrize(("name", "args", "expected"), POST_ONLY)
def test_post_only_actions_answer_get_with_the_exact_status(
    client, world, name, args, expected
):
    url = reverse(name, args=args(world))
    before = _snapshot(world)
    for role, status in expected.items():
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        assert client.get(url).status_code == status, role
    assert _snapshot(world) == before


def test_staff_see_recommended_applications_awaiting_a_grant(client, world):
    client.force_login(world["users"]["staff"])
    page = client.get(reverse("grants:list")).content.decode()
    assert reverse("grants:create", args=[world["application"].pk]) in page


def test_fund_officer_without_affiliation_sees_nothing(client, world):
    officer = UserFactory(role="fund_officer")
    client.force_login(officer)
    response = client.get(reverse("grants:list"))
    assert response.status_code == 200
    assert world["grant"].number not in response.content.decode()
    assert (
        client.get(reverse("grants:detail", args=[world["grant"].pk])).status_code
        == 404
    )
    payments = client.get(reverse("grants:payments")).content.decode()
    assert world["grant"].number not in payments


def test_fund_officer_confirms_payment_through_the_form(client, world):
    # given the fund officer on the payments page
    officer = world["users"]["fund_officer"]
    client.force_login(officer)
    page = client.get(reverse("grants:payments")).content.decode()
    assert world["grant"].number in page
    # when they confirm with a date and a document number
    response = client.post(
        reverse("grants:tranche_confirm", args=[world["tranche"].pk]),
        {"paid_on": timezone.localdate().isoformat(), "payment_document": "ПП-17"},
    )
    # then the tranche is paid and they return to the payments page
    assert response.status_code == 302
    tranche = Tranche.objects.get(pk=world["tranche"].pk)
    assert tranche.status == Tranche.Status.PAID
    assert tranche.payment_document == "ПП-17"


def test_payment_form_without_document_number_shows_field_error(client, world):
    client.force_login(world["users"]["fund_officer"])
    response = client.post(
        reverse("grants:tranche_confirm", args=[world["tranche"].pk]),
        {"paid_on": timezone.localdate().isoformat(), "payment_document": ""},
    )
    assert response.status_code == 200
    assert "payment_document" in response.context["form"].errors
    assert Tranche.objects.get(pk=world["tranche"].pk).status == Tranche.Status.APPROVED


def test_expenditure_with_fake_receipt_is_refused_on_the_field(client, world):
    # given the NGO leader on the expenditure form
    grant = world["grant"]
    client.force_login(world["users"]["owner"])
    count = Expenditure.objects.count()
    # when they upload a text file named .pdf
    response = client.post(
        reverse("grants:expenditure_new", args=[grant.pk]),
        {
            "budget_line": grant.budget_lines.first().pk,
            "spent_on": grant.starts_on.isoformat(),
            "description": "Қағаз",
            "amount": "5000",
            "supplier": "ЖК",
            "payment_document": "2",
            "receipt": text_as_pdf_upload(),
        },
    )
    # then the form shows the error on the receipt and nothing is saved
    assert response.status_code == 200
    assert "receipt" in response.context["form"].errors
    assert Expenditure.objects.count() == count


def test_expenditure_outside_the_period_is_refused_on_the_date(client, world):
    grant = world["grant"]
    client.force_login(world["users"]["owner"])
    response = client.post(
        reverse("grants:expenditure_new", args=[grant.pk]),
        {
            "budget_line": grant.budget_lines.first().pk,
            "spent_on": (grant.ends_on + datetime.timedelta(days=1)).isoformat(),
            "description": "Қағаз",
            "amount": "5000",
            "supplier": "ЖК",
            "payment_document": "2",
        },
    )
    assert response.status_code == 200
    assert "spent_on" in response.context["form"].errors


def test_expenditure_on_a_line_of_another_grant_is_refused(client, world):
    other = make_grant(signed=True)
    grant = world["grant"]
    client.force_login(world["users"]["owner"])
    count = Expenditure.objects.count()
    response = client.post(
        reverse("grants:expenditure_new", args=[grant.pk]),
        {
            "budget_line": other.budget_lines.first().pk,
            "spent_on": grant.starts_on.isoformat(),
            "description": "Қағаз",
            "amount": "5000",
            "supplier": "ЖК",
            "payment_document": "2",
        },
    )
    assert response.status_code == 200
    assert "budget_line" in response.context["form"].errors
    assert Expenditure.objects.count() == count


def test_schedule_form_that_does_not_add_up_shows_an_error(client):
    staff = staff_user()
    grant = make_grant(actor=staff)
    client.force_login(staff)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-planned_on": grant.starts_on.isoformat(),
        "form-0-amount": "1000000",
        "form-0-condition": "contract_signed",
        "form-1-planned_on": grant.ends_on.isoformat(),
        "form-1-amount": "1",
        "form-1-condition": "report_approved",
        "form-1-condition_report_number": "1",
    }
    response = client.post(reverse("grants:schedule", args=[grant.pk]), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert grant.tranches.count() == 3


def test_staff_create_grant_from_recommended_application(client):
    staff = staff_user()
    app = recommended_application(approved=Decimal("1200000"))
    client.force_login(staff)
    response = client.post(
        reverse("grants:create", args=[app.pk]),
        {"amount": "1300000", "starts_on": "2026-02-01", "ends_on": "2026-11-30"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not Grant.objects.exists()
    response = client.post(
        reverse("grants:create", args=[app.pk]),
        {"amount": "1100000", "starts_on": "2026-02-01", "ends_on": "2026-11-30"},
    )
    grant = Grant.objects.get()
    assert response.url == reverse("grants:detail", args=[grant.pk])
    assert grant.amount == Decimal("1100000.00")


def test_sign_view_refuses_a_file_that_is_not_pdf(client):
    staff = staff_user()
    grant = make_grant(actor=staff)
    services.grant_generate_contract(grant=grant, actor=staff)
    client.force_login(staff)
    response = client.post(
        reverse("grants:sign", args=[grant.pk]), {"scan": png_upload("scan.pdf")}
    )
    assert response.status_code == 200
    assert "scan" in response.context["form"].errors
    response = client.post(
        reverse("grants:sign", args=[grant.pk]), {"scan": pdf_upload()}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.SIGNED


def test_export_csv_has_the_grant_row(client, world):
    client.force_login(world["users"]["staff"])
    response = client.get(reverse("grants:export", args=["csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world["grant"].number in body
    assert "1500000.00" in body


def test_list_filters_by_status(client, world):
    client.force_login(world["users"]["staff"])
    draft = make_grant()
    response = client.get(reverse("grants:list"), {"status": "draft"})
    page = response.content.decode()
    assert draft.number in page
    assert world["grant"].number not in page


def test_my_grants_show_received_spent_and_next_report(client, world):
    # given the second tranche, released by report 1, planned for 1 September
    Tranche.objects.filter(grant=world["grant"], sequence=2).update(
        planned_on=datetime.date(2026, 9, 1)
    )
    client.force_login(world["users"]["owner"])
    # when the leader opens "my grants"
    page = client.get(reverse("grants:my")).content.decode()
    # then the grant shows with report 1 due by that date
    assert world["grant"].number in page
    assert "01.09.2026" in page


@pytest.mark.parametrize("size", [2, 8])
def test_staff_table_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, size
):
    staff = staff_user()
    for _ in range(size):
        make_grant(actor=staff, signed=True)
    client.force_login(staff)
    # The first visit after login also fills per-session caches (bell, idle clock).
    client.get(reverse("grants:list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("grants:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_payments_and_my_grants_query_count_is_constant(
    client, django_assert_max_num_queries, size
):
    staff = staff_user()
    org = OrganisationFactory()
    grants = [
        make_grant(actor=staff, signed=True, organisation=org) for _ in range(size)
    ]
    leader = leader_of(org)
    for grant in grants:
        services.tranche_approve(tranche=grant.tranches.first(), actor=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("grants:payments")).status_code == 200
    client.force_login(leader)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("grants:my")).status_code == 200


def test_detail_page_query_count_is_bounded(
    client, django_assert_max_num_queries, world
):
    client.force_login(world["users"]["staff"])
    with django_assert_max_num_queries(30):
        assert (
            client.get(reverse("grants:detail", args=[world["grant"].pk])).status_code
            == 200
        )


def test_kazakh_page_shows_kazakh_text(client, world):
    client.force_login(world["users"]["staff"])
    page = client.get(f"/kk/grants/{world['grant'].pk}/").content.decode()
    assert "Транштар" in page
    assert "Жұмсалды" in page


def test_report_page_says_which_overspend_blocks_its_approval(client, world):
    # given the world's report submitted, with an over-spend in its period
    grant, report, owner = world["grant"], world["report"], world["users"]["owner"]
    line = grant.budget_lines.order_by("order").last()
    services.expenditure_record(
        grant=grant,
        actor=owner,
        budget_line_id=line.pk,
        spent_on=grant.starts_on + datetime.timedelta(days=5),
        description="Қымбат проектор",
        amount=line.planned + Decimal("1"),
        supplier="ЖК Арал",
        payment_document="2",
    )
    services.report_submit(report=report, actor=owner)
    client.force_login(world["users"]["staff"])
    # when staff open the report
    response = client.get(reverse("grants:report", args=[report.pk]))
    # then it says what blocks the approval, and offers no approve button
    body = response.content.decode()
    assert "data-approval-blocked" in body
    assert "Қымбат проектор" in body
    assert 'value="approve"' not in body
    # and a forced approval is refused with the reason
    response = client.post(
        reverse("grants:report_decide", args=[report.pk]),
        {"decision": "approve"},
        follow=True,
    )
    assert "Қымбат проектор" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def _queries(client, url, params=None) -> int:
    """Queries of a repeated visit (the first after login also saves the session)."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_staff_table_query_count_is_the_same_at_two_sizes_and_filtered(client):
    # given two grants with money moved
    staff = staff_user()
    grants = [make_grant(actor=staff, signed=True) for _ in range(2)]
    client.force_login(staff)
    url = reverse("grants:list")
    by_funder = {"funder": grants[0].funder_id}
    small = (_queries(client, url), _queries(client, url, by_funder))
    # when there are five times as many
    for _ in range(8):
        make_grant(actor=staff, signed=True)
    # then the table, unfiltered and by funder, costs the same number of queries
    assert (_queries(client, url), _queries(client, url, by_funder)) == small
    page = client.get(url).context["page_obj"]
    assert len(page) == 10
    assert all(hasattr(g, "received") and hasattr(g, "balance") for g in page)


def _paid_grant(staff, officer_of: dict) -> Grant:
    grant = make_grant(actor=staff, signed=True)
    officer = officer_of.setdefault(grant.funder_id, fund_officer_of(grant.funder))
    pay_tranche(
        grant.tranches.order_by("sequence").first(), staff=staff, officer=officer
    )
    return grant


def test_payments_and_public_money_pages_cost_the_same_at_two_sizes(client):
    # given two grants with a paid tranche each
    staff = staff_user()
    officers: dict = {}
    grants = [_paid_grant(staff, officers) for _ in range(2)]
    district = grants[0].organisation.district
    client.force_login(staff)
    urls = [
        reverse("grants:payments"),
        reverse("grants:detail", args=[grants[0].pk]),
        reverse("dashboard:transparency"),
    ]
    if district is not None:
        urls.append(reverse("dashboard:district", args=[district.pk]))
    small = [_queries(client, url) for url in urls]
    # when there are five times as many, paid
    for _ in range(8):
        _paid_grant(staff, officers)
    # then every page costs the same number of queries
    assert [_queries(client, url) for url in urls] == small
    paid = client.get(urls[0]).context["page_obj"]
    assert len(paid) == 10
