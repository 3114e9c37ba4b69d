"""The user: a display name computed by the database (whitespace is blank; it sorts and filters in
SQL), blank profile fields stored as null, several users without a username."""

import pytest
from django.db import IntegrityError

from dashboards.models import User
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


def test_unique_username_allows_several_nulls():
    make_user(username=None, email=None)
    make_user(username=None, email=None)
    with pytest.raises(IntegrityError):
        make_user(username="same")
        make_user(username="same")
