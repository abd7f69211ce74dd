"""Browser journey of the NGO registry: sign up, register an NGO, join the alliance."""

import re

import pytest
from django.core import mail

from conftest import login
from members.models import Organisation
from members.tests.factories import (
    DistrictFactory,
    valid_bin,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_leader_registers_ngo_applies_and_appears_as_member(
    page, browser, live_server, make_user
):
    # given a district and a staff member
    DistrictFactory(code="aral", name_kk="Арал ауданы", name_ru="Аральский район")
    staff = make_user("staff")
    base = live_server.url
    bin_value = valid_bin(42424)

    # when a new leader signs up and opens the link of the confirmation email
    page.goto(f"{base}/kk/accounts/signup/")
    page.fill("input[name=email]", "new.leader@example.kz")
    page.fill("input[name=full_name]", "Ержан Сейітов")
    page.fill("input[name=password1]", "Syr-darya-2026!")
    page.fill("input[name=password2]", "Syr-darya-2026!")
    page.check("input[name=consent]")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://testserver", base))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:  # confirmation in another session: log in
        page.fill("input[name=login]", "new.leader@example.kz")
        page.fill("input[name=password]", "Syr-darya-2026!")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()

    # then the home page guides them to create or join an organisation
    page.goto(f"{base}/kk/")
    page.locator("[data-testid=start-organisation]").click()
    page.locator("[data-testid=create-organisation]").click()

    # when they register their NGO with a valid BIN
    page.fill("input[name=name_kk]", "«Сыр жастары» қоғамдық бірлестігі")
    page.fill("input[name=name_ru]", "ОО «Молодёжь Сыра»")
    page.fill("input[name=bin]", bin_value)
    page.select_option("select[name=district]", label="Арал ауданы")
    page.fill("input[name=phone]", "+7 724 333 22 11")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    organisation = Organisation.objects.get(bin=bin_value)
    assert page.url.endswith(organisation.get_absolute_url().replace("/en/", "/kk/"))

    # and staff confirm them as its leader
    staff_context = browser.new_context(locale="kk-KZ")
    staff_page = staff_context.new_page()
    login(staff_page, base, staff)
    staff_page.goto(f"{base}/kk/members/desk/affiliations/")
    staff_page.locator("[data-testid=queue-item] button[type=submit]").first.click()
    staff_page.wait_for_load_state()

    # when the leader applies for membership
    page.goto(f"{base}/kk/members/o/{organisation.slug}/apply/")
    page.fill(
        "textarea[name=statement]",
        "Біз Арал өңірінің жастарымен жұмыс істейміз және альянсқа кіргіміз келеді.",
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # and staff approve the application
    staff_page.goto(f"{base}/kk/members/desk/applications/")
    assert "Сыр жастары" in staff_page.content()
    staff_page.locator("[data-testid=queue-item] button[type=submit]").first.click()
    staff_page.wait_for_load_state()
    staff_context.close()

    # then a visitor finds the NGO among the members in the public directory
    visitor = browser.new_context(locale="kk-KZ").new_page()
    visitor.goto(f"{base}/kk/members/?member=yes")
    row = visitor.locator("[data-testid=directory] li", has_text="Сыр жастары")
    assert row.count() == 1
    assert row.locator("[data-testid=member-badge]").count() == 1
    # and the public profile hides the phone number
    visitor.goto(f"{base}{organisation.get_absolute_url()}".replace("/en/", "/kk/"))
    assert "+7 724 333 22 11" not in visitor.content()
    visitor.context.close()


def test_staff_change_the_bin_see_the_history_and_add_a_private_document(
    page, live_server, make_user, tmp_path
):
    # given an NGO with a leader, and a staff member logged in (Kazakh UI)
    from members.tests.factories import AffiliationFactory, OrganisationFactory

    organisation = OrganisationFactory(name_kk="«Сыр елі» бірлестігі")
    AffiliationFactory(organisation=organisation)
    staff = make_user("staff", full_name="Айгүл Сапарова")
    login(page, live_server.url, staff)
    new_bin = valid_bin(24242)

    # when staff edit the record's BIN from the profile
    page.goto(f"{live_server.url}/kk/members/o/{organisation.slug}/")
    page.get_by_test_id("staff-edit").click()
    page.fill("input[name=bin]", new_bin)
    page.locator("form:has(input[name=bin]) button[type=submit]").click()

    # then the profile shows the new BIN and the change in the record's history
    history = page.get_by_test_id("record-history")
    history.wait_for()
    assert new_bin in history.inner_text()
    assert "Айгүл Сапарова" in history.inner_text()

    # and when they upload a PDF, it is listed among the private documents
    page.get_by_role("link", name="Құжат жүктеу").click()
    charter = tmp_path / "charter.pdf"
    charter.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    page.fill("input[name=title]", "Жарғы")
    page.set_input_files("input[name=file]", str(charter))
    page.locator("form:has(input[name=title]) button[type=submit]").click()
    documents = page.get_by_test_id("documents")
    documents.wait_for()
    assert "Жарғы" in documents.inner_text()
