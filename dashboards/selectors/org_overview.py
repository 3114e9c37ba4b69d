"""The overview above an org's (or a portal's) member listing: who the members are by role,
who has been active, who was never seen, and what they enrolled in and completed.

One aggregate over the listing's roster rows whatever the org's size (its conditions are on
the roster's own columns: rank, last_seen, enrolled_count, completed_count). Every figure
counts what the listing it links to lists by default (anonymous users left out).
"""

from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dashboards.models import OrgMember
from dashboards.models.roles import ROLES

ACTIVE_WINDOWS = (7, 30)


def member_overview_counts(org, *, now, portal=False):
    """{"roles": {role: members}, "active_7d", "active_30d", "never_seen", "enrolled",
    "completions"}: members of the listing by role, active within each of ACTIVE_WINDOWS days
    of now, never seen, enrolled in a course of the org, and their completions."""
    rank = "portal_rank" if portal else "role_rank"
    rows = OrgMember.objects.filter(org=org, anonymous=False, **{f"{rank}__isnull": False})
    figures = {
        f"role_{index}": Count("user", filter=Q(**{rank: index})) for index in range(len(ROLES))
    }
    figures |= {
        f"active_{days}d": Count("user", filter=Q(last_seen__gte=now - timedelta(days=days)))
        for days in ACTIVE_WINDOWS
    }
    figures["never_seen"] = Count("user", filter=Q(last_seen__isnull=True))
    figures["enrolled"] = Count("user", filter=Q(enrolled_count__gt=0))
    figures["completions"] = Coalesce(Sum("completed_count"), 0)
    counts = rows.aggregate(**figures)
    counts["roles"] = {role: counts.pop(f"role_{index}") for index, role in enumerate(ROLES)}
    return counts
