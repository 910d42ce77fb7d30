"""Cells the portal writes into spreadsheets (exports, templates): formula injection neutralised.

A text cell starting with =, +, -, @, a tab or a carriage return is read by Excel and WPS as a
formula (CSV injection); prefixing a single quote makes it plain text. Every writer calls
`neutralise`; numbers are left alone, so a negative amount stays a number.
"""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
