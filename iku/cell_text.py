"""Spreadsheet cells as the clerk sees them. openpyxl gives what the file stores (0.8, 95.5, a
datetime); the clerk typed and reads what Excel shows from it with the cell's number format ("80%",
"95,50", "31/12/2027"), in Indonesian conventions: a decimal comma and a dot between thousands."""

import datetime
import math
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from lib.dates import MONTHS, WEEKDAYS

# Excel keeps 15 significant digits: beyond them a float's digits are noise (0.30000000000000004).
EXCEL_DIGITS = 15
# Excel's General format shows about ten significant digits in a cell ("0,3333333333").
GENERAL_DIGITS = 10
_NUMBER_TOKEN = re.compile(r'"[^"]*"?|\\.|[_*].?|\[[^\]]*\]?|general|.', re.IGNORECASE | re.DOTALL)
_DATE_TOKEN = re.compile(r'"[^"]*"?|\\.|[_*].?|\[[^\]]*\]?|am/pm|a/p|y+|m+|d+|h+|s+|e|\.0+|.',
                         re.IGNORECASE | re.DOTALL)
_PLACEHOLDERS = {"0", "#", "?"}
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# Excel's codes for the system's long date and time: Indonesian Windows shows them so.
SYSTEM_FORMAT = re.compile(r"\[\$-(F800|F400)\]", re.IGNORECASE)
SYSTEM_FORMATS = {"f800": "dddd, d mmmm yyyy", "f400": "h:mm:ss"}
# A character the file's XML cannot hold as it is Excel writes as its code: the carriage return of a
# line break pasted into a cell from another Windows program is "_x000D_", and a literal "_x" is
# written "_x005F_x". openpyxl gives the codes as they are, and "Baris satu_x000D_" reached the grid.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def cell_text(cell) -> str:
    """The cell as Excel shows it to an Indonesian reader; text as typed. An error shows its code
    ("#N/A") and a logical value TRUE or FALSE: the reader refuses both, so that is for headings."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return _ESCAPED.sub(lambda code: chr(int(code[1], 16)), value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    try:
        number_format = cell.number_format or "General"
    except (IndexError, KeyError, AttributeError):  # a style the file names but does not hold
        number_format = "General"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
        return date_text(value, number_format)
    if isinstance(value, (int, float, Decimal)):
        return number_text(value, number_format)
    return str(value)


def number_text(value, number_format: str = "General") -> str:
    """`value` shown with `number_format` as Excel shows it, in Indonesian conventions: 0.8 with "0%"
    is "80%", 95.5 with "0.00" is "95,50", 100000 with "#,##0" is "100.000", and with General an
    integer has no decimals and a fraction at most ten significant digits (1/3 is "0,3333333333")."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    number = Decimal(value) if not isinstance(value, float) else _significant(Decimal(repr(value)), EXCEL_DIGITS)
    sections = _sections(number_format)
    # A second section is for negative numbers, with its own signs ("(5)"); a third for zero ("-").
    if number < 0 and len(sections) > 1 and sections[1]:
        section, signed, number = sections[1], False, -number
    elif number == 0 and len(sections) > 2 and sections[2]:
        section, signed = sections[2], False
    else:
        section, signed = sections[0], True
    # Enough precision for any float a cell holds, written out in full.
    with localcontext(prec=400):
        return _number_in(section, number, signed).strip()


def _sections(number_format: str) -> list[str]:
    sections, current = [], []
    for token in _NUMBER_TOKEN.findall(number_format or "General"):
        if token == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(token)
    sections.append("".join(current))
    return sections


def _number_in(section: str, number: Decimal, signed: bool) -> str:
    tokens = _NUMBER_TOKEN.findall(section)
    pieces, spec, slot, general, percent = [], [], None, False, 0
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        low = token.lower()
        if token in _PLACEHOLDERS or (token in (".", ",") and (spec or following in _PLACEHOLDERS)):
            spec.append(token)
        elif low == "general" or token == "@":
            general = True
        elif spec and (low == "e" and following in ("+", "-") or token == "/"):
            # Scientific and fraction formats are rare in these tables: shown as General.
            general, spec = True, []
            break
        elif token == "%":
            percent += 1
            pieces.append("%")
            continue
        elif token.startswith('"'):
            pieces.append(token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:])
            continue
        elif token.startswith("\\"):
            pieces.append(token[1:])
            continue
        elif token[0] in "_*":
            continue  # padding and fill: width on screen, no characters
        elif token.startswith("["):
            if token.startswith("[$"):
                pieces.append(token[2:].rstrip("]").split("-")[0])  # a currency: [$Rp-421]
            continue  # a colour, a condition or a locale
        else:
            pieces.append(token)
            continue
        if slot is None:
            slot = len(pieces)
            pieces.append("")
    if slot is None:
        if any(pieces) and not general:
            return "".join(pieces)  # a section of words only, such as an accounting zero "-"
        slot, general = len(pieces), True
        pieces.append("")
    value = number * 100 ** percent
    digits, nonzero = _general_digits(value) if general or not spec else _fixed_digits(value, "".join(spec))
    pieces[slot] = digits
    return ("-" if signed and nonzero and value < 0 else "") + "".join(pieces)


def _general_digits(value: Decimal) -> tuple[str, bool]:
    if value == value.to_integral_value():
        return f"{abs(value).quantize(Decimal(1)):f}", bool(value)
    rounded = _significant(abs(value), GENERAL_DIGITS).normalize()
    return f"{rounded:f}".replace(".", ","), bool(rounded)


def _fixed_digits(value: Decimal, spec: str) -> tuple[str, bool]:
    whole_spec, _, decimal_spec = spec.partition(".")
    scale = 0
    # A comma after the last digit divides by a thousand ("#,##0," shows 1.500.000 as "1.500").
    while whole_spec.endswith(",") and not decimal_spec:
        whole_spec, scale = whole_spec[:-1], scale + 1
    while decimal_spec.endswith(","):
        decimal_spec, scale = decimal_spec[:-1], scale + 1
    places = sum(char in _PLACEHOLDERS for char in decimal_spec)
    rounded = (abs(value) / 1000 ** scale).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    whole, _, decimals = f"{rounded:f}".partition(".")
    while len(decimals) > decimal_spec.count("0") and decimals.endswith("0"):
        decimals = decimals[:-1]
    # "#" alone would show a zero as nothing; a target of 0 must still read as one.
    whole = whole.lstrip("0").rjust(whole_spec.count("0"), "0") or "0"
    if "," in whole_spec:
        whole = ".".join(whole[max(0, end - 3):end] for end in range(len(whole) % 3 or 3, len(whole) + 1, 3))
    return whole + ("," + decimals if decimals else ""), bool(rounded)


def _significant(number: Decimal, digits: int) -> Decimal:
    if not number:
        return Decimal(0)
    exponent = number.adjusted() - digits + 1
    if number.as_tuple().exponent >= exponent:
        return number
    with localcontext(prec=400):
        return number.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_UP)


def date_text(value, number_format: str = "General") -> str:
    """A date, time or duration as the cell's format shows it, with Indonesian names ("31 Desember
    2027"). A date whose format puts the month or the year first ("mm-dd-yy", Excel's default that
    the system's locale fills in, or "yyyy-mm-dd") is shown in Indonesian order: "31/12/2027"."""
    items = _date_items(_sections(number_format)[0])
    kinds = {kind for kind, _ in items}
    dated, timed = bool(kinds & {"day", "month", "year"}), bool(kinds & {"hour", "minute", "second"})
    if isinstance(value, datetime.timedelta):
        return _duration_in(items if timed else _date_items("[h]:mm:ss"), value)
    if isinstance(value, datetime.time):
        moment = datetime.datetime.combine(datetime.date(1900, 1, 1), value)
        if timed and not dated:
            return _date_in(items, moment)
        return _date_in(_date_items("h:mm:ss" if value.second else "h:mm"), moment)
    moment = value if isinstance(value, datetime.datetime) else datetime.datetime.combine(value, datetime.time())
    if (dated and _indonesian_order(items)) or (timed and not dated):
        return _date_in(items, moment)
    shown = f"{moment.day}/{moment.month}/{moment.year}"
    # Midnight is a date typed without a time: "31/12/2027", not "31/12/2027 0:00".
    if timed and moment.time() != datetime.time():
        shown += f" {moment.hour}:{moment.minute:02d}" + (f":{moment.second:02d}" if moment.second else "")
    return shown


def _date_items(section: str) -> list[tuple[str, str]]:
    """(kind, token) of each part of a date format; an "m" is the minute beside an hour or a second."""
    system = SYSTEM_FORMAT.search(section)
    if system:
        # What follows the code is how an English system would show it; the clerk's shows Indonesian.
        return _date_items(SYSTEM_FORMATS[system[1].lower()])
    items = []
    for token in _DATE_TOKEN.findall(section):
        low = token.lower()
        elapsed = _ELAPSED.fullmatch(low)
        if token.startswith('"'):
            items.append(("text", token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]))
        elif token.startswith("\\"):
            items.append(("text", token[1:]))
        elif token[0] in "_*":
            continue
        elif elapsed:
            kind = {"h": "hour", "m": "minute", "s": "second"}[elapsed[1][0]]
            items.append((kind, "[" + elapsed[1] + "]"))
        elif token.startswith("["):
            if low.startswith("[$") and not low.startswith("[$-"):
                items.append(("text", token[2:].rstrip("]").split("-")[0]))
        elif low in ("am/pm", "a/p"):
            items.append(("ampm", token))
        elif low[0] == "y" or low == "e":
            items.append(("year", "yyyy" if low == "e" else low))
        elif low[0] in "mdhs" and low.strip(low[0]) == "":
            items.append(({"m": "month", "d": "day", "h": "hour", "s": "second"}[low[0]], low))
        elif low.startswith(".0"):
            items.append(("fraction", low))
        else:
            items.append(("text", token))
    timed = [index for index, (kind, _) in enumerate(items) if kind not in ("text", "ampm", "fraction")]
    for position, index in enumerate(timed):
        kind, token = items[index]
        before = items[timed[position - 1]][0] if position else ""
        after = items[timed[position + 1]][0] if position + 1 < len(timed) else ""
        if kind == "month" and len(token) <= 2 and (before == "hour" or after == "second"):
            items[index] = ("minute", token)
    return items


def _indonesian_order(items) -> bool:
    """Whether the day, month and year the format shows come in that order (any may be left out);
    a weekday ("dddd") may stand anywhere."""
    rank = {"day": 0, "month": 1, "year": 2}
    order = []
    for kind, token in items:
        if kind in rank and not (kind == "day" and len(token) > 2) and kind not in order:
            order.append(kind)
    return all(rank[a] < rank[b] for a, b in zip(order, order[1:]))


def _date_in(items, moment: datetime.datetime) -> str:
    twelve = any(kind == "ampm" for kind, _ in items)
    out = []
    for kind, token in items:
        width = len(token.strip("[]"))
        if kind == "text":
            out.append(token)
        elif kind == "year":
            out.append(f"{moment.year:04d}" if width > 2 else f"{moment.year % 100:02d}")
        elif kind == "month":
            out.append({1: str(moment.month), 2: f"{moment.month:02d}", 3: MONTHS_SHORT[moment.month - 1]}.get(
                width, MONTHS[moment.month - 1] if width == 4 else MONTHS[moment.month - 1][0]))
        elif kind == "day":
            out.append({1: str(moment.day), 2: f"{moment.day:02d}", 3: WEEKDAYS[moment.weekday()][:3]}.get(
                width, WEEKDAYS[moment.weekday()]))
        elif kind == "hour":
            hour = (moment.hour % 12 or 12) if twelve else moment.hour
            out.append(str(hour).rjust(width, "0"))
        elif kind == "minute":
            out.append(str(moment.minute).rjust(width, "0"))
        elif kind == "second":
            out.append(str(moment.second).rjust(width, "0"))
        elif kind == "fraction":
            out.append("," + f"{moment.microsecond / 1_000_000:.{len(token) - 1}f}"[2:])
        elif kind == "ampm":
            noon = moment.hour >= 12
            out.append(("PM" if noon else "AM") if len(token) > 3 else ("P" if noon else "A"))
    return "".join(out)


def _duration_in(items, value: datetime.timedelta) -> str:
    """A duration as "[h]:mm:ss" shows it: the first unit counts the whole ("48:00:00" for two days)."""
    seconds = round(abs(value).total_seconds())
    first = next((kind for kind, _ in items if kind in ("hour", "minute", "second")), "hour")
    units = {
        "hour": seconds // 3600,
        "minute": seconds // 60 if first == "minute" else seconds // 60 % 60,
        "second": seconds if first == "second" else seconds % 60,
    }
    out = []
    for kind, token in items:
        if kind == "text":
            out.append(token)
        elif kind in units:
            out.append(str(units[kind]).rjust(len(token.strip("[]")), "0"))
    return ("-" if value < datetime.timedelta(0) else "") + "".join(out)
