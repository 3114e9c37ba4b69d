"""The org admin's pages: an org's members, a portal's members, a member's courses.

They bind the same FilterSets to the same query parameters as the /vfo API, so a page's
address with /vfo/… in front is its "View as JSON". The last-seen date inputs are the one
page-only control: dates_as_unix_bounds turns them into the API's since/until, and that
canonical address is what the browser shows (HX-Push-Url, or a redirect without htmx).
"""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from dashboards.api.orgs import MemberSerializer
from dashboards.api.pagination import PageWindow
from dashboards.csv_export import queryset_rows, streamed_csv
from dashboards.filters.orgs import (
    LAST_SEEN_DATES,
    PAGE_SIZES,
    MemberCourseFilterSet,
    OrgMemberFilterSet,
    dates_as_unix_bounds,
    unix_bounds_as_dates,
)
from dashboards.models import Org
from dashboards.permissions import can_view_org, page_principal, require
from dashboards.selectors.orgs import (
    COURSE_STATUSES,
    ROLES,
    child_orgs,
    listed_member,
    member_courses,
    member_tally,
    org_and_ancestors,
    org_members,
    org_with_member_lookup,
    orgs_for_viewer,
    portal_members,
)
from dashboards.tables.orgs import MemberCourseTable, OrgMemberTable
from dashboards.views.paging import Pager

MEMBERS_TEMPLATE = "dashboards/orgs/members.html"
MEMBER_TEMPLATE = "dashboards/orgs/member_detail.html"
ROLE_LABELS = {
    "admin": "Admin",
    "instructor": "Instructor",
    "org-learner": "Org learner",
    "course-learner": "Course learner",
}
# The CSV's columns are the API's fields, in the API's order: (header, column of the row).
CSV_COLUMNS = [
    (name, "rank" if name == "role" else field.source.replace(".", "__"))
    for name, field in MemberSerializer().fields.items()
]


def _viewable_org(request, org_id, *, with_ancestors=False):
    """The org, or 404/403; with_ancestors, its `lineage` (for breadcrumbs) in the same query."""
    if with_ancestors:
        lineage = org_and_ancestors(org_id, request.principal)
        org = lineage.get(org_id)
    else:
        org = orgs_for_viewer([org_id], request.principal).get(org_id)
    if org is None:
        raise Http404("No such org.")
    require(can_view_org, request.principal, org)
    if with_ancestors:
        org.lineage = lineage
    return org


def _viewable_portal(request, container_id, portal_id):
    orgs = orgs_for_viewer([container_id, portal_id], request.principal)
    container, portal = orgs.get(container_id), orgs.get(portal_id)
    if container is None or container.org_type != Org.CONTAINER:
        raise Http404("No such container.")
    if portal is None or portal.org_type != Org.PORTAL or portal.container_id != container.pk:
        require(can_view_org, request.principal, container)
        raise Http404("No such portal in this container.")
    require(can_view_org, request.principal, portal)
    return container, portal


def _breadcrumbs(request, org):
    """The orgs from the container down to org, each marked viewable or not (no query when
    org carries its lineage, else one)."""
    orgs = getattr(org, "lineage", None) or orgs_for_viewer(org.ancestor_ids, request.principal)
    return [
        {"org": orgs[pk], "viewable": can_view_org(request.principal, orgs[pk])}
        for pk in org.ancestor_ids
        if pk in orgs
    ]


def _with_query(path, query):
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def _without(query, *names):
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query


def _canonical_or_redirect(request):
    """The request's parameters in API form; a plain GET with page-only dates is redirected
    to its canonical address (htmx requests get it in HX-Push-Url instead)."""
    query = dates_as_unix_bounds(request.GET)
    has_dates = any(name in request.GET for name in LAST_SEEN_DATES)
    if has_dates and not request.htmx:
        return query, HttpResponseRedirect(_with_query(request.path, query))
    return query, None


def _respond(request, template, region, context, status):
    if request.htmx and not request.htmx.history_restore_request:
        response = render(
            request, f"{template}#{region}", {**context, "partial": True}, status=status
        )
        response["HX-Push-Url"] = _with_query(request.path, context["query"])
    else:
        response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page_of(filterset, query, *, nouns):
    """The requested page of a valid filterset's rows, and its pager."""
    window = PageWindow(filterset)
    pager = Pager.from_page(
        query,
        count=window.count,
        page=window.page,
        per_page=window.per_page,
        shown=len(window.rows),
        sizes=PAGE_SIZES,
        nouns=nouns,
    )
    return window, pager


def _member_listing(request, *, org, queryset, tally, api_url, csv_url, extra):
    """Filter, order and page a member queryset as the API does, and render the page."""
    query, redirect = _canonical_or_redirect(request)
    if redirect:
        return redirect
    filterset = OrgMemberFilterSet(query, queryset=queryset, tally=tally)
    valid = filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    chosen_roles = cleaned.get("role") if valid else query.getlist("role")
    context = {
        **extra,
        "org": org,
        "query": query,
        "filter_text": query.get("filter", ""),
        "roles": [
            {"value": role, "label": ROLE_LABELS[role], "checked": role in (chosen_roles or [])}
            for role in ROLES
        ],
        "include_anonymous": bool(cleaned.get("includeAnonymousUsers")),
        "dates": unix_bounds_as_dates(cleaned),
        "kept_params": [
            (name, query[name]) for name in ("sort", "order", "perPage") if query.get(name)
        ],
        "json_url": _with_query(api_url, query),
        "csv_url": _with_query(csv_url, _without(query, "page", "perPage")),
    }
    if valid:
        window, context["pager"] = _page_of(filterset, query, nouns=("member", "members"))
        sort = cleaned.get("sort") or "fullName"
        descending = cleaned.get("order") == "descending"
        context["table"] = OrgMemberTable(
            window.rows, org=org, query=query, order_by=f"-{sort}" if descending else sort
        )
    else:
        context["error"] = filterset.first_error()
    return _respond(request, MEMBERS_TEMPLATE, "members", context, 200 if valid else 400)


@page_principal
def org_members_page(request, org_id):
    """An org's members, with its place in the tree and its child orgs."""
    org = _viewable_org(request, org_id, with_ancestors=not request.htmx)
    extra = {}
    if not request.htmx:
        extra = {"breadcrumbs": _breadcrumbs(request, org), "children": child_orgs(org)}
    return _member_listing(
        request,
        org=org,
        queryset=org_members(org),
        tally=member_tally(org),
        api_url=reverse("api-org-members", kwargs={"org_id": org.pk}),
        csv_url=reverse("org-members-csv", args=[org.pk]),
        extra=extra,
    )


@page_principal
def portal_members_page(request, container_id, portal_id):
    """A portal's members with the container's admins and instructors."""
    container, portal = _viewable_portal(request, container_id, portal_id)
    extra = {"portal": portal, "container": container}
    if not request.htmx:
        extra["breadcrumbs"] = _breadcrumbs(request, portal)
    return _member_listing(
        request,
        org=portal,
        queryset=portal_members(portal),
        tally=member_tally(portal, portal=True),
        api_url=reverse(
            "api-portal-members", kwargs={"org_id": container.pk, "portal_id": portal.pk}
        ),
        csv_url=reverse("portal-members-csv", args=[container.pk, portal.pk]),
        extra=extra,
    )


def _members_csv(request, queryset, filename):
    query = _without(dates_as_unix_bounds(request.GET), "page", "perPage")
    filterset = OrgMemberFilterSet(query, queryset=queryset)
    if not filterset.is_valid():
        return HttpResponse(
            filterset.first_error() + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    fields = [field for _, field in CSV_COLUMNS]
    role_at = fields.index("rank")
    rows = (
        row[:role_at] + (ROLES[row[role_at]],) + row[role_at + 1 :]
        for row in queryset_rows(filterset.qs.values(*fields), fields)
    )
    return streamed_csv(rows, header=[name for name, _ in CSV_COLUMNS], filename=filename)


@page_principal
def org_members_csv(request, org_id):
    """Every member matching the filters, in the chosen order, as streamed CSV."""
    org = _viewable_org(request, org_id)
    return _members_csv(request, org_members(org), f"org-{org.pk}-members.csv")


@page_principal
def portal_members_csv(request, container_id, portal_id):
    container, portal = _viewable_portal(request, container_id, portal_id)
    return _members_csv(
        request,
        portal_members(portal),
        f"portal-{portal.pk}-members.csv",
    )


@page_principal
def org_member_detail(request, org_id, user_id):
    """A member's profile and their courses in the org, searchable by title and status."""
    org = org_with_member_lookup(
        org_id, user_id, request.principal, with_ancestors=not request.htmx
    )
    if org is None:
        raise Http404("No such org.")
    require(can_view_org, request.principal, org)
    member = listed_member(org, user_id)
    if member is None:
        raise Http404("No such member in this org.")
    query = request.GET
    filterset = MemberCourseFilterSet(query, queryset=member_courses(org, user_id))
    valid = filterset.is_valid()
    chosen = filterset.form.cleaned_data.get("status") if valid else query.getlist("status")
    context = {
        "org": org,
        "query": query,
        "title_text": query.get("title", ""),
        "statuses": [
            {"value": s, "label": s.replace("-", " ").capitalize(), "checked": s in (chosen or [])}
            for s in COURSE_STATUSES
        ],
        "kept_params": [(name, query[name]) for name in ("perPage",) if query.get(name)],
        "json_url": _with_query(
            reverse("api-org-member-courses", kwargs={"org_id": org.pk, "user_id": user_id}),
            query,
        ),
    }
    if not request.htmx:
        context["member"] = member
        context["breadcrumbs"] = _breadcrumbs(request, org)
    if valid:
        window, context["pager"] = _page_of(filterset, query, nouns=("course", "courses"))
        context["table"] = MemberCourseTable(window.rows)
    else:
        context["error"] = filterset.first_error()
    return _respond(request, MEMBER_TEMPLATE, "courses", context, 200 if valid else 400)
