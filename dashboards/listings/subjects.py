"""How each listing's subject is found with the viewer's rights: the course, the org, the
portal or the member a listing lists the rows of, or the 404/403 its pages, exports and saved
views answer (the APIs keep their families' own order of checks, dashboards/api/)."""

from dataclasses import dataclass

from django.http import Http404

from dashboards.access.pages import require
from dashboards.access.predicates import can_view_course, can_view_org
from dashboards.models import Org
from dashboards.selectors.courses import course_by_id
from dashboards.selectors.orgs import listed_member, org_and_ancestors, orgs_for_viewer


def viewer(request):
    """The home listing's subject: the caller (the courses are theirs to view)."""
    return request.principal


def viewable_course(request, course_id):
    course = course_by_id(course_id, principal=request.principal)
    if course is None:
        raise Http404("No such course.")
    require(can_view_course, request.principal, course)
    return course


def viewable_org(request, org_id):
    """The org, or 404/403. A whole page (not an htmx region) also gets its `lineage` (the
    orgs above it, for breadcrumbs), in the same query."""
    if getattr(request, "htmx", False):
        lineage = None
        org = orgs_for_viewer([org_id], request.principal).get(org_id)
    else:
        lineage = org_and_ancestors(org_id, request.principal)
        org = lineage.get(org_id)
    if org is None:
        raise Http404("No such org.")
    require(can_view_org, request.principal, org)
    org.lineage = lineage
    return org


def viewable_portal(request, container_id, portal_id):
    """The portal (carrying its `container`), or 404/403."""
    orgs = orgs_for_viewer([container_id, portal_id], request.principal)
    container, portal = orgs.get(container_id), orgs.get(portal_id)
    if container is None or container.org_type != Org.CONTAINER:
        raise Http404("No such container.")
    if portal is None or portal.org_type != Org.PORTAL or portal.container_id != container.pk:
        require(can_view_org, request.principal, container)
        raise Http404("No such portal in this container.")
    require(can_view_org, request.principal, portal)
    portal.container, portal.lineage = container, None
    return portal


@dataclass
class OrgMember:
    """A member of an org, as the subject of their courses' listing."""

    org: Org
    user_id: int
    member: object  # the user, carrying their `listing_row` in the org


def viewable_org_member(request, org_id, user_id):
    org = viewable_org(request, org_id)
    member = listed_member(org, user_id)
    if member is None:
        raise Http404("No such member in this org.")
    return OrgMember(org=org, user_id=user_id, member=member)
