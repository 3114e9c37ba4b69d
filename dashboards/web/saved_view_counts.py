"""Saved views: which listing a saved address is, and its current row count for a viewer.

A saved view stores a listing page's path and query string, never rows. Its count is the
listing's own COUNT, built as the page builds it, with the viewer's rights (a view the
viewer may not open counts as None, like a 403 or a 404 on the page).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.urls import Resolver404, resolve

from dashboards.models import SavedView

# The home page counts at most this many views (each count is a listing's COUNT).
COUNTED_VIEWS = 10
MAX_QUERY_LENGTH = 2000


def declared_listing(path):
    """(the declaration of the listing page at `path`, its path ids), or None when `path` is
    not a listing page (dashboards/web/listing.py marks its views with their declaration)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    declaration = getattr(match.func, "declaration", None)
    if declaration is None or declaration.page is None or match.url_name != declaration.page.name:
        return None
    return declaration, match.kwargs


def listing_kind(path):
    """What the listing page at `path` lists, or None when it is not a listing page."""
    found = declared_listing(path)
    return found[0].kind if found else None


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
    found = declared_listing(saved_view.path)
    if found is None:
        return None
    declaration, path = found
    try:
        subject = declaration.subject(request, **path)
    except (Http404, PermissionDenied):
        return None
    listing = declaration.build(declaration.query(QueryDict(saved_view.query)), subject)
    return listing.count if listing.is_valid else None
