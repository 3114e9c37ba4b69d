"""Keys (dashboards/access/keys.py): the rules of a credential live in Credential.clean(), read by
the admin and the commands; create_key prints a strong key once, stores only its hash and sets a
90-day expiry unless told otherwise; revoke_key needs a key or an id, never nothing."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dashboards.access.keys import issue_key, revoke_key
from dashboards.models import Credential
from tests.factories import make_credential, make_org, make_user
from tests.worlds import admin_api_urls

pytestmark = pytest.mark.django_db

LATER = timezone.now() + timezone.timedelta(days=30)
EARLIER = timezone.now() - timezone.timedelta(days=1)


@pytest.fixture
def two_keys():
    user = make_user()
    return make_credential(Credential.TOKEN, user=user), make_credential(Credential.PARTNER)


@pytest.mark.parametrize(
    "call",
    [
        {},
        {"key": None},
        {"key": ""},
        {"key": "  \n"},
        {"key": None, "credential_id": None},
    ],
    ids=["no argument", "None", "empty", "blank", "both None"],
)
def test_revoking_without_a_key_or_an_id_is_an_error_and_revokes_nothing(two_keys, call):
    with pytest.raises(ValueError, match="key or a credential id"):
        revoke_key(**call)
    assert not Credential.objects.filter(revoked=True).exists()


def test_revoking_with_both_a_key_and_an_id_is_an_error(two_keys):
    (token, key), (partner, _) = two_keys
    with pytest.raises(ValueError):
        revoke_key(key=key, credential_id=partner.pk)
    assert not Credential.objects.filter(revoked=True).exists()


def test_revoking_a_key_revokes_that_key_only(two_keys):
    (token, key), (partner, _) = two_keys
    assert revoke_key(key=f" {key}\n") == 1
    assert list(Credential.objects.filter(revoked=True)) == [token]
    assert revoke_key(key=key) == 0


def test_revoke_key_command_reading_an_empty_stdin_revokes_nothing(two_keys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="key or a credential id"):
        call_command("revoke_key", "-", stdout=io.StringIO())
    assert not Credential.objects.filter(revoked=True).exists()


def rules_broken_by(**fields):
    credential = Credential(**fields)
    credential.set_key("a-key-for-the-rules-of-credentials")
    try:
        credential.full_clean()
    except ValidationError as error:
        return set(error.message_dict)
    return set()


def test_credential_rules():
    user, container = make_user(), make_org("Acme")
    unit = make_org("Unit", parent=container)
    assert rules_broken_by(kind=Credential.PARTNER) == set()
    assert rules_broken_by(kind=Credential.TOKEN, user=user, expires_at=LATER) == set()
    assert rules_broken_by(kind=Credential.SESSION, user=user, container=container) == set()
    assert rules_broken_by(kind=Credential.PARTNER, user=user) == {"user"}
    assert rules_broken_by(kind=Credential.TOKEN) == {"user"}
    assert rules_broken_by(kind=Credential.SESSION) == {"user"}
    assert rules_broken_by(kind=Credential.TOKEN, user=user, container=container) == {"container"}
    assert rules_broken_by(kind=Credential.PARTNER, container=container) == {"container"}
    assert rules_broken_by(kind=Credential.SESSION, user=user, container=unit) == {"container"}
    assert rules_broken_by(kind=Credential.PARTNER, expires_at=EARLIER) == {"expires_at"}


def test_an_existing_expired_credential_still_validates():
    credential, _ = make_credential(Credential.PARTNER, expires_at=LATER)
    Credential.objects.filter(pk=credential.pk).update(expires_at=EARLIER)
    credential.refresh_from_db()
    credential.full_clean()


def test_issue_key_applies_the_rules():
    user, container = make_user(), make_org("Acme")
    with pytest.raises(ValidationError):
        issue_key(Credential.PARTNER, user=user)
    with pytest.raises(ValidationError):
        issue_key(Credential.TOKEN, user=user, container=container)
    assert not Credential.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--user", "ada", "--container", "CONTAINER"],  # a token bound to a container
        ["--kind", "partner", "--expires-in-days", "-1"],  # born expired
        ["--kind", "partner", "--expires-at", "2020-01-01T00:00:00Z"],
        ["--user", "ada", "--expires-at", "2027-13-45T00:00:00Z"],  # no such day
    ],
)
def test_create_key_refuses_a_credential_that_breaks_a_rule(args):
    container = make_org("Acme")
    make_user(username="ada")
    args = [str(container.pk) if arg == "CONTAINER" else arg for arg in args]
    with pytest.raises(CommandError):
        call_command("create_key", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Credential.objects.exists()


def test_the_admin_refuses_a_new_key_born_expired(admin_client):
    response = admin_client.post(
        reverse("admin:dashboards_credential_add"),
        {"kind": "partner", "expires_at_0": "2020-01-01", "expires_at_1": "00:00:00"},
    )
    assert response.status_code == 200
    assert "expires_at" in response.context["adminform"].form.errors
    assert not Credential.objects.exists()


def test_the_admin_change_page_of_a_credential_breaking_a_rule_answers(admin_client):
    """A row written past the rules (raw ORM) gets an error message, never a 500."""
    credential, _ = make_credential(Credential.PARTNER, user=make_user())
    url = reverse("admin:dashboards_credential_change", args=[credential.pk])
    response = admin_client.post(url, {"revoked": "on"})
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def run_create_key(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_key_prints_a_strong_key_once_and_stores_its_hash(client, admin_world):
    key, note = run_create_key("--user", "boss")
    assert len(key) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", key)  # 32 random bytes
    assert "shown only now" in note and key not in note
    credential = Credential.objects.get(key_hash=Credential.hash_key(key))
    assert credential.kind == Credential.TOKEN and credential.user == admin_world["admin"]
    assert key not in str(Credential.objects.filter(pk=credential.pk).values().get())
    assert (
        client.get(admin_api_urls(admin_world)["org members"], headers=bearer(key)).status_code
        == 200
    )
    # Two keys never repeat.
    assert run_create_key("--user", "boss")[0] != key


def test_create_key_options(admin_world):
    partner, _ = run_create_key("--kind", "partner", "--expires-in-days", "30")
    credential = Credential.objects.get(key_hash=Credential.hash_key(partner))
    assert credential.user is None and credential.expires_at > timezone.now()
    session, _ = run_create_key(
        "--kind",
        "session",
        "--user",
        str(admin_world["admin"].pk),
        "--container",
        str(admin_world["acme"].pk),
    )
    credential = Credential.objects.get(key_hash=Credential.hash_key(session))
    assert credential.container == admin_world["acme"]
    for args in (
        ["--kind", "partner", "--user", "boss"],
        ["--kind", "token"],
        ["--user", "nobody-at-all"],
        ["--user", "boss", "--expires-at", "tomorrow"],
        ["--user", "boss", "--kind", "session", "--container", "999999"],
    ):
        with pytest.raises(CommandError):
            run_create_key(*args)


def test_revoke_key_by_key_and_by_id(client, admin_world):
    key, _ = run_create_key("--user", "boss")
    url = admin_api_urls(admin_world)["course users"]
    assert client.get(url, headers=bearer(key)).status_code == 200
    call_command("revoke_key", key, stdout=io.StringIO())
    assert client.get(url, headers=bearer(key)).status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_key", key, stdout=io.StringIO())
    other, _ = run_create_key("--user", "boss")
    credential = Credential.objects.get(key_hash=Credential.hash_key(other))
    call_command("revoke_key", "--id", str(credential.pk), stdout=io.StringIO())
    assert client.get(url, headers=bearer(other)).status_code == 401


def test_issued_keys_never_start_with_a_dash(monkeypatch):
    from dashboards.access import keys

    drawn = iter(
        ["-looks-like-an-option-000000000000000000000", "a-plain-key-0000000000000000000000000"]
    )
    monkeypatch.setattr(keys.secrets, "token_urlsafe", lambda n: next(drawn))
    assert keys.new_key() == "a-plain-key-0000000000000000000000000"


def test_create_key_sets_a_default_expiry_unless_told_otherwise():
    from django.core.management import call_command

    from dashboards.management.commands.create_key import DEFAULT_EXPIRY_DAYS
    from dashboards.models import Credential

    owner = make_user(username="kim")

    def issued(*args):
        out = io.StringIO()
        call_command("create_key", "--user", "kim", *args, stdout=out, stderr=io.StringIO())
        return Credential.objects.get(key_hash=Credential.hash_key(out.getvalue().strip()))

    before = timezone.now()
    credential = issued()
    assert credential.user == owner
    expected = before + timezone.timedelta(days=DEFAULT_EXPIRY_DAYS)
    assert DEFAULT_EXPIRY_DAYS == 90
    assert abs(credential.expires_at - expected) < timezone.timedelta(minutes=1)
    assert issued("--no-expiry").expires_at is None
    assert issued("--expires-in-days", "7").expires_at < expected
