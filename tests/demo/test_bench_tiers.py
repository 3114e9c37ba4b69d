"""bench/tiers.py's shaping: the benchmark tiers' big org and portal, written set-wise."""

import pytest

from bench import tiers
from dashboards.demo import generator as demo
from dashboards.models import Course, CourseShare, OrgRole, User
from tests.roster.test_org_roster import assert_roster_in_step


@pytest.mark.django_db(transaction=True)  # shape ends with VACUUM on PostgreSQL
def test_shape_gives_the_big_org_and_its_portal_their_members():
    demo.seed_demo(120, 7)
    tiers.shape(out=lambda line: None)
    portal = tiers.portal_of(tiers.BIG_ORG_ID)
    user_ids = set(User.objects.values_list("pk", flat=True))
    course_ids = set(Course.objects.values_list("pk", flat=True))

    def learners(org):
        return set(
            OrgRole.objects.filter(org=org, role=OrgRole.LEARNER).values_list("user_id", flat=True)
        )

    def shared(org):
        return set(CourseShare.objects.filter(org=org).values_list("course_id", flat=True))

    assert learners(tiers.BIG_ORG_ID) >= {pk for pk in user_ids if pk % 10 != 0}
    assert shared(tiers.BIG_ORG_ID) >= {pk for pk in course_ids if pk % 10 == 1}
    assert learners(portal) >= {pk for pk in user_ids if pk % 2 == 0}
    assert shared(portal) >= {pk for pk in course_ids if pk % 20 == 1}
    assert_roster_in_step()

    roles = OrgRole.objects.count()
    tiers.shape(out=lambda line: None)  # shaped already: nothing more
    assert OrgRole.objects.count() == roles
