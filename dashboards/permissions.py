"""Who may see what: plain predicates, used by the pages and by the API alike."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef
from django.db.models.lookups import StartsWith
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.permissions import BasePermission

from dashboards.authentication import InvalidCredentials, Principal, principal_for_request
from dashboards.models import Course, CourseMember, CourseShare, OrgRole


def _within_bound_container(principal, container_id):
    return principal.container_id is None or principal.container_id == container_id


def is_org_admin(user, org):
    """True when user has the admin role on org or on any org above it (rights cascade down)."""
    known = getattr(org, "admin_flags", {})
    if user.pk in known:
        return known[user.pk]
    return OrgRole.objects.filter(
        user=user, role=OrgRole.ADMIN, org_id__in=org.ancestor_ids
    ).exists()


def orgs_with_admin_flags(orgs, principal):
    """Fetch orgs with the principal's user's is_org_admin answer on each, in the same query,
    so that can_view_org on them asks the database nothing more."""
    if principal is None or principal.user is None:
        return list(orgs)
    user = principal.user
    administers = OrgRole.objects.filter(
        StartsWith(OuterRef("path"), F("org__path")), user=user, role=OrgRole.ADMIN
    )
    fetched = list(orgs.annotate(viewer_is_admin=Exists(administers)))
    for org in fetched:
        org.admin_flags = {user.pk: org.viewer_is_admin}
    return fetched


def manages_or_administers_course(user):
    """A condition on a Course queryset: user is the course's creator or a manager, or admin
    of an org the course is shared with or of an ancestor of one (share path starts with the
    admin org's path)."""
    manages = CourseMember.objects.filter(
        course=OuterRef("pk"),
        user=user,
        join_status__in=[CourseMember.CREATOR, CourseMember.MANAGER],
    )
    admin_over_share = OrgRole.objects.filter(user=user, role=OrgRole.ADMIN).filter(
        StartsWith(OuterRef("org__path"), F("org__path"))
    )
    shared_with_administered = CourseShare.objects.filter(course=OuterRef("pk")).filter(
        Exists(admin_over_share)
    )
    return Exists(manages) | Exists(shared_with_administered)


def courses_with_view_flags(courses, principal):
    """Fetch courses with the principal's user's creator/manager/admin answer on each, in the
    same query, so that can_view_course on them asks the database nothing more."""
    if principal is None or principal.user is None:
        return list(courses)
    user = principal.user
    flag = ExpressionWrapper(manages_or_administers_course(user), output_field=BooleanField())
    fetched = list(courses.annotate(viewer_manages=flag))
    for course in fetched:
        course.manager_flags = {user.pk: course.viewer_manages}
    return fetched


def can_view_org(principal, org):
    """Partner keys, superusers and admins of org or an ancestor; bound sessions stay inside."""
    if principal is None:
        return False
    if principal.is_partner:
        return True
    if not _within_bound_container(principal, org.container_id):
        return False
    return principal.is_superuser or is_org_admin(principal.user, org)


def can_view_course(principal, course):
    """Partner keys, superusers, the course's creator and managers, and admins of an org the
    course is shared with or of any ancestor of such an org."""
    if principal is None:
        return False
    if principal.is_partner:
        return True
    if not _within_bound_container(principal, course.container_id):
        return False
    if principal.is_superuser:
        return True
    known = getattr(course, "manager_flags", {})
    if principal.user.pk in known:
        return known[principal.user.pk]
    return (
        Course.objects.filter(pk=course.pk)
        .filter(manages_or_administers_course(principal.user))
        .exists()
    )


# The same predicates, wrapped once for pages and once for the API.


class PrincipalPermission(BasePermission):
    """DRF: any valid credential passes the view check (none → 401); the object check asks
    `predicate(principal, obj)` (false → 403). Views call check_object_permissions themselves,
    after resolving the path's object, so the order is 401 → 404 → 403."""

    predicate = None

    def has_permission(self, request, view):
        return isinstance(request.auth, Principal)

    def has_object_permission(self, request, view, obj):
        return bool(self.predicate(request.auth, obj))


class CanViewCourse(PrincipalPermission):
    predicate = staticmethod(can_view_course)


class CanViewOrg(PrincipalPermission):
    predicate = staticmethod(can_view_org)


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


class PagePrincipalMixin:
    """Class-based pages: page_principal around dispatch; `self.require(...)` for objects."""

    @method_decorator(page_principal)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def require(self, predicate, obj):
        require(predicate, self.request.principal, obj)


def require(predicate, principal, obj):
    """Raise PermissionDenied (the 403 page) unless predicate(principal, obj)."""
    if not predicate(principal, obj):
        raise PermissionDenied
