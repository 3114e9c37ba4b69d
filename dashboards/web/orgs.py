"""The org admin's pages' own parts (the member filters, the overview, the tree around an org;
the listings are declared in dashboards/registry/listings.py).

A page's address with /vfo/… in front is its "View as JSON". The last-seen dates and quick
choices are the one page-only control (dashboards/filters/last_seen.py); the page shows the
canonical since/until back as dates in the viewer's time zone.
"""

from datetime import timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dashboards.access.predicates import can_view_org
from dashboards.filters.last_seen import FIRST_MOMENT, LAST_SEEN_CHOICE_LABELS
from dashboards.models.roles import COURSE_STATUS_LABELS, COURSE_STATUSES, ROLE_LABELS, ROLES
from dashboards.platform.time_zones import local_date
from dashboards.selectors.orgs import child_orgs, orgs_for_viewer
from dashboards.web.listing import option_choices
from dashboards.web.org_overview import member_overview


def unix_bounds_as_dates(cleaned_data):
    """The dates to show in the page's from/to inputs for validated since/until."""
    since, until = cleaned_data.get("since"), cleaned_data.get("until")
    return {
        "lastSeenFrom": local_date(since).isoformat() if since else "",
        "lastSeenTo": _day_before(until).isoformat() if until else "",
    }


def _day_before(until):
    """The day of the last second before until (the first moment there is has none)."""
    return local_date(until - timedelta(seconds=1) if until > FIRST_MOMENT else until)


def breadcrumbs(request, org):
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


def member_page(request, org, listing):
    """An org's or a portal's member filters (the page and its htmx region)."""
    cleaned = listing.cleaned
    never_seen = bool(cleaned.get("neverSeen"))
    return {
        "org": org,
        "filter_text": listing.params.get("filter", ""),
        "roles": option_choices(listing, "role", ROLES, ROLE_LABELS),
        "include_anonymous": bool(cleaned.get("includeAnonymousUsers")),
        "dates": unix_bounds_as_dates(cleaned),
        "last_seen_choices": [
            {"value": value, "label": label, "selected": value == ("never" if never_seen else "")}
            for value, label in LAST_SEEN_CHOICE_LABELS.items()
        ],
        "count_note": _dates_note(cleaned),
    }


def _member_overview(org, listing, *, portal):
    overview = member_overview(org, portal=portal)
    counts = overview["roles"]
    labels = {
        role: f"{ROLE_LABELS[role]} ({number_format(counts[role], force_grouping=True)})"
        for role in ROLES
    }
    return {"roles": option_choices(listing, "role", ROLES, labels), "overview": overview}


def org_members_whole_page(request, org, listing):
    """An org's members page: its overview, its place in the tree and its child orgs."""
    return {
        **_member_overview(org, listing, portal=False),
        "breadcrumbs": breadcrumbs(request, org),
        "children": child_orgs(org),
    }


def portal_members_whole_page(request, portal, listing):
    """A portal's members page: its overview and its container."""
    return {
        **_member_overview(portal, listing, portal=True),
        "portal": portal,
        "container": portal.container,
        "breadcrumbs": breadcrumbs(request, portal),
    }


def member_courses_page(request, subject, listing):
    """A member's courses filters (the page and its htmx region)."""
    return {
        "org": subject.org,
        "title_text": request.GET.get("title", ""),
        "statuses": option_choices(listing, "status", COURSE_STATUSES, COURSE_STATUS_LABELS),
    }


def member_courses_whole_page(request, subject, listing):
    """A member's profile above their courses in the org."""
    member = subject.member
    return {
        "member": member,
        "member_role": ROLE_LABELS[ROLES[member.listing_row.rank]],
        "breadcrumbs": breadcrumbs(request, subject.org),
    }
