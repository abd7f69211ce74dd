"""Dashboard pages: access by role, filters, drill-down, exports, open data."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from alliance_portal.models import DocumentJob
from members.models import Affiliation
from projects.tests.factories import AffiliationFactory, CallFactory

from .factories import expenditure, grant, seed_world, tranche

pytestmark = pytest.mark.django_db

M = Decimal
D = datetime.date
ROLES = ("ngo_leader", "expert", "staff", "admin", "fund_officer", "official")


@pytest.fixture
def one_grant():
    call = CallFactory(status="decided")
    g = grant(
        call=call,
        organisation=_ngo(),
        amount=M("1000000.00"),
        signed_on=D(2025, 3, 1),
    )
    tranche(g, M("1000000.00"), paid_on=D(2025, 3, 5))
    expenditure(g, M("250000.00"), D(2025, 4, 1))
    return g


def _ngo():
    from members.tests.factories import OrganisationFactory

    return OrganisationFactory()


def _officer_of(fund, make_user):
    user = make_user("fund_officer")
    AffiliationFactory(user=user, organisation=fund)
    return user


def _urls(g):
    district = g.organisation.district_id
    return {
        "index": reverse("dashboard:index"),
        "district": reverse("dashboard:district", args=[district]),
        "project": reverse("dashboard:project", args=[g.pk]),
    }


# role → expected status of the officials' pages (fund officer here has no fund)
READER_STATUS = {
    None: 302,
    "ngo_leader": 403,
    "expert": 403,
    "staff": 200,
    "admin": 200,
    "official": 200,
    "fund_officer": 200,
}


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("page", ["index", "district", "project"])
def test_officials_pages_by_role(client, make_user, one_grant, role, page):
    # given a user of the role (a fund officer without a fund)
    if role:
        client.force_login(make_user(role))
    # when they open the page
    response = client.get(_urls(one_grant)[page])
    # then the exact status: a fund officer without a fund never sees a project
    expected = READER_STATUS[role]
    if role == "fund_officer" and page == "project":
        expected = 404
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]


def test_ngo_leader_owner_is_also_refused_the_dashboard(client, one_grant, make_user):
    # given the leader of the funded NGO itself
    leader = make_user("ngo_leader")
    AffiliationFactory(user=leader, organisation=one_grant.organisation)
    client.force_login(leader)
    # then the officials' pages stay closed: their figures are on their home page
    for url in _urls(one_grant).values():
        assert client.get(url).status_code == 403
    home = client.get("/kk/")
    assert home.status_code == 200
    assert 'data-panel="dashboard-ngo"' in home.content.decode()


def test_fund_officer_sees_only_the_projects_of_their_fund(client, make_user):
    world = seed_world()
    officer = _officer_of(world.fund_1, make_user)
    client.force_login(officer)
    own = client.get(reverse("dashboard:project", args=[world.grant_1.pk]))
    other = client.get(reverse("dashboard:project", args=[world.grant_2.pk]))
    assert (own.status_code, other.status_code) == (200, 404)
    page = client.get(reverse("dashboard:index"))
    assert page.context["data"].headline.contracted == M("4500000")


def test_pending_affiliation_gives_a_fund_officer_empty_figures(client, make_user):
    world = seed_world()
    officer = make_user("fund_officer")
    AffiliationFactory(
        user=officer, organisation=world.fund_1, status=Affiliation.Status.PENDING
    )
    client.force_login(officer)
    response = client.get(reverse("dashboard:index"))
    h = response.context["data"].headline
    assert (h.contracted, h.paid, h.funded_projects) == (0, 0, 0)
    assert response.context["no_fund"] is True


@pytest.mark.parametrize("role", [None, *ROLES])
def test_transparency_and_open_data_are_public(client, make_user, one_grant, role):
    if role:
        client.force_login(make_user(role))
    for tab in ("projects", "members", "memoranda", "calls"):
        assert (
            client.get(reverse("dashboard:transparency") + f"?tab={tab}").status_code
            == 200
        )
        for fmt in ("csv", "json"):
            url = reverse("dashboard:open_data", args=[tab, fmt])
            assert client.get(url).status_code == 200
    assert (
        client.get(reverse("dashboard:open_data", args=["users", "csv"])).status_code
        == 404
    )


@pytest.mark.parametrize("role", [None, *ROLES])
def test_export_by_role_and_denied_requests_create_no_job(
    client, make_user, role, django_capture_on_commit_callbacks
):
    if role:
        client.force_login(make_user(role))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:export", args=["xlsx"]))
    if role in (None, "ngo_leader", "expert"):
        assert response.status_code == (302 if role is None else 403)
        assert DocumentJob.objects.count() == 0
    else:
        job = DocumentJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("document_status", args=[job.pk])
        assert job.status == DocumentJob.Status.DONE


def test_export_is_post_only_and_kind_must_be_known(client, make_user):
    client.force_login(make_user("official"))
    assert client.get(reverse("dashboard:export", args=["xlsx"])).status_code == 405
    assert client.post(reverse("dashboard:export", args=["docx"])).status_code == 404


def test_filters_change_the_figures_on_the_page(client, make_user):
    world = seed_world()
    client.force_login(make_user("official"))
    everything = client.get(reverse("dashboard:index")).context["data"]
    filtered = client.get(
        reverse("dashboard:index"), {"year": 2024, "district": world.district_a.pk}
    ).context["data"]
    assert everything.headline.contracted == M("6500000")
    assert filtered.headline.contracted == M("4500000")
    assert filtered.headline.spent == M("1200000")
    assert [r.pk for r in filtered.by_district] == [world.district_a.pk]


def test_bad_filter_input_shows_a_message_not_an_error(client, make_user):
    client.force_login(make_user("official"))
    response = client.get(
        reverse("dashboard:index"),
        {"date_from": "2025-05-01", "date_to": "2025-01-01", "district": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]
    assert response.context["data"].filters.date_from is None


def test_drill_down_lists_the_districts_funded_projects_with_sums(client, make_user):
    world = seed_world()
    client.force_login(make_user("official"))
    response = client.get(
        reverse("dashboard:district", args=[world.district_a.pk]), {"year": 2024}
    )
    projects = list(response.context["page_obj"])
    assert {g.pk for g in projects} == {world.grant_1.pk, world.grant_3.pk}
    g1 = next(g for g in projects if g.pk == world.grant_1.pk)
    assert (g1.paid, g1.spent) == (M("3000000"), M("1500000"))
    assert (
        reverse("dashboard:project", args=[world.grant_1.pk])
        in response.content.decode()
    )


def _grow(n):
    call = CallFactory(status="decided")
    from members.tests.factories import DistrictFactory, OrganisationFactory

    district = DistrictFactory(code="aral")
    for i in range(n):
        g = grant(
            call=call,
            organisation=OrganisationFactory(district=district),
            amount=M("100000.00"),
            signed_on=D(2020 + i % 5, 1 + i % 12, 1),
        )
        tranche(g, g.amount, paid_on=g.starts_on)
        expenditure(g, M("1000.00"), g.starts_on)
    return district


@pytest.mark.parametrize("size", [2, 12])
def test_pages_query_count_is_bounded_whatever_the_data(
    client, make_user, django_assert_max_num_queries, size
):
    district = _grow(size)
    client.force_login(make_user("official"))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("dashboard:index")).status_code == 200
    # warm: the figures come from the cache
    with django_assert_max_num_queries(6):
        client.get(reverse("dashboard:index"))
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboard:district", args=[district.pk]))
    with django_assert_max_num_queries(8):
        client.get(reverse("dashboard:transparency"))


def test_xlsx_export_holds_the_pages_figures(
    client, make_user, django_capture_on_commit_callbacks
):
    world = seed_world()
    client.force_login(make_user("official"))
    query = f"?year=2024&district={world.district_a.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:export", args=["xlsx"]) + query)
    job = DocumentJob.objects.get()
    assert response.status_code == 302
    book = load_workbook(io.BytesIO(job.file.read()))
    headline = list(book.worksheets[0].iter_rows(values_only=True))
    values = [row[1] for row in headline[1:6]]
    assert values == [20000000, 4500000, 2000000, 1200000, 0]
    districts = book.worksheets[2]
    rows = list(districts.iter_rows(min_row=2, values_only=True))
    assert rows == [("Арал", 2, 4500000, 2000000, 1200000)]
    # asking again with the same filters returns the same job
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("dashboard:export", args=["xlsx"]) + query)
    assert again["Location"] == response["Location"]
    assert DocumentJob.objects.count() == 1


def test_changed_data_gives_a_new_export_job(
    client, make_user, django_capture_on_commit_callbacks
):
    from dashboard.services import dashboard_invalidate

    client.force_login(make_user("official"))
    url = reverse("dashboard:export", args=["xlsx"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
    dashboard_invalidate()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url)
    assert first["Location"] != second["Location"]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_pdf_report_renders_in_the_chosen_language(
    client, make_user, django_capture_on_commit_callbacks, language
):
    seed_world()
    client.force_login(make_user("staff"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dashboard:export", args=["pdf"]), {"language": language})
    job = DocumentJob.objects.get()
    content = job.file.read()
    assert content.startswith(b"%PDF")
    assert job.filename.endswith(f"-{language}.pdf")


def test_open_data_csv_and_json_hold_the_funded_projects_without_people(client):
    world = seed_world()
    raw = client.get(reverse("dashboard:open_data", args=["projects", "csv"]))
    text = b"".join(raw.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["number"] for r in rows} == {
        world.grant_1.number,
        world.grant_2.number,
        world.grant_3.number,
    }
    g1 = next(r for r in rows if r["number"] == world.grant_1.number)
    assert (g1["amount"], g1["beneficiaries_reached"], g1["district_kk"]) == (
        "3000000.00",
        "150",
        "Арал",
    )
    data = json.loads(
        b"".join(
            client.get(
                reverse("dashboard:open_data", args=["projects", "json"])
            ).streaming_content
        )
    )
    assert {d["number"] for d in data} == {r["number"] for r in rows}
    assert not {"leader_name", "email", "phone", "created_by"} & set(data[0])
    members = json.loads(
        b"".join(
            client.get(
                reverse("dashboard:open_data", args=["members", "json"])
            ).streaming_content
        )
    )
    assert {m["name_kk"] for m in members} == {"«Арал жастары»", "«Шиелі өңірі»"}


def test_transparency_page_lists_projects_in_kazakh(client):
    world = seed_world()
    response = client.get("/kk/dashboard/transparency/")
    body = response.content.decode()
    assert "Қаржыландырылған жобалар" in body
    assert world.grant_1.application.title in body
    assert world.grant_4.application.title not in body  # a draft grant is not public


def test_dashboard_in_kazakh_shows_kazakh_labels(client, make_user):
    client.force_login(make_user("official"))
    body = client.get("/kk/dashboard/").content.decode()
    assert "Аудандар бойынша" in body


def test_official_home_shows_the_headline_panel(client, make_user):
    client.force_login(make_user("official"))
    body = client.get("/kk/").content.decode()
    assert 'data-panel="dashboard-headline"' in body


def test_public_landing_card_shows_the_funded_total(client):
    # given funded projects worth 6 500 000 ₸ in total
    seed_world()
    # when a visitor opens the public home page in Kazakh
    body = client.get("/kk/").content.decode()
    # then the dashboard's card tells the total and links to the transparency page
    assert "Қаражаттың пайдаланылуы" in body
    assert "6\xa0500\xa0000" in body or "6 500 000" in body
    assert reverse("dashboard:transparency") in body
