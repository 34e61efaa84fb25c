"""Pipe tables: which lines are a table's rows, and the cells of each. Pure: no Django.

A table's body rows become paragraph claims, their cells joined with " — "; the header row only
names the columns, and becomes a claim only when it holds a timestamp.
"""

from __future__ import annotations

import re

from apps.reader.syntax import Line

# Pipes inside wiki links, code and escapes do not split table cells.
_PROTECTED_IN_CELL = re.compile(r"\[\[[^\]]*\]\]|`[^`]*`|\\\|")
_PROTECTED = "\ue003"  # stands for a protected part while a row is split


def table_rows(lines: list[Line], index: int) -> tuple[list[Line], int]:
    """The rows of the table whose header is `lines[index]`, each as its cells joined, and
    the index of the first line after the table."""
    header_number, header = lines[index]
    cursor = index + 2
    rows: list[Line] = []
    while cursor < len(lines):
        number, text = lines[cursor]
        if not text.strip() or "|" not in text:
            break
        rows.append((number, text))
        cursor += 1
    header_cells = split_cells(header)
    # The header row only names the columns; it becomes a claim only to keep a timestamp.
    if any(":" in cell and ("[" in cell or "<a" in cell) for cell in header_cells):
        rows.insert(0, (header_number, header))
    joined: list[Line] = []
    for number, text in rows:
        cells = [cell for cell in split_cells(text) if cell]
        if cells:
            joined.append((number, " — ".join(cells)))
    return joined, cursor


def split_cells(row: str) -> list[str]:
    """The cells of a table row; pipes inside wiki links, code and escapes do not split."""
    text = row.strip()
    protected: list[str] = []
    if "[[" in text or "`" in text or "\\|" in text:
        protected = _PROTECTED_IN_CELL.findall(text)
        text = _PROTECTED_IN_CELL.sub(_PROTECTED, text)
    text = text.removeprefix("|").removesuffix("|")
    parts = iter(protected)
    cells = []
    for cell in text.split("|"):
        if _PROTECTED in cell:
            first, *others = cell.split(_PROTECTED)
            cell = first + "".join(next(parts) + other for other in others)
        cells.append(cell.replace("\\|", "|").strip())
    return cells
