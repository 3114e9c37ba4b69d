"""The rules of dashboards.access.predicates as DRF permission classes."""

from rest_framework.permissions import BasePermission

from dashboards.access.authentication import Principal
from dashboards.access.predicates import can_view_course, can_view_org


class PrincipalPermission(BasePermission):
    """Any valid credential passes the view check (none → 401); the object check asks
    `predicate(principal, obj)` (false → 403). Views call check_object_permissions themselves,
    after resolving the path's object, so each family keeps its order of checks."""

    predicate = None

    def has_permission(self, request, view):
        return isinstance(request.auth, Principal)

    def has_object_permission(self, request, view, obj):
        return bool(self.predicate(request.auth, obj))


class CanViewCourse(PrincipalPermission):
    predicate = staticmethod(can_view_course)


class CanViewOrg(PrincipalPermission):
    predicate = staticmethod(can_view_org)
