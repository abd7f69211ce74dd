"""One word, one meaning: the catalogues agree with each other and with the glossary.

Django merges every app's catalogue into one at run time, so when the same English msgid
(with the same context) is translated two ways in two catalogues, only one translation
wins, on every page: "Draft" of a grant showed as «Жоба» ("project") because memoranda's
catalogue won. A word with two meanings gets a ``pgettext`` context instead.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from alliance_portal.tests.test_translations import _catalogues, _entries, _ids

BASE_DIR = Path(settings.BASE_DIR)
LANGUAGES = ("kk", "ru")
CATALOGUES = {language: _catalogues(language) for language in LANGUAGES}
ALL = CATALOGUES["kk"] + CATALOGUES["ru"]


def _fuzzy_msgids(path: Path) -> list[str]:
    """msgids of entries flagged ``#, fuzzy`` (compilemessages silently drops them)."""
    found, fuzzy = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif fuzzy and line.startswith("msgid "):
            found.append(line)
            fuzzy = False
        elif not line.strip():
            fuzzy = False
    return found


def _translations(language: str) -> dict[tuple, dict[str, list[str]]]:
    """(context, msgid) → {translation: [catalogues that give it]} for one language."""
    seen: dict[tuple, dict[str, list[str]]] = {}
    for path in CATALOGUES[language]:
        where = str(path.relative_to(BASE_DIR))
        for entry in _entries(path):
            if "msgid_plural" in entry:
                value = tuple(
                    v for k, v in sorted(entry.items()) if k.startswith("msgstr")
                )
            else:
                value = entry.get("msgstr", "")
            if not value:
                continue
            key = (entry.get("msgctxt"), entry["msgid"])
            seen.setdefault(key, {}).setdefault(str(value), []).append(where)
    return seen


def collisions(language: str) -> list[str]:
    return [
        f"{msgid!r}{f' [{ctx}]' if ctx else ''}: "
        + " | ".join(
            f"{value} ({', '.join(paths)})" for value, paths in variants.items()
        )
        for (ctx, msgid), variants in _translations(language).items()
        if len(variants) > 1
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_msgid_is_translated_two_ways_across_catalogues(language):
    # given every kk or ru catalogue of the project, the apps' and the vendor completions
    # when the translations of each (context, msgid) are gathered across them
    found = collisions(language)
    # then each has exactly one translation (a second meaning needs its own context)
    assert found == [], f"{len(found)} collisions:\n" + "\n".join(found)


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_catalogue_entry_is_empty(path):
    # given a kk or ru catalogue
    # when its live entries are read
    empty = [
        entry["msgid"]
        for entry in _entries(path)
        if not any(v for k, v in entry.items() if k.startswith("msgstr"))
    ]
    # then none is left untranslated
    assert empty == []


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_no_catalogue_entry_is_fuzzy(path):
    # given a kk or ru catalogue, whose fuzzy entries compilemessages would drop
    # then none is flagged fuzzy
    assert _fuzzy_msgids(path) == []


# The glossary (/work/shared/GLOSSARY.md) as wrong → right pairs a reader meets.
WRONG_WORDING = {
    "kk": [
        (r"траншың", "транштың"),
        (r"\bжасырын", "анонимді / аты-жөні көрсетілмеген"),
        (r"[Вв]оронка", "өтінімдердің кезеңдер бойынша өтуі"),
        (r"[Дд]ашборд", "көрсеткіштер тақтасы"),
        (r"[Ққ]орымен аударылады|[Ққ]ормен аударылады", "Қор … аударады"),
        (r"адаммен өзгертілді", "басқа біреу өзгертті"),
        (r"«««|»»»|««|»»", "«…» once"),
        (
            r"\b(Қаңтар|Ақпан|Наурыз|Сәуір|Мамыр|Маусым|Шілде|Тамыз|Қыркүйек|Қазан|Қараша|"
            r"Желтоқсан) \d{4}",
            "lower-case month names inside a date",
        ),
    ],
    "ru": [
        (r"Сумма совета или меньше", "a sentence, not a calque"),
        (r"не дают в сумме сумму", "a sentence, not a calque"),
        (r"[Сс]лепая экспертиза", "анонимная экспертиза"),
        (r"Куда ушли деньги", "Использование средств"),
        (r"Стол реестра", "Ведение реестра"),
        (r"[Вв]оронка", "прохождение заявок по этапам"),
        (r"[Дд]ашборд", "панель показателей"),
        (r"«««|»»»|««|»»", "«…» outside, „…“ inside"),
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_follow_the_glossary_wording(language):
    # given every catalogue of the language
    found = []
    for path in CATALOGUES[language]:
        if "locale_vendor" in path.parts:
            continue
        for entry in _entries(path):
            text = " ".join(v for k, v in entry.items() if k.startswith("msgstr"))
            # when each translation is checked against the glossary's wrong forms
            for wrong, right in WRONG_WORDING[language]:
                if re.search(wrong, text):
                    found.append(f"{path.parent.parent.parent}: {text!r} → {right}")
    # then none is left
    assert found == [], "\n".join(found)
