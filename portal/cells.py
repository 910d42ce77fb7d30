"""Cells the portal writes into spreadsheets (exports, templates, API CSV/xlsx): formula injection neutralised.

A text cell starting with =, +, -, @, a tab or a carriage return is read by Excel and WPS as a
formula (CSV injection); prefixing a single quote makes it plain text. Every writer calls
`neutralise`. Numbers are left alone, and so is text that is just a number ("-12.5", as REST
serializers write decimals), so a negative amount stays a number.
"""
import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
