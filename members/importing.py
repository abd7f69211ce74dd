"""Reading a CSV/XLSX file of NGOs and checking each row before anything is saved."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import filetype
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import District, FieldOfActivity, Organisation
from .validators import is_valid_bin

# Column headers accepted in a file (lower-cased); the first name is the canonical one.
COLUMNS = {
    "name_kk": ("name_kk", "атауы", "название (каз)", "name (kazakh)"),
    "name_ru": ("name_ru", "название", "наименование", "name (russian)"),
    "bin": ("bin", "бсн", "бин"),
    "district": ("district", "аудан", "район"),
    "legal_form": ("legal_form", "legal form", "ұйымдық-құқықтық нысаны", "опф"),
    "registration_date": ("registration_date", "тіркелген күні", "дата регистрации"),
    "fields_of_activity": ("fields_of_activity", "fields", "қызмет салалары", "сферы"),
    "address": ("address", "мекенжайы", "адрес"),
    "phone": ("phone", "телефон"),
    "email": ("email", "e-mail", "эл. пошта"),
    "website": ("website", "сайт"),
    "leader_name": ("leader_name", "leader", "басшысы", "руководитель"),
}
MAX_ROWS = 5000
UNREADABLE = gettext_lazy("The file could not be read as CSV or XLSX.")


@dataclass
class ImportRow:
    line: int
    raw: dict
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_table(upload) -> list[dict]:
    """The rows of an uploaded CSV or XLSX as dicts of stripped strings, keyed by the
    canonical column names. Raises ValidationError for anything unreadable."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(gettext_lazy("The file is larger than 10 MB."))
    content = upload.read()
    kind = filetype.guess(content[:512])
    try:
        if content[:4] == b"PK\x03\x04":  # XLSX is a zip archive
            dataset = tablib.Dataset().load(content, format="xlsx")
        elif kind is None:
            dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        else:  # an image, a PDF...: recognised by content as something else
            raise ValidationError(UNREADABLE)
    except ValidationError:
        raise
    except Exception as exc:  # tablib/openpyxl raise many kinds on a broken file
        raise ValidationError(UNREADABLE) from exc
    lookup = {
        alias: canonical for canonical, aliases in COLUMNS.items() for alias in aliases
    }
    headers = [lookup.get(str(h or "").strip().lower()) for h in dataset.headers or []]
    if "name_ru" not in headers and "name_kk" not in headers:
        raise ValidationError(
            gettext_lazy(
                "The file needs a header row with at least name_kk or name_ru."
            )
        )
    if len(dataset) > MAX_ROWS:
        raise ValidationError(
            gettext_lazy("At most %(n)s rows can be imported at once."),
            params={"n": MAX_ROWS},
        )
    rows = []
    for values in dataset:
        row = {}
        for key, value in zip(headers, values, strict=False):
            if key is None:
                continue
            if isinstance(value, datetime.datetime | datetime.date):
                value = value.strftime("%d.%m.%Y")
            row[key] = "" if value is None else str(value).strip()
        if any(row.values()):
            rows.append(row)
    return rows


def _parse_date(value: str) -> datetime.date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def validate_rows(rows: list[dict]) -> list[ImportRow]:
    """Check every row against the registry and the rest of the file: bad or duplicate
    BIN, unknown district or field, bad date, email or website. Needs a fixed number of
    queries whatever the number of rows."""
    districts: dict[str, District] = {}
    for d in District.objects.all():
        for key in (d.code, d.name_kk, d.name_ru):
            districts[key.strip().lower()] = d
    fields: dict[str, FieldOfActivity] = {}
    for f in FieldOfActivity.objects.all():
        for key in (f.code, f.name_kk, f.name_ru):
            fields[key.strip().lower()] = f
    bins_in_file = [r.get("bin", "") for r in rows if r.get("bin")]
    taken = set(
        Organisation.objects.filter(bin__in=bins_in_file).values_list("bin", flat=True)
    )
    legal_forms = {
        key.lower(): value
        for value, label in Organisation.LegalForm.choices
        for key in (value, str(label))
    }
    seen_bins: set[str] = set()
    url_validator = URLValidator()
    result = []
    for line, raw in enumerate(rows, start=2):
        row = ImportRow(line=line, raw=raw)
        data = row.data
        data["name_kk"] = raw.get("name_kk", "")[:300]
        data["name_ru"] = raw.get("name_ru", "")[:300]
        if not data["name_kk"] and not data["name_ru"]:
            row.errors.append(_("The name is missing."))
        data["name_kk"] = data["name_kk"] or data["name_ru"]
        data["name_ru"] = data["name_ru"] or data["name_kk"]
        bin_value = raw.get("bin", "")
        if bin_value:
            if not is_valid_bin(bin_value):
                row.errors.append(_("BIN %(bin)s is not valid.") % {"bin": bin_value})
            elif bin_value in taken:
                row.errors.append(
                    _("BIN %(bin)s is already registered.") % {"bin": bin_value}
                )
            elif bin_value in seen_bins:
                row.errors.append(
                    _("BIN %(bin)s appears twice in the file.") % {"bin": bin_value}
                )
            seen_bins.add(bin_value)
        data["bin"] = bin_value
        district = raw.get("district", "")
        if district:
            if district.lower() in districts:
                data["district"] = districts[district.lower()]
            else:
                row.errors.append(_("Unknown district: %(name)s.") % {"name": district})
        form = raw.get("legal_form", "")
        if form:
            if form.lower() in legal_forms:
                data["legal_form"] = legal_forms[form.lower()]
            else:
                row.errors.append(_("Unknown legal form: %(name)s.") % {"name": form})
        if raw.get("registration_date"):
            date = _parse_date(raw["registration_date"])
            if date is None:
                row.errors.append(
                    _("The registration date %(value)s is not a date (dd.mm.yyyy).")
                    % {"value": raw["registration_date"]}
                )
            data["registration_date"] = date
        chosen = []
        for name in filter(
            None, (s.strip() for s in raw.get("fields_of_activity", "").split(";"))
        ):
            if name.lower() in fields:
                chosen.append(fields[name.lower()])
            else:
                row.errors.append(
                    _("Unknown field of activity: %(name)s.") % {"name": name}
                )
        data["fields_of_activity"] = chosen
        if raw.get("email"):
            try:
                validate_email(raw["email"])
            except ValidationError:
                row.errors.append(_("The email address is not valid."))
        if raw.get("website"):
            try:
                url_validator(raw["website"])
            except ValidationError:
                row.errors.append(_("The website address is not valid."))
        for key, limit in (
            ("address", 300),
            ("phone", 30),
            ("email", 254),
            ("website", 200),
            ("leader_name", 200),
        ):
            data[key] = raw.get(key, "")[:limit]
        result.append(row)
    return result
