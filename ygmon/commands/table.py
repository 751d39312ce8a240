"""The text tables every listing command prints: a header line, then one row per line,
columns aligned (numbers to the right), so `awk`, `column` and a person read the same
output.

A cell never breaks its row: line breaks, tabs and other control characters inside a
value (a job's error with its traceback, a subject with a stray escape) are escaped as
`\\n`, `\\t`, `\\x1b`; a command may cut a long one (the error column, with '…');
--json and --csv keep the text as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(value: object) -> str:
    """`value` as text on one line: control characters escaped, as Python writes them."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(
        _ESCAPES.get(c) or (c if c.isprintable() else c.encode("unicode_escape").decode())
        for c in text
    )


def when(at: datetime | None) -> str:
    """A time as every listing writes it: ISO 8601 to the second, one word."""
    return "" if at is None else at.isoformat(timespec="seconds")


def cut(text: str, width: int) -> str:
    """`text` in at most `width` characters, ending in '…' when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(headings: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """The header and rows, aligned; a column of whole numbers is right-aligned, and an
    empty cell reads '-' so every line has as many words as columns."""
    body = [list(row) for row in rows]
    numeric = [
        bool(body) and all(isinstance(row[i], int) and not isinstance(row[i], bool) for row in body)
        for i in range(len(headings))
    ]
    text = [list(headings), *([one_line(cell) or "-" for cell in row] for row in body)]
    widths = [max(len(line[i]) for line in text) for i in range(len(headings))]
    return [
        "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(line, widths, numeric, strict=True)
        ).rstrip()
        for line in text
    ]


def print_table(headings: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    for line in table_lines(headings, rows):
        print(line)


def exported(args: Any, rows: Sequence[Any], model: type) -> bool:
    """Print `rows` (of `model`) as `--json` or `--csv` asks, as the app's `e` writes
    them; False when neither was asked (the caller prints its table)."""
    if not (args.json or args.csv):
        return False
    from ygmon.monitor.export import ExportFormat, dumps

    print(dumps(rows, model, ExportFormat.JSON if args.json else ExportFormat.CSV), end="")
    return True
