"""The pages follow the browser's language or the chooser's cookie; the APIs stay English."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogs():
    """The .mo files are built by `make messages`; a run of pytest alone builds stale ones."""
    for po in CATALOGS:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))
    # Catalogs already loaded by an earlier test would not see a new .mo.
    trans_real._translations = {}
    trans_real._active = trans_real.Local()
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_every_shipped_language_has_a_catalog():
    shipped = {code for code, _ in settings.LANGUAGES} - {settings.LANGUAGE_CODE}
    assert {po.parent.parent.name for po in CATALOGS} == shipped


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parent.parent.name)
def test_catalogs_are_complete(po):
    entries = po.read_text().split("\n\n")[1:]
    untranslated = [e for e in entries if re.search(r'\nmsgstr ""\s*$', e) or "#, fuzzy" in e]
    assert untranslated == []


# What `makemessages` scans (README, "Languages"): the project without these.
NOT_SCANNED = (".git", ".venv", "node_modules", "bench", "staticfiles", "browser-screenshots")


def msgids(po):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in po}


@pytest.mark.skipif(
    shutil.which("xgettext") is None and not os.environ.get("CI"),
    reason="xgettext (GNU gettext) is not installed: apt-get install gettext (CI installs it)",
)
def test_the_catalogs_hold_every_marked_string(tmp_path):
    """makemessages, run on a copy of the project, finds no string the shipped catalogs lack
    (and none they keep that is no longer marked)."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(*NOT_SCANNED, "__pycache__", "*.sqlite3*", "*.mo"),
    )
    languages = [arg for po in CATALOGS for arg in ("-l", po.parent.parent.name)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-location"]
        + [arg for name in NOT_SCANNED for arg in ("--ignore", f"{name}/*")],
        cwd=copy,
        env={**os.environ, "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
        capture_output=True,
    )
    for po in CATALOGS:
        extracted = polib.pofile(str(copy / po.relative_to(ROOT)))
        shipped = polib.pofile(str(po))
        name = po.parent.parent.name
        assert msgids(extracted) - msgids(shipped) == set(), f"{name}: marked, not in the catalog"
        assert msgids(shipped) - msgids(extracted) == set(), f"{name}: in the catalog, not marked"


def test_a_french_browser_sees_the_page_in_french(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "<h1>Se connecter</h1>" in page and "Mot de passe" in page
    assert response["Content-Language"] == "fr"


def test_the_chooser_remembers_the_choice_in_a_cookie(client):
    # The form has no "next": the browser's same-origin Referer brings it back to the page.
    response = client.post(
        "/i18n/setlang/", {"language": "fr"}, HTTP_REFERER="http://testserver/login/"
    )
    assert response.status_code == 302 and response["Location"] == "http://testserver/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Se connecter" in page
    assert 'name="language"' in page and '<option value="fr" lang="fr" selected>' in page


def test_an_unknown_language_falls_back_to_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="tlh").content.decode()
    assert '<html lang="en">' in page and "<h1>Log in</h1>" in page


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v2/course/1/users/", {"detail": "Authentication credentials were not provided."}),
        ("/vfo/orgs/1/dashboard/members", {"error": 401, "message": "Invalid credentials"}),
    ],
)
def test_the_apis_answer_in_their_contracts_english_whatever_the_language(client, path, body):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 401
    assert response.json() == body
