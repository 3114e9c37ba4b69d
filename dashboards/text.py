"""Text rules shared by the database columns, the loader and the filters."""

import unicodedata
from datetime import UTC


def normalize(text):
    """Fold case and accents: NFKD, drop combining marks, casefold (org-dashboard-api.md)."""
    if not text:
        return ""
    if text.isascii():  # no accents to drop, and NFKD leaves ASCII as it is
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def blank_to_none(value):
    """Return None for None, "" or whitespace-only strings, else the string unchanged."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


# More terms than this make no search of a person's names; hundreds of them would pass
# SQLite's expression depth limit (1,000).
MAX_SEARCH_TERMS = 32


def search_terms(query):
    """Split a search query into the normalized terms a filter applies (an empty list means
    no filter): each once, none that lies within another term (it cannot narrow a match
    that needs every term), and the first MAX_SEARCH_TERMS of those."""
    unique = list(dict.fromkeys(normalize(query or "").split()))
    kept = [term for term in unique if not any(term != other and term in other for other in unique)]
    return kept[:MAX_SEARCH_TERMS]


def real_name(*, full_name, fn, first_name, last_name):
    """The first non-blank of fullName, fn, "first last", firstName, lastName; else ""."""
    full_name, fn = blank_to_none(full_name), blank_to_none(fn)
    first_name, last_name = blank_to_none(first_name), blank_to_none(last_name)
    if full_name:
        return full_name
    if fn:
        return fn
    if first_name and last_name:
        return f"{first_name} {last_name}"
    return first_name or last_name or ""


def display_name(**names):
    """real_name, or "Unknown" when the user has no name."""
    return real_name(**names) or "Unknown"


def utc_iso(moment):
    """ISO 8601 in UTC with a Z suffix: the APIs', the exports' and the dataset's time form."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
