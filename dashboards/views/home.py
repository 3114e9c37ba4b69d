"""The home page: the courses the caller may view, and the orgs they administer."""

from django.shortcuts import render

from dashboards.filters.courses import PAGE_SIZES, RosterWindowForm
from dashboards.permissions import page_principal
from dashboards.selectors.courses import rows_window, viewable_courses
from dashboards.selectors.home import administered_orgs, top_orgs
from dashboards.views.paging import Pager


@page_principal
def home(request):
    """Courses (with member counts) a page at a time, by `limit`/`offset` like the roster."""
    window = RosterWindowForm(request.GET)
    errors = {} if window.is_valid() else {n: list(m) for n, m in window.errors.items()}
    limit = window.cleaned_data.get("limit") or PAGE_SIZES[0]
    offset = window.cleaned_data.get("offset") or 0
    count, courses = rows_window(viewable_courses(request.principal), limit=limit, offset=offset)
    context = {
        "courses": courses,
        "errors": errors,
        "pager": Pager.from_offset(
            request.GET,
            count=count,
            limit=limit,
            offset=offset,
            shown=len(courses),
            sizes=PAGE_SIZES,
            nouns=("course", "courses"),
        ),
        "administered_orgs": administered_orgs(request.principal),
        # A superuser may open every org: without this list no page would lead there.
        "top_orgs": top_orgs(request.principal),
    }
    return render(request, "dashboards/home.html", context, status=400 if errors else 200)
