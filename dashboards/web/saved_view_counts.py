"""Saved views: which listing a saved address is, and its current row count for a viewer.

A saved view stores a listing page's path and query string, never rows. Its count is the
listing's own COUNT, built as the page builds it, with the viewer's rights (a view the
viewer may not open counts as None, like a 403 or a 404 on the page).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from dashboards.listings import (
    course_listing,
    course_member_listing,
    member_course_listing,
    org_member_listing,
    portal_member_listing,
)
from dashboards.models import SavedView
from dashboards.selectors.orgs import listed_member
from dashboards.web.courses import viewable_course
from dashboards.web.orgs import dates_as_unix_bounds, viewable_org, viewable_portal

# The home page counts at most this many views (each count is a listing's COUNT).
COUNTED_VIEWS = 10
MAX_QUERY_LENGTH = 2000


def _course_members(request, query, course_id):
    return course_member_listing(query, viewable_course(request, course_id))


def _org_members(request, query, org_id):
    return org_member_listing(dates_as_unix_bounds(query), viewable_org(request, org_id))


def _portal_members(request, query, container_id, portal_id):
    _container, portal = viewable_portal(request, container_id, portal_id)
    return portal_member_listing(dates_as_unix_bounds(query), portal)


def _member_courses(request, query, org_id, user_id):
    org = viewable_org(request, org_id)
    if listed_member(org, user_id) is None:
        raise Http404("No such member in this org.")
    return member_course_listing(query, org, user_id)


# URL name → (what the page lists, the listing for a request, a query and the path's ids).
LISTINGS = {
    "home": (_("courses"), lambda request, query: course_listing(query, request.principal)),
    "course-detail": (_("course members"), _course_members),
    "org-members": (_("org members"), _org_members),
    "portal-members": (_("portal members"), _portal_members),
    "org-member-detail": (_("a member's courses"), _member_courses),
}


def listing_kind(path):
    """What the listing page at `path` lists, or None when it is not a listing page."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    entry = LISTINGS.get(match.url_name)
    return entry[0] if entry else None


def saved_views_with_counts(request):
    """The viewer's saved views by name, the first COUNTED_VIEWS with `count` (None: cannot be
    counted for this viewer) and `counted`."""
    user = request.principal.user
    if user is None:
        return []
    views = list(SavedView.objects.filter(user=user))
    for index, view in enumerate(views):
        view.counted = index < COUNTED_VIEWS
        view.count = current_count(request, view) if view.counted else None
        view.kind = listing_kind(view.path)
    return views


def current_count(request, saved_view):
    """The number of rows the saved view lists for this viewer now; None when the viewer may
    not open it or its query is no longer valid."""
    try:
        match = resolve(saved_view.path)
        _kind, build = LISTINGS[match.url_name]
        listing = build(request, QueryDict(saved_view.query), **match.kwargs)
    except (Resolver404, KeyError, Http404, PermissionDenied):
        return None
    return listing.count if listing.is_valid else None
