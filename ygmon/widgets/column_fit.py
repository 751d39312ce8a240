"""How a table's columns share its width: every column as wide as its widest cell, the
one free-text column (an error, a match, a target) taking what the others leave and cut
to it with an ellipsis, and job ids whole where they fit, else cut the one way that
tells jobs apart (ygmon.widgets.job_id.cut_id).

Pure functions over the rows a screen gives, so the sizing is tested without a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from ygmon.widgets.job_id import SHORT, cut_id

CELL_PADDING = 2
"""DataTable pads each cell with one space either side."""
FREE_AT_LEAST = 20
"""Cells a free column keeps before ids are cut to make room for it."""

Row = tuple[str, tuple[Any, ...]]


def width_of(cell: Any) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


def cut(cell: Any, width: int) -> Any:
    """`cell` in at most `width` cells, an ellipsis ending a cut one (a Text keeps its
    styles)."""
    if width_of(cell) <= width:
        return cell
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.truncate(max(1, width), overflow="ellipsis")
    return text if isinstance(cell, Text) else text.plain


def fit_rows(
    labels: Sequence[str],
    rows: Sequence[Row],
    width: int,
    free: int | None = None,
    ids: int | None = None,
) -> list[Row]:
    """`rows` with the free column (index `free`) cut to what `width` leaves it and the
    id column (index `ids`) cut when whole ids would squeeze the free column."""
    if not rows or (free is None and ids is None):
        return list(rows)
    natural = [
        max(cell_len(label), *(width_of(cells[i]) for _key, cells in rows))
        for i, label in enumerate(labels)
    ]
    room = width - CELL_PADDING * len(labels)
    room -= sum(w for i, w in enumerate(natural) if i not in (free, ids))
    limits: dict[int, int] = {}
    if ids is not None:
        free_wants = 0 if free is None else min(natural[free], FREE_AT_LEAST)
        if natural[ids] + free_wants > room:
            limits[ids] = max(cell_len(labels[ids]), SHORT)
        room -= limits.get(ids, natural[ids])
    if free is not None:
        limits[free] = max(cell_len(labels[free]), room)
    return [
        (
            key,
            tuple(
                _limited(cell, limits[i], i == ids) if i in limits else cell
                for i, cell in enumerate(cells)
            ),
        )
        for key, cells in rows
    ]


def _limited(cell: Any, width: int, is_id: bool) -> Any:
    if is_id and isinstance(cell, str):
        return cut_id(cell, width)
    return cut(cell, width)
