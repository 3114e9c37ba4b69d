"""What a table's cells show: times, progress, badges, avatars, the selection's checkbox.

Plain functions returning safe HTML. The tables call them; the pages' templates use them as
filters and tags, registered by dashboards/web/templatetags/ (ui.py, selection.py), so the
tables never import the web layer.
"""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, npgettext_lazy

from dashboards.models.roles import COURSE_STATUS_LABELS, JOIN_STATUS_LABELS, ROLE_LABELS
from dashboards.text import utc_iso

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


def badge(value, kind=None):
    """A text badge: a status's or role's label (other text as is); `kind` (default: the
    value) picks its colour class."""
    if value in (None, ""):
        return ""
    return format_html(
        '<span class="badge badge-{}">{}</span>', kind or value, BADGE_LABELS.get(value, value)
    )


def avatar(url, name=""):
    """The avatar image, or the initial of name on a plain disc when there is no http(s) URL."""
    if url and str(url).startswith(("https://", "http://")):
        return format_html(
            '<img class="avatar" src="{}" alt="" width="32" height="32" loading="lazy" '
            'referrerpolicy="no-referrer" data-initial="{}">',
            url,
            initial(name),
        )
    return format_html(
        '<span class="avatar avatar-blank" aria-hidden="true">{}</span>', initial(name)
    )


def initial(name):
    return (name or "?").strip()[:1].upper() or "?"


def row_checkbox(table, record):
    """A selectable table's row checkbox (dashboards/partials/selection.html explains the
    selection): its value is the row's id, its label names the member."""
    row_id, name = table.selection_key(record)
    return format_html(
        '<input type="checkbox" class="row-select" value="{}" aria-label="{}">',
        row_id,
        _("Select %(name)s") % {"name": name},
    )
