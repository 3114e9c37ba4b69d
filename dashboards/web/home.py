"""The home page: the courses the caller may view, and the orgs they administer."""

from functools import partial

from django.urls import reverse
from django.utils.translation import ngettext

from dashboards.access.pages import page_principal
from dashboards.listings import course_listing
from dashboards.selectors.home import INACTIVE_DAYS, administered_orgs, top_orgs, waiting_summary
from dashboards.tables.courses import CourseTable
from dashboards.web.columns import ColumnChoice
from dashboards.web.listing import render_listing
from dashboards.web.saved_view_counts import saved_views_with_counts


@page_principal
def home(request):
    """Courses (with member counts) a page at a time, by `limit`/`offset` like the API,
    searched by title and sorted; above them, what waits across them."""
    listing = course_listing(request.GET, request.principal)
    return render_listing(
        request,
        listing,
        template="dashboards/home.html",
        table=partial(CourseTable, order_by=listing.cleaned.get("ordering")),
        nouns=lambda count: ngettext("course", "courses", count),
        kept=("ordering", "limit"),
        xlsx_url=reverse("courses-xlsx"),
        columns=ColumnChoice(request, CourseTable, "courses", remember=True),
        page_context=lambda: {
            "waiting": waiting_summary(request.principal),
            "inactive_days": INACTIVE_DAYS,
            "administered_orgs": administered_orgs(request.principal),
            # A superuser may open every org: without this list no page would lead there.
            "top_orgs": top_orgs(request.principal),
            "saved_views": saved_views_with_counts(request),
        },
    )
