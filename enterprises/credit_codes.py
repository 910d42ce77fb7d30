"""Unified social credit codes (统一社会信用代码, GB 32100-2015), checked and made with python-stdnum."""
import unicodedata

from stdnum.cn import uscc


def normalise(text: str) -> str:
    """The code as stored: upper case, without the spaces and dashes people type (full-width ones too)."""
    text = text or ""
    if text.isascii() and text.isalnum():  # as most codes come: nothing to take out (and stdnum's work is slow)
        return text.upper()
    return uscc.compact(unicodedata.normalize("NFKC", text))


def is_valid(code: str) -> bool:
    return uscc.is_valid(code)


def synthetic(region: str, serial: int) -> str:
    """A valid code for demo and test data: an enterprise (91) of a region (6 digits) with a made-up organisation
    number; the check character is computed, never typed."""
    body = f"91{region[:6]:0<6}{serial:09d}"
    return body + uscc.calc_check_digit(body)
