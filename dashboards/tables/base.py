"""The base of every listing table: rows arrive filtered, ordered and windowed by the listing
(dashboards.listings); the table only presents them, and its headers link to the other orders
in the listing's own parameters."""

from functools import cached_property

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_tables2.rows import BoundRow, BoundRows
from django_tables2.utils import AttributeDict, OrderByTuple, signature

from dashboards.listings.pager import link
from dashboards.tables.cells import badge, progress_bar, relative_time, row_checkbox


def numeric():
    """The attributes of a numeric column: aligned right."""
    return {"td": {"class": "num"}, "th": {"class": "num"}}


class ListingTable(tables.Table):
    """`order_by` only records the listing's order (for the headers' links and aria-sort) and
    never re-sorts in Python; `query` is the listing's parameters, kept by every link.
    `sheet_words`: column name → {value: words} for the spreadsheet export (a status, a role)."""

    sheet_words = {}

    def __init_subclass__(cls, **kwargs):
        """Every cell is named by its column's header (data-label) for narrow screens, which
        stack a row's cells as a card."""
        super().__init_subclass__(**kwargs)
        for column in cls.base_columns.values():
            td = {"data-label": column.verbose_name, **column.attrs.get("td", {})}
            column.attrs = {**column.attrs, "td": td}

    # The parameter holding several sort keys (the course family's `ordering` list), or None
    # when the listing sorts by one key only (the org family's `sort`).
    sort_keys_param = None
    # Rows carry a checkbox for the selection (views.listing.render_listing sets it).
    selectable = False

    class Meta:
        template_name = "dashboards/tables/table.html"
        orderable = True

    def __init__(self, rows, *, query, **kwargs):
        super().__init__(rows, **kwargs)
        self.query = query
        self.rows = ListingRows(data=self.data, table=self, pinned_data=self.pinned_data)

    @cached_property
    def cell_columns(self):
        """The shown columns as their cells see them (ListingRow.items)."""
        return [(column, CellColumn.of(column)) for column in self.columns]

    @property
    def order_by(self):
        return self._order_by

    @order_by.setter
    def order_by(self, value):
        if isinstance(value, str):
            value = value.split(",")
        self._order_by = OrderByTuple(value or ())

    @property
    def sorted_column(self):
        """The name of the column of the primary sort key, or None."""
        return self._order_by[0].bare if self._order_by else None

    @property
    def sorted_descending(self):
        return bool(self._order_by) and self._order_by[0].is_descending

    def sort_changes(self, column):
        """The parameters a header's link sets to sort by `column` (a BoundColumn)."""
        raise NotImplementedError

    def headers(self):
        """Per column: the column, the link that sorts by it (None when it does not sort), its
        aria-sort (the primary key's only) and, for a listing sorted by several keys, the link
        adding it as a further key (None when it already is one)."""
        for column in self.columns:
            sorted_here = self.sorted_column == column.name
            aria_sort = "none"
            if sorted_here:
                aria_sort = "descending" if self.sorted_descending else "ascending"
            url = link(self.query, **self.sort_changes(column)) if column.orderable else None
            then_url = None
            if url and self.sort_keys_param and column.name not in self._order_by:
                keys = [*map(str, self._order_by), str(column.order_by_alias.next)]
                then_url = link(self.query, **self.sort_keys_changes(keys))
            yield {"column": column, "url": url, "aria_sort": aria_sort, "then_url": then_url}

    def selection_key(self, record):
        """A selectable table's row: (its id in a selection, the name of what it lists)."""
        raise NotImplementedError

    def sort_keys_changes(self, keys):
        """The parameters that sort by `keys` (["-name", …]); none is the default order."""
        return {self.sort_keys_param: ",".join(keys) or None}

    def sort_chips(self):
        """The sort keys the address applies, each with its label ("Completion ↑") and the
        link without it; [] when the listing takes one key, or the address sets none."""
        if not self.sort_keys_param or self.sort_keys_param not in self.query:
            return []
        keys = list(self._order_by)
        chips = []
        for key in keys:
            column = self.base_columns[key.bare]
            rest = [str(other) for other in keys if other is not key]
            chips.append(
                {
                    "label": column.verbose_name or key.bare,
                    "descending": key.is_descending,
                    "direction": _("descending") if key.is_descending else _("ascending"),
                    "url": link(self.query, **self.sort_keys_changes(rest)),
                }
            )
        return chips


class BadgeColumn(tables.Column):
    """A status or role as a badge."""

    def render(self, value):
        return badge(value)


class ProgressColumn(tables.Column):
    """A percentage as a progress bar followed by the number."""

    def render(self, value):
        return progress_bar(value)


class TimeColumn(tables.Column):
    """A time in relative words with the exact UTC time on hover; `empty` for a null one
    (with empty_values=(), so a null reaches render)."""

    def __init__(self, *args, empty, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty = empty

    def render(self, value):
        return relative_time(value, self.empty)


# Each render function's arguments, read once: django-tables2 inspects the signature of the
# render function for every cell it renders.
_ARGUMENTS = {}


def call_with_appropriate(fn, kwargs):
    """django-tables2's call_with_appropriate (`fn` called with the arguments it names among
    `kwargs`, or None when it names one that is missing), with the signature cached."""
    key = getattr(fn, "__func__", fn)
    arguments = _ARGUMENTS.get(key)
    if arguments is None:
        arguments = _ARGUMENTS[key] = signature(fn)
    names, catch_all = arguments
    if catch_all:
        return fn(**kwargs)
    if any(name not in kwargs for name in names):
        return None
    return fn(**{name: kwargs[name] for name in names})


class ListingRow(BoundRow):
    """A row whose cells are rendered as django-tables2 renders them, with each render
    function's signature read once and each column's cell attributes built once per table."""

    def _call_render(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        content = call_with_appropriate(bound_column.render, arguments)
        return bound_column.link(content, **arguments) if bound_column.link else content

    def _call_value(self, bound_column, value=None):
        arguments = self._optional_cell_arguments(bound_column, value)
        return call_with_appropriate(bound_column.value, arguments)

    def items(self):
        for column, cell_column in self.table.cell_columns:
            column.current_value = self._get_and_render_with(
                column, render_func=self._call_render, default=column.default
            )
            column.current_record = self.record
            yield (cell_column, column.current_value)

    def html(self):
        """The row as tables/table.html's row block wrote it with the template language (the
        same HTML, without the template engine's work for every cell)."""
        parts = [f"<tr {self.attrs.as_html()}>"]
        if self.table.selectable:
            checkbox = conditional_escape(row_checkbox(self.table, self.record))
            parts.append(f'<td class="select-cell">{checkbox}</td>')
        for column, cell in self.items():
            parts.append(
                f"<td {column.attrs['td'].as_html()}>{_cell_html(cell, column.localize)}</td>"
            )
        parts.append("</tr>")
        return mark_safe("".join(parts))


# The template's rendering of `{{ cell }}`: autoescaped, times and numbers localized.
_CELL_CONTEXT = Context()


def _cell_html(cell, localize):
    """`{{ cell }}`, or `{{ cell|localize }}` / `{{ cell|unlocalize }}` as the column's
    `localize` asks, as the template language renders them."""
    if localize is not None:
        cell = str(formats.localize(cell, use_l10n=bool(localize)))
    return render_value_in_context(cell, _CELL_CONTEXT)


class ListingRows(BoundRows):
    def __iter__(self):
        yield from self.generator_pinned_row(self.pinned_data.get("top"))
        for record in self.data:
            yield ListingRow(record, table=self.table)
        yield from self.generator_pinned_row(self.pinned_data.get("bottom"))

    def __getitem__(self, key):
        if isinstance(key, slice):
            return ListingRows(data=self.data[key], table=self.table, pinned_data=self.pinned_data)
        return ListingRow(record=self.data[key], table=self.table)


class FixedAttributes(AttributeDict):
    """Attributes that hold no callable, rendered once."""

    @cached_property
    def html(self):
        return super().as_html()

    def as_html(self):
        return self.html


class CellColumn:
    """A bound column as its cells read it, when its attributes hold no callable (they are
    then the same for every row): `attrs` computed once, anything else the bound column's."""

    def __init__(self, column):
        self._column = column
        self.attrs = {
            name: FixedAttributes(value) if isinstance(value, dict) else value
            for name, value in column.attrs.items()
        }

    @classmethod
    def of(cls, column):
        declared = [*column.column.attrs.values(), *column._table.attrs.values()]
        parts = [
            *declared,
            *(value for part in declared if isinstance(part, dict) for value in part.values()),
        ]
        return column if any(callable(part) for part in parts) else cls(column)

    def __getattr__(self, name):
        return getattr(self._column, name)
