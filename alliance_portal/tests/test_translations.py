"""Translations: every catalogue is complete, and the pages people meet first speak kk/ru.

Django's own Kazakh catalogues are incomplete and django-allauth ships none, so
``locale_vendor/kk`` completes them; these tests keep it (and every app's catalogue)
complete and prove the merged result reaches the login, signup and 2FA pages.
"""

import ast
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from members.tests.factories import TEST_PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "staticfiles", ".git"}


def _catalogues(language: str) -> list[Path]:
    patterns = [
        f"locale/{language}/LC_MESSAGES/*.po",
        f"locale_vendor/{language}/LC_MESSAGES/*.po",
        f"*/locale/{language}/LC_MESSAGES/*.po",
    ]
    found = {
        path
        for pattern in patterns
        for path in BASE_DIR.glob(pattern)
        if not SKIP_DIRS.intersection(path.relative_to(BASE_DIR).parts)
    }
    return sorted(found)


KK_CATALOGUES = _catalogues("kk")
RU_CATALOGUES = _catalogues("ru")
ALL_CATALOGUES = KK_CATALOGUES + RU_CATALOGUES


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(BASE_DIR)) for path in paths]


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (GNU gettext) is needed: apt-get install gettext"
    return path


def _msgids(po_text: str) -> list[str]:
    """The msgids in msgattrib's output, without the header's empty one."""
    return [
        line
        for line in po_text.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


def _entries(path: Path) -> list[dict]:
    """A tiny PO reader: msgctxt, msgid, msgid_plural and msgstr[n] of live entries."""
    entries, current, last = [], {}, None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line or (line.startswith("#") and "msgid" in current):
            if "msgid" in current:
                entries.append(current)
            current, last = {}, None
            if not line:
                continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            current[last] += ast.literal_eval(line)
            continue
        keyword, _, value = line.partition(" ")
        if keyword == "msgctxt" and "msgid" in current:
            entries.append(current)
            current = {}
        current[keyword] = ast.literal_eval(value)
        last = keyword
    return [entry for entry in entries if entry["msgid"]]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdrfi]|%[sdr]|\{\w*\}")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _visible_text(content: bytes) -> str:
    """What a person reads: text nodes plus placeholder/aria-label/title/alt attributes."""
    page = content.decode()
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(re.sub(r"\s+", " ", " ".join([text, *attributes])))


# --- the catalogues ------------------------------------------------------------


def test_the_project_and_vendor_kazakh_catalogues_exist():
    # given the settings' LOCALE_PATHS
    # when the Kazakh catalogues are looked up
    found = _ids(KK_CATALOGUES)
    # then the project's own and the vendor completions are there
    assert "locale/kk/LC_MESSAGES/django.po" in found
    assert "locale_vendor/kk/LC_MESSAGES/django.po" in found


@pytest.mark.parametrize("path", KK_CATALOGUES, ids=_ids(KK_CATALOGUES))
def test_kazakh_catalogue_has_no_untranslated_entries(path):
    # given a Kazakh catalogue of the project, the vendor completions or an app
    # when gettext lists its untranslated entries
    result = subprocess.run(
        [_gettext_tool("msgattrib"), "--untranslated", "--no-obsolete", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    # then there are none
    assert _msgids(result.stdout) == []


@pytest.mark.parametrize("path", KK_CATALOGUES, ids=_ids(KK_CATALOGUES))
def test_kazakh_catalogue_has_no_fuzzy_entries(path):
    # given a Kazakh catalogue
    # when gettext lists its fuzzy entries (which compilemessages would drop)
    result = subprocess.run(
        [_gettext_tool("msgattrib"), "--only-fuzzy", "--no-obsolete", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    # then there are none, and the header is not fuzzy either
    assert _msgids(result.stdout) == []
    assert "#, fuzzy" not in result.stdout


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=_ids(ALL_CATALOGUES))
def test_catalogue_compiles_cleanly(path):
    # given a kk or ru catalogue
    # when msgfmt checks its header, formats and plural forms
    result = subprocess.run(
        [_gettext_tool("msgfmt"), "--check", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    # then it compiles without errors
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=_ids(ALL_CATALOGUES))
def test_translations_keep_every_placeholder(path):
    # given a kk or ru catalogue
    broken = []
    for entry in _entries(path):
        source = entry["msgid"] + " " + entry.get("msgid_plural", "")
        wanted = _placeholders(source)
        forms = {key: value for key, value in entry.items() if key.startswith("msgstr")}
        # when the placeholders of each translation are compared with the source's
        if "msgid_plural" in entry:
            # a singular form may spell the number out ("бір сағат бұрын")
            used = set().union(
                *(_placeholders(value) for value in forms.values() if value)
            )
            extra = [v for v in forms.values() if v and not _placeholders(v) <= wanted]
            if (used and used != wanted) or extra:
                broken.append(entry["msgid"])
        elif forms.get("msgstr") and _placeholders(forms["msgstr"]) != wanted:
            broken.append(entry["msgid"])
    # then none is lost, renamed or invented
    assert broken == []


def test_vendor_catalogue_declares_kazakh_plural_forms():
    # given the vendor completions
    header = (BASE_DIR / "locale_vendor/kk/LC_MESSAGES/django.po").read_text(
        encoding="utf-8"
    )
    # then it declares the same plural rule as Django's kk catalogues, in UTF-8
    assert "Plural-Forms: nplurals=2; plural=(n!=1);" in header
    assert "charset=UTF-8" in header


# --- the merged catalogue at run time -------------------------------------------


@pytest.mark.parametrize(
    ("english", "kazakh"),
    [
        ("This field is required.", "Бұл өрісті толтыру міндетті."),
        (
            "Enter a valid email address.",
            "Дұрыс электрондық пошта мекенжайын енгізіңіз.",
        ),
        ("That page contains no results", "Бұл бетте нәтиже жоқ"),
        ("Sign In", "Кіру"),
        ("Password", "Құпиясөз"),
        ("Forgot Password?", "Құпиясөзді ұмыттыңыз ба?"),
        ("Two-Factor Authentication", "Екі факторлы аутентификация"),
        ("Authenticator code", "Аутентификатор коды"),
        ("Log in", "Кіру"),
        ("NGO leader", "ҮЕҰ басшысы"),
        (
            "Kyzylorda Region Civil Alliance",
            "Қызылорда облысы «Азаматтық альянсы» қауымдастығы",
        ),
    ],
)
def test_gettext_in_kazakh_returns_the_kazakh_string(english, kazakh):
    # given the Kazakh language is active
    with translation.override("kk"):
        # when the string is translated
        translated = translation.gettext(english)
    # then Django, allauth and the project's own strings all come out in Kazakh
    assert translated == kazakh


def test_password_length_validator_message_is_kazakh_for_singular_and_plural():
    # given the Kazakh language is active
    singular = "This password is too short. It must contain at least %d character."
    plural = "This password is too short. It must contain at least %d characters."
    with translation.override("kk"):
        # when the validator's message is pluralised for 1 and 8
        one = translation.ngettext(singular, plural, 1) % 1
        eight = translation.ngettext(singular, plural, 8) % 8
    # then both forms are Kazakh and keep the number
    assert one == "Бұл құпиясөз тым қысқа. Ол кемінде 1 таңбадан тұруы керек."
    assert eight == "Бұл құпиясөз тым қысқа. Ол кемінде 8 таңбадан тұруы керек."


def test_contextual_allauth_label_is_kazakh():
    # given the Kazakh language is active
    with translation.override("kk"):
        # when a string with a msgctxt is translated
        label = translation.pgettext("field label", "Login")
    # then the contextual entry is found
    assert label == "Логин"


def test_misspelt_django_translations_are_overridden():
    # given Django's own kk catalogue has "Жума" and "Дұрыс тандау жасаңыз"
    with translation.override("kk"):
        # when they are translated through the merged catalogue
        friday = translation.gettext("Friday")
        choice = translation.gettext(
            "Select a valid choice. %(value)s is not one of the available choices."
        )
    # then the vendor completions win
    assert friday == "Жұма"
    assert choice.startswith("Дұрыс нұсқаны таңдаңыз.")


# --- pages ---------------------------------------------------------------------


@pytest.mark.django_db
def test_kazakh_login_page_is_in_kazakh(client):
    # given a visitor
    # when they open the Kazakh login page
    response = client.get("/kk/accounts/login/")
    # then the title, labels and links are Kazakh and no English label is left
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Кіру" in text
    assert "Құпиясөз" in text
    assert "Құпиясөзіңізді ұмыттыңыз ба?" in text
    assert "Мені есте сақтау" in text
    for english in ("Password", "Sign In", "Remember Me", "Forgot", "Email"):
        assert english not in text


@pytest.mark.django_db
def test_kazakh_signup_page_is_in_kazakh(client):
    # given a visitor
    # when they open the Kazakh signup page
    response = client.get("/kk/accounts/signup/")
    # then labels and the password rules are Kazakh
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Тіркелу" in text
    assert "Құпиясөз (қайта)" in text
    assert "таңбадан тұруы керек" in text
    for english in ("Password", "Sign Up", "Email", "characters"):
        assert english not in text


@pytest.mark.django_db
def test_wrong_password_on_kazakh_login_shows_a_kazakh_error(client, make_user):
    # given a member
    user = make_user("ngo_leader")
    # when they sign in with a wrong password on the Kazakh page
    response = client.post(
        "/kk/accounts/login/", {"login": user.email, "password": "wrong-password"}
    )
    # then the form says so in Kazakh
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Көрсетілген электрондық пошта мекенжайы және/немесе құпиясөз қате." in text
    assert "not correct" not in text


@pytest.mark.django_db
def test_empty_kazakh_login_shows_required_field_errors_in_kazakh(client):
    # given a visitor
    # when they submit the Kazakh login form empty
    response = client.post("/kk/accounts/login/", {"login": "", "password": ""})
    # then each field says it is required, in Kazakh
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Бұл өрісті толтыру міндетті." in text
    assert "This field is required" not in text


@pytest.mark.django_db
def test_short_password_on_kazakh_signup_shows_a_kazakh_error(client):
    # given a visitor on the Kazakh signup page
    # when they choose a too short password
    response = client.post(
        "/kk/accounts/signup/",
        {"email": "new@example.kz", "password1": "Ab1!", "password2": "Ab1!"},
    )
    # then the validator's pluralised message is Kazakh
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Бұл құпиясөз тым қысқа." in text
    assert "too short" not in text


@pytest.mark.django_db
def test_two_factor_step_is_in_kazakh(client, make_user):
    # given a staff member, whose role requires a TOTP code
    user = make_user("staff")
    # when they pass the password step on the Kazakh login page
    response = client.post(
        "/kk/accounts/login/",
        {"login": user.email, "password": TEST_PASSWORD},
        follow=True,
    )
    # then the code step asks for the authenticator code in Kazakh
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Екі факторлы аутентификация" in text
    assert "Тіркелгіңіз екі факторлы аутентификациямен қорғалған." in text
    assert "Аутентификатор кодын енгізіңіз:" in text
    assert "Бас тарту" in text
    for english in ("Two-Factor", "authenticator code", "Cancel"):
        assert english not in text


@pytest.mark.django_db
def test_russian_login_page_is_in_russian(client):
    # given a visitor
    # when they open the Russian login page
    response = client.get("/ru/accounts/login/")
    # then it is Russian
    text = _visible_text(response.content)
    assert response.status_code == 200
    assert "Войти" in text
    assert "Пароль" in text
    assert "Забыли свой пароль?" in text
    assert "Password" not in text
    assert "Құпиясөз" not in text


@pytest.mark.django_db
def test_wrong_password_on_russian_login_shows_a_russian_error(client, make_user):
    # given a member
    user = make_user("ngo_leader")
    # when they sign in with a wrong password on the Russian page
    response = client.post(
        "/ru/accounts/login/", {"login": user.email, "password": "wrong-password"}
    )
    # then the error is Russian
    text = _visible_text(response.content)
    assert "Указанные вами адрес электронной почты и/или пароль неверны." in text


@pytest.mark.django_db
def test_admin_javascript_catalogue_is_kazakh(client, make_user):
    # given a staff member in the admin, whose date widgets use the djangojs catalogue
    admin = make_user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    # when the Kazakh JavaScript catalogue is loaded
    response = client.get("/kk/admin/jsi18n/")
    # then the vendor completions are in it (json escapes non-ASCII letters)
    assert response.status_code == 200
    assert json.dumps("Уақытты таңдаңыз") in response.content.decode()
    assert json.dumps("Жұма") in response.content.decode()
