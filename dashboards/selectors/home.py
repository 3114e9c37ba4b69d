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


def top_orgs(principal):
    """For a superuser, the containers (the roots of every org tree) by title; else none."""
    if principal is None or not principal.is_superuser:
        return Org.objects.none()
    orgs = Org.objects.filter(org_type=Org.CONTAINER)
    if principal.container_id is not None:
        orgs = orgs.filter(pk=principal.container_id)
    return orgs.order_by("title", "pk")
