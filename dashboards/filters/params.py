"""Query-parameter field types shared by every listing's FilterSet.

Each family keeps its own wording: the course family (course-users-api.md) speaks DRF's
messages, the org family (org-dashboard-api.md) its `Invalid <param>: '<value>'` ones. The
parsing rules (repeated and comma-separated lists, strict integers, blank as absent) are
written once here.
"""

import json
import re
from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

PAGE_SIZES = [20, 50, 100]
# One parameter value longer than this is refused (dashboards/platform/middleware.py): no filter of
# ours needs more, and a huge search string would become a huge SQL statement. At 12 bytes per
# character (a 4-byte UTF-8 character, percent-encoded) the longest value still fits gunicorn's
# request line (8190 bytes, `make serve`) with every other parameter, so the server answers it, not
# gunicorn.
MAX_PARAMETER_LENGTH = 300
# The most items one list parameter takes, in all its spellings together. With the longest
# item (15 characters) and the commas, a list still fits one value's 300 characters
# (dashboards/platform/middleware.py), so every list the OpenAPI schema allows (its maxItems)
# is read.
MAX_LIST_ITEMS = 16
INTEGER = re.compile(r"[+-]?[0-9]+")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def text_or_none(value):
    """A single parameter's value stripped, or None when blank or absent."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def list_items(values, *, json_arrays=False):
    """Flatten repeated and comma-separated values (and, with json_arrays, `["a","b"]`) into
    stripped, non-empty items."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    items = []
    for value in values:
        value = str(value).strip()
        if json_arrays and value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                items.extend(str(item).strip() for item in parsed)
                continue
        items.extend(part.strip() for part in value.split(","))
    return [item for item in items if item]


class ListWidget(forms.Widget):
    """Read every value of a repeated query parameter (`a=1&a=2` as well as `a=1,2`)."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class BracketListWidget(ListWidget):
    """A ListWidget that also reads `name[]=a&name[]=b`, the way axios, jQuery and PHP clients
    send an array; both spellings may be mixed (plain values first)."""

    def value_from_datadict(self, data, files, name):
        values = []
        for key in (name, f"{name}[]"):
            found = super().value_from_datadict(data, files, key)
            values += [found] if isinstance(found, str) else list(found or [])
        return values


class ParameterField(forms.Field):
    """A query parameter named `param` (for its messages): never required, blank is absent."""

    def __init__(self, *, param=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.param = param

    def to_python(self, value):
        return text_or_none(value)


class ListParameterField(ParameterField):
    """A list parameter (see list_items) of at most MAX_LIST_ITEMS items; the message for more
    is the course family's (DRF's ListField wording) unless a subclass words it."""

    widget = ListWidget
    json_arrays = False

    def too_many(self, items):
        return _("Ensure this field has no more than %(limit)s elements.") % {
            "limit": MAX_LIST_ITEMS
        }

    def items(self, value):
        items = list_items(value, json_arrays=self.json_arrays)
        if len(items) > MAX_LIST_ITEMS:
            raise forms.ValidationError(self.too_many(items))
        return items


class FreeTextField(forms.CharField):
    """Free text (`search`, `filter`, `title`): never an error, a NUL included (Django's
    CharField would refuse one; FreeTextFilter makes it match nothing instead)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class FreeTextFilter(django_filters.CharFilter):
    """A free-text filter; its FilterSet method sees no value holding a NUL (see
    ParameterFilterSet.filter_queryset)."""

    field_class = FreeTextField


def matches_nothing(text):
    """True for text no stored value can contain: one with a NUL, which PostgreSQL can neither
    store nor take in a query."""
    return "\x00" in text


class WholeNumberField(ParameterField):
    """A strict integer ("5.0" and "1e3" are refused) of at least `minimum`, at most `maximum`
    (refused above it) or `cap` (clamped to it); blank gives `default`. The messages are the
    course family's unless a subclass words them."""

    def __init__(self, *, minimum, default, maximum=None, cap=None, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.cap, self.default = minimum, maximum, cap, default

    def not_a_number(self, text):
        return _("A valid integer is required.")

    def out_of_range(self, text):
        return _("Ensure this value is greater than or equal to %(limit)s.") % {
            "limit": self.minimum
        }

    def to_python(self, value):
        text = text_or_none(value)
        if text is None:
            return self.default
        if not INTEGER.fullmatch(text):
            raise forms.ValidationError(self.not_a_number(text))
        number = int(text)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            raise forms.ValidationError(self.out_of_range(text))
        return min(number, self.cap) if self.cap is not None else number


class ParameterFilterSet(django_filters.FilterSet):
    """Filters applied in declaration order, then the listing's order (`order_queryset`, used
    again when a listing reads its page's rows by key). Counting and windowing belong to the
    listing (dashboards.listings).

    Every filter returns the very queryset it was given when its value asks for nothing (None,
    empty, its no-op value): that is how `narrows` tells a filter in use from one that is not.
    """

    # The parameters in the order the contract checks them: the first invalid one is the
    # error a family that reports one error answers with.
    PARAMETERS = []
    # The parameters that set the listing's order (its table's header links set them).
    ORDER_PARAMETERS = ()
    # The filters a tally of the listing's rows (rows of filter columns and a `members` count,
    # as selectors.orgs.member_tally) answers as well: each one's filter() applies to the
    # tally's rows as it does to the listing's. Any other filter that narrows the rows makes
    # the listing count them (filtered_tally is None). Empty: the listing has no tally.
    TALLIED = []

    def get_form_class(self):
        """The form class, built once per FilterSet class: django-filter builds one (and every
        field) for each request, but the fields depend on the declared filters alone, and each
        form copies them anyway."""
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_queryset(self, queryset):
        cleaned = self.form.cleaned_data
        for name, filter_ in self.filters.items():
            if isinstance(filter_, FreeTextFilter) and matches_nothing(cleaned.get(name) or ""):
                # Decided here, so the NUL never reaches the database: an empty result.
                return self.order_queryset(queryset.none())
            queryset = filter_.filter(queryset, cleaned.get(name))
        return self.order_queryset(queryset)

    def order_queryset(self, queryset):
        return queryset

    @property
    def table_order(self):
        """The listing's order as its table's headers show it (django-tables2's order_by)."""
        return self.form.cleaned_data.get("ordering")

    def narrows(self, name):
        """Whether the filter `name`, with its cleaned value, changes the rows: decided by
        applying it to the unevaluated queryset (no query runs), so a filter declared later
        is judged by its own filter(), not by a list kept by hand. A free text holding a NUL
        matches nothing (filter_queryset)."""
        filter_, value = self.filters[name], self.form.cleaned_data.get(name)
        if isinstance(filter_, FreeTextFilter) and matches_nothing(value or ""):
            return True
        return filter_.filter(self.queryset, value) is not self.queryset

    def filtered_tally(self, tally):
        """The tally filtered as the rows are (by the TALLIED filters), or None when it cannot
        answer: the FilterSet has no tally, or a filter it does not answer narrows the rows."""
        if not self.TALLIED:
            return None
        if any(self.narrows(name) for name in self.filters if name not in self.TALLIED):
            return None
        cleaned = self.form.cleaned_data
        for name in self.TALLIED:
            tally = self.filters[name].filter(tally, cleaned.get(name))
        return tally

    def error_lists(self):
        """Parameter name → its messages, in the order of PARAMETERS."""
        errors = self.form.errors
        ordered = [name for name in self.PARAMETERS if name in errors]
        ordered += [name for name in errors if name not in ordered]
        return {name: list(errors[name]) for name in ordered}

    def first_error(self):
        """The message of the first invalid parameter, or None."""
        return next(iter(self.error_lists().values()), [None])[0]


def unix_seconds(moment):
    return int((moment - EPOCH).total_seconds())


def from_unix_seconds(seconds):
    """An aware datetime, or None when out of datetime's range."""
    try:
        return EPOCH + timedelta(seconds=seconds)
    except OverflowError:
        return None
