"""Deny by default: a signing request is the signer's, the panel is for those who may see
the document, and only staff ask for or cancel signatures."""

import pytest
from django.urls import reverse

from esign import services
from esign.models import SigningRequest
from members.tests.factories import OrganisationFactory

from .factories import issued_document
from .test_verify import PDF

pytestmark = pytest.mark.django_db
IIN = "850101300124"


@pytest.fixture
def request_(make_user):
    document = issued_document(OrganisationFactory(), content=PDF)
    return services.signing_request_create(
        document=document,
        party="ngo",
        signer=make_user("ngo_leader"),
        actor=make_user("staff"),
        expected_iin=IIN,
    )


def _signer_urls(r):
    return [
        reverse("esign:sign", args=[r.pk]),
        reverse("esign:request_pdf", args=[r.pk]),
    ]


def _document_urls(r):
    return [
        reverse("esign:document", args=[r.document_id]),
        reverse("esign:signed_zip", args=[r.document_id]),
    ]


def test_anonymous_is_sent_to_login(client, request_):
    for url in [
        *_signer_urls(request_),
        *_document_urls(request_),
        reverse("esign:waiting"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response.url


@pytest.mark.parametrize(
    "role", ["ngo_leader", "expert", "official", "fund_officer", "staff"]
)
def test_nobody_but_the_signer_opens_the_signing_page(
    client, make_user, request_, role
):
    client.force_login(make_user(role))

    for url in _signer_urls(request_):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("esign:submit", args=[request_.pk]), {"cms": "x"})
    assert response.status_code == 404
    assert not request_.signatures.exists()


def test_the_signer_opens_the_page_and_the_exact_bytes(client, request_):
    client.force_login(request_.signer)

    assert client.get(_signer_urls(request_)[0]).status_code == 200
    pdf = client.get(_signer_urls(request_)[1])
    assert b"".join(pdf.streaming_content) == PDF
    assert pdf["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", ["ngo_leader", "expert", "official", "fund_officer"])
def test_strangers_do_not_see_the_panel(client, make_user, request_, role):
    client.force_login(make_user(role))

    for url in _document_urls(request_):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["ngo_leader", "expert", "official", "fund_officer"])
def test_only_staff_ask_for_or_cancel_signatures(client, make_user, request_, role):
    user = make_user(role)
    client.force_login(user)

    create = client.post(
        reverse("esign:request_create", args=[request_.document_id]),
        {"party": "fund", "signer": user.pk, "expected_iin": IIN},
    )
    cancel = client.post(reverse("esign:request_cancel", args=[request_.pk]))

    assert (create.status_code, cancel.status_code) == (403, 403)
    assert SigningRequest.objects.count() == 1
    request_.refresh_from_db()
    assert request_.state == "pending"


def test_staff_ask_with_a_form_error_in_their_language(client, make_user, request_):
    staff = make_user("staff")
    client.force_login(staff)

    response = client.post(
        "/ru" + reverse("esign:request_create", args=[request_.document_id])[3:],
        {"party": "fund", "signer": staff.pk, "expected_iin": "123"},
    )

    assert response.status_code == 400
    assert "ИИН недействителен" in response.content.decode()
    assert SigningRequest.objects.count() == 1


def test_the_panel_does_not_grow_its_queries_with_the_requests(
    client, make_user, request_
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = make_user("staff")
    client.force_login(staff)
    url = reverse("esign:document", args=[request_.document_id])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    count()  # warm the per-process caches (content types, sessions)
    one = count()
    for party in ("fund", "alliance", "akimat"):
        services.signing_request_create(
            document=request_.document,
            party=party,
            signer=make_user("staff"),
            actor=staff,
            expected_iin=IIN,
        )

    assert count() == one


def test_the_signer_sees_what_waits_on_the_home_page(client, request_):
    client.force_login(request_.signer)

    response = client.get(reverse("home"))

    assert response.context["esign_waiting"] == 1
    assert reverse("esign:waiting") in response.content.decode()
