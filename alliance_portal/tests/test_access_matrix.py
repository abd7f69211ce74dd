"""The access matrix, generated from the URL resolver: every URL of the portal × nine
people (a visitor, two leaders, two experts, staff, a fund officer, an official, an
administrator) × objects that belong to leader A and expert A, so that leader B and
expert B always try someone else's. Each URL name declares its expected outcome per
person; a URL without a declaration fails the test, so a new page is covered the day it
is added.

Outcomes: ``+`` the page or action answered (2xx, or a redirect that is not to the
login), ``L`` sent to log in, ``-`` refused (403, or 404 for what is out of scope),
``B`` a bad request (400). ``GET`` rows are fetched; ``POST`` rows are the URLs that
only accept POST (GET is 405), posted empty. Every request runs in a savepoint that is
rolled back, so no case changes the world the next one sees.

Set ``ACCESS_MATRIX_RECORD=1`` to print the table of today's outcomes (to review, then
paste) instead of comparing.
"""

import os

import pytest
from django.db import transaction

from alliance_portal.tests.access_world import ROLES, build_world, kwargs_for
from alliance_portal.tests.urlwalk import portal_urls

from .access_expectations import EXPECTED

pytestmark = pytest.mark.django_db


def _outcome(response) -> str:
    code = response.status_code
    if code >= 500:
        return "E"
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        return "L" if "/accounts/login/" in location else "+"
    if code < 300:
        return "+"
    if code in (403, 404):
        return "-"
    if code == 400:
        return "B"
    if code == 405:
        return "M"
    if code == 429:
        return "R"
    return str(code)


def _request(client, method: str, url: str) -> str:
    with transaction.atomic():
        response = getattr(client, method)(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return _outcome(response)


def test_every_url_has_a_declared_expectation():
    names = {u.name for u in portal_urls()}
    assert sorted(names - set(EXPECTED)) == [], "declare these URLs in EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "these URLs no longer exist"


def test_access_matrix(client_factory):
    world = build_world()
    clients = {}
    for role in ROLES:
        # A server error is an outcome ("E") to report with the others, not a crash
        # that hides the rest of the matrix (its traceback is still logged).
        clients[role] = client_factory(raise_request_exception=False)
        if world["users"][role] is not None:
            clients[role].force_login(world["users"][role])
    actual, cases, requests = {}, 0, 0
    for url in portal_urls():
        kwargs = (
            kwargs_for(url.name, url.params, world["objects"]) if url.params else {}
        )
        path = url.reverse(kwargs)
        method = "GET"
        row = [_request(clients[role], "get", path) for role in ROLES]
        requests += len(ROLES)
        if "M" in row:
            method = "POST"
            row = [_request(clients[role], "post", path) for role in ROLES]
            requests += len(ROLES)
        cases += len(ROLES)
        actual[url.name] = f"{method} {''.join(row)}"
    # The case count belongs in the test's output (run with -s to see it).
    print(  # noqa: T201
        f"\naccess matrix: {len(actual)} URLs × {len(ROLES)} people × objects of "
        f"leader A / expert A = {cases} cases ({requests} requests)"
    )
    if os.environ.get("ACCESS_MATRIX_RECORD"):
        table = "".join(f'    "{n}": "{v}",\n' for n, v in sorted(actual.items()))
        print("EXPECTED = {\n" + table + "}")  # noqa: T201
        return
    errors = {n: v for n, v in actual.items() if "E" in v.split()[1]}
    assert errors == {}, "server errors"
    differences = {
        name: (EXPECTED.get(name), got)
        for name, got in actual.items()
        if EXPECTED.get(name) != got
    }
    assert differences == {}
