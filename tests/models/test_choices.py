"""The models' choices: the class constants are the choices, and the dataset format (which needs no
Django) repeats them exactly."""

import pytest

from dashboards.dataset import format
from dashboards.models import Course, CourseMember, Credential, Org, OrgRole

pytestmark = pytest.mark.django_db


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
