"""``spreadsheets.values``: get, batchGet, update, append, clear, batchUpdate, batchClear."""

from __future__ import annotations

from typing import Any

from .a1 import A1Range, parse_range
from .cells import has_value, raw_value, set_entered, user_entered_value
from .errors import ApiError, bad_value, invalid
from .json_out import Chunked, LazyList
from .model import ROWS, Sheet, Spreadsheet

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_RENDER = ("SERIAL_NUMBER", "FORMATTED_STRING")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
DIMENSIONS = ("ROWS", "COLUMNS")

Params = dict[str, list[str]]


def _param(params: Params, name: str, default: str, allowed: tuple[str, ...], proto: str) -> str:
    value = params.get(name, [default])[-1]
    if value not in allowed:
        snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in name)
        raise bad_value(snake, value, f"google.apps.sheets.v4.{proto}")
    return value


def resolve(ss: Spreadsheet, text: str) -> tuple[Sheet, A1Range]:
    """The sheet and parsed range a client means; Google's 400 when it names nothing."""
    try:
        rng = parse_range(text, ss.titles())
    except ValueError:
        named = _named(ss, text)
        if named is None:
            raise invalid(f"Unable to parse range: {text}") from None
        return named
    sheet = ss.sheets[0] if rng.title is None else ss.sheet_by_title(rng.title)
    if sheet is None:
        raise invalid(f"Unable to parse range: {text}")
    return sheet, rng


def _named(ss: Spreadsheet, text: str) -> tuple[Sheet, A1Range] | None:
    """A named range, written bare ("Totals") or after a title ("'Sheet1'!Totals")."""
    name = text.rsplit("!", 1)[-1].casefold()
    for named in ss.named_ranges:
        if named.get("name", "").casefold() != name:
            continue
        gr = named.get("range", {})
        sheet = ss.sheet_by_id(gr.get("sheetId", 0))
        if sheet is None:
            return None
        return sheet, A1Range(
            sheet.title,
            gr.get("startRowIndex"),
            gr.get("endRowIndex"),
            gr.get("startColumnIndex"),
            gr.get("endColumnIndex"),
        )
    return None


def grid_limits(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> ApiError:
    return invalid(
        f"Range ({sheet.a1(r0, r1, c0, c1)}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def bounds(sheet: Sheet, rng: A1Range) -> tuple[int, int, int, int]:
    r0, r1, c0, c1 = rng.bounds(sheet.row_count, sheet.column_count)
    if r1 > sheet.row_count or c1 > sheet.column_count or r0 >= r1 or c0 >= c1:
        raise grid_limits(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))
    return r0, r1, c0, c1


def _trim(lines: list[list[Any]]) -> list[list[Any]]:
    out = [["" if v is None else v for v in line] for line in lines]
    for line in out:
        while line and line[-1] == "":
            line.pop()
    while out and not out[-1]:
        out.pop()
    return out


def value_range(
    sheet: Sheet, block: tuple[int, int, int, int], major: str, value_render: str, date_render: str
) -> dict[str, Any]:
    r0, r1, c0, c1 = block
    lines = sheet.rendered(r0, r1, c0, c1, value_render, date_render)
    if major == "COLUMNS":
        lines = [[line[c] if c < len(line) else None for line in lines] for c in range(c1 - c0)]
    out: dict[str, Any] = {"range": sheet.a1(r0, r1, c0, c1), "majorDimension": major}
    trimmed = _trim(lines)
    if trimmed:
        out["values"] = trimmed
    return out


def _read_options(params: Params) -> tuple[str, str, str]:
    return (
        _param(params, "majorDimension", "ROWS", DIMENSIONS, "Dimension"),
        _param(params, "valueRenderOption", "FORMATTED_VALUE", VALUE_RENDER, "ValueRenderOption"),
        _param(
            params, "dateTimeRenderOption", "SERIAL_NUMBER", DATE_RENDER, "DateTimeRenderOption"
        ),
    )


class RowValues(LazyList):
    """A block's values (majorDimension=ROWS) rendered row by row while the answer is
    written, trimmed as ``_trim`` trims a list: a million-cell answer is never whole."""

    def __init__(
        self, sheet: Sheet, block: tuple[int, int, int, int], value_render: str, date_render: str
    ) -> None:
        self.sheet = sheet
        self.block = block
        self.render = (value_render, date_render)

    def _line(self, r: int) -> list[Any]:
        _r0, _r1, c0, c1 = self.block
        (line,) = _trim(self.sheet.rendered(r, r + 1, c0, c1, *self.render)) or [[]]
        return line

    def _end(self) -> int:
        r0, r1, _c0, _c1 = self.block
        for r in range(min(r1, len(self.sheet.rows)) - 1, r0 - 1, -1):
            if self._line(r):
                return r + 1
        return r0

    def __iter__(self) -> Any:
        for r in range(self.block[0], self._end()):
            yield self._line(r)

    def empty(self) -> bool:
        return self._end() == self.block[0]


def values_get(ss: Spreadsheet, range_text: str, params: Params) -> dict[str, Any]:
    major, value_render, date_render = _read_options(params)
    sheet, rng = resolve(ss, range_text)
    return value_range(sheet, bounds(sheet, rng), major, value_render, date_render)


def values_batch_get(ss: Spreadsheet, params: Params) -> dict[str, Any]:
    """Rows are rendered while the answer is written (a Chunked answer); columns at once."""
    major, value_render, date_render = _read_options(params)
    out: dict[str, Any] = Chunked({"spreadsheetId": ss.spreadsheet_id})
    ranges = params.get("ranges", [])
    if ranges:
        found = [resolve(ss, text) for text in ranges]
        out["valueRanges"] = []
        for sheet, rng in found:
            block = bounds(sheet, rng)
            if major == "COLUMNS":
                out["valueRanges"].append(
                    value_range(sheet, block, major, value_render, date_render)
                )
                continue
            item: dict[str, Any] = {"range": sheet.a1(*block), "majorDimension": major}
            rows = RowValues(sheet, block, value_render, date_render)
            if not rows.empty():
                item["values"] = rows
            out["valueRanges"].append(item)
    return out


def _input_option(value: str | None) -> str:
    if value not in INPUT_OPTIONS:
        raise invalid(f"Invalid valueInputOption: {value or 'INPUT_VALUE_OPTION_UNSPECIFIED'}")
    return value


def _checked_values(body: Any, field: str = "data.values") -> tuple[list[list[Any]], str]:
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. Expected an object.")
    values = body.get("values")
    if values is None:
        values = []
    if not isinstance(values, list):
        raise bad_value(field, values)
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise bad_value(f"{field}[{i}]", row)
        for j, value in enumerate(row):
            if isinstance(value, dict | list):
                raise invalid(f"Invalid values[{i}][{j}]: {value!r}")
    major = body.get("majorDimension") or "ROWS"
    if major not in DIMENSIONS:
        raise bad_value("data.major_dimension", major, "google.apps.sheets.v4.Dimension")
    if major == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        values = [[col[r] if r < len(col) else None for col in values] for r in range(height)]
    return values, major


def write_values(
    ss: Spreadsheet,
    sheet: Sheet,
    r0: int,
    c0: int,
    values: list[list[Any]],
    input_option: str,
    *,
    limit: tuple[int, int] | None = None,
    range_text: str = "",
) -> dict[str, Any]:
    """Write a block at (r0, c0); ``limit`` (end row, end column) bounds a multi-cell range."""
    height = len(values)
    width = max((len(row) for row in values), default=0)
    if limit is not None:
        end_row, end_col = limit
        if r0 + height > end_row:
            raise invalid(
                f"Requested writing within range [{range_text}], but tried writing to row "
                f"[{end_row + 1}]"
            )
        if c0 + width > end_col:
            raise invalid(
                f"Requested writing within range [{range_text}], but tried writing to column "
                f"[{sheet.a1(0, 1, end_col, end_col + 1).split('!')[1][:-1]}]"
            )
    if r0 + max(height, 1) > sheet.row_count or c0 + max(width, 1) > sheet.column_count:
        raise grid_limits(sheet, r0, r0 + max(height, 1), c0, c0 + max(width, 1))
    rows_touched: set[int] = set()
    cols_touched: set[int] = set()
    cells = 0
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is None:
                continue
            cell = sheet.cell_for_write(r0 + i, c0 + j)
            if input_option == "RAW":
                entered, detected = raw_value(value), None
            else:
                entered, detected = user_entered_value(value, ss.locale)
            if detected is not None:
                cell.setdefault("userEnteredFormat", {})["numberFormat"] = detected
            set_entered(cell, entered, ss.locale)
            cells += 1
            rows_touched.add(r0 + i)
            cols_touched.add(c0 + j)
    sheet.compact()
    out: dict[str, Any] = {
        "spreadsheetId": ss.spreadsheet_id,
        "updatedRange": sheet.a1(r0, r0 + max(height, 1), c0, c0 + max(width, 1)),
    }
    if cells:
        out["updatedRows"] = len(rows_touched)
        out["updatedColumns"] = len(cols_touched)
        out["updatedCells"] = cells
    out["_touched"] = (
        {(sheet.sheet_id, r) for r in rows_touched},
        {(sheet.sheet_id, c) for c in cols_touched},
    )
    return out


def _update_one(
    ss: Spreadsheet, range_text: str, body: Any, input_option: str, field: str
) -> tuple[dict[str, Any], Sheet, tuple[int, int, int, int]]:
    values, _major = _checked_values(body, field)
    sheet, rng = resolve(ss, range_text)
    r0, r1, c0, c1 = rng.bounds(sheet.row_count, sheet.column_count)
    single = rng.end_row == r0 + 1 and rng.end_col == c0 + 1 and rng.start_row is not None
    limit = None if single or rng.whole_sheet else (r1, c1)
    if rng.whole_sheet:
        r0 = c0 = 0
    result = write_values(
        ss, sheet, r0, c0, values, input_option, limit=limit, range_text=range_text
    )
    height = max(len(values), 1)
    width = max((len(row) for row in values), default=1) or 1
    return result, sheet, (r0, r0 + height, c0, c0 + width)


def _with_data(
    result: dict[str, Any], sheet: Sheet, block: tuple[int, int, int, int], params: Params
) -> None:
    if params.get("includeValuesInResponse", ["false"])[-1].lower() == "true":
        value_render = _param(
            params,
            "responseValueRenderOption",
            "FORMATTED_VALUE",
            VALUE_RENDER,
            "ValueRenderOption",
        )
        date_render = _param(
            params,
            "responseDateTimeRenderOption",
            "SERIAL_NUMBER",
            DATE_RENDER,
            "DateTimeRenderOption",
        )
        result["updatedData"] = value_range(sheet, block, "ROWS", value_render, date_render)


def values_update(ss: Spreadsheet, range_text: str, params: Params, body: Any) -> dict[str, Any]:
    input_option = _input_option(params.get("valueInputOption", [None])[-1])
    result, sheet, block = _update_one(ss, range_text, body, input_option, "data.values")
    result.pop("_touched")
    _with_data(result, sheet, block, params)
    return result


def _last_table(
    sheet: Sheet, r0: int, r1: int, c0: int, c1: int
) -> tuple[int, int, int, int] | None:
    """Google's "table" for append: the block of edge-connected non-empty cells (within the
    range's columns) holding the range's last non-empty cell. A gap column splits a row into
    two tables, which is why Google may append under column C rather than A."""
    filled = {
        (r, c)
        for r in range(r0, min(r1, len(sheet.rows)))
        for c in range(c0, min(c1, len(sheet.rows[r])))
        if has_value(sheet.rows[r][c])
    }
    if not filled:
        return None
    seen = {max(filled)}
    todo = list(seen)
    while todo:
        r, c = todo.pop()
        for cell in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if cell in filled and cell not in seen:
                seen.add(cell)
                todo.append(cell)
    rows = [r for r, _c in seen]
    cols = [c for _r, c in seen]
    return min(rows), max(rows) + 1, min(cols), max(cols) + 1


def values_append(ss: Spreadsheet, range_text: str, params: Params, body: Any) -> dict[str, Any]:
    """Find the table at the range, write after its last row (growing the grid as Google does)."""
    input_option = _input_option(params.get("valueInputOption", [None])[-1])
    insert_option = params.get("insertDataOption", ["OVERWRITE"])[-1]
    if insert_option not in ("OVERWRITE", "INSERT_ROWS"):
        raise bad_value(
            "insert_data_option", insert_option, "google.apps.sheets.v4.InsertDataOption"
        )
    values, _major = _checked_values(body)
    sheet, rng = resolve(ss, range_text)
    r0, r1, c0, c1 = bounds(sheet, rng)
    out: dict[str, Any] = {"spreadsheetId": ss.spreadsheet_id}
    start_row, start_col = r0, c0
    table = _last_table(sheet, r0, r1, c0, c1)
    if table is not None:
        t0, t1, u0, u1 = table
        out["tableRange"] = sheet.a1(t0, t1, u0, u1)
        start_row, start_col = t1, u0
    height = len(values)
    width = max((len(row) for row in values), default=0)
    if start_col + width > sheet.column_count:
        raise grid_limits(
            sheet, start_row, start_row + max(height, 1), start_col, start_col + width
        )
    if insert_option == "INSERT_ROWS" and height:
        sheet.insert(ROWS, start_row, height, inherit_before=start_row > 0)
    elif start_row + height > sheet.row_count:
        grow = start_row + height - sheet.row_count
        sheet.grid["rowCount"] = sheet.row_count + grow
        sheet.fit_metadata()
    result = write_values(ss, sheet, start_row, start_col, values, input_option)
    result.pop("_touched")
    _with_data(
        result,
        sheet,
        (start_row, start_row + max(height, 1), start_col, start_col + max(width, 1)),
        params,
    )
    out["updates"] = result
    return out


def values_clear(ss: Spreadsheet, range_text: str) -> dict[str, Any]:
    return {"spreadsheetId": ss.spreadsheet_id, "clearedRange": _clear(ss, range_text)}


def _clear(ss: Spreadsheet, range_text: str) -> str:
    sheet, rng = resolve(ss, range_text)
    r0, r1, c0, c1 = bounds(sheet, rng)
    for r in range(r0, min(r1, len(sheet.rows))):
        if not any(sheet.rows[r][c0:c1]):
            continue
        line = sheet.line_for_write(r)
        for c in range(c0, min(c1, len(line))):
            if line[c]:
                set_entered(line[c], None, ss.locale)
    sheet.compact()
    return sheet.a1(r0, r1, c0, c1)


def values_batch_clear(ss: Spreadsheet, body: Any) -> dict[str, Any]:
    ranges = body.get("ranges", []) if isinstance(body, dict) else []
    return {"spreadsheetId": ss.spreadsheet_id, "clearedRanges": [_clear(ss, r) for r in ranges]}


def values_batch_update(ss: Spreadsheet, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. Expected an object.")
    input_option = _input_option(body.get("valueInputOption"))
    params: Params = {}
    for key in (
        "includeValuesInResponse",
        "responseValueRenderOption",
        "responseDateTimeRenderOption",
    ):
        if key in body:
            params[key] = [str(body[key])]
    responses = []
    rows: set[tuple[int, int]] = set()
    cols: set[tuple[int, int]] = set()
    sheets: set[int] = set()
    for index, item in enumerate(body.get("data") or []):
        if not isinstance(item, dict) or "range" not in item:
            raise invalid(f"Invalid data[{index}]: range is required")
        result, sheet, block = _update_one(
            ss, item["range"], item, input_option, f"data[{index}].values"
        )
        touched_rows, touched_cols = result.pop("_touched")
        rows |= touched_rows
        cols |= touched_cols
        if touched_rows:
            sheets.add(sheet.sheet_id)
        _with_data(result, sheet, block, params)
        responses.append(result)
    out: dict[str, Any] = {"spreadsheetId": ss.spreadsheet_id}
    totals = {
        "totalUpdatedRows": len(rows),
        "totalUpdatedColumns": len(cols),
        "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in responses),
        "totalUpdatedSheets": len(sheets),
    }
    out.update({k: v for k, v in totals.items() if v})
    out["responses"] = responses
    return out
