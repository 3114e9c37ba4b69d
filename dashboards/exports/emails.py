"""The members' emails of an org's or a portal's listing, for "Copy emails": the same listing
as the page and its exports (filters, rights, `selected=` ids), one email a line, streamed.

Only the emails the org API shows for those rows: the course family shows none (so the course
page offers no copy), and an anonymous member has none.
"""

from itertools import batched

from django.http import StreamingHttpResponse

from dashboards.exports.copy_out import export_rows
from dashboards.exports.csv import refusal

EMAILS_PER_CHUNK = 500


def listing_emails(listing):
    """The listed members' emails as streamed text, or the exports' plain-text 400."""
    if not listing.is_valid:
        return refusal(listing)
    emails = (email for (email,) in export_rows(listing, ["user__email"]) if email)
    chunks = ("\n".join(batch) + "\n" for batch in batched(emails, EMAILS_PER_CHUNK))
    response = StreamingHttpResponse(chunks, content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
