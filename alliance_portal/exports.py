"""The one writer behind every CSV, XLSX and JSON export of the portal.

Two promises, whatever the rows hold and however many there are:

* **Safe to open in a spreadsheet.** Text typed by users (a leader, a delegate, a
  supplier's name) is never read as a formula: a cell that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (the OWASP advice
  for CSV injection). Numbers, money and dates stay typed values, so sums still work.
  Characters a workbook cannot hold (control characters) are dropped instead of failing.
* **Flat memory.** CSV and JSON are streamed row by row (``StreamingHttpResponse``);
  XLSX is written by openpyxl's write-only workbook, which keeps rows in a temporary
  file, and the finished file is streamed from disk. Callers pass querysets (iterated
  with ``.iterator()``) or generators, never lists.
"""

from __future__ import annotations

import csv
import datetime
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500
TYPED = (bool, int, float, Decimal, datetime.date, datetime.datetime, datetime.time)


def safe_text(value) -> str:
    """A text cell that no spreadsheet reads as a formula."""
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def safe_cell(value):
    """Numbers, money and dates as they are; everything else as safe text."""
    if value is None:
        return ""
    if isinstance(value, TYPED):
        return value
    if isinstance(value, Promise):
        value = str(value)
    return safe_text(value)


def _rows(rows: Iterable) -> Iterator:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


class _Echo:
    """``csv.writer`` target that hands each formatted line back instead of storing it."""

    def write(self, value):
        return value


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def csv_lines(header: Sequence, rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text line by line, with a BOM so that Excel reads Kazakh letters."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([safe_cell(h) for h in header])
    for row in _rows(rows):
        yield writer.writerow([safe_cell(v) for v in row])


def csv_response(
    filename: str, header: Sequence, rows: Iterable[Sequence], *, private: bool = True
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    _attachment(response, filename)
    if not private:
        response["Cache-Control"] = "public, max-age=300"
    return response


def json_lines(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array, one object per chunk. Text stays as typed: JSON is data, not a
    spreadsheet, and a consumer must see exactly what was published."""
    yield "["
    first = True
    for row in _rows(rows):
        yield ("\n" if first else ",\n") + json.dumps(
            row, cls=DjangoJSONEncoder, ensure_ascii=False
        )
        first = False
    yield "\n]\n"


def json_response(
    filename: str, rows: Iterable[dict], *, private: bool = True
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        json_lines(rows), content_type="application/json; charset=utf-8"
    )
    _attachment(response, filename)
    if not private:
        response["Cache-Control"] = "public, max-age=300"
    return response


class Sheet:
    """One sheet of a workbook: a header, rows, and optional number formats and
    widths by column index (0-based)."""

    def __init__(
        self,
        title,
        header: Sequence,
        rows: Iterable[Sequence],
        *,
        formats: dict[int, str] | None = None,
        widths: Sequence[float] = (),
    ):
        self.title = str(title)[:31]
        self.header = header
        self.rows = rows
        self.formats = formats or {}
        self.widths = widths


def _xlsx_value(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = safe_cell(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Workbooks have no time zones: show the local time people expect.
        from django.utils import timezone

        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def write_xlsx(target, sheets: Iterable[Sheet]) -> None:
    """Write a write-only workbook (rows go to a temporary file as they come)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = book.create_sheet(spec.title)
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for title in spec.header:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(title))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in _rows(spec.rows):
            cells = []
            for index, value in enumerate(row):
                value = _xlsx_value(value)
                if index in spec.formats and not isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = spec.formats[index]
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    book.save(target)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook as bytes, for files inside a ZIP or a generated-document job."""
    with tempfile.TemporaryFile() as handle:
        write_xlsx(handle, sheets)
        handle.seek(0)
        return handle.read()


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """The workbook streamed from a temporary file, so memory stays flat."""
    # FileResponse closes the file when the response is done, which deletes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    write_xlsx(handle, sheets)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX_TYPE)
    return _attachment(response, filename)


def table_response(
    fmt: str,
    filename: str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    title="Sheet",
    formats: dict[int, str] | None = None,
    widths: Sequence[float] = (),
):
    """``fmt`` "csv" or "xlsx" of one table; None for any other format."""
    if fmt == "csv":
        return csv_response(f"{filename}.csv", header, rows)
    if fmt == "xlsx":
        sheet = Sheet(title, header, rows, formats=formats, widths=widths)
        return xlsx_response(f"{filename}.xlsx", [sheet])
    return None


def labels(choices) -> dict:
    """A field's choices translated once for a whole export: ``get_FOO_display``
    hashes and translates every choice again on every row."""
    return {value: str(label) for value, label in choices}


def mapped(rows: Iterable, columns: Sequence[Callable]) -> Iterator[list]:
    """Each row of ``rows`` (a queryset is iterated in chunks) through the getters."""
    for row in _rows(rows):
        yield [get(row) for get in columns]
