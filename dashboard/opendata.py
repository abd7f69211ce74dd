"""Open data: the transparency page's lists as plain rows (for CSV and JSON).

Only what the alliance publishes: organisations, projects, amounts and dates — never
people's names, contacts or documents."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import F

from alliance_portal.personal_data import mask_iin

from . import selectors

Dataset = tuple[list[str], Iterable[dict]]


def projects() -> Dataset:
    columns = [
        "number",
        "title",
        "ngo_kk",
        "ngo_ru",
        "district_kk",
        "district_ru",
        "amount",
        "status",
        "signed_at",
        "beneficiaries_reached",
    ]
    rows = (
        selectors.public_projects()
        .values(
            "number",
            "status",
            "signed_at",
            "amount",
            title=F("application__title"),
            ngo_kk=F("organisation__name_kk"),
            ngo_ru=F("organisation__name_ru"),
            district_kk=F("organisation__district__name_kk"),
            district_ru=F("organisation__district__name_ru"),
            beneficiaries_reached=F("beneficiaries"),
        )
        .iterator(chunk_size=2000)
    )
    return columns, rows


def members() -> Dataset:
    columns = [
        "name_kk",
        "name_ru",
        "legal_form",
        "bin",
        "district_kk",
        "district_ru",
        "website",
    ]
    rows = (
        selectors.public_members()
        .values(
            "name_kk",
            "name_ru",
            "legal_form",
            "bin",
            "website",
            district_kk=F("district__name_kk"),
            district_ru=F("district__name_ru"),
        )
        .iterator(chunk_size=2000)
    )
    # An individual entrepreneur's BIN is their IIN: published masked.
    rows = ({**row, "bin": mask_iin(row["bin"])} for row in rows)
    return columns, rows


def memoranda() -> Dataset:
    columns = [
        "kind",
        "number",
        "title_kk",
        "title_ru",
        "signed_on",
        "valid_from",
        "valid_until",
        "parties_kk",
        "parties_ru",
    ]

    def rows():
        for memo in selectors.public_memoranda():
            parties = [p.organisation for p in memo.parties.all()]
            yield {
                "kind": memo.kind,
                "number": memo.number,
                "title_kk": memo.title_kk,
                "title_ru": memo.title_ru,
                "signed_on": memo.signed_on,
                "valid_from": memo.valid_from,
                "valid_until": memo.valid_until,
                "parties_kk": "; ".join(o.name_kk for o in parties),
                "parties_ru": "; ".join(o.name_ru for o in parties),
            }

    return columns, rows()


def calls() -> Dataset:
    columns = [
        "title_kk",
        "title_ru",
        "funder_kk",
        "funder_ru",
        "envelope",
        "min_grant",
        "max_grant",
        "opens_at",
        "closes_at",
    ]
    rows = selectors.public_calls().values(
        "title_kk",
        "title_ru",
        "envelope",
        "min_grant",
        "max_grant",
        "opens_at",
        "closes_at",
        funder_kk=F("funder__name_kk"),
        funder_ru=F("funder__name_ru"),
    )
    return columns, rows


DATASETS: dict[str, Callable[[], Dataset]] = {
    "projects": projects,
    "members": members,
    "memoranda": memoranda,
    "calls": calls,
}
