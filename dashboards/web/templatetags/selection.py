"""A selectable table's row checkbox as a tag, {% row_checkbox table record %}
(dashboards/tables/cells.py writes it; dashboards/partials/selection.html explains the
selection)."""

from django import template

from dashboards.tables.cells import row_checkbox

register = template.Library()
register.simple_tag(row_checkbox)
