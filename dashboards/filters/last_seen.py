"""The member pages' page-only last-seen controls, translated into the API's parameters.

The pages pick last-seen bounds as calendar days (lastSeenFrom/lastSeenTo, in the viewer's time
zone) or as a quick choice (lastSeen); the API knows only since/until (Unix seconds) and
neverSeen. `dates_as_unix_bounds` rewrites a page's query into the API's, so the canonical
address of a page, put on the API path, gives the same rows.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy

from dashboards.filters.params import unix_seconds

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


def day_start(day):
    """The first moment of a calendar day in the viewer's zone (midnight, or the first time
    there is when a clock change skips it)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
