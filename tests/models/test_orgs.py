"""The org tree: paths and containers; moving an org moves its subtree, never below its own
descendant; a container has no parent and every other org has one."""

import pytest
from django.db import IntegrityError

from dashboards.models import Org

pytestmark = pytest.mark.django_db


def test_org_tree_paths_and_containers(org_tree):
    acme, sales, east = org_tree["acme"], org_tree["sales"], org_tree["sales_east"]
    assert east.ancestor_ids == [acme.pk, sales.pk, east.pk]
    assert east.container_id == acme.pk and acme.container_id == acme.pk
    # Ancestry is a prefix test on the path (what the permission queries use).
    assert all(east.path.startswith(org.path) for org in (acme, sales, east))
    assert not sales.path.startswith(east.path)
    assert not east.path.startswith(org_tree["support"].path)
    assert not east.path.startswith(org_tree["globex"].path)


def test_moving_an_org_moves_its_subtree(org_tree):
    sales, support, east = org_tree["sales"], org_tree["support"], org_tree["sales_east"]
    sales.parent = support
    sales.save()
    east.refresh_from_db()
    assert east.ancestor_ids == [org_tree["acme"].pk, support.pk, sales.pk, east.pk]


def test_an_org_cannot_move_under_its_own_descendant(org_tree):
    sales = org_tree["sales"]
    sales.parent = org_tree["sales_east"]
    with pytest.raises(ValueError, match="own descendant"):
        sales.save()


def test_a_container_has_no_parent_and_other_orgs_have_one(org_tree):
    with pytest.raises(IntegrityError):
        Org.objects.create(title="Orphan", org_type=Org.BASE)
