"""Saved views: save the current listing under a name, rename, delete (POST forms with CSRF,
the owner only), and open one by its shareable link (anyone logged in: the listing page then
applies the viewer's own rights).

A saved view stores a listing page's path and query string, never rows. Its count is the
listing's own COUNT, built as the page builds it, with the viewer's rights (a view the
viewer may not open counts as None, like a 403 or a 404 on the page).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from dashboards.access.authentication import InvalidCredentials, principal_for_request
from dashboards.access.pages import page_principal
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


NAME_LENGTH = SavedView._meta.get_field("name").max_length


def _user_action(view_func):
    """POST with a valid CSRF token from a logged-in user (a key without a user: 403)."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        try:
            principal = principal_for_request(request)
        except InvalidCredentials as error:
            raise PermissionDenied from error
        if principal is None:
            return redirect_to_login(reverse("home"))
        if principal.user is None:
            raise PermissionDenied
        request.principal = principal
        return view_func(request, *args, **kwargs)

    return require_POST(csrf_protect(wrapper))


def _bad(message):
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


def _name(request):
    name = " ".join(request.POST.get("name", "").split())
    if not name or len(name) > NAME_LENGTH:
        return None
    return name


def _owned(request, key):
    return get_object_or_404(SavedView, key=key, user=request.principal.user)


@_user_action
def save_view(request):
    """Save (or, under a name already used, update) the listing at `path` with `query`."""
    name, path = _name(request), request.POST.get("path", "")
    query = request.POST.get("query", "").lstrip("?")
    if name is None:
        return _bad(
            _("Give the view a name of 1 to %(limit)d characters.") % {"limit": NAME_LENGTH}
        )
    if listing_kind(path) is None:
        return _bad(_("Only a listing page can be saved as a view."))
    if len(query) > MAX_QUERY_LENGTH:
        return _bad(
            _("The address is too long to save (over %(limit)d characters).")
            % {"limit": MAX_QUERY_LENGTH}
        )
    view, _created_now = SavedView.objects.update_or_create(
        user=request.principal.user, name=name, defaults={"path": path, "query": query}
    )
    return HttpResponseRedirect(view.address)


@_user_action
def rename_view(request, key):
    view, name = _owned(request, key), _name(request)
    if name is None:
        return _bad(
            _("Give the view a name of 1 to %(limit)d characters.") % {"limit": NAME_LENGTH}
        )
    if SavedView.objects.filter(user=view.user, name=name).exclude(pk=view.pk).exists():
        return _bad(_("You already have a view named “%(name)s”.") % {"name": name})
    view.name = name
    view.save(update_fields=["name"])
    return HttpResponseRedirect(reverse("home") + "#saved-views-heading")


@_user_action
def delete_view(request, key):
    _owned(request, key).delete()
    return HttpResponseRedirect(reverse("home") + "#saved-views-heading")


@page_principal
def open_view(request, key):
    """A shared link: the view's listing address (its page checks the viewer's rights)."""
    view = SavedView.objects.filter(key=key).first()
    if view is None:
        raise Http404("No such saved view.")
    return HttpResponseRedirect(view.address)
