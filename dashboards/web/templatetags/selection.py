"""A selectable table's row checkbox (dashboards/partials/selection.html explains the
selection): its value is the row's id, its label names the member."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def row_checkbox(table, record):
    row_id, name = table.selection_key(record)
    return format_html(
        '<input type="checkbox" class="row-select" value="{}" aria-label="{}">',
        row_id,
        _("Select %(name)s") % {"name": name},
    )
