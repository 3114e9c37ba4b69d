"""Presentation helpers for every page: times, progress, badges, the completion histogram.

Each helper is a plain function (used by the tables) and a template filter or tag.
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext_lazy

from dashboards.models.roles import (
    COURSE_STATUS_LABELS,
    JOIN_STATUS_LABELS,
    ORG_TYPE_LABELS,
    ROLE_LABELS,
)
from dashboards.text import utc_iso

register = template.Library()

JUST_NOW = dt.timedelta(seconds=60)
# The units inside "%(delay)s ago" and "in %(delay)s" (German declines them there: "vor 3
# Tagen", "in 3 Tagen"), hence their own context.
TIME_UNITS = {
    "year": npgettext_lazy("relative time", "%(num)d year", "%(num)d years", "num"),
    "month": npgettext_lazy("relative time", "%(num)d month", "%(num)d months", "num"),
    "week": npgettext_lazy("relative time", "%(num)d week", "%(num)d weeks", "num"),
    "day": npgettext_lazy("relative time", "%(num)d day", "%(num)d days", "num"),
    "hour": npgettext_lazy("relative time", "%(num)d hour", "%(num)d hours", "num"),
    "minute": npgettext_lazy("relative time", "%(num)d minute", "%(num)d minutes", "num"),
}
COMPLETION = gettext_lazy("Completion")


def exact_time(value):
    """The moment in the viewer's time zone and language, to the second, the zone named:
    "Jan. 1, 2025 10:00:00 Europe/Paris" (the zone is UTC unless the viewer's is known)."""
    local, zone = timezone.localtime(value), timezone.get_current_timezone_name()
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M:%S} {zone}"


@register.filter
def relative_time(value, empty=None):
    """`<time>` saying "3 days ago" / "in 2 hours" in the page's language, with the exact time
    in the viewer's zone on hover; `empty` (default "never") for no time."""
    if value is None:
        return format_html('<span class="muted">{}</span>', _("never") if empty is None else empty)
    now = timezone.now()
    if abs(now - value) < JUST_NOW:
        words = _("just now")
    elif value < now:
        words = _("%(delay)s ago") % {
            "delay": timesince(value, now, time_strings=TIME_UNITS, depth=1)
        }
    else:
        words = _("in %(delay)s") % {
            "delay": timeuntil(value, now, time_strings=TIME_UNITS, depth=1)
        }
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', utc_iso(value), exact_time(value), words
    )


@register.filter
def progress_bar(value, label=COMPLETION):
    """A native <progress> (0–100) followed by the number, so it reads without colour."""
    value = max(0, min(100, int(value or 0)))
    return format_html(
        '<span class="progress-cell"><progress max="100" value="{}" aria-label="{} {}%">'
        '</progress><span class="progress-value">{}%</span></span>',
        value,
        label,
        value,
        value,
    )


# Badges say words, as the filters do: a status or role slug shows its label.
BADGE_LABELS = {**JOIN_STATUS_LABELS, **ROLE_LABELS, **COURSE_STATUS_LABELS}


@register.filter
def org_type(value):
    """An org's type in the page's language ("portal")."""
    return ORG_TYPE_LABELS.get(value, value)


@register.filter
def badge(value, kind=None):
    """A text badge: a status's or role's label (other text as is); `kind` (default: the
    value) picks its colour class."""
    if value in (None, ""):
        return ""
    return format_html(
        '<span class="badge badge-{}">{}</span>', kind or value, BADGE_LABELS.get(value, value)
    )


# Parameters that page, order or shape a listing; any other non-blank one filters it.
NOT_FILTERS = frozenset(
    {"page", "perPage", "limit", "offset", "sort", "order", "ordering", "columns", "bom"}
)


@register.filter
def has_filters(query):
    """Whether a request's query filters the listing (so an empty table offers to clear it)."""
    return any(
        value.strip()
        for name, values in query.lists()
        if name not in NOT_FILTERS
        for value in values
    )


@register.filter
def avatar(url, name=""):
    """The avatar image, or the initial of name on a plain disc when there is no http(s) URL."""
    if url and str(url).startswith(("https://", "http://")):
        return format_html(
            '<img class="avatar" src="{}" alt="" width="32" height="32" loading="lazy" '
            'referrerpolicy="no-referrer" data-initial="{}">',
            url,
            _initial(name),
        )
    return format_html(
        '<span class="avatar avatar-blank" aria-hidden="true">{}</span>', _initial(name)
    )


def _initial(name):
    return (name or "?").strip()[:1].upper() or "?"


@register.inclusion_tag("dashboards/partials/histogram.html")
def completion_histogram(buckets, height=120, rows_url=None):
    """An inline SVG bar chart of the ten completion buckets (no script, no chart library);
    with rows_url (an address ending in a query), each bar links to its bucket's rows."""
    tallest = max(buckets, default=0) or 1
    bar_width, gap, label_room = 28, 6, 18
    bars = []
    for index, count in enumerate(buckets):
        low = index * 10
        high = 100 if index == len(buckets) - 1 else low + 9
        bar_height = round(count / tallest * (height - label_room - 14))
        bars.append(
            {
                "x": index * (bar_width + gap),
                "y": height - label_room - bar_height,
                "width": bar_width,
                "height": bar_height,
                "count": count,
                "label": f"{low}–{high}%",
                "url": (
                    f"{rows_url}&completion_min={low}&completion_max={high}" if rows_url else None
                ),
                "tick": f"{low}",
                "text_x": index * (bar_width + gap) + bar_width / 2,
                "count_y": height - label_room - bar_height - 3,
            }
        )
    return {
        "bars": bars,
        "width": len(buckets) * (bar_width + gap) - gap,
        "height": height,
        "tick_y": height - 4,
        "total": sum(buckets),
    }
