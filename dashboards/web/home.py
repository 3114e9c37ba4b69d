"""The home page's own parts: what waits across the viewer's courses, the orgs they
administer, their saved views (the courses' listing is declared in
dashboards/registry/listings.py)."""

from dashboards.selectors.home import INACTIVE_DAYS, administered_orgs, top_orgs, waiting_summary
from dashboards.web.saved_views import saved_views_with_counts


def home_whole_page(request, principal, listing):
    return {
        "waiting": waiting_summary(principal),
        "inactive_days": INACTIVE_DAYS,
        "administered_orgs": administered_orgs(principal),
        # A superuser may open every org: without this list no page would lead there.
        "top_orgs": top_orgs(principal),
        "saved_views": saved_views_with_counts(request),
    }
