"""Number formats: how Sheets renders a number under a pattern ("#,##0.00", "0%",
"d/m/yyyy") or under "Automatic"."""

from __future__ import annotations

import datetime as dt
import math
import re

EPOCH = dt.datetime(1899, 12, 30)
DATE_TYPES = ("DATE", "TIME", "DATE_TIME")
# What dateTimeRenderOption=FORMATTED_STRING renders as text: "date, time, datetime, and
# duration fields" (Google's reference for values.get).
SERIAL_TYPES = (*DATE_TYPES, "DURATION")
_LOCALE_DATE = {"th_TH": "d/m/yyyy", "en_US": "m/d/yyyy", "en_GB": "dd/mm/yyyy"}


def from_serial(serial: float) -> dt.datetime:
    """The moment a spreadsheet serial number (days since 1899-12-30) stands for."""
    return EPOCH + dt.timedelta(days=serial)


def general(value: float) -> str:
    """Google's "Automatic" rendering of a number."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if abs(value) >= 1e15 or abs(value) < 1e-9:
        return f"{value:.2E}"
    return f"{value:.10f}".rstrip("0").rstrip(".")


def default_pattern(kind: str, locale: str) -> str:
    date = _LOCALE_DATE.get(locale, "yyyy-mm-dd")
    return {
        "NUMBER": "#,##0.00",
        "PERCENT": "0.00%",
        "CURRENCY": "[$฿]#,##0.00" if locale == "th_TH" else "$#,##0.00",
        "DATE": date,
        "TIME": "h:mm:ss am/pm",
        "DATE_TIME": f"{date} h:mm:ss",
        "SCIENTIFIC": "0.00E+00",
        "DURATION": "[h]:mm:ss",
    }.get(kind, "")


def format_number(value: float, nf: dict | None, locale: str) -> str:
    if not nf:
        return general(value)
    kind = nf.get("type", "NUMBER")
    pattern = nf.get("pattern") or default_pattern(kind, locale)
    if kind == "TEXT" or not pattern:
        return general(value)
    if kind in DATE_TYPES:
        return format_datetime(value, pattern)
    if kind == "DURATION":
        return format_duration(value, pattern)
    return format_pattern(value, pattern)


_DURATION_TOKEN = re.compile(r'\[(h+|m+|s+)\]|hh?|mm?|ss?|"[^"]*"|\\.|.', re.IGNORECASE)


def format_duration(days: float, pattern: str) -> str:
    """A duration ("[h]:mm:ss"): the first bracketed unit counts the whole elapsed time."""
    seconds = round(abs(days) * 86400)
    out: list[str] = ["-"] if days < 0 else []
    unit = ""
    for match in _DURATION_TOKEN.finditer(pattern):
        token, bracketed = match.group(0), (match.group(1) or "").lower()
        code = token.lower()
        if bracketed:
            unit = bracketed[0]
            n = seconds // {"h": 3600, "m": 60, "s": 1}[unit]
            out.append(f"{n:0{len(bracketed)}d}")
        elif code[0] in "hms" and code.strip("hms") == "":
            n = {
                "h": seconds // 3600 % 24,
                "m": seconds // 60 % (60 if unit in ("h", "") else 10**9),
                "s": seconds % 60,
            }[code[0]]
            out.append(f"{n:0{len(code)}d}")
        elif token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        else:
            out.append(token)
    return "".join(out)


_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|.',
    re.IGNORECASE,
)
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_datetime(serial: float, pattern: str) -> str:
    moment = from_serial(serial)
    moment = (moment + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    tokens = _DATE_TOKEN.findall(pattern)
    codes = [t.lower() for t in tokens]
    twelve_hour = any(c in ("am/pm", "a/p") for c in codes)
    out: list[str] = []
    for i, (token, code) in enumerate(zip(tokens, codes, strict=True)):
        if code in ("m", "mm"):
            before = [c for c in codes[:i] if c[0] in "hdysm" and c not in ("m", "mm")]
            after = [c for c in codes[i + 1 :] if c[0] in "hdysm"]
            minute = (before and before[-1] in ("h", "hh")) or (after and after[0] in ("s", "ss"))
            number_ = moment.minute if minute else moment.month
            out.append(f"{number_:02d}" if code == "mm" else str(number_))
        elif code == "yyyy":
            out.append(f"{moment.year:04d}")
        elif code == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif code in ("mmm", "mmmm", "mmmmm"):
            name = _MONTHS[moment.month - 1]
            out.append(name if code == "mmmm" else name[: 1 if code == "mmmmm" else 3])
        elif code in ("d", "dd"):
            out.append(f"{moment.day:02d}" if code == "dd" else str(moment.day))
        elif code in ("ddd", "dddd"):
            name = _DAYS[moment.weekday()]
            out.append(name if code == "dddd" else name[:3])
        elif code in ("h", "hh"):
            hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
            out.append(f"{hour:02d}" if code == "hh" else str(hour))
        elif code in ("s", "ss"):
            out.append(f"{moment.second:02d}" if code == "ss" else str(moment.second))
        elif code in ("am/pm", "a/p"):
            am = moment.hour < 12
            text = ("AM" if am else "PM") if code == "am/pm" else ("A" if am else "P")
            out.append(text if token[0].isupper() else text.lower())
        elif token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        else:
            out.append(token)
    return "".join(out)


_SECTION_SPLIT = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')
_CORE = re.compile(r"[0#?,]*\.?[0#?]*(?:E[+-][0#]+)?", re.IGNORECASE)
_CURRENCY = re.compile(r"\[\$([^\]-]*)(?:-[^\]]*)?\]")


def _literal(text: str) -> str:
    text = _CURRENCY.sub(lambda m: m.group(1), text)
    text = re.sub(r'"([^"]*)"', r"\1", text)
    return re.sub(r"\\(.)", r"\1", text)


def format_pattern(value: float, pattern: str) -> str:
    """Render a number with a Sheets number pattern ("#,##0.00", "0%", "[$฿]#,##0")."""
    sections = _SECTION_SPLIT.split(pattern)
    section = sections[0]
    negative_section = False
    if value < 0 and len(sections) > 1:
        section, negative_section = sections[1], True
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    core_match = None
    for match in _CORE.finditer(section):
        if any(ch in match.group(0) for ch in "0#?"):
            core_match = match
            break
    if core_match is None:
        return _literal(section)
    core = core_match.group(0)
    prefix = _literal(section[: core_match.start()])
    suffix = _literal(section[core_match.end() :])
    scaled = abs(value) if negative_section or value >= 0 else -value
    if "%" in section:
        scaled *= 100
    if "e" in core.lower():
        mantissa = core.lower().split("e")[0]
        digits = len(mantissa.split(".", 1)[1]) if "." in mantissa else 0
        body = f"{scaled:.{digits}E}"
        mant, exp = body.split("E")
        body = f"{mant}E{int(exp):+03d}"
    else:
        integer_part, _, decimal_part = core.partition(".")
        max_dec = sum(ch in "0#?" for ch in decimal_part)
        min_dec = decimal_part.count("0")
        rounded = round(scaled + 0.0, max_dec)
        body = f"{rounded:,.{max_dec}f}" if "," in integer_part else f"{rounded:.{max_dec}f}"
        if max_dec > min_dec:
            whole, _, frac = body.partition(".")
            frac = frac.rstrip("0")
            frac = frac + "0" * max(0, min_dec - len(frac))
            body = f"{whole}.{frac}" if frac else whole
        if integer_part.count("0") == 0 and body.startswith("0") and len(body) > 1:
            body = body[1:]
    sign = "-" if value < 0 and not negative_section and not math.isclose(value, 0) else ""
    return f"{sign}{prefix}{body}{suffix}"
