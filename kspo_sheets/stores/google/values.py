"""The values API's answers, read as they stream in, and the cells they leave in doubt.

A values.batchGet with ``valueRenderOption=FORMULA`` gives every cell as a JSON string,
number or boolean: text as typed ("0812345678" stays a string), a number as a number, a
formula as its formula. Three kinds of cell are not settled by that alone, and are looked
at again (reader.py):

- a number between 0 and 2,958,466 may be a date cell (its serial) or a plain number;
  only its number format tells (``numbers``: the rows per column that hold one);
- text that starts with "=" may be a formula or text typed with an apostrophe, and text
  such as "#N/A" may be an error cell (``doubtful``: their positions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kspo_sheets.model import CellValue
from kspo_sheets.stores.google.json_stream import parse_stream

PATH = ("valueRanges", "*", "values", "*")
SERIAL_EPOCH = dt.date(1899, 12, 30)
LAST_SERIAL = 2958466  # 10000-01-01: a serial at or past it is never read as a date
# How Sheets shows an error value. Text equal to one of these is looked at again.
ERROR_TEXTS = frozenset(
    ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#ERROR!")
)
_SPECIAL = ("=", "#", "'")
_SEP = "\x1f"  # joins a row's texts to look for doubtful ones at once (a false alarm is harmless)


def number(x: float) -> int | float:
    """A JSON number as the store hands it over: whole numbers as int."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def maybe_date(v: Any) -> bool:
    """A number a date cell could hold (the grid read turns only these into dates)."""
    return type(v) in (int, float) and 0 < v < LAST_SERIAL


def serial_date(n: float) -> dt.date:
    return SERIAL_EPOCH + dt.timedelta(days=int(n))


class ValueRows:
    """The rows of each requested range, with their blanks as None, and the cells in doubt.

    ``numbers[(k, column)]`` is the first and last row of range k holding a number that may
    be a date; ``doubtful`` lists (k, row, column) of text that may be a formula or an error.
    """

    def __init__(self, count: int) -> None:
        self.rows: list[list[list[CellValue]]] = [[] for _ in range(count)]
        self.numbers: dict[tuple[int, int], list[int]] = {}
        self.doubtful: list[tuple[int, int, int]] = []

    def on_item(self, at: tuple[int, ...], line: Any, _parents: Any = ()) -> None:
        k, i = at[0], at[1]
        if type(line) is not list or k >= len(self.rows):
            raise ValueError("a values answer with a row that is not a list")
        rows = self.rows[k]
        while len(rows) < i:
            rows.append([])
        rows.append(line)
        # Most rows are text only, none of it in doubt: checked by C code, not cell by cell.
        try:
            joined = _SEP.join(line)
        except TypeError:  # numbers or booleans in the row
            self._cells(k, i, line)
            return
        while "" in line:
            line[line.index("")] = None
        if (
            joined.startswith(_SPECIAL)
            or "\x1f=" in joined
            or "\x1f#" in joined
            or "\x1f'" in joined
        ):
            self._cells(k, i, line)

    def _cells(self, k: int, i: int, line: list[Any]) -> None:
        numbers = self.numbers
        for j, v in enumerate(line):
            t = type(v)
            if t is str:
                if not v:
                    line[j] = None
                elif v[0] in _SPECIAL and (v[0] != "#" or v in ERROR_TEXTS):
                    self.doubtful.append((k, i, j))
            elif t is int or t is float:
                if t is float:
                    v = line[j] = number(v)
                if 0 < v < LAST_SERIAL:
                    span = numbers.get((k, j))
                    if span is None:
                        numbers[(k, j)] = [i, i]
                    else:
                        span[1] = i
            elif t is not bool and v is not None:
                raise ValueError(f"a values answer with a {t.__name__} cell")


def read_values(chunks: Iterable[bytes], count: int) -> ValueRows:
    """A values.batchGet answer for `count` ranges, parsed as it arrives."""
    rows = ValueRows(count)
    doc = parse_stream(chunks, PATH, rows.on_item)
    if not isinstance(doc, dict):
        raise ValueError("the answer is not a JSON object")
    got = doc.get("valueRanges") or []
    if len(got) != count:
        raise ValueError(f"{len(got)} value ranges in the answer, {count} asked for")
    return rows


def read_columns(chunks: Iterable[bytes], count: int) -> list[list[list[Any]]]:
    """A values.batchGet answer (majorDimension=COLUMNS): each range's columns."""
    out: list[list[list[Any]]] = [[] for _ in range(count)]

    def on_item(at: tuple[int, ...], column: Any, _parents: Any = ()) -> None:
        k, i = at[0], at[1]
        if type(column) is not list or k >= count:
            raise ValueError("a values answer with a column that is not a list")
        while len(out[k]) < i:
            out[k].append([])
        out[k].append(column)

    doc = parse_stream(chunks, PATH, on_item)
    if not isinstance(doc, dict) or len(doc.get("valueRanges") or []) != count:
        raise ValueError("a values answer without the ranges asked for")
    return out


def date_kind(serial: int | float, shown: Any) -> str:
    """What the dates read says of a number that may be a date: 'number' (the same number
    came back), 'date' (text in a format that shows the serial's year), 'ask' (text that
    does not show it: a time, a duration, a date without its year: the grid will say) or
    'changed' (anything else: the cell is not what the values read saw)."""
    t = type(shown)
    if t is int or t is float:
        return "number" if number(shown) == serial else "changed"
    if t is not str or not shown:
        return "changed"
    year = serial_date(serial).year
    if str(year) in shown or str(year + 543) in shown:  # th_TH shows Buddhist-Era years
        return "date"
    return "ask"
