"""Read queries for the home page."""

from dashboards.models import Org, OrgRole


def administered_orgs(principal):
    """The orgs principal holds the admin role on, by tree path (so parents come first)."""
    if principal is None or principal.user is None:
        return Org.objects.none()
    orgs = Org.objects.filter(
        pk__in=OrgRole.objects.filter(user=principal.user, role=OrgRole.ADMIN).values("org_id")
    )
    if principal.container_id is not None:
        orgs = orgs.filter(container_id=principal.container_id)
    return orgs.order_by("path")
