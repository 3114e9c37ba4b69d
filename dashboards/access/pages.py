"""The rules of dashboards.access.predicates for pages: who is calling, and the 401/403 answers."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from dashboards.access.authentication import InvalidCredentials, principal_for_request


def page_principal(view_func):
    """Pages: set request.principal, or send the anonymous to log in (htmx: HX-Redirect) and
    answer a presented but invalid key with the 401 page."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        try:
            principal = principal_for_request(request)
        except InvalidCredentials:
            response = render(request, "401.html", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if principal is None:
            login = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(login["Location"])
            return login
        request.principal = principal
        return view_func(request, *args, **kwargs)

    return page_methods("GET", "HEAD")(wrapper)


def page_methods(*methods):
    """A page answers these methods only, anything else 405 with Allow, and before the CSRF
    check (pages take no unsafe method; a view that takes POST checks CSRF itself, as Django's
    LoginView and LogoutView do)."""

    def decorator(view_func):
        return csrf_exempt(require_http_methods(methods)(view_func))

    return decorator


def require(predicate, principal, obj):
    """Raise PermissionDenied (the 403 page) unless predicate(principal, obj)."""
    if not predicate(principal, obj):
        raise PermissionDenied
