"""Turning what people type into spreadsheet cells into clean text and numbers."""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Thousands separators people type: ASCII and full-width commas, spaces (NBSP included), apostrophes.
_SEPARATORS = re.compile(r"[,\s'’]")
_SPACES = re.compile(r"\s+")


def clean_text(value) -> str:
    """NFKC (full-width letters, digits and brackets to ASCII), no stray spaces inside or around."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isalnum():  # a code or a quarter as the template has it
        return value
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


class NotANumber(ValueError):
    pass


def parse_number(value) -> Decimal | None:
    """A cell as a Decimal: 1,234 / １２３４ / " 1 234.5 " / 1.2E3; None for an empty cell or a dash."""
    if type(value) is str:  # every CSV cell
        text = value
    elif value is None or isinstance(value, bool):
        return None
    elif isinstance(value, int | Decimal):
        return Decimal(value)
    elif isinstance(value, float):
        return Decimal(repr(value))
    else:
        text = str(value)
    if text.isascii():
        try:
            number = Decimal(text)  # nearly every cell: a plain number (Decimal allows spaces around it, not inside)
        except InvalidOperation:
            number = _separated_number(value, text)
    else:
        number = _separated_number(value, text)
    if number is None:
        return None
    if not number.is_finite():
        raise NotANumber(str(value).strip())
    return number


def _separated_number(value, text: str) -> Decimal | None:
    """`text` (of the cell `value`) read with its separators and full-width digits; None for a dash."""
    if not text.isascii():  # NFKC leaves ASCII as it is
        text = unicodedata.normalize("NFKC", text)
    text = _SEPARATORS.sub("", text)
    if text in {"", "-", "—", "/"}:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise NotANumber(str(value).strip()) from exc
