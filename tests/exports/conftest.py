"""The export tests' people: one per hostile text (tests/exports/csv_samples.py), in Acme Sales
and its shared course, with their profiles, last-seen and joined times."""

import pytest

from dashboards.models import OrgRole, User
from tests.exports.csv_samples import HOSTILE, PROFILE, SEEN
from tests.factories import make_member, make_role, make_user


@pytest.fixture
def hostile_people(org_world):
    people = []
    for index, text in enumerate(HOSTILE):
        profile = {field: HOSTILE[(index + n) % len(HOSTILE)] for n, field in enumerate(PROFILE)}
        user = make_user(
            username=text and f"{text}{index}",
            website=text,
            last_seen=SEEN[index % len(SEEN)],
            **profile,
        )
        make_role(user, org_world.sales, OrgRole.LEARNER)
        make_member(
            user, org_world.both, joined_at=SEEN[(index + 1) % len(SEEN)], completion_rate=index
        )
        people.append(user)
    nameless = make_user(username="nameless")  # real_name is ""
    make_role(nameless, org_world.sales, OrgRole.LEARNER)
    make_member(nameless, org_world.both)
    # Blank texts stored without save() (which stores them as null).
    User.objects.filter(pk=people[0].pk).update(website="", location="", fn="")
    return [*people, nameless]
