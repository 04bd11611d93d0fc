"""Cell values: what a write turns into, and how a stored cell renders back.

Google keeps three views of a cell: ``userEnteredValue`` (what was typed or sent),
``effectiveValue`` (after formulas) and ``formattedValue`` (after the number format).
This module derives the last two from the first, well enough for tests: arithmetic on
literals, ``=HYPERLINK(url, label)`` and ``="text"`` are evaluated; any other formula keeps
a seeded ``effectiveValue`` or shows as an empty string.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from decimal import Decimal
from typing import Any

from .number_formats import EPOCH, SERIAL_TYPES, format_number

Cell = dict[str, Any]
ExtendedValue = dict[str, Any]


ERROR_TEXT = {
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "REF": "#REF!",
    "N_A": "#N/A",
    "VALUE": "#VALUE!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "NULL_VALUE": "#NULL!",
    "ERROR": "#ERROR!",
    "LOADING": "Loading...",
}

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_HYPERLINK = re.compile(
    r'^HYPERLINK\(\s*"((?:[^"]|"")*)"\s*(?:[,;]\s*"((?:[^"]|"")*)"\s*)?\)$', re.IGNORECASE
)
_STRING_LITERAL = re.compile(r'^"((?:[^"]|"")*)"$')


def clone(value: Any) -> Any:
    """A copy of a JSON tree (dicts, lists, scalars): what copy.deepcopy does for cells,
    several times faster because it keeps no memo."""
    kind = type(value)
    if kind is dict:
        return {key: clone(item) for key, item in value.items()}
    if kind is list:
        return [clone(item) for item in value]
    return value


def number(value: float) -> int | float:
    """JSON-friendly number: Google writes 2, not 2.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def to_serial(value: dt.date) -> int | float:
    """Days since 1899-12-30, the spreadsheet epoch (fractions are the time of day)."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - EPOCH
        return number(delta.days + delta.seconds / 86400)
    return (value - EPOCH.date()).days


# --- turning input into userEnteredValue --------------------------------------------------


def raw_value(value: object) -> ExtendedValue | None:
    """valueInputOption=RAW: strings stay strings, even "=1+1" or "0812345678"."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": number(float(value))}
    if value is None or value == "":
        return None
    return {"stringValue": str(value)}


def user_entered_value(value: object, locale: str) -> tuple[ExtendedValue | None, dict | None]:
    """valueInputOption=USER_ENTERED: parse as if typed into the UI.

    Returns the userEnteredValue and the number format the UI would pick for it.
    """
    if not isinstance(value, str):
        return raw_value(value), None
    text = value
    if text == "":
        return None, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("=") and len(text) > 1:
        return {"formulaValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    parsed = _parse_number(stripped)
    if parsed is not None:
        return parsed
    parsed_date = _parse_date(stripped, locale)
    if parsed_date is not None:
        return parsed_date
    return {"stringValue": text}, None


def _parse_number(text: str) -> tuple[ExtendedValue, dict | None] | None:
    percent = text.endswith("%")
    body = text[:-1].strip() if percent else text
    if not body or not _NUMBER.match(body) or not any(ch.isdigit() for ch in body):
        return None
    value = float(body.replace(",", ""))
    decimals = len(body.split(".", 1)[1]) if "." in body and "e" not in body.lower() else 0
    tail = "." + "0" * decimals if decimals else ""
    if percent:
        return {"numberValue": number(value / 100)}, {"type": "PERCENT", "pattern": f"0{tail}%"}
    if "," in body:
        return {"numberValue": number(value)}, {"type": "NUMBER", "pattern": f"#,##0{tail}"}
    return {"numberValue": number(value)}, None


def _parse_date(text: str, locale: str) -> tuple[ExtendedValue, dict] | None:
    try:
        iso = _ISO_DATE.match(text)
        if iso:
            y, m, d = (int(g) for g in iso.groups())
            return {"numberValue": to_serial(dt.date(y, m, d))}, {
                "type": "DATE",
                "pattern": "yyyy-mm-dd",
            }
        slash = _SLASH_DATE.match(text)
        if slash:
            a, b, y = (int(g) for g in slash.groups())
            month_first = locale == "en_US"
            m, d = (a, b) if month_first else (b, a)
            pattern = "m/d/yyyy" if month_first else "d/m/yyyy"
            return {"numberValue": to_serial(dt.date(y, m, d))}, {
                "type": "DATE",
                "pattern": pattern,
            }
    except ValueError:
        return None
    return None


def seed_cell(value: object) -> Cell:
    """A cell from a Python value, for test fixtures (str "=..." is a formula, dates get a format)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, dt.datetime):
        return {
            "userEnteredValue": {"numberValue": to_serial(value)},
            "userEnteredFormat": {
                "numberFormat": {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
            },
        }
    if isinstance(value, dt.date):
        return {
            "userEnteredValue": {"numberValue": to_serial(value)},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}},
        }
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, str) and value.startswith("=") and len(value) > 1:
        return {"userEnteredValue": {"formulaValue": value}}
    entered = raw_value(value)
    return {"userEnteredValue": entered} if entered else {}


# --- formulas -----------------------------------------------------------------------------

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def _arith(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _arith(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _arith(node.operand)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return float(_BINARY[type(node.op)](_arith(node.left), _arith(node.right)))
    raise ValueError("not arithmetic")


def evaluate_formula(formula: str) -> ExtendedValue | None:
    """The effective value of the few formulas the stand-in understands, else None."""
    body = formula[1:].strip()
    link = _HYPERLINK.match(body)
    if link:
        url, label = link.groups()
        return {"stringValue": (label if label is not None else url).replace('""', '"')}
    literal = _STRING_LITERAL.match(body)
    if literal:
        return {"stringValue": literal.group(1).replace('""', '"')}
    try:
        tree = ast.parse(body.replace("^", "**"), mode="eval")
        return {"numberValue": number(_arith(tree))}
    except ZeroDivisionError:
        return {
            "errorValue": {
                "type": "DIVIDE_BY_ZERO",
                "message": "Function DIVIDE parameter 2 cannot be zero.",
            }
        }
    except (SyntaxError, ValueError, TypeError, OverflowError):
        return None


def refresh(cell: Cell, locale: str) -> None:
    """Recompute effectiveValue and formattedValue from userEnteredValue and the format.

    A formula the stand-in cannot evaluate keeps whatever effectiveValue the cell was
    seeded with; writers drop that first so a stale result never survives an edit.
    """
    entered = cell.get("userEnteredValue")
    if not entered:
        cell.pop("userEnteredValue", None)
        cell.pop("effectiveValue", None)
        cell.pop("formattedValue", None)
        return
    if "formulaValue" in entered:
        effective = evaluate_formula(entered["formulaValue"])
        if effective is None:
            effective = cell.get("effectiveValue") or {"stringValue": ""}
    else:
        effective = dict(entered)
    cell["effectiveValue"] = effective
    text = format_effective(effective, number_format(cell), locale)
    if text == "":
        cell.pop("formattedValue", None)
    else:
        cell["formattedValue"] = text


def set_entered(cell: Cell, entered: ExtendedValue | None, locale: str) -> None:
    """Replace a cell's value (keeping note, format, validation) and recompute."""
    cell.pop("effectiveValue", None)
    if entered is None:
        cell.pop("userEnteredValue", None)
    else:
        cell["userEnteredValue"] = entered
    refresh(cell, locale)


def number_format(cell: Cell) -> dict | None:
    fmt = cell.get("userEnteredFormat") or {}
    nf = fmt.get("numberFormat")
    return nf if isinstance(nf, dict) else None


def has_value(cell: Cell | None) -> bool:
    return cell is not None and "userEnteredValue" in cell


# --- rendering ----------------------------------------------------------------------------


def render(cell: Cell | None, value_render: str, date_render: str) -> Any:
    """A cell as values.get returns it; None for an empty cell."""
    if not cell or "userEnteredValue" not in cell:
        return None
    entered = cell["userEnteredValue"]
    if value_render == "FORMULA" and "formulaValue" in entered:
        return entered["formulaValue"]
    effective = cell.get("effectiveValue") or {}
    if value_render == "FORMATTED_VALUE":
        return cell.get("formattedValue", "")
    if "numberValue" in effective:
        nf = number_format(cell)
        if date_render == "FORMATTED_STRING" and nf and nf.get("type") in SERIAL_TYPES:
            return cell.get("formattedValue", "")
        return number(float(effective["numberValue"]))
    if "boolValue" in effective:
        return bool(effective["boolValue"])
    if "errorValue" in effective:
        return cell.get("formattedValue", "#ERROR!")
    return effective.get("stringValue", "")


def format_effective(effective: ExtendedValue, nf: dict | None, locale: str) -> str:
    if "stringValue" in effective:
        return str(effective["stringValue"])
    if "boolValue" in effective:
        return "TRUE" if effective["boolValue"] else "FALSE"
    if "errorValue" in effective:
        return ERROR_TEXT.get(effective["errorValue"].get("type", "ERROR"), "#ERROR!")
    if "numberValue" in effective:
        return format_number(float(effective["numberValue"]), nf, locale)
    return ""
