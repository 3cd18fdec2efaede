"""Delimited text before parsing: line and column limits, encoding, separator, and text garbled before it came."""

from __future__ import annotations

import csv
import io
import re

import numpy as np

from geo import settings
from geo.imports.common import fail

SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
SCAN_CHUNK = 16 * 1024 * 1024
# UTF-8 read as cp1252 and saved again: a lead byte shown as Â..ô followed by what its continuation bytes show as.
DOUBLE_ENCODED = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                            "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}")
# U+FFFD is what a lossy conversion left; C1 controls are bytes 0x80-0x9f read as Latin-1.
LOST = re.compile("[\ufffd\u0080-\u009f]")


def check_lines(name: str, raw: bytes, *, max_line: int = settings.MAX_LINE_BYTES) -> None:
    """Refuse a line longer than max_line bytes, scanning in chunks so a 100 MB line costs no copy of it."""
    data, start, line = np.frombuffer(raw, dtype=np.uint8), 0, 1
    for offset in range(0, len(data), SCAN_CHUNK):
        ends = np.flatnonzero(data[offset:offset + SCAN_CHUNK] == 10) + offset
        lengths = np.diff(ends, prepend=start - 1) - 1
        if len(lengths) and lengths.max() > max_line:
            _too_long(name, line + int(lengths.argmax()), int(lengths.max()), max_line)
        if len(ends):
            line, start = line + len(ends), int(ends[-1]) + 1
    if len(data) - start > max_line:
        _too_long(name, line, len(data) - start, max_line)


def _too_long(name: str, row: int, length: int, max_line: int) -> None:
    raise fail(name, f"lines of at most {max_line:,} bytes", row=row, value=f"a line of {length:,} bytes")


def decode(name: str, raw: bytes, *, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding it was read with: the one given, else UTF-8 (BOM or not), else the legacy encoding
    charset-normalizer finds likeliest (a short file with few accents can be read wrong: the summary names it)."""
    if encoding is not None:
        return _decoded(name, raw, encoding), encoding
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as error:
        start = error.start
    sample = raw[max(0, start - settings.ENCODING_SAMPLE_BYTES // 2):start + settings.ENCODING_SAMPLE_BYTES // 2]
    import charset_normalizer  # here: ~35 ms to import, needed only for a file that is not UTF-8

    # In rank order, the first reading without C1 controls: real text has none, a wrong code page gives them.
    found = charset_normalizer.from_bytes(sample, cp_isolation=list(settings.LEGACY_ENCODINGS))
    best = next((match for match in found if not LOST.search(str(match))), None)
    if best is None:
        raise fail(name, f"text in UTF-8 or one of {', '.join(settings.LEGACY_ENCODINGS)} (re-save the file as UTF-8)",
                   row=raw.count(b"\n", 0, start) + 1, value=f"byte(s) {raw[start:start + 4].hex(' ')} at byte offset {start}")
    return _decoded(name, raw, best.encoding), best.encoding


def _decoded(name: str, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:  # the detection saw a sample; the rest of the file disagrees
        raise fail(name, f"text in {encoding} throughout (re-save the file as UTF-8)",
                   row=raw.count(b"\n", 0, error.start) + 1,
                   value=f"byte(s) {raw[error.start:error.end].hex(' ')} at byte offset {error.start}") from None


def sample_lines(text: str, count: int = settings.SNIFF_LINES) -> list[str]:
    """The first `count` whole lines of text (the last one dropped when the text goes on past it)."""
    return [line.rstrip("\r") for line in text[:settings.MAX_LINE_BYTES * 2].split("\n", count)[:count]]


def sniff_separator(name: str, text: str, *, default: str) -> str:
    """The one of SEPARATOR_CANDIDATES that splits the header into 2+ fields and every sampled row alike; the
    suffix's default when none does (one column, or ragged rows pandas will name); asked when several do."""
    rows = [line for line in sample_lines(text) if line.strip()]
    fits = [sep for sep in settings.SEPARATOR_CANDIDATES if _splits_evenly(rows, sep)]
    if len(fits) > 1:
        raise fail(name, f"one field separator: {' and '.join(_named(sep) for sep in fits)} each split every row "
                         "alike", row=1, value=rows[0][:80], question="separator", candidates=tuple(fits),
                   examples=tuple(f"{_named(sep)}: {len(split(rows[:1], sep)[0])} columns" for sep in fits))
    return fits[0] if len(fits) == 1 else default


def _splits_evenly(rows: list[str], sep: str) -> bool:
    counts = {len(fields) for fields in split(rows, sep)}
    return len(counts) == 1 and counts.pop() >= 2


def split(lines: list[str], sep: str) -> list[list[str]]:
    """The lines' fields as csv reads them (quotes kept together); [] when csv cannot read them at all."""
    try:
        return list(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=sep))
    except csv.Error:  # e.g. a NUL byte: pandas gives the precise message later
        return []


def _named(sep: str) -> str:
    return f"{SEPARATOR_NAMES.get(sep, 'separator')} {sep!r}"


def check_columns(name: str, columns: int) -> None:
    """Refuse a header wider than settings.MAX_IMPORT_COLUMNS before pandas builds a frame that wide."""
    if columns > settings.MAX_IMPORT_COLUMNS:
        raise fail(name, f"at most {settings.MAX_IMPORT_COLUMNS:,} columns", row=1, value=f"{columns:,} columns")


def header_width(text: str, sep: str) -> int:
    """The number of fields in the header line."""
    return len(next(iter(split(sample_lines(text, 1), sep)), []))


def check_garbled(name: str, text: str, *, sep: str, encoding: str) -> None:
    """Refuse text that was garbled before it reached us: UTF-8 read as cp1252 and saved again, or lossy bytes."""
    found = DOUBLE_ENCODED.search(text) if encoding.startswith("utf-8") else None
    found = found if found and _repairs(found.group()) else LOST.search(text)
    if found is None:
        return
    row = text.count("\n", 0, found.start()) + 1
    line_start = text.rfind("\n", 0, found.start()) + 1
    line_end = text.find("\n", found.start())
    line = text[line_start:line_end if line_end >= 0 else len(text)].rstrip("\r")
    header = next(iter(split(sample_lines(text, 1), sep)), [])
    fields = next(iter(split([line], sep)), [])
    cell = next((i for i, field in enumerate(fields) if found.group() in field), None)
    column = header[cell] if cell is not None and cell < len(header) else None
    value = fields[cell] if cell is not None else found.group()
    repaired = _repairs(found.group())
    reason = (f"text saved once in one encoding; this reads {repaired!r} garbled as {found.group()!r} (UTF-8 read as "
              "cp1252 and saved again): re-export the file as UTF-8" if repaired else
              f"readable text; {encoding} gives character U+{ord(found.group()[0]):04X} here (bytes lost in an "
              "earlier conversion, or the wrong encoding): re-export the file as UTF-8")
    raise fail(name, reason, row=row, column=column, value=value[:80])


def _repairs(garbled: str) -> str | None:
    try:
        fixed = garbled.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    # Only what French, Portuguese or English text holds: a legitimate 'É«' would otherwise "repair" to IPA 'ɫ'.
    plausible = all("\u00a0" <= char <= "\u017f" or "\u2010" <= char <= "\u20ac" for char in fixed)
    return fixed if fixed != garbled and plausible else None
