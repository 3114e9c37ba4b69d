"""Field rules of dataset-format.md: each check returns the value to store or raises Invalid."""

import json
from datetime import UTC, datetime

from dashboards import text
from dashboards.dataset.reader import json_type

MAX_ID = 2**63 - 1  # the largest primary key both engines store
MIN_KEY_LENGTH = 8


class Invalid(Exception):
    """A value breaks a field rule; the message is the reason, `suffix` refines the field."""

    def __init__(self, reason, suffix=""):
        super().__init__(reason)
        self.suffix = suffix


def show(value):
    """A value as a message quotes it: strings in quotes, anything else as JSON, cut short."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "…")
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 40 else shown[:40] + "…"


def ident(value):
    if type(value) is int and 0 < value <= MAX_ID:
        return value
    raise Invalid(f"expected a positive integer, got {show(value)}")


def reference(value):
    return None if value is None else ident(value)


def storable(value):
    """Refuse what PostgreSQL cannot store in text: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise Invalid("contains a NUL character, which the database cannot store")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid("contains an unpaired surrogate, which is not valid text") from None
    return value


def optional_text(max_length=None):
    """String or null; blank is stored as null, anything else exactly as given."""

    def check(value):
        if value is None:
            return None
        if type(value) is not str:
            raise Invalid(f"expected a string or null, got {json_type(value)}")
        value = text.blank_to_none(storable(value))
        if max_length is not None and value is not None and len(value) > max_length:
            raise Invalid(f"longer than {max_length} characters")
        return value

    return check


def title(value):
    if type(value) is not str:
        raise Invalid(f"expected a string, got {json_type(value)}")
    if not storable(value).strip():
        raise Invalid("must not be blank")
    if len(value) > 255:
        raise Invalid("longer than 255 characters")
    return value


def slug(value):
    """A course slug: string or null; null and blank are stored as ""."""
    if value is None:
        return ""
    if type(value) is not str:
        raise Invalid(f"expected a string or null, got {json_type(value)}")
    if len(storable(value)) > 255:
        raise Invalid("longer than 255 characters")
    return value if value.strip() else ""


def choice(options):
    listing = ", ".join(option or '""' for option in options)
    allowed = frozenset(options)

    def check(value):
        if type(value) is str and value in allowed:
            return value
        raise Invalid(f"{show(value)} is not one of {listing}")

    return check


def boolean(value):
    if type(value) is bool:
        return value
    raise Invalid(f"expected true or false, got {show(value)}")


def timestamp(value):
    """ISO 8601 with a timezone (Z or an offset), returned in UTC; null stays null."""
    if value is None:
        return None
    if type(value) is not str:
        raise Invalid(f"expected an ISO 8601 timestamp or null, got {json_type(value)}")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{show(value)} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is UTC:
        return moment
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Invalid(f"{show(value)} has no timezone (add Z or an offset such as +02:00)")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise Invalid(f"{show(value)} is out of range") from None


def completion_rate(value):
    """An integer from 0 to 100; null means the default, 0."""
    if value is None:
        return 0
    if type(value) is int and 0 <= value <= 100:
        return value
    raise Invalid(f"expected an integer from 0 to 100, got {show(value)}")


def score(value):
    if value is None:
        return None
    if type(value) in (int, float) and 0 <= value <= 1:  # NaN fails both comparisons
        return float(value)
    raise Invalid(f"expected null or a number from 0 to 1, got {show(value)}")


def id_list(value):
    """A list of distinct positive ids; null is an empty list."""
    if value is None:
        return ()
    if type(value) is not list:
        raise Invalid(f"expected a list of ids, got {json_type(value)}")
    seen = set()
    for position, item in enumerate(value):
        try:
            ident(item)
        except Invalid as error:
            raise Invalid(str(error), suffix=f"[{position}]") from None
        if item in seen:
            raise Invalid(f"{item} is listed twice", suffix=f"[{position}]")
        seen.add(item)
    return tuple(value)


def password(value):
    """A password to set, or null for none that works."""
    if value is None:
        return None
    if type(value) is not str:
        raise Invalid(f"expected a string or null, got {json_type(value)}")
    if not storable(value).strip():
        raise Invalid("must not be blank (use null for no password)")
    return value


def credential_key(value):
    if type(value) is not str:
        raise Invalid(f"expected a string, got {json_type(value)}")
    if len(storable(value)) < MIN_KEY_LENGTH:
        raise Invalid(f"shorter than {MIN_KEY_LENGTH} characters")
    if value != value.strip():
        # Presented keys are stripped (authentication.presented_key), so this one could never match.
        raise Invalid("starts or ends with whitespace")
    return value
