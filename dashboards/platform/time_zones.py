"""The viewer's time zone: the pages show times, and read their date filters, in it.

static/js/app.js writes the browser's zone (`Intl.DateTimeFormat().resolvedOptions()
.timeZone`) into the `tz` cookie; ViewerTimeZoneMiddleware activates it for the pages. An
unknown, absent or malformed zone is UTC. The APIs ignore the cookie: their bodies stay in
UTC as the contracts say (the CSV writes ISO UTC times whatever the zone: exports/csv.py).
"""

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.utils import timezone

from dashboards.platform.middleware import is_api_path

# IANA names are short ("America/Argentina/ComodRivadavia" is 32 characters).
MAX_NAME_LENGTH = 64
# Other names of UTC (a browser may say "Etc/UTC"): the default, named "UTC" on the pages.
UTC_ALIASES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"}
)


@functools.cache
def known_zones():
    return frozenset(zoneinfo.available_timezones())


def zone_named(name):
    """The ZoneInfo of an IANA zone name, or None for UTC and for anything else."""
    if not name or len(name) > MAX_NAME_LENGTH or name in UTC_ALIASES:
        return None
    if name not in known_zones():
        return None
    return zoneinfo.ZoneInfo(name)


class ViewerTimeZoneMiddleware:
    """Activate the `tz` cookie's zone for the pages (never for the APIs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = None
        if not is_api_path(request.path):
            zone = zone_named(request.COOKIES.get(settings.TIME_ZONE_COOKIE_NAME))
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def local_date(moment):
    """The day of an aware moment in the viewer's zone (in UTC at datetime's very ends, where
    the zone's offset would leave the calendar)."""
    try:
        return timezone.localtime(moment).date()
    except OverflowError:
        return moment.date()


def local_naive(moment, zone=None):
    """An aware moment as a naive wall-clock time in `zone`, the viewer's zone by default (a
    spreadsheet has no zones)."""
    try:
        return moment.astimezone(zone or timezone.get_current_timezone()).replace(tzinfo=None)
    except OverflowError:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
