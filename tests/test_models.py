import pytest
from django.db import IntegrityError

from dashboards.models import Org, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("names", "real_name", "display_name"),
    [
        (
            {"full_name": "Émile Zola", "fn": "EZ", "first_name": "E", "last_name": "Z"},
            "Émile Zola",
            "Émile Zola",
        ),
        ({"full_name": "   ", "fn": "Countess", "first_name": "Ada"}, "Countess", "Countess"),
        ({"fn": "", "first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace", "Ada Lovelace"),
        ({"first_name": "Ada", "last_name": " "}, "Ada", "Ada"),
        ({"first_name": None, "last_name": "Hopper"}, "Hopper", "Hopper"),
        ({}, "", "Unknown"),
        ({"full_name": "\t", "fn": "  ", "first_name": "", "last_name": None}, "", "Unknown"),
    ],
)
def test_display_name_is_computed_by_the_database(names, real_name, display_name):
    user = make_user(**names)
    stored = User.objects.values("real_name", "display_name").get(pk=user.pk)
    assert stored == {"real_name": real_name, "display_name": display_name}
    assert user.display_name_now() == display_name


def test_display_name_treats_whitespace_written_past_save_as_blank():
    user = make_user(first_name="Ada", last_name="Lovelace")
    User.objects.filter(pk=user.pk).update(full_name="   ", fn="")
    assert User.objects.values_list("display_name", flat=True).get(pk=user.pk) == "Ada Lovelace"


def test_display_name_can_be_sorted_and_filtered_in_the_database():
    make_user(full_name="Zed")
    make_user(first_name="Ada", last_name="B")
    make_user()
    names = list(User.objects.order_by("display_name").values_list("display_name", flat=True))
    assert names == ["Ada B", "Unknown", "Zed"]
    assert User.objects.filter(display_name="Unknown").count() == 1


def test_blank_profile_fields_are_stored_as_null_and_keys_are_normalized():
    user = make_user(username="emile", email="E@x.org", full_name="ÉMILE Zola", location="  ")
    user.refresh_from_db()
    assert user.location is None
    assert user.name_key == "emile zola"
    assert user.search_key.split("\n") == ["emile zola", "emile", "e@x.org"]
    assert user.roster_search_key.split("\n") == ["emile", "emile zola"]


def test_org_tree_paths_and_containers(org_tree):
    acme, sales, east = org_tree["acme"], org_tree["sales"], org_tree["sales_east"]
    assert east.ancestor_ids == [acme.pk, sales.pk, east.pk]
    assert east.container_id == acme.pk and acme.container_id == acme.pk
    assert acme.is_ancestor_of(east) and sales.is_ancestor_of(east) and east.is_ancestor_of(east)
    assert not east.is_ancestor_of(sales)
    assert not org_tree["support"].is_ancestor_of(east)
    assert not org_tree["globex"].is_ancestor_of(east)


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


def test_unique_username_allows_several_nulls():
    make_user(username=None, email=None)
    make_user(username=None, email=None)
    with pytest.raises(IntegrityError):
        make_user(username="same")
        make_user(username="same")
