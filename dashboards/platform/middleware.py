"""Request and response hardening shared by the pages and both API families."""

import re
import time
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.translation import get_language_from_request
from django.utils.translation import gettext as _

from dashboards.api.errors import ORG_API_PREFIX, error_body
from dashboards.filters.params import MAX_PARAMETER_LENGTH

_COURSE_API = re.compile(r"^/api/")
_ORG_API = re.compile(rf"^/{ORG_API_PREFIX}")


def is_api_path(path):
    """Whether the path is one of the JSON APIs' (either family)."""
    return bool(_COURSE_API.match(path) or _ORG_API.match(path))


def query_string_problem(raw_query_string, query):
    """Why a query string (bytes) cannot be read (not UTF-8, a value too long), or None.

    A NUL is readable: the parameter that reads it decides (dashboards/filters/params.py), in
    the contracts' order of checks, and an unknown parameter is ignored."""
    for pair in raw_query_string.split(b"&"):
        try:
            unquote_to_bytes(pair.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return _("The query string is not valid UTF-8.")
    for name, values in query.lists():
        for value in values:
            if len(value) > MAX_PARAMETER_LENGTH:
                return _("Parameter '%(name)s' is longer than %(limit)s characters.") % {
                    "name": name[:50],
                    "limit": MAX_PARAMETER_LENGTH,
                }
    return None


def bad_query_response(path, message):
    """A 400 in the shape of the family that owns the path (HTML for pages)."""
    if _COURSE_API.match(path):
        return JsonResponse({"detail": message}, status=400)
    if _ORG_API.match(path):
        return JsonResponse(error_body(400, message), status=400)
    title = escape(_("Bad request"))
    return HttpResponseBadRequest(
        f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{escape(message)}</p>",
        content_type="text/html; charset=utf-8",
    )


class ResponseHardeningMiddleware:
    """Refuse unreadable query strings with a 400; never let a dynamic response be cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        problem = query_string_problem(raw_query, request.GET)
        if problem:
            # Before LocaleMiddleware: an API's message is English, a page's in its language.
            api = is_api_path(request.path)
            language = api and settings.LANGUAGE_CODE or get_language_from_request(request)
            with translation.override(language):
                problem = query_string_problem(raw_query, request.GET)
                response = bad_query_response(request.path, problem)
            # Answered before XFrameOptionsMiddleware, which would have set it.
            response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        else:
            response = self.get_response(request)
        # Every answer is someone's private data (or an error about it): no shared caches.
        patch_cache_control(response, private=True, no_store=True)
        return response


# The session's end is moved on at most this often, so reads do not all become writes.
SESSION_REFRESH_SECONDS = 60
REFRESHED_AT = "refreshed_at"


class SessionIdleMiddleware:
    """A logged-in browser session ends after SESSION_COOKIE_AGE seconds (24 hours) without a
    request, as a session key does: a request saves the session (moving its end, and the
    cookie's) when its last save is a minute old or more. After SessionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.get(SESSION_KEY) is None:
            return response
        now = int(time.time())
        refreshed_at = session.get(REFRESHED_AT)
        if refreshed_at is None:
            # Logged in by this request (saved with it) or without one: fresh either way.
            was_modified = session.modified
            session[REFRESHED_AT] = now
            session.modified = was_modified
        elif now - refreshed_at >= SESSION_REFRESH_SECONDS:
            session[REFRESHED_AT] = now
        return response


class ApiLanguageMiddleware:
    """The APIs' bodies and messages are their contracts' English, whatever the caller's
    language (DRF would otherwise translate its messages). After LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_path(request.path):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
        return self.get_response(request)
