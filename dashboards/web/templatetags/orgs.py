"""Template tags of the org pages."""

from django import template

from dashboards.selectors.orgs import org_forest

register = template.Library()


@register.inclusion_tag("dashboards/orgs/org_tree.html")
def org_tree(orgs):
    """The given orgs with every org below them, as nested lists (one query)."""
    return {"nodes": org_forest(list(orgs))}
