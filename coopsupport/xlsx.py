"""Opening an uploaded .xlsx without trusting it: the one guard every Excel import goes through.

Before openpyxl sees a byte: the size limit, "is this a zip holding an Excel workbook", and the
zip-bomb checks (member count, total unpacked size, compression ratio). openpyxl then parses with
defusedxml (entity/XML bombs raise), read-only, without external links and without evaluating
anything; ``iter_rows_safely`` turns a parse error met while reading rows into a refusal (not a 500)
and refuses sheets padded with endless rows. Formulas are the caller's to refuse, with
``cell_is_formula`` / ``is_formula_text``.

Everything refused raises ``WorkbookRefused`` (a ValueError): ``str(exc)`` is the Thai message for
the user, ``exc.reason`` (one of the reason constants below) and ``exc.params`` let an app word it its
own way.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

logger = logging.getLogger(__name__)

TOO_BIG = "too_big"
NOT_XLSX = "not_xlsx"
SUSPICIOUS = "suspicious"
UNREADABLE = "unreadable"
TOO_MANY_ROWS = "too_many_rows"

MAX_ZIP_MEMBERS = 300
MAX_COMPRESSION_RATIO = 100  # normal xlsx XML compresses ~10-20x; zip bombs 1000x and more
MAX_UNPACKED_FACTOR = 10  # all members unpacked may total at most 10 × the upload limit
# A sheet may hold blank or junk rows around the data, but not without end (each costs parse time).
ROW_PADDING_FACTOR = 20
ROW_PADDING = 1000


class WorkbookRefused(ValueError):
    """The upload is refused as a whole; the text is for the user."""

    def __init__(self, reason: str, **params):
        self.reason = reason
        self.params = params
        super().__init__(self._message())

    def _message(self) -> str:
        if self.reason == TOO_BIG:
            return _("The file is larger than %(mb)s MB. Split it into smaller files.") % {
                "mb": f"{self.params['max_bytes'] / 1_048_576:.1f}"
            }
        if self.reason == SUSPICIOUS:
            return _("The file's contents are too large or suspicious; it was not read.")
        if self.reason == UNREADABLE:
            return _("The file could not be read as an Excel workbook.")
        if self.reason == TOO_MANY_ROWS:
            return _("The sheet has too many rows (at most %(max)s).") % {"max": self.params["max_rows"]}
        return _("This is not an Excel (.xlsx) file. Save it as .xlsx and try again.")


def read_limited(source, *, max_bytes: int) -> bytes:
    """The bytes of an upload (or bytes as they are), refusing more than ``max_bytes`` without
    reading more than one byte past the limit."""
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        if (getattr(source, "size", 0) or 0) > max_bytes:
            raise WorkbookRefused(TOO_BIG, max_bytes=max_bytes)
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise WorkbookRefused(TOO_BIG, max_bytes=max_bytes)
    return data


def check_zip(data: bytes, *, max_bytes: int) -> None:
    """Refuse anything that is not a plausible, modest xlsx *before* openpyxl decompresses it."""
    if len(data) > max_bytes:
        raise WorkbookRefused(TOO_BIG, max_bytes=max_bytes)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise WorkbookRefused(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused(NOT_XLSX) from None
    total = sum(m.file_size for m in members)
    too_packed = any(
        m.file_size > 1_048_576 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if len(members) > MAX_ZIP_MEMBERS or total > MAX_UNPACKED_FACTOR * max_bytes or too_packed:
        raise WorkbookRefused(SUSPICIOUS)
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise WorkbookRefused(NOT_XLSX)


def open_workbook_safely(source, *, max_bytes: int) -> Workbook:
    """A read-only workbook from an upload (or its bytes) that passed every check above.
    Formulas come back as their text (``data_only=False``), never evaluated; close it when done."""
    data = read_limited(source, max_bytes=max_bytes)
    check_zip(data, max_bytes=max_bytes)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl, zipfile and defusedxml raise many kinds: the file is simply unreadable
        logger.warning("unreadable workbook", exc_info=True)
        raise WorkbookRefused(UNREADABLE) from None
    if not wb.worksheets:
        wb.close()
        raise WorkbookRefused(UNREADABLE)
    return wb


def iter_rows_safely(ws, *, max_rows: int, **iter_kwargs) -> Iterator[tuple]:
    """``ws.iter_rows(**iter_kwargs)``, refusing a sheet of more than ``20 × max_rows + 1000`` rows
    (blank ones included) and turning a parse error met on the way into a refusal."""
    limit = ROW_PADDING_FACTOR * max_rows + ROW_PADDING
    rows = ws.iter_rows(**iter_kwargs)
    count = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception:  # a read-only sheet is parsed lazily: bad XML surfaces here
            logger.warning("unreadable worksheet", exc_info=True)
            raise WorkbookRefused(UNREADABLE) from None
        count += 1
        if count > limit:
            raise WorkbookRefused(TOO_MANY_ROWS, max_rows=max_rows)
        yield row


def is_formula_text(value) -> bool:
    """Text that Excel would run as a formula (a cell value read with ``values_only``)."""
    return isinstance(value, str) and value.lstrip().startswith("=")


def cell_is_formula(cell) -> bool:
    """A formula cell, or text that would become one when the file is opened again in Excel."""
    return getattr(cell, "data_type", None) == "f" or is_formula_text(getattr(cell, "value", None))
