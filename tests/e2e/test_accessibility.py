"""axe-core (vendored, static/vendor/axe-core) over every main page of every role in
Kazakh, on the demo data: no critical and no serious violation anywhere.

The pages of a role are its home page, every link of its main menu and the pages its
work happens on (the editor, the review page, screening, a grant, the dashboard), so a
link added to a menu is checked the day it is added."""

import os
from urllib.parse import urlparse

import pyotp
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Alliance-demo-2026"
DEMO_TOTP = "JBSWY3DPEHPK3PXPKZALLIAN"
ROLES = {
    "visitor": None,
    "ngo_leader": "leader@demo.kz",
    "expert": "expert@demo.kz",
    "staff": "staff@demo.kz",
    "fund_officer": "fund@demo.kz",
    "official": "official@demo.kz",
    "admin": "admin@demo.kz",
}
BLOCKING = ("critical", "serious")


@pytest.fixture(autouse=True)
def _clean_cache():
    """The demo's cached figures and filter choices must not leak into later tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _login(page, base, email):
    page.goto(f"{base}/kk/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("input[name=code]").count():
        page.fill("input[name=code]", pyotp.TOTP(DEMO_TOTP).now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_load_state()


def _work_pages(role) -> list[str]:
    """Pages a role works on that are not menu links."""
    from grants.models import Grant
    from projects.models import Application
    from reviews.models import Assignment

    def url(name, *args):
        with translation.override("kk"):
            return reverse(name, args=args)

    draft = Application.objects.filter(status="draft").first()
    returned = Application.objects.filter(status="returned").first()
    submitted = Application.objects.filter(status="submitted").first()
    grant = Grant.objects.first()
    pages = {
        "visitor": [url("account_login"), url("account_signup")],
        "ngo_leader": [
            url("projects:application_detail", draft.pk),
            url("projects:section_edit", draft.pk, "general"),
            url("projects:section_edit", draft.pk, "activities"),
            url("projects:section_edit", draft.pk, "budget"),
            url("projects:section_edit", draft.pk, "attachments"),
        ],
        "expert": [
            url("reviews:assignment_review", a.pk)
            for a in Assignment.objects.filter(expert__user__email=ROLES["expert"])
        ],
        "staff": [
            url("projects:screen", submitted.pk),
            url("projects:application_detail", returned.pk),
            url("grants:detail", grant.pk),
        ],
        "fund_officer": [url("grants:detail", grant.pk)],
        "official": [url("dashboard:project", grant.pk)],
        "admin": [],
    }
    return pages[role]


def _menu_links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "#mainnav a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    paths = []
    for href in hrefs:
        parsed = urlparse(href)
        if href.startswith("#") or (parsed.netloc and parsed.netloc not in base):
            continue
        # Django's own admin is not the portal's UI
        if parsed.path.startswith("/admin/") or "/admin/" in parsed.path[:8]:
            continue
        paths.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    return paths


def test_axe_finds_no_critical_or_serious_violation_on_any_main_page(
    live_server, browser, browser_context_args, make_user
):
    # given the demo data, with one assignment for the demo expert
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from projects.models import Application
    from reviews import services
    from reviews.models import ExpertProfile
    from reviews.tests.factories import AssignmentFactory

    expert = ExpertProfile.objects.get(user__email=ROLES["expert"])
    admitted = Application.objects.filter(status="admitted").first()
    services.conflicts_declare(expert=expert, call=admitted.call, conflicts=[])
    AssignmentFactory(expert=expert, application=admitted)

    base = live_server.url
    axe_url = f"{base}/static/vendor/axe-core/axe.min.js"
    checked, failures = [], []
    for role, email in ROLES.items():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        if email:
            _login(page, base, email)
        page.goto(f"{base}/kk/")
        paths = ["/kk/", *_menu_links(page, base), *_work_pages(role)]
        for path in dict.fromkeys(paths):
            response = page.goto(f"{base}{path}")
            assert response is not None
            assert response.status < 400, f"{role} {path}: {response.status}"
            page.wait_for_load_state("networkidle")
            page.add_script_tag(url=axe_url)
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            checked.append((role, path))
            for v in result["violations"]:
                if v["impact"] in BLOCKING:
                    targets = [n["target"] for n in v["nodes"][:3]]
                    failures.append(
                        f"{role} {path}: {v['impact']} {v['id']} "
                        f"({len(v['nodes'])}×) {targets}"
                    )
        context.close()

    # then nothing critical or serious, on every page checked
    # the count is part of what the test shows (run with -s)
    print(f"\naxe-core checked {len(checked)} pages of {len(ROLES)} roles in kk")  # noqa: T201
    assert len(checked) >= 40
    assert not failures, "\n".join(failures)
