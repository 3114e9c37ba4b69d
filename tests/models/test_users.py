import pytest
from django.db import IntegrityError

from dashboards.dataset import format
from dashboards.models import Course, CourseMember, Credential, Org, OrgRole, User
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


def test_unique_username_allows_several_nulls():
    make_user(username=None, email=None)
    make_user(username=None, email=None)
    with pytest.raises(IntegrityError):
        make_user(username="same")
        make_user(username="same")


def test_the_dataset_format_lists_the_models_choices():
    """format.py repeats the choices so that it needs no Django; this keeps the two equal."""
    assert list(format.ORG_TYPES) == Org.Type.values
    assert list(format.ROLES) == OrgRole.Role.values
    assert list(format.JOIN_STATUSES) == CourseMember.JoinStatus.values
    assert list(format.COURSE_TYPES) == Course.Type.values
    assert list(format.PRIVACIES) == Course.Privacy.values
    assert list(format.CREDENTIAL_KINDS) == Credential.Kind.values


def test_the_class_constants_are_the_choices():
    assert Org.CONTAINER == "container" and Org.PORTAL in Org.Type.values
    assert OrgRole.ADMIN == "admin" and CourseMember.JOINED == "joined"
    assert [(s, s) for s in CourseMember.JoinStatus.values] == CourseMember.JOIN_STATUSES
    assert Credential.Kind.TOKEN.label == "user token"
