"""Names in three languages: English never falls back to Russian; dates read day first."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from alliance_portal.names import kazakh_latin, localized
from members.tests.factories import DistrictFactory


def test_kazakh_latin_follows_the_2021_alphabet():
    assert kazakh_latin("Қызылорда") == "Qyzylorda"
    assert kazakh_latin("Жаңақорған") == "Jañaqorğan"
    assert kazakh_latin("Шиелі") == "Şielı"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Арал ауданы"), ("ru", "Аральский район"), ("en", "Aral audany")],
)
def test_district_name_in_each_language(language, expected):
    # given a district named in Kazakh and Russian only
    district = DistrictFactory(name_kk="Арал ауданы", name_ru="Аральский район")
    # when it is shown in each language
    with translation.override(language):
        shown = district.name
    # then English reads the Kazakh name in Latin letters, never the Russian
    assert shown == expected


def test_english_text_is_preferred_when_there_is_one():
    class Call:
        title_kk, title_ru, title_en = "Конкурс", "Конкурс", "Call 2026"

    with translation.override("en"):
        assert localized(Call(), "title") == "Call 2026"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "25.11.2026"), ("ru", "25.11.2026"), ("en", "25.11.2026")],
)
def test_short_dates_read_day_first_in_every_language(language, expected):
    template = Template('{{ day|date:"SHORT_DATE_FORMAT" }} {{ day|date }}')
    with translation.override(language):
        short, long = template.render(
            Context({"day": datetime.date(2026, 11, 25)})
        ).split(" ", 1)
    assert short == expected
    assert long.startswith("25 ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Жастар жобалары", "«Жастар жобалары»"),
        ("«Игілік» қорының конкурсы", "«„Игілік“ қорының конкурсы»"),
        ("«Жас Арал»", "«Жас Арал»"),
    ],
)
def test_quoted_never_doubles_the_quotes(name, expected):
    rendered = Template("{% load portal %}{{ name|quoted }}").render(
        Context({"name": name})
    )
    assert rendered == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "2026 жылғы 10 желтоқсаннан бастап 2027 жылғы 18 маусымға дейін"),
        ("ru", "10.12.2026 … 18.06.2027"),
    ],
)
def test_kazakh_dates_in_running_text_take_case_endings(language, expected):
    from alliance_portal.names import date_from, date_until

    with translation.override(language):
        start = date_from(datetime.date(2026, 12, 10))
        end = date_until(datetime.date(2027, 6, 18))
    text = f"{start} бастап {end} дейін" if language == "kk" else f"{start} … {end}"
    assert text == expected
