"""The base of every listing table: rows arrive filtered, ordered and windowed by the listing
(dashboards.listings); the table only presents them, and its headers link to the other orders
in the listing's own parameters."""

import django_tables2 as tables
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_tables2.utils import OrderByTuple

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
    # Rows carry a checkbox for the selection (web/listing.py render_listing sets it).
    selectable = False

    class Meta:
        template_name = "dashboards/tables/table.html"
        orderable = True

    # The listing's order (order_by), none until it is given.
    listing_order = OrderByTuple(())

    def __init__(self, rows, *, query, **kwargs):
        super().__init__(rows, **kwargs)
        self.query = query
        # {column name: its cells' attributes as HTML} (cell_attributes).
        self.fixed_cell_attributes = {}

    @property
    def order_by(self):
        return self.listing_order

    @order_by.setter
    def order_by(self, value):
        """Record the listing's order, without sorting the rows (tables2 would sort them)."""
        if isinstance(value, str):
            value = value.split(",")
        self.listing_order = OrderByTuple(value or ())

    @property
    def sorted_column(self):
        """The name of the column of the primary sort key, or None."""
        return self.listing_order[0].bare if self.listing_order else None

    @property
    def sorted_descending(self):
        return bool(self.listing_order) and self.listing_order[0].is_descending

    def row_html(self, row):
        """A row (a BoundRow) as django-tables2's row block writes it: `<tr>` with the row's
        attributes, then each cell's `<td>` with its column's attributes and the cell
        autoescaped, localized as the column asks; the selection's checkbox first. The same
        HTML as the template's row block, without the template engine's work for every cell
        (tables/table.html calls this for each row), through django-tables2's public API
        only: the row's `attrs` and `items()`, the bound column's `attrs` and `localize`."""
        parts = [f"<tr {row.attrs.as_html()}>"]
        if self.selectable:
            checkbox = conditional_escape(row_checkbox(self, row.record))
            parts.append(f'<td class="select-cell">{checkbox}</td>')
        for column, cell in row.items():
            parts.append(f"<td {self.cell_attributes(column)}>{_cell_html(cell, column)}</td>")
        parts.append("</tr>")
        return mark_safe("".join(parts))

    def cell_attributes(self, column):
        """The `<td>` attributes of a cell of `column` (a BoundColumn, as row.items() leaves it
        for the cell), written once per table when they are the same on every row."""
        fixed = self.fixed_cell_attributes.get(column.name)
        if fixed is not None:
            return fixed
        html = column.attrs["td"].as_html()
        # A callable among the attributes (the column's or the table's) may differ per row.
        if not _holds_callable(self.attrs) and not _holds_callable(column.column.attrs):
            self.fixed_cell_attributes[column.name] = html
        return html

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
            if url and self.sort_keys_param and column.name not in self.listing_order:
                keys = [*map(str, self.listing_order), str(column.order_by_alias.next)]
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
        keys = list(self.listing_order)
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


def _holds_callable(attrs):
    """Whether attributes (a dict, its nested dicts) hold a callable, computed per cell."""
    return callable(attrs) or (
        isinstance(attrs, dict) and any(_holds_callable(value) for value in attrs.values())
    )


# `{{ cell }}` in the template: autoescaped, times and numbers in the page's format.
_CELL_CONTEXT = Context()


def _cell_html(cell, column):
    """The cell as the row block writes it: `{{ cell }}`, or `{{ cell|localize }}` /
    `{{ cell|unlocalize }}` as the column's `localize` asks."""
    if column.localize is not None:
        cell = str(formats.localize(cell, use_l10n=bool(column.localize)))
    return render_value_in_context(cell, _CELL_CONTEXT)
