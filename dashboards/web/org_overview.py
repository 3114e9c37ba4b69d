"""The org overview's figures as links to the member listing that lists them
(selectors.org_overview counts them the way that listing counts)."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.filters.params import unix_seconds
from dashboards.models.roles import ROLE_LABELS, ROLES
from dashboards.selectors.org_overview import ACTIVE_WINDOWS, member_overview_counts


def member_overview(org, *, portal=False, now=None):
    """The overview: its entries {label, count, url (a query on the member page), note}, the
    total, and the counts by role (for the role checkboxes)."""
    # Whole seconds: the links' since is the very moment the counts were taken from.
    now = (now or timezone.now()).replace(microsecond=0)
    now, figures = _counts(org, now=now, portal=portal)
    counts = figures["roles"]
    entries = [
        {"label": ROLE_LABELS[role], "count": counts[role], "url": f"?role={role}"}
        for role in ROLES
        if counts[role]
    ]
    entries += [
        {
            "label": _("Active, %(days)d days") % {"days": days},
            "count": figures[f"active_{days}d"],
            "url": f"?since={unix_seconds(now - timedelta(days=days))}",
        }
        for days in ACTIVE_WINDOWS
    ]
    entries += [
        {"label": _("Never seen"), "count": figures["never_seen"], "url": "?neverSeen=true"},
        {
            "label": _("Enrolled learners"),
            "count": figures["enrolled"],
            "url": "?sort=enrolledCount&order=descending",
            "note": _("most enrolled first"),
        },
        {
            "label": _("Completions"),
            "count": figures["completions"],
            "url": "?sort=completedCount&order=descending",
            "note": _("most completed first"),
        },
    ]
    return {"total": sum(counts.values()), "entries": entries, "roles": counts}


def _counts(org, *, now, portal):
    """(the moment of the counts, the counts): counted now, or kept from a count at most
    ORG_OVERVIEW_CACHE_SECONDS old (the aggregate reads every roster row of the org: a big
    org's page would spend most of its time on it). Its links carry that moment, so each
    figure still counts what its link lists at that moment."""
    seconds = settings.ORG_OVERVIEW_CACHE_SECONDS
    if seconds <= 0:
        return now, member_overview_counts(org, now=now, portal=portal)
    key = f"org-overview:{org.pk}:{'portal' if portal else 'org'}"
    kept = cache.get(key)
    if kept is None:
        kept = (now, member_overview_counts(org, now=now, portal=portal))
        cache.set(key, kept, seconds)
    return kept
