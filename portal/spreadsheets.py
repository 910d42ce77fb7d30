"""What every Excel export shares: text that a spreadsheet would run as a formula is quoted."""

FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value):
    """A cell value with a leading quote if it is text starting with = + - @ (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
