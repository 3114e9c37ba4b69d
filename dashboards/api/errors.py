"""Errors of the org dashboard family (org-dashboard-api.md): `{"error": N, "message": "…"}`.

Every error of the /vfo/… and /orgs/… routes goes through `vfo_exception_handler`, including
those DRF raises itself (no credentials, a refused key, a method it does not serve) and any
unhandled exception, which becomes a 500 without a traceback.
"""

import logging

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

# The paths of the family (below the site root): /vfo/… and its /orgs/… aliases.
ORG_API_PREFIX = r"(?:vfo/|orgs/(?:orgs|container)(?:/|$))"

INVALID_CREDENTIALS = "Invalid credentials"
INVALID_VFO_CREDENTIALS = "Invalid VFO credentials"
INTERNAL_SERVER_ERROR = "Internal server error"
NOT_FOUND = "Not found"


class VfoError(Exception):
    """An error answered as `{"error": status, "message": message}`."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message):
    return VfoError(400, message)


def not_found(message):
    return VfoError(404, message)


def error_body(status, message):
    return {"error": status, "message": message}


def vfo_exception_handler(exc, context):
    """Map every exception raised in a view of this family onto the family's error body."""
    headers = {}
    if isinstance(exc, VfoError):
        status, message = exc.status, exc.message
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        status, message = 401, INVALID_CREDENTIALS
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    elif isinstance(exc, exceptions.PermissionDenied):
        status, message = 403, INVALID_VFO_CREDENTIALS
    elif isinstance(exc, exceptions.MethodNotAllowed):
        status, message = 405, f'Method "{context["request"].method}" not allowed'
    elif isinstance(exc, exceptions.NotFound):
        status, message = 404, NOT_FOUND
    elif isinstance(exc, exceptions.APIException):
        status, message = exc.status_code, str(exc.detail)
    else:
        logger.error("Unhandled error in %s", context.get("view"), exc_info=exc)
        status, message = 500, INTERNAL_SERVER_ERROR
    return Response(error_body(status, message), status=status, headers=headers)


def vfo_not_found(request, *args, **kwargs):
    """A /vfo/… or /orgs/… path that matches no endpoint of the family."""
    return JsonResponse(error_body(404, NOT_FOUND), status=404)


def course_exception_handler(exc, context):
    """DRF's handler for the course family, plus `{"detail": …}` 500s for anything else (a
    database outage included), so the family answers JSON without internals."""
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("Unhandled error in %s", context.get("view"), exc_info=exc)
        response = Response({"detail": INTERNAL_SERVER_ERROR}, status=500)
    return response
