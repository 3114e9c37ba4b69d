"""The members' emails of an org's or a portal's listing, for "Copy emails": the same listing
as the page and its exports (filters, rights, `selected=` ids), one email a line, streamed.

Only the emails the org API shows for those rows: the course family shows none (so the course
page offers no copy), and an anonymous member has none.
"""

from itertools import batched

from django.http import StreamingHttpResponse

from dashboards.access.pages import page_principal
from dashboards.exports.csv import refusal
from dashboards.listings import org_member_listing, portal_member_listing
from dashboards.web.orgs import dates_as_unix_bounds, viewable_org, viewable_portal

EMAILS_PER_CHUNK = 500


def listing_emails(listing):
    """The listed members' emails as streamed text, or the exports' plain-text 400."""
    if not listing.is_valid:
        return refusal(listing)
    emails = (email for (email,) in listing.export_rows(["user__email"]) if email)
    chunks = ("\n".join(batch) + "\n" for batch in batched(emails, EMAILS_PER_CHUNK))
    response = StreamingHttpResponse(chunks, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page_principal
def org_member_emails(request, org_id):
    org = viewable_org(request, org_id)
    query = dates_as_unix_bounds(request.GET)
    return listing_emails(org_member_listing(query, org, whole=True, selectable=True))


@page_principal
def portal_member_emails(request, container_id, portal_id):
    _container, portal = viewable_portal(request, container_id, portal_id)
    query = dates_as_unix_bounds(request.GET)
    return listing_emails(portal_member_listing(query, portal, whole=True, selectable=True))
