"""Saved views: save the current listing under a name, rename, delete (POST forms with CSRF,
the owner only), and open one by its shareable link (anyone logged in: the listing page then
applies the viewer's own rights)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from dashboards.access.authentication import InvalidCredentials, principal_for_request
from dashboards.access.pages import page_principal
from dashboards.models import SavedView
from dashboards.web.saved_view_counts import MAX_QUERY_LENGTH, listing_kind

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
