"""Path ids: what a URL segment must be to name a database row."""

import re

# The largest key a database row can have (a signed 64-bit integer).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")


def parse_id(value):
    """The integer of a path id, or None when it is not a plain non-negative integer that fits
    a database key."""
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    value = str(value)
    if not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_ID else None
