"""The org admin's pages: an org's members, a portal's members, a member's courses, and the
members' CSV exports, over the same listings as the /vfo API.

A page's address with /vfo/… in front is its "View as JSON". The last-seen date inputs are the
one page-only control: dates_as_unix_bounds turns them into the API's since/until (the days'
bounds in the viewer's time zone, as Unix seconds), and that canonical address is what the
browser shows (HX-Push-Url, or a redirect without htmx), so its JSON is the same instants.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboards.access.pages import page_principal, require
from dashboards.access.predicates import can_view_org
from dashboards.api.orgs import MemberSerializer
from dashboards.exports.csv import listing_csv
from dashboards.exports.spreadsheet import file_name
from dashboards.filters.params import unix_seconds
from dashboards.listings import member_course_listing, org_member_listing, portal_member_listing
from dashboards.listings.pager import with_query
from dashboards.models import Org
from dashboards.models.roles import COURSE_STATUS_LABELS, COURSE_STATUSES, ROLE_LABELS, ROLES
from dashboards.platform.time_zones import local_date
from dashboards.selectors.orgs import (
    child_orgs,
    listed_member,
    org_and_ancestors,
    orgs_for_viewer,
)
from dashboards.tables.orgs import MemberCourseTable, OrgMemberTable
from dashboards.web.columns import ColumnChoice
from dashboards.web.listing import option_choices, render_listing
from dashboards.web.org_overview import member_overview

# The member pages pick last-seen bounds as calendar days (in the viewer's time zone, both
# inclusive); the URL keeps the API's since/until, so these names only ever appear in a form
# submission.
LAST_SEEN_DATES = {"lastSeenFrom": "since", "lastSeenTo": "until"}
# The quick choices beside the dates (page-only `lastSeen`): the API parameter each sets and,
# for since/until, how many days before now; "never" sets neverSeen. A choice wins over dates.
LAST_SEEN_CHOICES = {
    "7d": ("since", 7),
    "30d": ("since", 30),
    "over30d": ("until", 30),
    "never": ("neverSeen", None),
}
LAST_SEEN_CHOICE_LABELS = {
    "": gettext_lazy("Any time, or the dates"),
    "7d": gettext_lazy("In the past 7 days"),
    "30d": gettext_lazy("In the past 30 days"),
    "over30d": gettext_lazy("More than 30 days ago"),
    "never": gettext_lazy("Never"),
}
PAGE_ONLY = (*LAST_SEEN_DATES, "lastSeen")
FIRST_MOMENT = datetime.min.replace(tzinfo=UTC)
LAST_SECOND = unix_seconds(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))


def dates_as_unix_bounds(query, *, now=None):
    """The query with lastSeenFrom/lastSeenTo (YYYY-MM-DD, days in the viewer's time zone)
    replaced by since/until: the start of the From day and of the day after the To day; an
    unreadable date is passed on as is, to be reported as a bad since/until. A quick choice
    (lastSeen) replaces them all."""
    query = query.copy()
    choice = LAST_SEEN_CHOICES.get(query.pop("lastSeen", [""])[-1].strip())
    if choice is not None:
        for name in (*LAST_SEEN_DATES, "since", "until", "neverSeen"):
            query.pop(name, None)
        param, days = choice
        if days is None:
            query[param] = "true"
        else:
            now = (now or timezone.now()).replace(microsecond=0)
            query[param] = str(unix_seconds(now - timedelta(days=days)))
    for date_name, param in LAST_SEEN_DATES.items():
        if date_name not in query:
            continue
        raw = query.pop(date_name)[-1].strip()
        query.pop(param, None)
        if not raw:
            continue
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").date()
        except ValueError:
            query[param] = raw
            continue
        if param == "until":
            if day == date.max:
                # 9999-12-31 has no next day: its last second.
                query[param] = str(LAST_SECOND)
                continue
            day += timedelta(days=1)
        query[param] = str(unix_seconds(day_start(day)))
    return query


def unix_bounds_as_dates(cleaned_data):
    """The dates to show in the page's from/to inputs for validated since/until."""
    since, until = cleaned_data.get("since"), cleaned_data.get("until")
    return {
        "lastSeenFrom": local_date(since).isoformat() if since else "",
        "lastSeenTo": _day_before(until).isoformat() if until else "",
    }


def day_start(day):
    """The first moment of a calendar day in the viewer's zone (midnight, or the first time
    there is when a clock change skips it)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _day_before(until):
    """The day of the last second before until (the first moment there is has none)."""
    return local_date(until - timedelta(seconds=1) if until > FIRST_MOMENT else until)


def viewable_org(request, org_id, *, with_ancestors=False):
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


def viewable_portal(request, container_id, portal_id):
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


def _dates_note(cleaned):
    since, until = cleaned.get("since"), cleaned.get("until")
    if since is not None and until is not None and since >= until:
        return _("— the From date is after the To date, so no one can match")
    return ""


def _member_page(
    request,
    listing,
    *,
    org,
    api_url,
    csv_url,
    emails_url,
    page_context,
    portal=False,
    xlsx_url=None,
):
    """An org's or a portal's member listing as a page, with its overview."""
    cleaned = listing.cleaned
    sort = cleaned.get("sort") or "fullName"

    never_seen = bool(cleaned.get("neverSeen"))

    def whole_page():
        overview = member_overview(org, portal=portal)
        counts = overview["roles"]
        labels = {
            role: f"{ROLE_LABELS[role]} ({number_format(counts[role], force_grouping=True)})"
            for role in ROLES
        }
        return {
            **page_context(),
            "roles": option_choices(listing, "role", ROLES, labels),
            "overview": overview,
        }

    return render_listing(
        request,
        listing,
        template="dashboards/orgs/members.html",
        table=partial(
            OrgMemberTable,
            org=org,
            order_by=f"-{sort}" if cleaned.get("order") == "descending" else sort,
        ),
        nouns=lambda count: ngettext("member", "members", count),
        kept=("sort", "order", "perPage"),
        api_url=api_url,
        csv_url=csv_url,
        xlsx_url=xlsx_url,
        columns=ColumnChoice(
            request, OrgMemberTable, "org-members", query=listing.params, remember=True
        ),
        selectable=True,
        emails_url=emails_url,
        context={
            "org": org,
            "filter_text": listing.params.get("filter", ""),
            "roles": option_choices(listing, "role", ROLES, ROLE_LABELS),
            "include_anonymous": bool(cleaned.get("includeAnonymousUsers")),
            "dates": unix_bounds_as_dates(cleaned),
            "last_seen_choices": [
                {
                    "value": value,
                    "label": label,
                    "selected": value == ("never" if never_seen else ""),
                }
                for value, label in LAST_SEEN_CHOICE_LABELS.items()
            ],
            "count_note": _dates_note(cleaned),
        },
        page_context=whole_page,
    )


def _canonical_redirect(request, query):
    """A plain GET with page-only dates goes to its canonical address (htmx requests get it
    in HX-Push-Url instead)."""
    if request.htmx or not any(name in request.GET for name in PAGE_ONLY):
        return None
    return HttpResponseRedirect(with_query(request.path, query))


@page_principal
def org_members_page(request, org_id):
    """An org's members, with its place in the tree and its child orgs."""
    org = viewable_org(request, org_id, with_ancestors=not request.htmx)
    query = dates_as_unix_bounds(request.GET)
    return _canonical_redirect(request, query) or _member_page(
        request,
        org_member_listing(query, org),
        org=org,
        api_url=reverse("api-org-members", kwargs={"org_id": org.pk}),
        csv_url=reverse("org-members-csv", args=[org.pk]),
        xlsx_url=reverse("org-members-xlsx", args=[org.pk]),
        emails_url=reverse("org-member-emails", args=[org.pk]),
        page_context=lambda: {
            "breadcrumbs": _breadcrumbs(request, org),
            "children": child_orgs(org),
        },
    )


@page_principal
def portal_members_page(request, container_id, portal_id):
    """A portal's members with the container's admins and instructors."""
    container, portal = viewable_portal(request, container_id, portal_id)
    query = dates_as_unix_bounds(request.GET)
    return _canonical_redirect(request, query) or _member_page(
        request,
        portal_member_listing(query, portal),
        org=portal,
        portal=True,
        api_url=reverse(
            "api-portal-members", kwargs={"org_id": container.pk, "portal_id": portal.pk}
        ),
        csv_url=reverse("portal-members-csv", args=[container.pk, portal.pk]),
        xlsx_url=reverse("portal-members-xlsx", args=[container.pk, portal.pk]),
        emails_url=reverse("portal-member-emails", args=[container.pk, portal.pk]),
        page_context=lambda: {
            "portal": portal,
            "container": container,
            "breadcrumbs": _breadcrumbs(request, portal),
        },
    )


@page_principal
def org_members_csv(request, org_id):
    """Every member matching the filters, in the chosen order, as streamed CSV."""
    org = viewable_org(request, org_id)
    listing = org_member_listing(
        dates_as_unix_bounds(request.GET), org, whole=True, selectable=True
    )
    return listing_csv(
        listing, MemberSerializer, filename=file_name(org.title, "members", extension="csv")
    )


@page_principal
def portal_members_csv(request, container_id, portal_id):
    container, portal = viewable_portal(request, container_id, portal_id)
    listing = portal_member_listing(
        dates_as_unix_bounds(request.GET), portal, whole=True, selectable=True
    )
    return listing_csv(
        listing,
        MemberSerializer,
        filename=file_name(portal.title, "portal members", extension="csv"),
    )


@page_principal
def org_member_detail(request, org_id, user_id):
    """A member's profile and their courses in the org, searchable by title and status."""
    org = viewable_org(request, org_id, with_ancestors=not request.htmx)
    member = listed_member(org, user_id)
    if member is None:
        raise Http404("No such member in this org.")
    listing = member_course_listing(request.GET, org, user_id)
    return render_listing(
        request,
        listing,
        template="dashboards/orgs/member_detail.html",
        table=partial(MemberCourseTable, viewable_container=request.principal.container_id),
        nouns=lambda count: ngettext("course", "courses", count),
        kept=("perPage",),
        api_url=reverse("api-org-member-courses", kwargs={"org_id": org.pk, "user_id": user_id}),
        xlsx_url=reverse("member-courses-xlsx", args=[org.pk, user_id]),
        columns=ColumnChoice(request, MemberCourseTable, "member-courses", remember=True),
        context={
            "org": org,
            "title_text": request.GET.get("title", ""),
            "statuses": option_choices(listing, "status", COURSE_STATUSES, COURSE_STATUS_LABELS),
        },
        page_context=lambda: {
            "member": member,
            "member_role": ROLE_LABELS[ROLES[member.listing_row.rank]],
            "breadcrumbs": _breadcrumbs(request, org),
        },
    )
