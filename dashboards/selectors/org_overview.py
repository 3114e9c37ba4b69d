"""The overview above an org's (or a portal's) member listing: who the members are by role,
who has been active, who was never seen, and what they enrolled in and completed.

Two queries whatever the org's size: the tally's rows by role (a handful), and one aggregate
over the listing's roster rows whose conditions are ranges of the roster's indexes
(last_seen, enrolled_count, completed_count). Every figure counts what the listing it links to
lists by default (anonymous users left out).
"""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dashboards.models import OrgMember
from dashboards.roles import ROLES
from dashboards.selectors.orgs import member_tally

ACTIVE_WINDOWS = (7, 30)


def role_counts(org, *, portal=False, include_anonymous=False):
    """{role: members} from the tally (anonymous users left out unless include_anonymous)."""
    tally = member_tally(org, portal=portal)
    if not include_anonymous:
        tally = tally.filter(anonymous=False)
    counts = dict.fromkeys(ROLES, 0)
    for row in tally.values("rank").annotate(n=Sum("members")).order_by():
        counts[ROLES[row["rank"]]] += row["n"]
    return counts


def activity_counts(org, *, now, portal=False):
    """Members active within each of ACTIVE_WINDOWS days of now, never seen, enrolled in a
    course of the org, and their completions, as one aggregate."""
    rows = OrgMember.objects.filter(org=org, anonymous=False)
    if not portal:
        rows = rows.filter(role_rank__isnull=False)
    figures = {
        f"active_{days}d": Count("user", filter=Q(last_seen__gte=now - timedelta(days=days)))
        for days in ACTIVE_WINDOWS
    }
    figures["never_seen"] = Count("user", filter=Q(last_seen__isnull=True))
    figures["enrolled"] = Count("user", filter=Q(enrolled_count__gt=0))
    figures["completions"] = Coalesce(Sum("completed_count"), 0)
    return rows.aggregate(**figures)
